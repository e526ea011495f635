// ISO 3166-1 alpha-2 codes and country names, from Debian's iso-codes: its JSON list of the
// assigned codes, and its gettext catalogues for the names in other languages.
#include "policy/country.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"

namespace telcomply {
namespace {

// One assigned code and its short name in English: iso-codes' common name where it has one
// ("Bolivia", not "Bolivia, Plurinational State of"), else its name.
struct CountryEntry {
  std::string code;
  std::string name;
};

[[noreturn]] void unreadable(const std::string& path, const std::string& why) {
  throw_operational("cannot read the ISO 3166-1 country list '" + path +
                    "' (Debian's iso-codes): " + why);
}

std::string read_whole(const std::string& path, bool required) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (required) unreadable(path, std::strerror(errno));
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// Reads the entries of iso_3166-1.json ({"3166-1": [{"alpha_2": ..., "name": ...}, ...]}) as
// the parser meets them, without building the document: every command that checks a country
// code pays for this.
class CountryReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<CountryEntry> entries;

  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 2) {
      code_.clear();
      name_.clear();
      common_name_.clear();
    }
    return true;
  }
  bool end_object() override {
    if (depth_ == 2 && !code_.empty())
      entries.push_back({code_, common_name_.empty() ? name_ : common_name_});
    --depth_;
    return true;
  }
  bool key(string_t& key) override {
    key_ = key;
    return true;
  }
  bool string(string_t& value) override {
    if (depth_ != 2) return true;
    if (key_ == "alpha_2") code_ = value;
    if (key_ == "name") name_ = value;
    if (key_ == "common_name") common_name_ = value;
    return true;
  }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

  std::string error;

 private:
  int depth_ = 0;
  std::string key_, code_, name_, common_name_;
};

// Debian's iso-codes: every officially assigned alpha-2 code with its name, sorted by code.
std::vector<CountryEntry> load_countries() {
  const std::string path = std::string(TELCOMPLY_ISO_CODES_DIR) + "/json/iso_3166-1.json";
  CountryReader reader;
  if (!nlohmann::json::sax_parse(read_whole(path, true), &reader)) unreadable(path, reader.error);
  std::vector<CountryEntry> out = std::move(reader.entries);
  if (out.empty()) unreadable(path, "no countries in it");
  std::sort(out.begin(), out.end(),
            [](const CountryEntry& a, const CountryEntry& b) { return a.code < b.code; });
  return out;
}

const std::vector<CountryEntry>& countries() {
  static const std::vector<CountryEntry> entries = load_countries();
  return entries;
}

using Names = std::map<std::string, std::string, std::less<>>;

// The translations of a GNU gettext message catalogue (.mo, either byte order): msgid to
// msgstr. Empty when the file is missing or is no catalogue; of a damaged one, what is whole.
Names read_catalogue(const std::string& path) {
  Names out;
  const std::string data = read_whole(path, false);
  bool swap = false;
  auto word = [&](std::size_t at) -> std::optional<std::uint32_t> {
    if (at > data.size() || data.size() - at < 4) return std::nullopt;
    std::uint32_t v = 0;
    std::memcpy(&v, data.data() + at, 4);
    return swap ? __builtin_bswap32(v) : v;
  };
  const auto magic = word(0);
  if (!magic || (*magic != 0x950412deU && *magic != 0xde120495U)) return out;
  swap = *magic == 0xde120495U;
  const auto count = word(8), originals = word(12), translations = word(16);
  if (!count || !originals || !translations) return out;
  auto string_at = [&](std::uint32_t table, std::uint32_t i) -> std::optional<std::string> {
    const std::size_t at = std::size_t{table} + std::size_t{i} * 8;
    const auto length = word(at), offset = word(at + 4);
    if (!length || !offset || *offset > data.size() || data.size() - *offset < *length)
      return std::nullopt;
    return data.substr(*offset, *length);
  };
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto id = string_at(*originals, i);
    auto text = string_at(*translations, i);
    if (!id || !text) break;
    if (!id->empty() && !text->empty()) out.emplace(std::move(*id), std::move(*text));
  }
  return out;
}

// Code to name in Dutch: iso-codes' translation where it has one, the English name otherwise.
const Names& dutch_names() {
  static const Names names = [] {
    const Names catalogue =
        read_catalogue(std::string(TELCOMPLY_LOCALE_DIR) + "/nl/LC_MESSAGES/iso_3166-1.mo");
    Names out;
    for (const auto& c : countries()) {
      auto it = catalogue.find(c.name);
      out.emplace(c.code, it == catalogue.end() ? c.name : it->second);
    }
    return out;
  }();
  return names;
}

const CountryEntry* find_entry(std::string_view code) {
  const auto& all = countries();
  auto it = std::lower_bound(all.begin(), all.end(), code,
                             [](const CountryEntry& e, std::string_view c) { return e.code < c; });
  if (it == all.end() || it->code != code) return nullptr;
  return &*it;
}

// Codes that look like country codes but are not ISO 3166-1 alpha-2, and what to use.
struct Substitute {
  std::string_view code;
  std::string_view use;
};
constexpr Substitute kSubstitutes[] = {
    {"UK", "GB"},  // United Kingdom: reserved, not assigned
    {"EL", "GR"},  // Greece: the EU's code, not ISO's
};

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

bool is_country_code(std::string_view code) { return find_entry(code) != nullptr; }

std::string_view country_name(std::string_view code, Language language) {
  const CountryEntry* e = find_entry(code);
  if (!e) return {};
  if (language == Language::en) return e->name;
  const Names& names = dutch_names();
  auto it = names.find(code);
  return it == names.end() ? std::string_view(e->name) : std::string_view(it->second);
}

std::optional<std::string> country_code_error(std::string_view code) {
  if (is_country_code(code)) return std::nullopt;
  std::string upper;
  for (char c : code) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const Substitute& s : kSubstitutes) {
    if (upper == s.code) {
      return quoted(code) + " is not an ISO 3166-1 alpha-2 code: use '" + std::string(s.use) +
             "' (" + std::string(country_name(s.use)) + ")";
    }
  }
  if (upper == "EU") {
    return std::string("'EU' is not a country: list the member states, e.g. [DE, NL]");
  }
  if (code.size() > 40)
    return std::string("invalid country code: expected two letters such as 'NL'");
  if (upper != code && is_country_code(upper)) {
    return quoted(code) + " is not an ISO 3166-1 alpha-2 code: write it in capitals, '" + upper +
           "' (" + std::string(country_name(upper)) + ")";
  }
  return "unknown country code " + quoted(code) +
         ": expected an assigned ISO 3166-1 alpha-2 code such as 'NL'";
}

const std::vector<std::string_view>& country_codes() {
  static const std::vector<std::string_view> codes = [] {
    std::vector<std::string_view> v;
    v.reserve(countries().size());
    std::transform(countries().begin(), countries().end(), std::back_inserter(v),
                   [](const CountryEntry& e) -> std::string_view { return e.code; });
    return v;
  }();
  return codes;
}

}  // namespace telcomply
