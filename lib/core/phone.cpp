#include "core/phone.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

// libphonenumber's compiled-in metadata (the serialised PhoneMetadataCollection its
// PhoneNumberUtil reads), exported by libphonenumber.so and declared in its source's
// metadata.h, which Debian does not install.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace telcomply {
namespace {

using i18n::phonenumbers::NumberFormat;
using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberDesc;
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

bool same_number(const PhoneNumber& a, const PhoneNumber& b) {
  return a.country_code() == b.country_code() && a.national_number() == b.national_number() &&
         a.italian_leading_zero() == b.italian_leading_zero() &&
         a.number_of_leading_zeros() == b.number_of_leading_zeros();
}

// `number` grouped for reading, its last four digits replaced by '*'.
std::string masked(const PhoneNumber& number) {
  std::string out;
  util().Format(number, PhoneNumberUtil::INTERNATIONAL, &out);
  cover_last_digits(out, '*');
  return out;
}

// Which leading digits of a national number libphonenumber's answers depend on.
//
// Every pattern of a numbering plan (its number types, the leading digits that pick a region
// or a format, the formats themselves) is a regular expression over digits. Where a pattern
// tries digits other than any (\d) only at the first k positions of a number, whether it
// matches, and what its groups capture, is the same for every number of the same length that
// starts with the same k digits: the matcher takes the same steps on each. So once one number
// of such a group has been validated and grouped, the others need only their digits put in the
// same places. An alternative of a pattern's top level that cannot start with a number's first
// digit fails at that digit, whatever follows, and does not count.

constexpr int unbounded = 1 << 20;

int plus(int a, int b) { return std::min(unbounded, a + b); }

int times(int n, int a) {
  if (n == 0 || a == 0) return 0;
  if (n >= unbounded || a >= unbounded) return unbounded;
  return static_cast<int>(std::min<long long>(unbounded, static_cast<long long>(n) * a));
}

// What a part of a pattern can do: the longest text it matches, one past the last position at
// which it tries a digit other than any (0: none), whether it matches the empty text, and the
// digits a text it matches can start with.
struct Shape {
  int longest = 0;
  int reach = 0;
  bool empty = true;
  std::bitset<10> first;
};

Shape followed_by(const Shape& a, const Shape& b) {
  return {plus(a.longest, b.longest),
          std::max(a.reach, b.reach == 0 ? 0 : plus(a.longest, b.reach)), a.empty && b.empty,
          a.first | (a.empty ? b.first : std::bitset<10>())};
}

Shape either(const Shape& a, const Shape& b) {
  return {std::max(a.longest, b.longest), std::max(a.reach, b.reach), a.empty || b.empty,
          a.first | b.first};
}

// Reads the part of ICU's syntax that libphonenumber's metadata uses: digits, \d, classes of
// digits, groups ((...) and (?:...)), alternatives and greedy quantifiers (?, *, +, {n},
// {n,}, {n,m}). Anything else (a negated class, an anchor, a lazy quantifier) and the
// pattern is not read: its numbers are answered one by one.
class PatternReader {
 public:
  explicit PatternReader(std::string_view text) : text_(text) {}

  // The shapes of the pattern's top-level alternatives, or nullopt.
  std::optional<std::vector<Shape>> alternatives() {
    std::vector<Shape> out{sequence()};
    while (ok_ && at('|')) {
      ++pos_;
      out.push_back(sequence());
    }
    if (!ok_ || pos_ != text_.size()) return std::nullopt;
    return out;
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  Shape alternation() {
    Shape out = sequence();
    while (ok_ && at('|')) {
      ++pos_;
      out = either(out, sequence());
    }
    return out;
  }

  Shape sequence() {
    Shape out;
    while (ok_ && pos_ < text_.size() && !at('|') && !at(')'))
      out = followed_by(out, repeated(atom()));
    return out;
  }

  Shape atom() {
    std::bitset<10> digits;
    const char c = text_[pos_++];
    if (is_digit(c)) {
      digits.set(static_cast<std::size_t>(c - '0'));
    } else if (c == '\\' && at('d')) {
      ++pos_;
      digits.set();
    } else if (c == '[') {
      digits = digit_class();
    } else if (c == '(') {
      if (text_.substr(pos_, 2) == "?:") pos_ += 2;
      const Shape inner = alternation();
      if (!at(')')) ok_ = false;
      ++pos_;
      return inner;
    } else {
      ok_ = false;
    }
    if (digits.none()) ok_ = false;
    return {1, digits.all() ? 0 : 1, false, digits};
  }

  std::bitset<10> digit_class() {
    std::bitset<10> out;
    while (ok_ && pos_ < text_.size() && !at(']')) {
      const char c = text_[pos_++];
      if (c == '\\' && at('d')) {
        ++pos_;
        out.set();
      } else if (!is_digit(c)) {
        ok_ = false;  // a negation, a letter, an escape other than \d
      } else if (at('-') && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])) {
        for (char d = c; d <= text_[pos_ + 1]; ++d) out.set(static_cast<std::size_t>(d - '0'));
        pos_ += 2;
      } else {
        out.set(static_cast<std::size_t>(c - '0'));
      }
    }
    if (!at(']')) ok_ = false;
    ++pos_;
    return out;
  }

  int count() {
    int n = 0;
    bool any = false;
    while (pos_ < text_.size() && is_digit(text_[pos_])) {
      n = std::min(unbounded, n * 10 + (text_[pos_++] - '0'));
      any = true;
    }
    if (!any) ok_ = false;
    return n;
  }

  Shape repeated(const Shape& part) {
    int least = 0;
    int most = 0;
    if (at('?')) {
      most = 1;
    } else if (at('*')) {
      most = unbounded;
    } else if (at('+')) {
      least = 1;
      most = unbounded;
    } else if (at('{')) {
      ++pos_;
      least = most = count();
      if (at(',')) {
        ++pos_;
        most = at('}') ? unbounded : count();
      }
      if (!at('}')) ok_ = false;
    } else {
      return part;
    }
    ++pos_;
    if (at('?') || at('+')) ok_ = false;  // lazy or possessive
    if (most == 0) return {};
    Shape out;
    out.longest = times(most, part.longest);
    if (part.reach > 0)
      out.reach = most >= unbounded ? (part.longest == 0 ? part.reach : unbounded)
                                    : plus(times(most - 1, part.longest), part.reach);
    out.empty = least == 0 || part.empty;
    out.first = part.first;
    return out;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// One past the last position at which `pattern` tries a digit other than any, in numbers that
// start with `first`; unbounded for a pattern not read.
int depth(const std::string& pattern, std::size_t first) {
  if (pattern.empty()) return 0;
  const std::optional<std::vector<Shape>> alternatives = PatternReader(pattern).alternatives();
  if (!alternatives) return unbounded;
  int out = 0;
  for (const Shape& alternative : *alternatives)
    if (alternative.empty || alternative.first.test(first)) out = std::max(out, alternative.reach);
  return out;
}

// libphonenumber's metadata, read once.
const PhoneMetadataCollection& metadata() {
  static const std::unique_ptr<PhoneMetadataCollection> collection = [] {
    auto out = std::make_unique<PhoneMetadataCollection>();
    if (!out->ParseFromArray(i18n::phonenumbers::metadata_get(),
                             i18n::phonenumbers::metadata_size()))
      out->Clear();  // then no pattern is read and every number is answered on its own
    return out;
  }();
  return *collection;
}

void plan_patterns(const PhoneMetadata& plan, std::array<int, 10>& depths) {
  std::vector<const std::string*> patterns{&plan.leading_digits()};
  for (const PhoneNumberDesc* desc :
       {&plan.general_desc(), &plan.fixed_line(), &plan.mobile(), &plan.toll_free(),
        &plan.premium_rate(), &plan.shared_cost(), &plan.personal_number(), &plan.voip(),
        &plan.pager(), &plan.uan(), &plan.voicemail()})
    patterns.push_back(&desc->national_number_pattern());
  for (const auto* formats : {&plan.number_format(), &plan.intl_number_format()}) {
    for (const NumberFormat& format : *formats) {
      patterns.push_back(&format.pattern());
      for (const std::string& leading : format.leading_digits_pattern())
        patterns.push_back(&leading);
    }
  }
  for (std::size_t first = 0; first < 10; ++first)
    for (const std::string* pattern : patterns)
      depths[first] = std::max(depths[first], depth(*pattern, first));
}

// The answer for one number of a group from the group's mask `mask` (of a number whose
// national digits it holds in order after "+" and the calling code, the hidden ones as '*'):
// the same mask with `national`'s digits; nullopt when `mask` does not hold them so.
std::optional<std::string> regroup(std::string_view mask, std::size_t code_length,
                                   std::string_view national) {
  std::string out(mask.substr(0, 1 + code_length));
  std::size_t next = 0;
  for (const char c : mask.substr(1 + code_length)) {
    if (is_digit(c) || c == '*') {
      if (next == national.size()) return std::nullopt;
      out += c == '*' ? '*' : national[next];
      ++next;
    } else {
      out += c;
    }
  }
  if (next != national.size()) return std::nullopt;
  return out;
}

}  // namespace

void prepare_phone_numbers() {
  util();
  metadata();
}

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

PhoneMasks::PhoneMasks(std::string region)
    : region_(std::move(region)), e164_keys_(1024), e164_slots_(1024) {}

PhoneMasks::CallingCode PhoneMasks::calling_code(int code) {
  CallingCode out;
  for (const PhoneMetadata& plan : metadata().metadata()) {
    if (plan.country_code() != code) continue;
    plan_patterns(plan, out.depth);
    // Without a pattern for it, the parser reads the national prefix itself.
    const std::string& prefix = plan.has_national_prefix_for_parsing()
                                    ? plan.national_prefix_for_parsing()
                                    : plan.national_prefix();
    if (prefix.empty()) continue;
    const std::optional<std::vector<Shape>> alternatives = PatternReader(prefix).alternatives();
    for (std::size_t first = 0; first < 10; ++first) {
      bool may = !alternatives;
      if (alternatives)
        for (const Shape& alternative : *alternatives)
          may = may || alternative.empty || alternative.first.test(first);
      out.may_strip[first] = out.may_strip[first] || may;
    }
  }
  // Without the metadata, every number on its own.
  if (metadata().metadata_size() == 0) out.depth.fill(unbounded);
  return out;
}

std::optional<std::optional<std::string>> PhoneMasks::from_group() {
  const std::optional<PhoneNumber> plain = read_e164(shown_);
  if (!plain) return std::nullopt;
  const std::size_t code_length = std::to_string(plain->country_code()).size();
  const std::string_view national = std::string_view(shown_).substr(1 + code_length);
  if (national.empty()) return std::nullopt;
  auto code = codes_.find(plain->country_code());
  if (code == codes_.end())
    code = codes_.emplace(plain->country_code(), calling_code(plain->country_code())).first;
  const auto first = static_cast<std::size_t>(national.front() - '0');
  const int depth = code->second.depth[first];
  if (depth >= unbounded) return std::nullopt;
  key_.assign(
      shown_, 0,
      1 + code_length + std::min(national.size(), static_cast<std::size_t>(std::max(depth, 1))));
  key_ += '/';
  key_ += std::to_string(national.size());
  if (groups_.size() == 65536) groups_.clear();
  const auto [group, added] = groups_.try_emplace(key_);
  if (!added) {
    switch (group->second.kind) {
      case Group::Kind::invalid:
        return std::optional<std::string>();
      case Group::Kind::valid:
        if (std::optional<std::string> mask = regroup(group->second.mask, code_length, national))
          return mask;
        return std::nullopt;
      case Group::Kind::one_by_one:
        return std::nullopt;
    }
  }
  // The group's first number: answered on its own, which tells what the group's answer is.
  const std::optional<PhoneNumber> number = parse_valid(shown_, region_);
  std::optional<std::string> answer =
      number ? std::optional<std::string>(masked(*number)) : std::nullopt;
  if (!number) {
    // The parser read the number as written (and found it invalid) unless it could read a
    // national prefix in it.
    if (!code->second.may_strip[first]) group->second.kind = Group::Kind::invalid;
  } else if (same_number(*number, *plain) && regroup(*answer, code_length, national) == answer) {
    group->second.kind = Group::Kind::valid;
    group->second.mask = *answer;
  }
  return answer;
}

std::optional<std::string> PhoneMasks::answer() {
  if (alone_ >= 64) {
    if (std::optional<std::optional<std::string>> grouped = from_group())
      return std::move(*grouped);
  } else {
    ++alone_;
  }
  const std::optional<PhoneNumber> number = parse_valid(shown_, region_);
  return number ? std::optional<std::string>(masked(*number)) : std::nullopt;
}

std::size_t PhoneMasks::slot(std::uint64_t key) const {
  const std::size_t mask = e164_keys_.size() - 1;
  std::size_t at = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
  while (e164_keys_[at] != 0 && e164_keys_[at] != key) at = (at + 1) & mask;
  return at;
}

const std::optional<std::string>& PhoneMasks::mask(std::string_view text) {
  // "+" and 8 to 15 digits: the digits it shows and how many there are, as one integer.
  std::uint64_t key = 0;
  if (text.size() >= 9 && text.size() <= 16 && text.front() == '+' &&
      std::all_of(text.begin() + 1, text.end(), is_digit)) {
    std::uint64_t shown = 0;
    for (std::size_t i = 1; i + 4 < text.size(); ++i)
      shown = shown * 10 + static_cast<std::uint64_t>(text[i] - '0');
    key = (shown << 4 | (text.size() - 1)) + 1;
  }
  if (key == 0) {
    shown_.assign(text);
    cover_last_digits(shown_, '0');
    if (const auto known = answers_.find(shown_); known != answers_.end()) return known->second;
    if (answers_.size() == 65536) answers_.clear();
    return answers_.emplace(shown_, answer()).first->second;
  }
  std::size_t at = slot(key);
  if (e164_keys_[at] == key) return e164_answers_[e164_slots_[at]];
  shown_.assign(text);
  cover_last_digits(shown_, '0');
  std::optional<std::string> found = answer();
  if (e164_answers_.size() == 65536) {
    std::fill(e164_keys_.begin(), e164_keys_.end(), 0);
    e164_answers_.clear();
  } else if (2 * (e164_answers_.size() + 1) > e164_keys_.size()) {
    // At most half full: twice the slots, the keys placed again.
    std::vector<std::uint64_t> keys(2 * e164_keys_.size());
    std::vector<std::uint32_t> slots(keys.size());
    keys.swap(e164_keys_);
    slots.swap(e164_slots_);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == 0) continue;
      const std::size_t to = slot(keys[i]);
      e164_keys_[to] = keys[i];
      e164_slots_[to] = slots[i];
    }
  }
  at = slot(key);
  e164_keys_[at] = key;
  e164_slots_[at] = static_cast<std::uint32_t>(e164_answers_.size());
  return e164_answers_.emplace_back(std::move(found));
}

}  // namespace telcomply
