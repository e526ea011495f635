#include "core/phone.h"

#include <array>
#include <cctype>
#include <utility>

namespace telcomply {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_separator(char c) { return c == ' ' || c == '-' || c == '.' || c == '/' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// A table of the two-digit codes in `codes`, indexed by their value, so that a lookup is
// one load rather than a comparison with each.
template <std::size_t N>
constexpr std::array<bool, 100> two_digit_table(const std::array<std::string_view, N>& codes) {
  std::array<bool, 100> table{};
  for (std::string_view code : codes) table[(code[0] - '0') * 10 + (code[1] - '0')] = true;
  return table;
}

// Whether `text` starts with two digits that are in `table`.
bool starts_with_code(std::string_view text, const std::array<bool, 100>& table) {
  return text.size() >= 2 && is_digit(text[0]) && is_digit(text[1]) &&
         table[(text[0] - '0') * 10 + (text[1] - '0')];
}

// Dutch geographic area codes of two digits (without the trunk 0); all others have three.
bool is_dutch_two_digit_area(std::string_view nsn) {
  static constexpr std::array<bool, 100> kAreas = two_digit_table(std::array<std::string_view, 30>{
      "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45",
      "46", "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79"});
  return starts_with_code(nsn, kAreas);
}

bool is_dutch_service_number(std::string_view nsn) {
  return nsn.starts_with("800") || nsn.starts_with("900") || nsn.starts_with("906") ||
         nsn.starts_with("909");
}

// Digits and whether the text began with '+', or nullopt when `text` holds anything but
// digits, separators, one leading '+', and parenthesised digit groups. An international
// "(0)" ("+31 (0)20 ...") is dropped.
struct Scanned {
  std::string digits;
  bool plus = false;
};

std::optional<Scanned> scan(std::string_view text) {
  Scanned out;
  if (!text.empty() && text.front() == '+') {
    out.plus = true;
    text.remove_prefix(1);
  }
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_digit(c)) {
      std::size_t end = i + 1;
      while (end < text.size() && is_digit(text[end])) ++end;
      out.digits += text.substr(i, end - i);
      i = end;
    } else if (is_separator(c)) {
      ++i;
    } else if (c == '(') {
      const std::size_t close = text.find(')', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      std::string group;
      for (char g : text.substr(i + 1, close - i - 1)) {
        if (is_digit(g)) {
          group += g;
        } else if (!is_separator(g)) {
          return std::nullopt;
        }
      }
      if (group.empty()) return std::nullopt;
      const bool international = out.plus || out.digits.starts_with("00");
      const bool trunk_zero = group == "0" && international && !out.digits.empty();
      if (!trunk_zero) out.digits += group;
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

int country_code_length(std::string_view digits) {
  if (digits.empty()) return 0;
  if (digits[0] == '1' || digits[0] == '7') return 1;
  static constexpr std::array<bool, 100> kTwoDigit =
      two_digit_table(std::array<std::string_view, 44>{
          "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
          "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
          "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"});
  return starts_with_code(digits, kTwoDigit) ? 2 : 3;
}

std::optional<std::string> normalise_phone(std::string_view text,
                                           std::string_view default_country_code) {
  text = trim(text);
  if (starts_with_ci(text, "tel:")) text = trim(text.substr(4));
  std::optional<Scanned> scanned = scan(text);
  if (!scanned || scanned->digits.empty()) return std::nullopt;

  std::string international;
  std::string& digits = scanned->digits;
  if (scanned->plus) {
    international = std::move(digits);
  } else if (digits.starts_with("00")) {
    international = digits.substr(2);
  } else if (digits.starts_with("0")) {
    international = std::string(default_country_code) + digits.substr(1);
  } else {
    return std::nullopt;  // neither a trunk nor an international prefix: ambiguous
  }
  if (international.empty() || international[0] == '0') return std::nullopt;

  if (international.starts_with("31")) {
    std::string_view nsn = std::string_view(international).substr(2);
    const bool trunk_zero = nsn.starts_with("0") && nsn.size() == 10;  // "+31 020 ..."
    if (trunk_zero) nsn.remove_prefix(1);
    if (nsn.empty() || nsn[0] == '0') return std::nullopt;
    const bool ok =
        is_dutch_service_number(nsn) ? nsn.size() >= 7 && nsn.size() <= 10 : nsn.size() == 9;
    if (!ok) return std::nullopt;
    if (trunk_zero) international.erase(2, 1);
  }
  if (international.size() < 7 || international.size() > 15) return std::nullopt;
  international.insert(international.begin(), '+');
  return international;
}

std::string format_phone(std::string_view e164) {
  if (!e164.starts_with("+")) return std::string(e164);
  const std::string_view digits = e164.substr(1);
  const auto cc_length = static_cast<std::size_t>(country_code_length(digits));
  if (digits.size() <= cc_length) return std::string(e164);
  const std::string_view cc = digits.substr(0, cc_length);
  const std::string_view nsn = digits.substr(cc_length);
  // Appended piece by piece into one string: masking formats every number an export masks.
  std::string out;
  out.reserve(e164.size() + 3);
  out += '+';
  out += cc;
  out += ' ';
  if (cc == "31" && nsn.size() == 9 && !is_dutch_service_number(nsn)) {
    std::size_t area = nsn[0] == '6' ? 1 : is_dutch_two_digit_area(nsn) ? 2 : 3;
    const std::size_t middle = area == 1 ? 4 : 3;
    out += nsn.substr(0, area);
    out += ' ';
    out += nsn.substr(area, middle);
    out += ' ';
    out += nsn.substr(area + middle);
  } else if (cc == "31" && is_dutch_service_number(nsn)) {
    out += nsn.substr(0, 3);
    out += ' ';
    out += nsn.substr(3);
  } else {
    out += nsn;
  }
  return out;
}

std::string mask_phone(std::string_view e164) {
  std::string out = format_phone(e164);
  int masked = 0;
  for (auto it = out.rbegin(); it != out.rend() && masked < 4; ++it) {
    if (is_digit(*it)) {
      *it = '*';
      ++masked;
    }
  }
  return out;
}

}  // namespace telcomply
