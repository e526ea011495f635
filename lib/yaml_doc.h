// Reading policy YAML strictly: every error carries file:line:column, unknown keys are
// errors with a "did you mean" suggestion, and values are checked for their type.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "date.h"
#include "duration.h"
#include "error.h"

namespace telcomply {

// A YAML text and the name it is reported under (usually its path).
struct YamlSource {
  std::string name;
  std::string text;
};

// Reads a file into a YamlSource; throws Error(invalid) when it cannot be read, is a
// directory, or is larger than the policy size limit (16 MiB).
YamlSource read_yaml_source(const std::filesystem::path& path);

// A parsed YAML document plus the file name its marks refer to.
class YamlDoc {
 public:
  // Parses `source`; syntax errors throw Error(invalid) with file:line:column. Documents
  // nested deeper than 64 levels, or whose aliases expand past a node budget, are rejected.
  explicit YamlDoc(const YamlSource& source);

  const YAML::Node& root() const { return root_; }
  const std::string& file() const { return file_; }

  SourceLocation where(const YAML::Node& node) const;

  // Throws unless `node` is a mapping whose keys are all in `allowed`; an unknown key gets a
  // "did you mean" for the closest allowed key.
  void expect_map(const YAML::Node& node, std::string_view what,
                  std::initializer_list<std::string_view> allowed) const;
  void expect_map(const YAML::Node& node, std::string_view what,
                  const std::vector<std::string>& allowed) const;
  void expect_sequence(const YAML::Node& node, std::string_view what) const;
  // A mapping with arbitrary keys (e.g. categories keyed by id).
  void expect_any_map(const YAML::Node& node, std::string_view what) const;

  // Scalar getters. `key` names a field of mapping `parent`; a missing required field is
  // reported at the parent's position, a mistyped one at its own.
  std::string string(const YAML::Node& parent, std::string_view key) const;
  std::optional<std::string> optional_string(const YAML::Node& parent, std::string_view key) const;
  bool boolean(const YAML::Node& parent, std::string_view key, bool fallback) const;
  std::optional<long long> optional_integer(const YAML::Node& parent, std::string_view key) const;
  Duration duration(const YAML::Node& parent, std::string_view key) const;
  std::optional<Duration> optional_duration(const YAML::Node& parent, std::string_view key) const;
  std::optional<Date> optional_date(const YAML::Node& parent, std::string_view key) const;
  // A string or a sequence of strings; absent gives an empty list.
  std::vector<std::string> string_list(const YAML::Node& parent, std::string_view key) const;

  // The scalar text of `node`, or an error naming `what` when it is not a scalar.
  std::string scalar(const YAML::Node& node, std::string_view what) const;
  // One of `choices`; anything else is an error listing them.
  std::string choice(const YAML::Node& parent, std::string_view key,
                     std::initializer_list<std::string_view> choices,
                     std::optional<std::string_view> fallback = std::nullopt) const;

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

 private:
  std::string file_;
  YAML::Node root_;
};

// The candidate closest to `word` by edit distance, when close enough to suggest.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace telcomply
