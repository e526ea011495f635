#include "core/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

namespace telcomply {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& util() { return *PhoneNumberUtil::GetInstance(); }

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

// Whether `text` is an extension: a marker ("ext.", "ext", "extension", "x", "#" or
// ";ext="), then 1 to 7 digits, separators around them allowed.
bool is_extension(std::string_view text) {
  while (!text.empty() && is_separator(text.front())) text.remove_prefix(1);
  bool marked = false;
  for (std::string_view marker : {"extension", "ext.", "ext", ";ext=", "x", "#"}) {
    if (starts_with_ci(text, marker)) {
      text.remove_prefix(marker.size());
      marked = true;
      break;
    }
  }
  if (!marked) return false;
  while (!text.empty() && is_separator(text.front())) text.remove_prefix(1);
  std::size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits])) ++digits;
  return digits >= 1 && digits <= 7 && digits == text.size();
}

// Whether `text` is written as telephone numbers are: one optional leading '+', digits,
// separators and non-empty parenthesised groups of digits, and at most an extension at the
// end. libphonenumber itself reads far more (letters as on a keypad, a doubled '+', an
// unclosed parenthesis), which in a customer database is a typing error, not a number.
bool is_notation(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  bool digits = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_digit(c)) {
      digits = true;
      ++i;
    } else if (is_separator(c)) {
      ++i;
    } else if (c == '(') {
      const std::size_t close = text.find(')', i + 1);
      if (close == std::string_view::npos) return false;
      bool group = false;
      for (char g : text.substr(i + 1, close - i - 1)) {
        if (is_digit(g))
          group = true;
        else if (!is_separator(g))
          return false;
      }
      if (!group) return false;
      digits = true;
      i = close + 1;
    } else {
      return digits && is_extension(text.substr(i));
    }
  }
  return digits;
}

// Replaces the last four ASCII digits of `text` with '0' (or with `mark` when given).
void cover_last_digits(std::string& text, char mark) {
  int covered = 0;
  for (auto it = text.rbegin(); it != text.rend() && covered < 4; ++it) {
    if (is_digit(*it)) {
      *it = mark;
      ++covered;
    }
  }
}

// Whether `code` is a country calling code, from libphonenumber's metadata.
bool is_calling_code(int code) {
  static const std::set<int> codes = [] {
    std::set<int> out;
    util().GetSupportedCallingCodes(&out);
    return out;
  }();
  return codes.contains(code);
}

// `text` as a number when it is written in E.164 ("+" and 8 to 16 digits, nothing else),
// read the way libphonenumber's parser reads a valid one (tests/core/phone_test.cpp compares
// them) without the parser's regular expressions, which cost most of what validating a number
// does. Calling codes are prefix-free, so the first that matches is the one.
std::optional<PhoneNumber> read_e164(std::string_view text) {
  if (text.size() < 8 || text.size() > 16 || text[0] != '+') return std::nullopt;
  for (char c : text.substr(1))
    if (!is_digit(c)) return std::nullopt;
  for (std::size_t length = 1; length <= 3; ++length) {
    const int code = std::stoi(std::string(text.substr(1, length)));
    if (!is_calling_code(code)) continue;
    const std::string_view national = text.substr(1 + length);
    PhoneNumber number;
    number.set_country_code(code);
    number.set_national_number(std::stoull(std::string(national)));
    // As the parser counts them: never the last digit.
    const std::size_t zeros = std::min(national.find_first_not_of('0'), national.size() - 1);
    if (zeros > 0) {
      number.set_italian_leading_zero(true);
      if (zeros > 1) number.set_number_of_leading_zeros(static_cast<int>(zeros));
    }
    return number;
  }
  return std::nullopt;
}

// `text` read as a telephone number in `region`, when it is written as one and valid in its
// numbering plan; without its extension.
std::optional<PhoneNumber> parse_valid(std::string_view text, std::string_view region) {
  text = trim(text);
  if (starts_with_ci(text, "tel:")) text = trim(text.substr(4));
  // A number the plain reading finds invalid may still be one the parser reads otherwise
  // (a trunk zero after the country code: "+310201234567").
  if (std::optional<PhoneNumber> number = read_e164(text); number && util().IsValidNumber(*number))
    return number;
  if (!is_notation(text)) return std::nullopt;
  PhoneNumber parsed;
  if (util().Parse(std::string(text), std::string(region), &parsed) !=
          PhoneNumberUtil::NO_PARSING_ERROR ||
      !util().IsValidNumber(parsed))
    return std::nullopt;
  PhoneNumber number;  // the number alone: its digits, not the extension or the raw text
  number.set_country_code(parsed.country_code());
  number.set_national_number(parsed.national_number());
  number.set_italian_leading_zero(parsed.italian_leading_zero());
  number.set_number_of_leading_zeros(parsed.number_of_leading_zeros());
  return number;
}

// `number` grouped for reading, its last four digits replaced by '*'.
std::string masked(const PhoneNumber& number) {
  std::string out;
  util().Format(number, PhoneNumberUtil::INTERNATIONAL, &out);
  cover_last_digits(out, '*');
  return out;
}

}  // namespace

bool is_phone_region(std::string_view region) {
  std::set<std::string> regions;
  util().GetSupportedRegions(&regions);
  return regions.contains(std::string(region));
}

std::optional<std::string> normalise_phone(std::string_view text, std::string_view region) {
  const std::optional<PhoneNumber> number = parse_valid(text, region);
  if (!number) return std::nullopt;
  std::string e164;
  util().Format(*number, PhoneNumberUtil::E164, &e164);
  return e164;
}

std::string format_phone(std::string_view e164) {
  PhoneNumber number;
  if (!e164.starts_with("+") ||
      util().Parse(std::string(e164), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::string(e164);
  std::string out;
  util().Format(number, PhoneNumberUtil::INTERNATIONAL, &out);
  return out;
}

std::string mask_phone(std::string_view e164) {
  std::string shown(e164);
  cover_last_digits(shown, '0');
  std::string out = format_phone(shown);
  cover_last_digits(out, '*');
  return out;
}

PhoneMasks::PhoneMasks(std::string region) : region_(std::move(region)) { answers_.reserve(65536); }

const std::optional<std::string>& PhoneMasks::mask(std::string_view text) {
  shown_.assign(text);
  cover_last_digits(shown_, '0');
  if (const auto known = answers_.find(shown_); known != answers_.end()) return known->second;
  if (answers_.size() == 65536) answers_.clear();
  const std::optional<PhoneNumber> number = parse_valid(shown_, region_);
  return answers_
      .emplace(shown_, number ? std::optional<std::string>(masked(*number)) : std::nullopt)
      .first->second;
}

}  // namespace telcomply
