// Durations as written in policy files: "Session", "30 days", "6 months", "2 years",
// Dutch "2 jaar", "3 maanden", "1 dag". Parsed in one place, here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/language.h"

namespace telcomply {

struct Duration {
  enum class Unit { session, seconds, minutes, hours, days, weeks, months, years };

  Unit unit = Unit::session;
  std::int64_t count = 0;

  bool is_session() const { return unit == Unit::session; }

  // Length in seconds, counting a month as 30 days and a year as 365 days (the convention
  // of cookie scanners). 0 for a session.
  std::int64_t approx_seconds() const;
  // The date this duration after `from`, in calendar arithmetic (months and years keep
  // the day of the month, clamped). A session, seconds, minutes and hours round up to
  // whole days.
  Date after(const Date& from) const;

  // Canonical English form: "Session", "1 day", "13 months".
  std::string str() const;
  // As a person reads it in `language`: "session", "1 day", "2 years"; "sessie", "1 dag",
  // "2 jaar".
  std::string text(Language language) const;

  bool operator==(const Duration&) const = default;
};

// Parses a duration; the unit is case-insensitive and may be singular or plural, English or
// Dutch. Returns nullopt when `text` is not a duration.
std::optional<Duration> parse_duration(std::string_view text);

}  // namespace telcomply
