// Masks, pseudonyms, the pseudonym key and retention cut-off dates.
#include <unictype.h>
#include <unigbrk.h>
#include <unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "scrub/scrub.h"

namespace telcomply {

namespace {

constexpr std::string_view kPseudonymPrefix = "anon:";
constexpr std::size_t kPseudonymHexDigits = 32;
constexpr std::size_t kMinKeyBytes = 16;

// What the partial mask leaves after its first characters: the shape of a value. That is
// white space and punctuation of every script (spaces, '-', '.', '@', '、', '،') and every
// ASCII character but letters and digits ('+', '(', '/'). Everything else may carry what the
// mask removes: letters, digits, marks and symbols of every script (emoji included), format
// and control characters, bytes that are not UTF-8.
bool keeps_shape(ucs4_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) == 0;
  static const uc_general_category_t kShape = uc_general_category_or(UC_CATEGORY_P, UC_CATEGORY_Z);
  return uc_is_general_category(c, kShape);
}

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Keeps the first `keep` characters; every later one that is not part of the shape becomes
// one '*'. A character is what a reader sees as one (a grapheme cluster: a letter with its
// accents, an emoji with its modifiers), so "Ørsted" with keep 1 is "Ø*****" and a flag is
// one '*'. "+31201234567" with keep 5 is "+3120*******", only the area code left. A kept
// character holding bytes that are not UTF-8 becomes U+FFFD: the result is always UTF-8.
std::string partial(std::string_view value, int keep) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(value.data());
  std::string starts(value.size(), '\0');  // 1 where a character starts
  u8_grapheme_breaks(bytes, value.size(), starts.data());
  const std::size_t kept = static_cast<std::size_t>(std::max(keep, 0));
  std::string out;
  out.reserve(value.size());
  std::size_t index = 0;  // of the character
  for (std::size_t begin = 0, end = 0; begin < value.size(); begin = end, ++index) {
    end = begin + 1;
    while (end < value.size() && !starts[end]) ++end;
    bool shape = true, valid = true;
    for (std::size_t at = begin; at < end && valid;) {
      ucs4_t c = 0;
      const int length = u8_mbtoucr(&c, bytes + at, end - at);
      valid = length > 0;
      shape = valid && shape && keeps_shape(c);
      at += valid ? static_cast<std::size_t>(length) : 1;
    }
    const bool in_prefix = index < kept;
    if (in_prefix ? valid : shape)
      out.append(value.substr(begin, end - begin));
    else
      out += in_prefix ? kReplacementCharacter : std::string_view("*");
  }
  return out;
}

std::optional<std::string> generalise(std::string_view value, bool to_year) {
  std::optional<Date> date = parse_date(value);
  if (!date) return std::nullopt;
  Date g{date->year, to_year ? 1 : date->month, 1};
  return g.iso();
}

// The placeholder a NOT NULL column gets instead of NULL.
std::string placeholder(const MaskSpec& spec, std::string_view row_key) {
  if (spec.unique) return "#" + std::string(row_key);
  return spec.numeric ? "0" : "";
}

// The mask of `value` before the UNIQUE suffix; nullopt: NULL (or the placeholder).
std::optional<std::string> plain_mask(const MaskSpec& spec, std::string_view value,
                                      std::string_view pseudonym_key) {
  switch (spec.strategy) {
    case MaskStrategy::null:
      return std::nullopt;
    case MaskStrategy::fixed:
      return spec.value;
    case MaskStrategy::pseudonym:
      if (is_pseudonym(value)) return std::string(value);
      return pseudonym(value, pseudonym_key);
    case MaskStrategy::partial:
      return partial(value, spec.keep);
    case MaskStrategy::generalise_month:
      return generalise(value, false);
    case MaskStrategy::generalise_year:
      return generalise(value, true);
  }
  return std::nullopt;
}

bool may_repeat(MaskStrategy strategy) {
  return strategy == MaskStrategy::fixed || strategy == MaskStrategy::partial ||
         strategy == MaskStrategy::generalise_month || strategy == MaskStrategy::generalise_year;
}

std::string trim_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

std::string pseudonym(std::string_view value, std::string_view key) {
  return std::string(kPseudonymPrefix) + hmac_sha256_hex(key, value).substr(0, kPseudonymHexDigits);
}

bool is_pseudonym(std::string_view value) {
  if (value.size() != kPseudonymPrefix.size() + kPseudonymHexDigits) return false;
  if (value.substr(0, kPseudonymPrefix.size()) != kPseudonymPrefix) return false;
  for (char c : value.substr(kPseudonymPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<std::string> mask_value(const MaskSpec& spec, const std::optional<std::string>& value,
                                      std::string_view row_key, std::string_view pseudonym_key) {
  if (!value) {
    if (spec.not_null) return placeholder(spec, row_key);
    return std::nullopt;
  }
  const std::string& v = *value;
  if (spec.unique && may_repeat(spec.strategy)) {
    // Unique form: mask + "#" + row key. A value already in that form stays as it is.
    const std::string suffix = "#" + std::string(row_key);
    if (v.size() >= suffix.size() && v.compare(v.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string stem = v.substr(0, v.size() - suffix.size());
      std::optional<std::string> again = plain_mask(spec, stem, pseudonym_key);
      if (again && *again == stem) return v;
    }
    std::optional<std::string> masked = plain_mask(spec, v, pseudonym_key);
    if (!masked) return spec.not_null ? std::optional<std::string>(placeholder(spec, row_key))
                                      : std::nullopt;
    return *masked + suffix;
  }
  std::optional<std::string> masked = plain_mask(spec, v, pseudonym_key);
  if (!masked && spec.not_null) return placeholder(spec, row_key);
  return masked;
}

Date retention_cutoff(const Duration& keep, const Date& as_of) {
  // keep.after() is non-decreasing in its start date, so the dates that have run out form a
  // prefix of the calendar: find its last day by bisection.
  std::int64_t hi = as_of.days_since_epoch();
  std::int64_t span = keep.approx_seconds() / 86400 * 2 + 800;
  std::int64_t lo = hi - span;
  while (keep.after(Date::from_days_since_epoch(lo)) > as_of) {
    span *= 2;
    lo = hi - span;
  }
  if (keep.after(Date::from_days_since_epoch(hi)) <= as_of) return as_of;
  // Invariant: after(lo) <= as_of < after(hi).
  while (hi - lo > 1) {
    std::int64_t mid = lo + (hi - lo) / 2;
    if (keep.after(Date::from_days_since_epoch(mid)) <= as_of) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return Date::from_days_since_epoch(lo);
}

std::string load_pseudonym_key(const KeySource& source, const std::filesystem::path& key_file) {
  std::string key;
  std::string where;
  auto read_file = [&](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_invalid("cannot read pseudonym key file '" + path.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    where = "pseudonym key file '" + path.string() + "'";
    return trim_newlines(text.str());
  };
  if (!key_file.empty()) {
    key = read_file(key_file);
  } else if (!source.env.empty()) {
    const char* value = std::getenv(source.env.c_str());
    if (value == nullptr || *value == '\0') {
      throw_invalid(located(source.loc, "pseudonym key: environment variable " + source.env +
                                            " is not set (or give --key-file)"));
    }
    key = trim_newlines(value);
    where = "environment variable " + source.env;
  } else if (!source.file.empty()) {
    key = read_file(source.file);
  } else {
    throw_invalid(
        "a pseudonym mask needs a key: set pseudonym_key in the retention policy or give "
        "--key-file");
  }
  if (key.size() < kMinKeyBytes) {
    throw_invalid("the pseudonym key from " + where + " is shorter than " +
                  std::to_string(kMinKeyBytes) + " bytes");
  }
  return key;
}

}  // namespace telcomply
