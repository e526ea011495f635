#include "core/date.h"

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

}  // namespace telcomply
