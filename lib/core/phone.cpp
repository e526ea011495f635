#include "core/phone.h"

#include <algorithm>
#include <array>
#include <cctype>

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

// Dutch geographic area codes of two digits (without the trunk 0); all others have three.
bool is_dutch_two_digit_area(std::string_view nsn) {
  static constexpr std::array<std::string_view, 30> kAreas = {
      "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45",
      "46", "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79"};
  return std::find(kAreas.begin(), kAreas.end(), nsn.substr(0, 2)) != kAreas.end();
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
      out.digits += c;
      ++i;
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
  static constexpr std::array<std::string_view, 44> kTwoDigit = {
      "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
      "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
      "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
  if (std::find(kTwoDigit.begin(), kTwoDigit.end(), digits.substr(0, 2)) != kTwoDigit.end())
    return 2;
  return 3;
}

std::optional<std::string> normalise_phone(std::string_view text,
                                           std::string_view default_country_code) {
  text = trim(text);
  if (starts_with_ci(text, "tel:")) text = trim(text.substr(4));
  const std::optional<Scanned> scanned = scan(text);
  if (!scanned || scanned->digits.empty()) return std::nullopt;

  std::string international;
  const std::string& digits = scanned->digits;
  if (scanned->plus) {
    international = digits;
  } else if (digits.starts_with("00")) {
    international = digits.substr(2);
  } else if (digits.starts_with("0")) {
    international = std::string(default_country_code) + digits.substr(1);
  } else {
    return std::nullopt;  // neither a trunk nor an international prefix: ambiguous
  }
  if (international.empty() || international[0] == '0') return std::nullopt;

  if (international.starts_with("31")) {
    std::string nsn = international.substr(2);
    if (nsn.starts_with("0") && nsn.size() == 10) nsn.erase(0, 1);  // "+31 020 ..."
    if (nsn.empty() || nsn[0] == '0') return std::nullopt;
    const bool ok =
        is_dutch_service_number(nsn) ? nsn.size() >= 7 && nsn.size() <= 10 : nsn.size() == 9;
    if (!ok) return std::nullopt;
    international = "31" + nsn;
  }
  if (international.size() < 7 || international.size() > 15) return std::nullopt;
  return "+" + international;
}

std::string format_phone(std::string_view e164) {
  if (!e164.starts_with("+")) return std::string(e164);
  const std::string_view digits = e164.substr(1);
  const auto cc_length = static_cast<std::size_t>(country_code_length(digits));
  if (digits.size() <= cc_length) return std::string(e164);
  const std::string_view cc = digits.substr(0, cc_length);
  const std::string_view nsn = digits.substr(cc_length);
  std::string out = "+" + std::string(cc) + " ";
  if (cc == "31" && nsn.size() == 9 && !is_dutch_service_number(nsn)) {
    std::size_t area = nsn[0] == '6' ? 1 : is_dutch_two_digit_area(nsn) ? 2 : 3;
    const std::size_t middle = area == 1 ? 4 : 3;
    out += std::string(nsn.substr(0, area)) + " " + std::string(nsn.substr(area, middle)) + " " +
           std::string(nsn.substr(area + middle));
  } else if (cc == "31" && is_dutch_service_number(nsn)) {
    out += std::string(nsn.substr(0, 3)) + " " + std::string(nsn.substr(3));
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
