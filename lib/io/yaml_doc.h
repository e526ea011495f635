// Reading policy YAML strictly: every error carries file:line:column, unknown keys are
// errors with a "did you mean" suggestion, and values are checked for their type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/date.h"
#include "core/duration.h"
#include "core/error.h"
#include "core/text.h"

namespace telcomply {

// A YAML text and the name it is reported under (usually its path).
struct YamlSource {
  std::string name;
  std::string text;
};

// Reads a file into a YamlSource; throws Error(invalid) when it cannot be read, is not a
// regular file (a directory, a FIFO or a device is refused without being opened), or is larger
// than the policy size limit (16 MiB).
YamlSource read_yaml_source(const std::filesystem::path& path);

class YamlNode;

// A key and its value in a mapping.
struct YamlPair {
  const YamlNode& first;
  const YamlNode& second;
};

// The items of a sequence (`const YamlNode&`) or the pairs of a mapping (YamlPair).
template <typename Value>
class YamlRange {
 public:
  class iterator {
   public:
    explicit iterator(const YamlNode* const* at) : at_(at) {}
    Value operator*() const;
    iterator& operator++() {
      at_ += std::is_same_v<Value, YamlPair> ? 2 : 1;
      return *this;
    }
    bool operator==(const iterator& other) const { return at_ == other.at_; }

   private:
    const YamlNode* const* at_;
  };

  YamlRange(const YamlNode* const* begin, const YamlNode* const* end) : begin_(begin), end_(end) {}
  iterator begin() const { return iterator(begin_); }
  iterator end() const { return iterator(end_); }

 private:
  const YamlNode* const* begin_;
  const YamlNode* const* end_;
};

// One node of a parsed document: a mapping (keys and values in the order written), a
// sequence, a scalar with its text, or null. Nodes belong to the YamlDoc that parsed them.
// Looking up what is not there gives an undefined node, as does indexing past the end.
//
// Scalars keep their text exactly as written; what it means (a boolean, a number, a date) is
// for YamlDoc's getters to decide. Null is the core schema's null: a plain `null`, `Null`,
// `NULL`, `~` or nothing at all, or anything tagged `!!null`. A quoted or otherwise tagged
// `null` is the text "null".
class YamlNode {
 public:
  enum class Kind : std::uint8_t { undefined, null, scalar, sequence, map };
  enum class Style : std::uint8_t { plain, single_quoted, double_quoted, literal, folded };

  Kind kind() const { return kind_; }
  bool defined() const { return kind_ != Kind::undefined; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::map; }

  // The text of a scalar (empty for anything else).
  const std::string& text() const { return text_; }
  // How a scalar was written; plain for anything else.
  Style style() const { return style_; }
  // The explicit tag, resolved ("tag:yaml.org,2002:str" for `!!str`); empty when none.
  const std::string& tag() const { return tag_; }
  // Where the node starts (1-based); 0 for an undefined node. An alias is where it is used.
  int line() const { return line_; }
  int column() const { return column_; }

  // The number of items of a sequence or pairs of a mapping.
  std::size_t size() const { return kind_ == Kind::map ? children_.size() / 2 : children_.size(); }
  // The value under `key` of a mapping.
  const YamlNode& operator[](std::string_view key) const;
  // Item `index` of a sequence.
  const YamlNode& operator[](std::size_t index) const;
  // The items of a sequence (nothing for anything else).
  YamlRange<const YamlNode&> items() const;
  // The pairs of a mapping (nothing for anything else).
  YamlRange<YamlPair> pairs() const;

 private:
  friend class YamlTreeBuilder;

  Kind kind_ = Kind::undefined;
  Style style_ = Style::plain;
  bool open_ = false;  // a collection still being parsed
  int line_ = 0;
  int column_ = 0;
  std::uint64_t weight_ = 1;  // nodes in the subtree, aliases expanded
  std::string text_;
  std::string tag_;
  // Items of a sequence; keys and values of a mapping, alternating.
  std::vector<const YamlNode*> children_;
};

template <>
inline const YamlNode& YamlRange<const YamlNode&>::iterator::operator*() const {
  return **at_;
}
template <>
inline YamlPair YamlRange<YamlPair>::iterator::operator*() const {
  return YamlPair{*at_[0], *at_[1]};
}

// A parsed YAML document plus the file name its marks refer to.
class YamlDoc {
 public:
  // The most levels of sequences and mappings inside one another.
  static constexpr int kMaxDepth = 64;
  // The most nodes all aliases (and the merges through them) may stand for together.
  static constexpr std::uint64_t kMaxAliasNodes = 100000;

  // Parses `source`; syntax errors throw Error(invalid) with file:line:column, as do NUL
  // bytes, invalid UTF-8, a key written twice in one mapping, more than one document, an
  // empty document, documents nested deeper than kMaxDepth levels and aliases that would
  // expand past kMaxAliasNodes nodes. `<<` merges the keys of an aliased mapping (or of a
  // list of them) into a mapping; keys written in the mapping itself win.
  explicit YamlDoc(const YamlSource& source);
  ~YamlDoc();
  YamlDoc(YamlDoc&&) noexcept;
  YamlDoc& operator=(YamlDoc&&) noexcept;

  const YamlNode& root() const { return *root_; }
  const std::string& file() const { return file_; }

  SourceLocation where(const YamlNode& node) const;

  // Throws unless `node` is a mapping whose keys are all in `allowed`; an unknown key gets a
  // "did you mean" for the closest allowed key.
  void expect_map(const YamlNode& node, std::string_view what,
                  std::initializer_list<std::string_view> allowed) const;
  void expect_map(const YamlNode& node, std::string_view what,
                  const std::vector<std::string>& allowed) const;
  void expect_sequence(const YamlNode& node, std::string_view what) const;
  // A mapping with arbitrary keys (e.g. categories keyed by id); keys must be scalars.
  void expect_any_map(const YamlNode& node, std::string_view what) const;

  // Scalar getters. `key` names a field of mapping `parent`; a missing required field is
  // reported at the parent's position, a mistyped one at its own.
  std::string string(const YamlNode& parent, std::string_view key) const;
  std::optional<std::string> optional_string(const YamlNode& parent, std::string_view key) const;
  bool boolean(const YamlNode& parent, std::string_view key, bool fallback) const;
  std::optional<long long> optional_integer(const YamlNode& parent, std::string_view key) const;
  Duration duration(const YamlNode& parent, std::string_view key) const;
  std::optional<Duration> optional_duration(const YamlNode& parent, std::string_view key) const;
  std::optional<Date> optional_date(const YamlNode& parent, std::string_view key) const;
  // A string or a sequence of strings; absent gives an empty list.
  std::vector<std::string> string_list(const YamlNode& parent, std::string_view key) const;

  // The scalar text of `node`, or an error naming `what` when it is not a scalar.
  std::string scalar(const YamlNode& node, std::string_view what) const;
  // One of `choices`; anything else is an error listing them.
  std::string choice(const YamlNode& parent, std::string_view key,
                     std::initializer_list<std::string_view> choices,
                     std::optional<std::string_view> fallback = std::nullopt) const;
  std::string choice(const YamlNode& parent, std::string_view key,
                     std::span<const std::string_view> choices,
                     std::optional<std::string_view> fallback = std::nullopt) const;
  // string_list(), each item one of `choices` (an error at the item otherwise).
  std::vector<std::string> choice_list(const YamlNode& parent, std::string_view key,
                                       std::span<const std::string_view> choices) const;

  [[noreturn]] void fail(const YamlNode& node, const std::string& message) const;

 private:
  // `text`, the value of `node` under `key`, when it is one of `choices`; else an error.
  std::string one_of(const YamlNode& node, std::string_view key, const std::string& text,
                     std::span<const std::string_view> choices) const;

  struct Nodes;
  std::string file_;
  std::unique_ptr<Nodes> nodes_;
  const YamlNode* root_ = nullptr;
};

}  // namespace telcomply
