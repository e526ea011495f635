#include "core/date.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace telcomply {

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return days[month - 1];
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
std::int64_t Date::days_since_epoch() const {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::from_days_since_epoch(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

std::string Date::iso() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::text(Language language) const {
  static constexpr const char* english[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  static constexpr const char* dutch[] = {"januari",   "februari", "maart",    "april",
                                          "mei",       "juni",     "juli",     "augustus",
                                          "september", "oktober",  "november", "december"};
  const int index = month < 1 ? 0 : month > 12 ? 11 : month - 1;
  const char* name = (language == Language::nl ? dutch : english)[index];
  return std::to_string(day) + ' ' + name + ' ' + std::to_string(year);
}

Date Date::add_days(std::int64_t days) const { return from_days_since_epoch(days_since_epoch() + days); }

Date Date::add_months(std::int64_t months) const {
  std::int64_t index = static_cast<std::int64_t>(year) * 12 + (month - 1) + months;
  std::int64_t y = index >= 0 ? index / 12 : (index - 11) / 12;
  int m = static_cast<int>(index - y * 12) + 1;
  Date out{static_cast<int>(y), m, day};
  const int last = days_in_month(out.year, out.month);
  if (out.day > last) out.day = last;
  return out;
}

Date Date::today() {
  const std::time_t now = std::time(nullptr);
  return from_days_since_epoch(static_cast<std::int64_t>(now) / 86400);
}

namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  const std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (text[4] != '-' || text[7] != '-' || !digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  Date out{to_int(y), to_int(m), to_int(d)};
  if (out.month < 1 || out.month > 12 || out.day < 1 || out.day > days_in_month(out.year, out.month))
    return std::nullopt;
  return out;
}

const char* to_string(DateFormat format) {
  switch (format) {
    case DateFormat::iso8601:
      return "iso-8601";
    case DateFormat::unix_seconds:
      return "unix-seconds";
    case DateFormat::unix_milliseconds:
      return "unix-milliseconds";
    case DateFormat::julian_day:
      return "julian-day";
  }
  return "iso-8601";
}

const std::vector<std::string>& date_format_names() {
  static const std::vector<std::string> names = {"iso-8601", "unix-seconds", "unix-milliseconds",
                                                 "julian-day"};
  return names;
}

std::optional<DateFormat> parse_date_format(std::string_view name) {
  for (DateFormat format : {DateFormat::iso8601, DateFormat::unix_seconds,
                            DateFormat::unix_milliseconds, DateFormat::julian_day})
    if (name == to_string(format)) return format;
  return std::nullopt;
}

std::optional<IsoMoment> parse_iso_moment(std::string_view text) {
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  const std::optional<Date> date = parse_date(text.substr(0, 10));
  if (!date) return std::nullopt;
  IsoMoment out{start_of_day(*date), false};
  std::string_view rest = text.substr(10);
  if (rest.empty()) return out;
  rest.remove_prefix(1);
  // Two digits at most `max`, then `separator` unless it is '\0'.
  auto field = [&](int max, char separator) -> std::optional<int> {
    if (rest.size() < 2 || !digits(rest.substr(0, 2))) return std::nullopt;
    const int value = to_int(rest.substr(0, 2));
    rest.remove_prefix(2);
    if (value > max) return std::nullopt;
    if (separator != '\0') {
      if (rest.empty() || rest.front() != separator) return std::nullopt;
      rest.remove_prefix(1);
    }
    return value;
  };
  const std::optional<int> hour = field(23, ':');
  const std::optional<int> minute = hour ? field(59, '\0') : std::nullopt;
  if (!minute) return std::nullopt;
  out.seconds += *hour * 3600 + *minute * 60;
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    const std::optional<int> second = field(59, '\0');
    if (!second) return std::nullopt;
    out.seconds += *second;
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      std::size_t n = 0;
      while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
      if (n == 0) return std::nullopt;
      rest.remove_prefix(n);
    }
  }
  if (rest.empty()) return out;
  out.offset = true;
  if (rest == "Z") return out;
  const char sign = rest.front();
  if (sign != '+' && sign != '-') return std::nullopt;
  rest.remove_prefix(1);
  const std::optional<int> hours = field(14, ':');
  const std::optional<int> minutes = hours ? field(59, '\0') : std::nullopt;
  if (!minutes || !rest.empty() || *hours * 60 + *minutes > 14 * 60) return std::nullopt;
  const std::int64_t offset = *hours * 3600 + *minutes * 60;
  out.seconds += sign == '+' ? -offset : offset;
  return out;
}

std::optional<std::int64_t> moment_of_number(DateFormat format, double value) {
  if (!std::isfinite(value)) return std::nullopt;
  double seconds = 0;
  switch (format) {
    case DateFormat::iso8601:
      return std::nullopt;
    case DateFormat::unix_seconds:
      seconds = value;
      break;
    case DateFormat::unix_milliseconds:
      seconds = value / 1000;
      break;
    case DateFormat::julian_day:
      seconds = (value - kJulianDayOfEpoch) * 86400;
      break;
  }
  seconds = std::floor(seconds);
  if (seconds < static_cast<double>(kEarliestMoment) ||
      seconds > static_cast<double>(kLatestMoment))
    return std::nullopt;
  return static_cast<std::int64_t>(seconds);
}

std::optional<std::int64_t> moment_of_number(DateFormat format, std::int64_t value) {
  std::int64_t seconds = 0;
  switch (format) {
    case DateFormat::iso8601:
      return std::nullopt;
    case DateFormat::julian_day:
      return moment_of_number(format, static_cast<double>(value));
    case DateFormat::unix_seconds:
      seconds = value;
      break;
    case DateFormat::unix_milliseconds:
      seconds = value / 1000 - (value % 1000 < 0 ? 1 : 0);  // rounded down
      break;
  }
  if (seconds < kEarliestMoment || seconds > kLatestMoment) return std::nullopt;
  return seconds;
}

std::string format_moment(std::int64_t seconds) {
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t rest = seconds - days * 86400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return Date::from_days_since_epoch(days).iso() + time;
}

}  // namespace telcomply
