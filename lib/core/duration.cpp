#include "core/duration.h"

#include <array>
#include <cctype>
#include <limits>

namespace telcomply {

namespace {

struct UnitName {
  std::string_view name;
  Duration::Unit unit;
};

// English and Dutch spellings, singular and plural, plus the common abbreviations.
constexpr std::array<UnitName, 36> kUnits{{
    {"s", Duration::Unit::seconds},       {"sec", Duration::Unit::seconds},
    {"second", Duration::Unit::seconds},  {"seconds", Duration::Unit::seconds},
    {"seconde", Duration::Unit::seconds}, {"seconden", Duration::Unit::seconds},
    {"min", Duration::Unit::minutes},     {"minute", Duration::Unit::minutes},
    {"minutes", Duration::Unit::minutes}, {"minuut", Duration::Unit::minutes},
    {"minuten", Duration::Unit::minutes}, {"h", Duration::Unit::hours},
    {"hour", Duration::Unit::hours},      {"hours", Duration::Unit::hours},
    {"uur", Duration::Unit::hours},       {"uren", Duration::Unit::hours},
    {"d", Duration::Unit::days},          {"day", Duration::Unit::days},
    {"days", Duration::Unit::days},       {"dag", Duration::Unit::days},
    {"dagen", Duration::Unit::days},      {"week", Duration::Unit::weeks},
    {"weeks", Duration::Unit::weeks},     {"weken", Duration::Unit::weeks},
    {"month", Duration::Unit::months},    {"months", Duration::Unit::months},
    {"maand", Duration::Unit::months},    {"maanden", Duration::Unit::months},
    {"y", Duration::Unit::years},         {"yr", Duration::Unit::years},
    {"year", Duration::Unit::years},      {"years", Duration::Unit::years},
    {"jaar", Duration::Unit::years},      {"jaren", Duration::Unit::years},
    {"w", Duration::Unit::weeks},         {"m", Duration::Unit::months},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  const std::string t = lower(trim(text));
  if (t == "session" || t == "sessie") return Duration{};
  std::size_t i = 0;
  std::int64_t count = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
    if (count > (std::numeric_limits<std::int64_t>::max() / 1000)) return std::nullopt;
    count = count * 10 + (t[i] - '0');
    ++i;
  }
  if (i == 0 || count > 1'000'000) return std::nullopt;
  const std::string_view unit = trim(std::string_view(t).substr(i));
  for (const auto& u : kUnits)
    if (u.name == unit) return Duration{u.unit, count};
  return std::nullopt;
}

std::int64_t Duration::approx_seconds() const {
  switch (unit) {
    case Unit::session: return 0;
    case Unit::seconds: return count;
    case Unit::minutes: return count * 60;
    case Unit::hours: return count * 3600;
    case Unit::days: return count * 86400;
    case Unit::weeks: return count * 7 * 86400;
    case Unit::months: return count * 30 * 86400;
    case Unit::years: return count * 365 * 86400;
  }
  return 0;
}

Date Duration::after(const Date& from) const {
  switch (unit) {
    case Unit::months: return from.add_months(count);
    case Unit::years: return from.add_months(count * 12);
    case Unit::weeks: return from.add_days(count * 7);
    case Unit::days: return from.add_days(count);
    default: return from.add_days((approx_seconds() + 86399) / 86400);
  }
}

std::string Duration::text(Language language) const {
  // Singular and plural, in Unit order.
  using Names = std::array<std::array<std::string_view, 2>, 8>;
  static constexpr Names english{{{"session", "session"},
                                  {"second", "seconds"},
                                  {"minute", "minutes"},
                                  {"hour", "hours"},
                                  {"day", "days"},
                                  {"week", "weeks"},
                                  {"month", "months"},
                                  {"year", "years"}}};
  static constexpr Names dutch{{{"sessie", "sessie"},
                                {"seconde", "seconden"},
                                {"minuut", "minuten"},
                                {"uur", "uur"},
                                {"dag", "dagen"},
                                {"week", "weken"},
                                {"maand", "maanden"},
                                {"jaar", "jaar"}}};
  const auto& name = (language == Language::nl ? dutch : english)[static_cast<std::size_t>(unit)];
  if (is_session()) return std::string(name[0]);
  return std::to_string(count) + ' ' + std::string(name[count == 1 ? 0 : 1]);
}

std::string Duration::str() const {
  static constexpr std::array<std::string_view, 8> names{"session", "second", "minute", "hour",
                                                          "day",     "week",   "month",  "year"};
  if (unit == Unit::session) return "Session";
  std::string out = std::to_string(count) + ' ' + std::string(names[static_cast<std::size_t>(unit)]);
  if (count != 1) out += 's';
  return out;
}

}  // namespace telcomply
