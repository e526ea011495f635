#include "core/timezone.h"

#include <date/tz.h>

#include <exception>
#include <fstream>

namespace telcomply {

namespace {

// Where libdate-tz reads the operating system's database (USE_OS_TZDB).
constexpr const char* kZoneInfo = "/usr/share/zoneinfo";

// Only the characters and parts of the database's names ("America/Argentina/Buenos_Aires",
// "Etc/GMT+1"): no empty part, none that starts with a dot.
bool plausible(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  char previous = '/';
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '-' || c == '+' || (c == '.' && previous != '/');
    if (!ok || (c == '/' && previous == '/')) return false;
    previous = c;
  }
  return true;
}

}  // namespace

bool TimeZone::known(std::string_view name) {
  if (name == "UTC") return true;
  if (!plausible(name)) return false;
  std::ifstream file(std::string(kZoneInfo) + "/" + std::string(name), std::ios::binary);
  char magic[4] = {};
  return file.read(magic, sizeof magic) && std::string_view(magic, 4) == "TZif";
}

std::optional<TimeZone> TimeZone::find(std::string_view name) {
  TimeZone zone;
  if (name == "UTC") return zone;
  if (!plausible(name)) return std::nullopt;
  try {
    zone.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  zone.name_ = std::string(name);
  return zone;
}

LocalTime TimeZone::local(std::int64_t unix_seconds) const {
  using namespace std::chrono;
  const sys_seconds moment{seconds(unix_seconds)};
  LocalTime out;
  std::int64_t shifted = unix_seconds;
  if (zone_) {
    const date::sys_info info = static_cast<const date::time_zone*>(zone_)->get_info(moment);
    out.offset_seconds = static_cast<int>(info.offset.count());
    out.abbreviation = info.abbrev;
    shifted += info.offset.count();
  } else {
    out.abbreviation = "UTC";
  }
  std::int64_t days = shifted / 86400;
  std::int64_t rest = shifted % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  out.date = Date::from_days_since_epoch(days);
  out.hour = static_cast<int>(rest / 3600);
  out.minute = static_cast<int>(rest % 3600 / 60);
  out.second = static_cast<int>(rest % 60);
  return out;
}

}  // namespace telcomply
