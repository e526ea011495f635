#include "core/format.h"

#include <cstdio>

namespace telcomply {

namespace {

bool nl(Language language) { return language == Language::nl; }

// Digits of `value` in groups of three, separated by `separator`.
std::string grouped(std::uint64_t value, char separator) {
  std::string digits = std::to_string(value);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out += separator;
    out.append(digits, i, 3);
  }
  return out;
}

std::string two_digits(int value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", value);
  return buf;
}

}  // namespace

std::string money_text(std::int64_t cents, std::string_view currency, Language language) {
  const bool negative = cents < 0;
  // The magnitude without overflow for INT64_MIN.
  const std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(cents)
                                           : static_cast<std::uint64_t>(cents);
  const std::string number = grouped(magnitude / 100, nl(language) ? '.' : ',') +
                             (nl(language) ? ',' : '.') +
                             two_digits(static_cast<int>(magnitude % 100));
  std::string symbol = currency == "EUR"   ? "€"
                       : currency == "USD" ? "$"
                       : currency == "GBP" ? "£"
                                           : std::string(currency);
  const bool code = symbol == currency;
  if (nl(language)) return symbol + " " + (negative ? "-" : "") + number;
  return std::string(negative ? "-" : "") + symbol + (code ? " " : "") + number;
}

std::string seconds_text(std::int64_t seconds, Language language) {
  const bool negative = seconds < 0;
  const std::uint64_t s = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(seconds)
                                   : static_cast<std::uint64_t>(seconds);
  const std::uint64_t hours = s / 3600, minutes = s % 3600 / 60, rest = s % 60;
  std::string out;
  auto part = [&out](std::uint64_t count, const char* unit) {
    if (!out.empty()) out += ' ';
    out += std::to_string(count) + ' ' + unit;
  };
  if (hours) part(hours, nl(language) ? "u" : "h");
  if (minutes) part(minutes, "min");
  if (rest || out.empty()) part(rest, "s");
  return negative ? "-" + out : out;
}

std::string yes_no_text(bool value, Language language) {
  if (nl(language)) return value ? "ja" : "nee";
  return value ? "yes" : "no";
}

std::string moment_text(std::int64_t unix_seconds, const TimeZone& zone, Language language) {
  const LocalTime local = zone.local(unix_seconds);
  std::string out =
      local.date.text(language) + " " + two_digits(local.hour) + ":" + two_digits(local.minute);
  if (local.second != 0) out += ":" + two_digits(local.second);
  return out;
}

}  // namespace telcomply
