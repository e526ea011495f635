// Time zones by their IANA name ("Europe/Amsterdam"), read from the operating system's time
// zone database (Debian's tzdata, through libdate-tz: GCC 12's standard library has no
// std::chrono::tzdb). The configuration's `timezone` names the zone in which people read
// moments; the database keeps them in UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace telcomply {

// A moment as a wall clock in one zone shows it.
struct LocalTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string abbreviation;  // "CET", "CEST", "UTC"
  int offset_seconds = 0;    // east of UTC
};

class TimeZone {
 public:
  // UTC, without reading the time zone database.
  TimeZone() = default;

  // The zone named `name` ("Europe/Amsterdam", "UTC"); nullopt when the database does not know
  // it (the first call reads the database's list of names: a few milliseconds).
  static std::optional<TimeZone> find(std::string_view name);

  // Whether the database has a zone named `name`, from its file alone: cheap enough for every
  // command that reads the configuration, where find() first reads the whole list.
  static bool known(std::string_view name);

  const std::string& name() const { return name_; }
  bool is_utc() const { return zone_ == nullptr; }

  // `unix_seconds` as a clock in this zone shows it, daylight saving time included.
  LocalTime local(std::int64_t unix_seconds) const;

 private:
  std::string name_ = "UTC";
  const void* zone_ = nullptr;  // the database's zone; null for UTC
};

}  // namespace telcomply
