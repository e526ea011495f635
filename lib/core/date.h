// Civil dates (proleptic Gregorian, no time zone) and their arithmetic, and the ways a
// database stores a date or a moment (DateFormat).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"

namespace telcomply {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  auto operator<=>(const Date&) const = default;

  // Days since 1970-01-01 (negative before).
  std::int64_t days_since_epoch() const;
  static Date from_days_since_epoch(std::int64_t days);

  // "YYYY-MM-DD".
  std::string iso() const;
  // As a person reads it in `language`: "5 January 2026", "5 januari 2026".
  std::string text(Language language) const;

  Date add_days(std::int64_t days) const;
  // Calendar months; the day is clamped to the end of the target month (Jan 31 + 1 month
  // is Feb 28 or 29).
  Date add_months(std::int64_t months) const;

  // Today in UTC.
  static Date today();
};

bool is_leap_year(int year);
int days_in_month(int year, int month);

// Parses "YYYY-MM-DD", also accepting a trailing time ("YYYY-MM-DDTHH:MM:SS...", or with a
// space) of which only the date is kept. Rejects impossible dates such as 2026-02-30.
// Returns nullopt on anything else.
std::optional<Date> parse_date(std::string_view text);

// ---------------------------------------------------------------------------------------
// Stored dates: how a database column holds a date or a moment (telcomply-policy(5),
// `format`). Every moment is read as Unix time: seconds since 1970-01-01T00:00:00Z.

enum class DateFormat {
  iso8601,            // text: a date, optionally with a time and a UTC offset (parse_iso_moment)
  unix_seconds,       // seconds since 1970-01-01T00:00:00Z
  unix_milliseconds,  // milliseconds since then
  julian_day,         // days since noon UTC of 24 November 4714 BC (SQLite's julianday())
};

// "iso-8601", "unix-seconds", "unix-milliseconds", "julian-day": the names the policy uses.
const char* to_string(DateFormat format);
std::optional<DateFormat> parse_date_format(std::string_view name);
const std::vector<std::string>& date_format_names();

// The range of moments a stored date may name: years 0000 to 9999.
inline constexpr std::int64_t kEarliestMoment = -62167219200;  // 0000-01-01T00:00:00Z
inline constexpr std::int64_t kLatestMoment = 253402300799;    // 9999-12-31T23:59:59Z
// The Julian day of 1970-01-01T00:00:00Z.
inline constexpr double kJulianDayOfEpoch = 2440587.5;

// A moment read from ISO 8601 text.
struct IsoMoment {
  std::int64_t seconds = 0;  // Unix time
  bool offset = false;       // the text names its offset ("Z", "+02:00"); without one it is UTC
};

// Reads ISO 8601 text strictly, in the forms every supported database reads the same way:
// "YYYY-MM-DD", optionally followed by 'T' or a space and "HH:MM", optionally ":SS" and a
// fraction ".s...", optionally "Z" or an offset "+HH:MM" / "-HH:MM" (at most 14 hours).
// Nullopt for anything else, impossible dates and times (2026-02-30, 24:00) included.
std::optional<IsoMoment> parse_iso_moment(std::string_view text);

// A number in a numeric format (unix_seconds, unix_milliseconds, julian_day) as Unix time,
// rounded down to the second; nullopt for iso8601, NaN and values outside years 0000-9999.
std::optional<std::int64_t> moment_of_number(DateFormat format, double value);
std::optional<std::int64_t> moment_of_number(DateFormat format, std::int64_t value);

// The first moment of `day` (00:00 UTC) as Unix time.
inline std::int64_t start_of_day(const Date& day) { return day.days_since_epoch() * 86400; }

// Unix time as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_moment(std::int64_t seconds);

}  // namespace telcomply
