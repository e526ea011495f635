// Civil dates (proleptic Gregorian, no time zone) and their arithmetic.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace telcomply
