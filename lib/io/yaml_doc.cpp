#include "io/yaml_doc.h"

#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/input.h"
#include "core/text.h"

namespace telcomply {

namespace {

constexpr std::uintmax_t kMaxPolicyBytes = 16u << 20;

const char* node_kind(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::map: return "a mapping";
    case YamlNode::Kind::sequence: return "a list";
    case YamlNode::Kind::scalar: return "a scalar";
    case YamlNode::Kind::null: return "empty";
    case YamlNode::Kind::undefined: break;
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

}  // namespace

namespace {

// The 1-based line and column of byte `offset` of `text`, counting characters.
std::pair<int, int> position_of(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

YamlSource read_yaml_source(const std::filesystem::path& path) {
  const FileDescriptor fd = open_regular_file(path, "");
  const auto too_big = [&] {
    throw_invalid("cannot read '" + path.string() + "': larger than 16 MiB, not a policy file");
  };
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && static_cast<std::uintmax_t>(st.st_size) > kMaxPolicyBytes)
    too_big();
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_invalid("cannot read '" + path.string() + "': " + std::strerror(errno));
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxPolicyBytes) too_big();
  }
  return YamlSource{path.string(), std::move(text)};
}

namespace {

const YamlNode kUndefined{};

constexpr std::string_view kNullTag = "tag:yaml.org,2002:null";

// The core schema's null, for a plain scalar without a tag.
bool null_word(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::string at_line_column(int line, int column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

const YamlNode& YamlNode::operator[](std::string_view key) const {
  if (kind_ != Kind::map) return kUndefined;
  for (std::size_t i = 0; i + 1 < children_.size(); i += 2) {
    const YamlNode& k = *children_[i];
    if (k.kind_ == Kind::scalar && k.text_ == key) return *children_[i + 1];
  }
  return kUndefined;
}

const YamlNode& YamlNode::operator[](std::size_t index) const {
  if (kind_ != Kind::sequence || index >= children_.size()) return kUndefined;
  return *children_[index];
}

YamlRange<const YamlNode&> YamlNode::items() const {
  if (kind_ != Kind::sequence) return {nullptr, nullptr};
  return {children_.data(), children_.data() + children_.size()};
}

YamlRange<YamlPair> YamlNode::pairs() const {
  if (kind_ != Kind::map) return {nullptr, nullptr};
  return {children_.data(), children_.data() + children_.size()};
}

struct YamlDoc::Nodes {
  std::deque<YamlNode> all;
};

// Builds the tree of one document from libyaml's events.
class YamlTreeBuilder {
 public:
  YamlTreeBuilder(const std::string& file, std::string_view text, std::deque<YamlNode>& nodes)
      : file_(file), text_(text), nodes_(nodes) {}

  // The root node, or nullptr for a stream without a document.
  const YamlNode* build() {
    Parser parser;
    yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text_.data()),
                                 text_.size());
    int documents = 0;
    for (;;) {
      Event event;
      if (!yaml_parser_parse(&parser.p, &event.e)) parse_error(parser.p);
      const yaml_event_t& e = event.e;
      switch (e.type) {
        case YAML_STREAM_END_EVENT: return root_;
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1)
            fail(e.start_mark, "more than one YAML document; a policy file holds one");
          break;
        case YAML_ALIAS_EVENT: alias(e); break;
        case YAML_SCALAR_EVENT: scalar(e); break;
        case YAML_SEQUENCE_START_EVENT:
          open(e, YamlNode::Kind::sequence, e.data.sequence_start.anchor);
          break;
        case YAML_MAPPING_START_EVENT:
          open(e, YamlNode::Kind::map, e.data.mapping_start.anchor);
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: close(); break;
        default: break;
      }
    }
  }

 private:
  struct Parser {
    yaml_parser_t p;
    Parser() {
      if (!yaml_parser_initialize(&p)) throw_operational("out of memory parsing YAML");
    }
    ~Parser() { yaml_parser_delete(&p); }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
  };
  struct Event {
    yaml_event_t e{};
    ~Event() { yaml_event_delete(&e); }
  };

  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw_invalid(SourceLocation{file_, line, column}, message);
  }
  [[noreturn]] void fail(const yaml_mark_t& mark, const std::string& message) const {
    fail(static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1, message);
  }

  [[noreturn]] void parse_error(const yaml_parser_t& p) const {
    if (p.error == YAML_MEMORY_ERROR) throw_operational("out of memory parsing YAML");
    const std::string problem = p.problem ? p.problem : "cannot parse the YAML";
    if (p.error == YAML_READER_ERROR) {
      const auto [line, column] = position_of(text_, p.problem_offset);
      fail(line, column, problem);
    }
    // libyaml's words for text after the end of the root node, most often a line indented
    // less than the first.
    if (problem == "did not find expected <document start>")
      fail(p.problem_mark, "text after the end of the document (is this line indented less than "
                           "the first?)");
    std::string message = problem;
    // The context ("while parsing a block mapping") and where it began, unless that is where
    // the problem is.
    if (p.context && (p.context_mark.line != p.problem_mark.line ||
                      p.context_mark.column != p.problem_mark.column))
      message += std::string(" (") + p.context + " at " +
                 at_line_column(static_cast<int>(p.context_mark.line) + 1,
                                static_cast<int>(p.context_mark.column) + 1) +
                 ")";
    fail(p.problem_mark, message);
  }

  YamlNode& make(const yaml_event_t& e, YamlNode::Kind kind, const yaml_char_t* tag) {
    YamlNode& node = nodes_.emplace_back();
    node.kind_ = kind;
    node.line_ = static_cast<int>(e.start_mark.line) + 1;
    node.column_ = static_cast<int>(e.start_mark.column) + 1;
    if (tag) node.tag_ = reinterpret_cast<const char*>(tag);
    return node;
  }

  void name(const yaml_char_t* anchor, YamlNode& node) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = &node;
  }

  // Adds a finished node (or an opened collection) to the collection being parsed.
  void add(const YamlNode& node) {
    if (stack_.empty()) root_ = &node;
    else stack_.back()->children_.push_back(&node);
  }

  void scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    const std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
    YamlNode::Style style = YamlNode::Style::plain;
    switch (s.style) {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = YamlNode::Style::single_quoted; break;
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = YamlNode::Style::double_quoted; break;
      case YAML_LITERAL_SCALAR_STYLE: style = YamlNode::Style::literal; break;
      case YAML_FOLDED_SCALAR_STYLE: style = YamlNode::Style::folded; break;
      default: break;
    }
    const bool is_null = s.tag ? reinterpret_cast<const char*>(s.tag) == kNullTag
                               : style == YamlNode::Style::plain && null_word(text);
    YamlNode& node = make(e, is_null ? YamlNode::Kind::null : YamlNode::Kind::scalar, s.tag);
    node.style_ = style;
    if (!is_null) node.text_ = text;
    name(s.anchor, node);
    add(node);
  }

  void alias(const yaml_event_t& e) {
    const std::string anchor = reinterpret_cast<const char*>(e.data.alias.anchor);
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      fail(e.start_mark, "alias " + excerpt("*" + anchor) + " names no anchor defined before it");
    const YamlNode& target = *it->second;
    if (target.open_)
      fail(e.start_mark, "alias " + excerpt("*" + anchor) + " is inside the node it names");
    expanded_ += target.weight_;
    if (expanded_ > YamlDoc::kMaxAliasNodes)
      fail(e.start_mark, "aliases expand to more than " +
                             std::to_string(YamlDoc::kMaxAliasNodes) + " nodes");
    // A copy of the node's head at the place of the alias; the contents are shared.
    YamlNode& node = nodes_.emplace_back(target);
    node.line_ = static_cast<int>(e.start_mark.line) + 1;
    node.column_ = static_cast<int>(e.start_mark.column) + 1;
    add(node);
  }

  void open(const yaml_event_t& e, YamlNode::Kind kind, const yaml_char_t* anchor) {
    if (stack_.size() >= static_cast<std::size_t>(YamlDoc::kMaxDepth))
      fail(e.start_mark, "nested deeper than " + std::to_string(YamlDoc::kMaxDepth) + " levels");
    const yaml_char_t* tag = kind == YamlNode::Kind::map ? e.data.mapping_start.tag
                                                         : e.data.sequence_start.tag;
    YamlNode& node = make(e, kind, tag);
    node.open_ = true;
    name(anchor, node);
    add(node);
    stack_.push_back(&node);
  }

  void close() {
    YamlNode& node = *stack_.back();
    stack_.pop_back();
    if (node.kind_ == YamlNode::Kind::map) finish_map(node);
    node.weight_ = 1;
    for (const YamlNode* child : node.children_) node.weight_ += child->weight_;
    node.open_ = false;
  }

  static bool is_merge_key(const YamlNode& key) {
    return key.kind_ == YamlNode::Kind::scalar && key.style_ == YamlNode::Style::plain &&
           key.tag_.empty() && key.text_ == "<<";
  }

  // Refuses a key written twice and applies `<<` merges.
  void finish_map(YamlNode& map) {
    auto& children = map.children_;
    bool merges = false;
    // Where each scalar key is first written (a hash table only for larger mappings).
    std::unordered_map<std::string_view, const YamlNode*> seen;
    const bool hashed = children.size() > 32;
    auto first_of = [&](const YamlNode& key, std::size_t upto) -> const YamlNode* {
      if (hashed) {
        const auto [it, added] = seen.emplace(key.text_, &key);
        return added ? nullptr : it->second;
      }
      for (std::size_t j = 0; j < upto; j += 2) {
        const YamlNode& other = *children[j];
        if (other.kind_ == YamlNode::Kind::scalar && other.text_ == key.text_) return &other;
      }
      return nullptr;
    };
    for (std::size_t i = 0; i < children.size(); i += 2) {
      const YamlNode& key = *children[i];
      if (key.kind_ != YamlNode::Kind::scalar) continue;
      if (is_merge_key(key)) merges = true;
      if (const YamlNode* first = first_of(key, i))
        fail(key.line_, key.column_,
             "duplicate key " + excerpt(key.text_) + " (first at " +
                 at_line_column(first->line_, first->column_) + ")");
    }
    if (merges) merge(map);
  }

  // Replaces each `<<: mapping` (or `<<: [mappings]`) by the pairs of the mappings whose keys
  // the mapping does not write itself; the first mapping to give a key wins.
  void merge(YamlNode& map) {
    std::vector<const YamlNode*> out;
    std::unordered_set<std::string_view> keys;  // the keys written or merged so far
    for (std::size_t i = 0; i < map.children_.size(); i += 2) {
      const YamlNode& key = *map.children_[i];
      if (key.kind_ == YamlNode::Kind::scalar && !is_merge_key(key)) keys.insert(key.text_);
    }
    for (std::size_t i = 0; i < map.children_.size(); i += 2) {
      const YamlNode& key = *map.children_[i];
      const YamlNode& value = *map.children_[i + 1];
      if (!is_merge_key(key)) {
        out.push_back(&key);
        out.push_back(&value);
        continue;
      }
      std::vector<const YamlNode*> sources;
      if (value.kind_ == YamlNode::Kind::map) sources.push_back(&value);
      else if (value.kind_ == YamlNode::Kind::sequence)
        sources.assign(value.children_.begin(), value.children_.end());
      if (sources.empty())
        fail(value.line_, value.column_, "'<<' merges a mapping or a list of mappings");
      for (const YamlNode* source : sources) {
        if (source->kind_ != YamlNode::Kind::map)
          fail(source->line_, source->column_, "'<<' merges a mapping or a list of mappings");
        for (std::size_t j = 0; j < source->children_.size(); j += 2) {
          const YamlNode& k = *source->children_[j];
          if (k.kind_ == YamlNode::Kind::scalar && !keys.insert(k.text_).second) continue;
          out.push_back(&k);
          out.push_back(source->children_[j + 1]);
        }
      }
    }
    map.children_ = std::move(out);
  }

  const std::string& file_;
  std::string_view text_;
  std::deque<YamlNode>& nodes_;
  const YamlNode* root_ = nullptr;
  std::vector<YamlNode*> stack_;
  std::unordered_map<std::string, const YamlNode*> anchors_;
  std::uint64_t expanded_ = 0;  // nodes that aliases stand for
};

YamlDoc::YamlDoc(const YamlSource& source) : file_(source.name), nodes_(std::make_unique<Nodes>()) {
  if (source.text.find('\0') != std::string::npos)
    throw_invalid(SourceLocation{file_, 0, 0}, "not a YAML text file (contains NUL bytes)");
  if (const auto bad = first_invalid_utf8(source.text)) {
    const auto [line, column] = position_of(source.text, *bad);
    throw_invalid(SourceLocation{file_, line, column}, "invalid UTF-8");
  }
  root_ = YamlTreeBuilder(file_, source.text, nodes_->all).build();
  if (!root_ || root_->is_null()) throw_invalid(SourceLocation{file_, 1, 1}, "empty policy file");
}

YamlDoc::~YamlDoc() = default;
YamlDoc::YamlDoc(YamlDoc&&) noexcept = default;
YamlDoc& YamlDoc::operator=(YamlDoc&&) noexcept = default;

SourceLocation YamlDoc::where(const YamlNode& node) const {
  if (node.line() == 0) return SourceLocation{file_, 0, 0};
  return SourceLocation{file_, node.line(), node.column()};
}

void YamlDoc::fail(const YamlNode& node, const std::string& message) const {
  throw_invalid(where(node), message);
}

void YamlDoc::expect_any_map(const YamlNode& node, std::string_view what) const {
  if (!node.is_map())
    fail(node, std::string(what) + " must be a mapping, not " + node_kind(node));
  // A key written twice is refused while parsing.
  for (const auto& item : node.pairs())
    if (!item.first.is_scalar())
      fail(item.first, std::string("keys of ") + std::string(what) + " must be plain names");
}

void YamlDoc::expect_map(const YamlNode& node, std::string_view what,
                         std::initializer_list<std::string_view> allowed) const {
  expect_map(node, what, std::vector<std::string>(allowed.begin(), allowed.end()));
}

void YamlDoc::expect_map(const YamlNode& node, std::string_view what,
                         const std::vector<std::string>& allowed) const {
  expect_any_map(node, what);
  const auto known = [&](const std::string& key) {
    return std::find(allowed.begin(), allowed.end(), key) != allowed.end();
  };
  // A document whose top level has none of the keys, nor one close to them, is some other
  // file (a password file reads as a mapping of its lines): none of it is repeated.
  if (&node == root_ && node.size() > 0) {
    bool recognised = false;
    for (const auto& item : node.pairs())
      recognised = recognised || known(item.first.text()) ||
                   closest_match(item.first.text(), allowed).has_value();
    if (!recognised)
      fail(node, "not " + std::string(what) + ": it has none of the keys " + quoted_list(allowed));
  }
  for (const auto& item : node.pairs()) {
    const std::string& key = item.first.text();
    if (known(key)) continue;
    std::string message = "unknown key " + excerpt(key) + " in " + std::string(what);
    if (auto hint = closest_match(key, allowed)) message += "; did you mean '" + *hint + "'?";
    else message += " (known: " + quoted_list(allowed) + ")";
    fail(item.first, message);
  }
}

void YamlDoc::expect_sequence(const YamlNode& node, std::string_view what) const {
  if (!node.is_sequence())
    fail(node, std::string(what) + " must be a list, not " + node_kind(node));
}

std::string YamlDoc::scalar(const YamlNode& node, std::string_view what) const {
  if (!node.is_scalar())
    fail(node, std::string(what) + " must be a single value, not " + node_kind(node));
  return node.text();
}

std::optional<std::string> YamlDoc::optional_string(const YamlNode& parent,
                                                    std::string_view key) const {
  const YamlNode& node = parent[key];
  if (!node.defined() || node.is_null()) return std::nullopt;
  return scalar(node, "'" + std::string(key) + "'");
}

std::string YamlDoc::string(const YamlNode& parent, std::string_view key) const {
  auto value = optional_string(parent, key);
  if (!value || value->empty()) fail(parent, "missing required key '" + std::string(key) + "'");
  return *value;
}

bool YamlDoc::boolean(const YamlNode& parent, std::string_view key, bool fallback) const {
  const YamlNode& node = parent[key];
  if (!node.defined() || node.is_null()) return fallback;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  if (text == "true" || text == "yes" || text == "True" || text == "on") return true;
  if (text == "false" || text == "no" || text == "False" || text == "off") return false;
  fail(node, "'" + std::string(key) + "' must be true or false, not " + excerpt(text));
}

std::optional<long long> YamlDoc::optional_integer(const YamlNode& parent,
                                                   std::string_view key) const {
  const YamlNode& node = parent[key];
  if (!node.defined() || node.is_null()) return std::nullopt;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  long long value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    fail(node, "'" + std::string(key) + "' must be a whole number, not " + excerpt(text));
  return value;
}

std::optional<Duration> YamlDoc::optional_duration(const YamlNode& parent,
                                                   std::string_view key) const {
  const YamlNode& node = parent[key];
  if (!node.defined() || node.is_null()) return std::nullopt;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  auto duration = parse_duration(text);
  if (!duration)
    fail(node, "'" + std::string(key) + "': " + excerpt(text) +
                   " is not a duration (e.g. Session, 30 days, 6 months, 2 years, 2 jaar)");
  return duration;
}

Duration YamlDoc::duration(const YamlNode& parent, std::string_view key) const {
  auto value = optional_duration(parent, key);
  if (!value) fail(parent, "missing required key '" + std::string(key) + "'");
  return *value;
}

std::optional<Date> YamlDoc::optional_date(const YamlNode& parent, std::string_view key) const {
  const YamlNode& node = parent[key];
  if (!node.defined() || node.is_null()) return std::nullopt;
  const std::string text = scalar(node, "'" + std::string(key) + "'");
  auto date = text.size() == 10 ? parse_date(text) : std::nullopt;
  if (!date)
    fail(node,
         "'" + std::string(key) + "': " + excerpt(text) + " is not a valid date (YYYY-MM-DD)");
  return date;
}

std::vector<std::string> YamlDoc::string_list(const YamlNode& parent,
                                              std::string_view key) const {
  const YamlNode& node = parent[key];
  std::vector<std::string> out;
  if (!node.defined() || node.is_null()) return out;
  if (node.is_scalar()) {
    out.push_back(node.text());
    return out;
  }
  expect_sequence(node, "'" + std::string(key) + "'");
  for (const auto& item : node.items())
    out.push_back(scalar(item, "an item of '" + std::string(key) + "'"));
  return out;
}

std::string YamlDoc::choice(const YamlNode& parent, std::string_view key,
                            std::initializer_list<std::string_view> choices,
                            std::optional<std::string_view> fallback) const {
  return choice(parent, key, std::span(choices.begin(), choices.size()), fallback);
}

std::string YamlDoc::choice(const YamlNode& parent, std::string_view key,
                            std::span<const std::string_view> choices,
                            std::optional<std::string_view> fallback) const {
  const YamlNode& node = parent[key];
  if (!node.defined() || node.is_null()) {
    if (fallback) return std::string(*fallback);
    fail(parent, "missing required key '" + std::string(key) + "'");
  }
  return one_of(node, key, scalar(node, "'" + std::string(key) + "'"), choices);
}

std::vector<std::string> YamlDoc::choice_list(const YamlNode& parent, std::string_view key,
                                              std::span<const std::string_view> choices) const {
  std::vector<std::string> out = string_list(parent, key);
  const YamlNode& node = parent[key];
  for (std::size_t i = 0; i < out.size(); ++i)
    one_of(node.is_scalar() ? node : node[i], key, out[i], choices);
  return out;
}

std::string YamlDoc::one_of(const YamlNode& node, std::string_view key, const std::string& text,
                            std::span<const std::string_view> choices) const {
  std::vector<std::string> options(choices.begin(), choices.end());
  if (std::find(options.begin(), options.end(), text) != options.end()) return text;
  std::string message = "'" + std::string(key) + "' must be one of " + quoted_list(options) +
                        ", not " + excerpt(text);
  if (auto hint = closest_match(text, options)) message += "; did you mean '" + *hint + "'?";
  fail(node, message);
}

}  // namespace telcomply
