#include "yaml_doc.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

namespace telcomply {

namespace {

constexpr std::uintmax_t kMaxPolicyBytes = 16u << 20;

const char* node_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "empty";
    case YAML::NodeType::Undefined: break;
  }
  return "undefined";
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 2) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

namespace {

// The line and column (1-based) of the first byte that is not part of valid UTF-8 (no overlong
// forms, no surrogates, nothing above U+10FFFF), if any.
std::optional<std::pair<int, int>> first_invalid_utf8(std::string_view text) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;  // continuation bytes
    unsigned lo = 0x80;  // range of the first continuation byte
    unsigned hi = 0xbf;
    if (c < 0x80) {
      n = 0;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return std::pair{line, column};
    }
    if (i + n >= text.size() && n > 0) return std::pair{line, column};
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xbfu)) return std::pair{line, column};
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n + 1;
  }
  return std::nullopt;
}

}  // namespace

YamlSource read_yaml_source(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw_invalid("cannot open '" + path.string() + "': no such file");
  if (std::filesystem::is_directory(status))
    throw_invalid("cannot read '" + path.string() + "': is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_invalid("cannot open '" + path.string() + "': permission denied or unreadable");
  const auto size = std::filesystem::is_regular_file(status) ? std::filesystem::file_size(path, ec)
                                                             : 0;
  if (!ec && size > kMaxPolicyBytes)
    throw_invalid("cannot read '" + path.string() + "': larger than 16 MiB, not a policy file");
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxPolicyBytes)
      throw_invalid("cannot read '" + path.string() + "': larger than 16 MiB, not a policy file");
  }
  if (in.bad()) throw_invalid("cannot read '" + path.string() + "': I/O error");
  return YamlSource{path.string(), std::move(text)};
}

YamlDoc::YamlDoc(const YamlSource& source) : file_(source.name) {
  if (source.text.find('\0') != std::string::npos)
    throw_invalid(SourceLocation{file_, 0, 0}, "not a YAML text file (contains NUL bytes)");
  if (const auto bad = first_invalid_utf8(source.text))
    throw_invalid(SourceLocation{file_, bad->first, bad->second}, "invalid UTF-8");
  try {
    root_ = YAML::Load(source.text);
  } catch (const YAML::ParserException& e) {
    throw_invalid(SourceLocation{file_, e.mark.line + 1, e.mark.column + 1}, e.msg);
  } catch (const YAML::Exception& e) {
    throw_invalid(SourceLocation{file_, e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
  if (!root_.IsDefined() || root_.IsNull())
    throw_invalid(SourceLocation{file_, 1, 1}, "empty policy file");
}

SourceLocation YamlDoc::where(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return SourceLocation{file_, 0, 0};
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

void YamlDoc::fail(const YAML::Node& node, const std::string& message) const {
  throw_invalid(where(node), message);
}

void YamlDoc::expect_any_map(const YAML::Node& node, std::string_view what) const {
  if (!node.IsMap())
    fail(node, std::string(what) + " must be a mapping, not " + node_kind(node));
  std::set<std::string> seen;
  for (const auto& item : node) {
    if (!item.first.IsScalar()) fail(item.first, std::string("keys of ") + std::string(what) + " must be plain names");
    if (!seen.insert(item.first.Scalar()).second)
      fail(item.first, "duplicate key '" + item.first.Scalar() + "' in " + std::string(what));
  }
}

void YamlDoc::expect_map(const YAML::Node& node, std::string_view what,
                         std::initializer_list<std::string_view> allowed) const {
  expect_map(node, what, std::vector<std::string>(allowed.begin(), allowed.end()));
}

void YamlDoc::expect_map(const YAML::Node& node, std::string_view what,
                         const std::vector<std::string>& allowed) const {
  expect_any_map(node, what);
  for (const auto& item : node) {
    const std::string& key = item.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = "unknown key '" + key + "' in " + std::string(what);
    if (auto hint = closest_match(key, allowed)) message += "; did you mean '" + *hint + "'?";
    else message += " (known: " + quoted_list(allowed) + ")";
    fail(item.first, message);
  }
}

void YamlDoc::expect_sequence(const YAML::Node& node, std::string_view what) const {
  if (!node.IsSequence()) fail(node, std::string(what) + " must be a list, not " + node_kind(node));
}

std::string YamlDoc::scalar(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar())
    fail(node, std::string(what) + " must be a single value, not " + node_kind(node));
  return node.Scalar();
}

std::optional<std::string> YamlDoc::optional_string(const YAML::Node& parent,
                                                    std::string_view key) const {
  const YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  return scalar(node, "'" + std::string(key) + "'");
}

std::string YamlDoc::string(const YAML::Node& parent, std::string_view key) const {
  auto value = optional_string(parent, key);
  if (!value || value->empty()) fail(parent, "missing required key '" + std::string(key) + "'");
  return *value;
}

bool YamlDoc::boolean(const YAML::Node& parent, std::string_view key, bool fallback) const {
  const YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return fallback;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  if (text == "true" || text == "yes" || text == "True" || text == "on") return true;
  if (text == "false" || text == "no" || text == "False" || text == "off") return false;
  fail(node, "'" + std::string(key) + "' must be true or false, not '" + text + "'");
}

std::optional<long long> YamlDoc::optional_integer(const YAML::Node& parent,
                                                   std::string_view key) const {
  const YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  long long value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    fail(node, "'" + std::string(key) + "' must be a whole number, not '" + text + "'");
  return value;
}

std::optional<Duration> YamlDoc::optional_duration(const YAML::Node& parent,
                                                   std::string_view key) const {
  const YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  auto duration = parse_duration(text);
  if (!duration)
    fail(node, "'" + std::string(key) + "': '" + text +
                   "' is not a duration (e.g. Session, 30 days, 6 months, 2 years, 2 jaar)");
  return duration;
}

Duration YamlDoc::duration(const YAML::Node& parent, std::string_view key) const {
  auto value = optional_duration(parent, key);
  if (!value) fail(parent, "missing required key '" + std::string(key) + "'");
  return *value;
}

std::optional<Date> YamlDoc::optional_date(const YAML::Node& parent, std::string_view key) const {
  const YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  auto date = text.size() == 10 ? parse_date(text) : std::nullopt;
  if (!date) fail(node, "'" + std::string(key) + "': '" + text + "' is not a valid date (YYYY-MM-DD)");
  return date;
}

std::vector<std::string> YamlDoc::string_list(const YAML::Node& parent,
                                              std::string_view key) const {
  const YAML::Node node = parent[std::string(key)];
  std::vector<std::string> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  expect_sequence(node, "'" + std::string(key) + "'");
  for (const auto& item : node) out.push_back(scalar(item, "an item of '" + std::string(key) + "'"));
  return out;
}

std::string YamlDoc::choice(const YAML::Node& parent, std::string_view key,
                            std::initializer_list<std::string_view> choices,
                            std::optional<std::string_view> fallback) const {
  const YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) {
    if (fallback) return std::string(*fallback);
    fail(parent, "missing required key '" + std::string(key) + "'");
  }
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  std::vector<std::string> options(choices.begin(), choices.end());
  if (std::find(options.begin(), options.end(), text) != options.end()) return text;
  std::string message = "'" + std::string(key) + "' must be one of " + quoted_list(options) +
                        ", not '" + text + "'";
  if (auto hint = closest_match(text, options)) message += "; did you mean '" + *hint + "'?";
  fail(node, message);
}

}  // namespace telcomply
