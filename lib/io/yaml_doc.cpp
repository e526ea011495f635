#include "io/yaml_doc.h"

#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <tuple>
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

namespace {

// The characters YAML allows in a stream (YAML 1.2, c-printable), besides valid UTF-8: tab,
// line feed, carriage return, printable ASCII, NEL and everything from U+00A0 except the
// surrogates and U+FFFE and U+FFFF. The offset of the first other one, if any; `text` is
// valid UTF-8.
std::optional<std::size_t> first_control_character(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t c = bytes[i];
    if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c == 0x7f) return i;
    // U+0080 to U+009F but NEL (U+0085); U+FFFE and U+FFFF.
    if (c == 0xc2 && i + 1 < text.size() && bytes[i + 1] <= 0x9f && bytes[i + 1] != 0x85) return i;
    if (c == 0xef && i + 2 < text.size() && bytes[i + 1] == 0xbf && bytes[i + 2] >= 0xbe) return i;
  }
  return std::nullopt;
}

bool blank_at(std::string_view text, std::size_t i) {
  return i >= text.size() || text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
         text[i] == '\n';
}

bool flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// The offset just after the quoted scalar that opens at `open` (a ' or a "), or npos when the
// text ends before its closing quote.
std::size_t quoted_end(std::string_view text, std::size_t open) {
  const char quote = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'')
        ++i;
      else
        return i + 1;
    }
  }
  return std::string_view::npos;
}

// What yaml-cpp needs checked or changed in a text before it reads it.
struct FlowScan {
  // The first '[' or '{' that opens a flow collection inside `limit` others. yaml-cpp reads a
  // flow collection to its end before it reports the collection's first event, keeping every
  // token of it meanwhile, so the nesting limit checked on its events comes too late for
  // 16 MiB of '[' (a minute and 4 GB).
  std::optional<std::size_t> too_deep;
  // Every '?' inside a plain scalar of a flow collection (`{url: https://x.nl/?a=b}`): yaml-cpp
  // 0.7 ends the scalar there, YAML does not.
  std::vector<std::size_t> question_marks;
};

// Follows just enough of YAML to tell the flow collections and their plain scalars from
// comments, quoted and block scalars and the plain scalars of block context; the parser still
// reads and checks everything.
FlowScan scan_flow(std::string_view text, int limit) {
  FlowScan out;
  const std::size_t n = text.size();
  const auto line_end = [&](std::size_t i) { return std::min(text.find('\n', i), n); };
  const auto comment = [&](std::size_t i) {
    return text[i] == '#' && (i == 0 || blank_at(text, i - 1));
  };
  // A flow collection from its opening bracket at `i`, over as many lines as it takes; the
  // offset after it.
  const auto flow = [&](std::size_t i) {
    int depth = 0;
    bool node = true;  // a node may start here
    while (i < n) {
      const char c = text[i];
      if (blank_at(text, i)) {
        ++i;
      } else if (comment(i)) {
        i = line_end(i);
      } else if (c == '[' || c == '{') {
        if (++depth > limit) {
          out.too_deep = i;
          return n;
        }
        node = true;
        ++i;
      } else if (c == ']' || c == '}') {
        ++i;
        if (--depth == 0) break;
        node = false;
      } else if (c == ',' || (c == ':' && (blank_at(text, i + 1) || flow_indicator(text[i + 1])))) {
        node = true;
        ++i;
      } else if (node && c == '?') {  // the key indicator
        ++i;
      } else if (node && (c == '\'' || c == '"')) {
        i = quoted_end(text, i);
        node = false;
      } else if (node && (c == '&' || c == '!' || c == '*')) {
        while (!blank_at(text, i) && !flow_indicator(text[i])) ++i;
      } else {
        if (c == '?') out.question_marks.push_back(i);
        node = false;
        ++i;
      }
    }
    return i;
  };
  std::size_t i = 0;
  while (i < n) {  // a line in block context
    const std::size_t line = i;
    while (i < n && text[i] == ' ') ++i;
    const std::size_t indent = i - line;
    if (indent == 0 && (text.substr(i, 3) == "---" || text.substr(i, 3) == "...") &&
        blank_at(text, i + 3))
      i += 3;
    bool node = true;  // a node may start here
    while (i < n && text[i] != '\n') {
      const char c = text[i];
      if (blank_at(text, i)) {
        ++i;
      } else if (comment(i)) {
        i = line_end(i);
      } else if (!node) {
        node = c == ':' && blank_at(text, i + 1);
        ++i;
      } else if ((c == '-' || c == '?' || c == ':') && blank_at(text, i + 1)) {
        ++i;
      } else if (c == '&' || c == '!') {
        while (!blank_at(text, i)) ++i;
      } else if (c == '\'' || c == '"') {
        i = quoted_end(text, i);
        node = false;
      } else if (c == '|' || c == '>') {
        // A block scalar: the lines after it that are indented more than this one, or blank.
        i = line_end(i);
        while (i < n) {
          std::size_t k = i + 1;
          while (k < n && text[k] == ' ') ++k;
          if (!blank_at(text, k) && k - (i + 1) <= indent) break;
          i = line_end(k);
        }
      } else if (c == '[' || c == '{') {
        i = flow(i);
        node = false;
      } else {
        node = false;
        ++i;
      }
    }
    if (i < n) ++i;
  }
  return out;
}

// What stands for a '?' yaml-cpp would stop at: a byte it reads as text and a policy file
// never holds (a control character).
constexpr char kQuestionMark = '\x7f';

}  // namespace

struct YamlDoc::Nodes {
  std::deque<YamlNode> all;
};

// Builds the tree of one document from yaml-cpp's events.
class YamlTreeBuilder final : public YAML::EventHandler {
 public:
  YamlTreeBuilder(const std::string& file, std::string_view text, std::deque<YamlNode>& nodes)
      : file_(file), text_(text), nodes_(nodes) {
    if (text_.substr(0, 3) == "\xef\xbb\xbf") bom_ = 3;  // not counted in yaml-cpp's marks
  }

  // The root node, or nullptr for a stream without a document.
  const YamlNode* build(const std::vector<std::size_t>& question_marks) {
    std::string text(text_);
    for (const std::size_t at : question_marks) text[at] = kQuestionMark;
    question_marks_ = !question_marks.empty();
    std::istringstream in(std::move(text));
    YAML::Parser parser(in);
    try {
      while (parser.HandleNextDocument(*this)) {
      }
    } catch (const YAML::Exception& e) {
      parse_error(e);
    }
    return root_;
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 1) return;
    const std::size_t at = offset(mark);
    // A document after the first without a '---' is text yaml-cpp found after the end of the
    // root node, most often a line indented less than the first.
    if (text_.substr(at, 3) == "---")
      fail(mark, "more than one YAML document; a policy file holds one");
    fail(mark, "text after the end of the document (is this line indented less than the first?)");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode& node = make(mark, YamlNode::Kind::null, "?");
    if (anchor == YAML::NullAnchor && !written_null(offset(mark))) place_empty(node, mark);
    name(anchor, node);
    add(node);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // yaml-cpp tags a plain scalar without a tag "?" and a quoted or block one "!".
    std::size_t at = 0;
    const YamlNode::Style style = tag == "?" ? YamlNode::Style::plain : style_at(mark, at);
    if (style == YamlNode::Style::single_quoted || style == YamlNode::Style::double_quoted) {
      if (quoted_end(text_, at) == std::string_view::npos) {
        const auto [line, column] = position_of(text_, text_.size());
        const auto [open_line, open_column] = position(mark);
        fail(line, column,
             "the quoted scalar at " + at_line_column(open_line, open_column) +
                 " has no closing quote");
      }
    }
    const bool is_null = tag == kNullTag;
    YamlNode& node = make(mark, is_null ? YamlNode::Kind::null : YamlNode::Kind::scalar,
                          tag == "!" && style != YamlNode::Style::plain ? "?" : tag);
    node.style_ = style;
    if (!is_null) node.text_ = value;
    if (question_marks_) std::replace(node.text_.begin(), node.text_.end(), kQuestionMark, '?');
    name(anchor, node);
    add(node);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const YamlNode* target = anchor < anchors_.size() ? anchors_[anchor].node : nullptr;
    if (!target) unknown_anchor(mark);
    if (target->open_)
      fail(mark, "alias " + excerpt("*" + anchors_[anchor].name) + " is inside the node it names");
    expanded_ += target->weight_;
    if (expanded_ > YamlDoc::kMaxAliasNodes)
      fail(mark,
           "aliases expand to more than " + std::to_string(YamlDoc::kMaxAliasNodes) + " nodes");
    // A copy of the node's head at the place of the alias; the contents are shared.
    YamlNode& node = nodes_.emplace_back(*target);
    std::tie(node.line_, node.column_) = position(mark);
    add(node);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, YamlNode::Kind::sequence, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, YamlNode::Kind::map, tag, anchor);
  }
  void OnMapEnd() override { close(); }
  void OnAnchor(const YAML::Mark&, const std::string& anchor_name) override {
    anchor_name_ = anchor_name;
  }

 private:
  struct Anchor {
    const YamlNode* node = nullptr;
    std::string name;
  };

  // The byte offset in the text of a mark.
  std::size_t offset(const YAML::Mark& mark) const {
    return std::min(bom_ + static_cast<std::size_t>(mark.pos), text_.size());
  }
  // The 1-based line and column of a mark; yaml-cpp counts bytes, an editor characters. Marks
  // come mostly in order, so the count goes on from the last one when it is on the same line.
  std::pair<int, int> position(const YAML::Mark& mark) const {
    if (mark.is_null()) return position_of(text_, text_.size());
    const std::size_t end = offset(mark);
    const std::size_t start = end - std::min(static_cast<std::size_t>(mark.column), end);
    if (start != counted_.line_start || end < counted_.offset) counted_ = {start, start, 1};
    for (; counted_.offset < end; ++counted_.offset)
      if ((static_cast<unsigned char>(text_[counted_.offset]) & 0xc0) != 0x80) ++counted_.column;
    return {mark.line + 1, counted_.column};
  }

  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw_invalid(SourceLocation{file_, line, column}, message);
  }
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    const auto [line, column] = position(mark);
    fail(line, column, message);
  }

  [[noreturn]] void parse_error(const YAML::Exception& e) const {
    if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) unknown_anchor(e.mark);
    fail(e.mark, e.msg);
  }

  // yaml-cpp refuses an alias to an anchor not defined before it; the message names it.
  [[noreturn]] void unknown_anchor(const YAML::Mark& mark) const {
    std::size_t end = offset(mark) + 1;
    while (!blank_at(text_, end) && !flow_indicator(text_[end])) ++end;
    const std::string_view alias = text_.substr(offset(mark), end - offset(mark));
    fail(mark, "alias " + excerpt(alias) + " names no anchor defined before it");
  }

  // How the scalar at `mark` is written, past its tag and anchor; `at` is where it starts.
  YamlNode::Style style_at(const YAML::Mark& mark, std::size_t& at) const {
    at = offset(mark);
    while (at < text_.size() && (text_[at] == '!' || text_[at] == '&')) {
      while (!blank_at(text_, at)) ++at;
      while (at < text_.size() && (blank_at(text_, at) || text_[at] == '#')) {
        if (text_[at] == '#')
          at = std::min(text_.find('\n', at), text_.size());
        else
          ++at;
      }
    }
    if (at >= text_.size()) return YamlNode::Style::plain;
    switch (text_[at]) {
      case '\'':
        return YamlNode::Style::single_quoted;
      case '"':
        return YamlNode::Style::double_quoted;
      case '|':
        return YamlNode::Style::literal;
      case '>':
        return YamlNode::Style::folded;
      default:
        return YamlNode::Style::plain;
    }
  }

  // Whether the text at `at` is a null written out (~, null, Null, NULL) rather than nothing.
  bool written_null(std::size_t at) const {
    std::size_t end = at;
    while (!blank_at(text_, end) && !flow_indicator(text_[end]) && text_[end] != ':') ++end;
    return end > at && null_word(text_.substr(at, end - at));
  }

  // yaml-cpp places an empty value where the next token starts, often on a later line, or at
  // the start of the last line; it belongs right after the ':' or '-' before it (and before any
  // comments), as libyaml and an editor show it.
  void place_empty(YamlNode& node, const YAML::Mark& mark) const {
    std::size_t at = offset(mark);
    const bool at_end = at == text_.size();
    bool line_break = false;
    for (;;) {
      while (at > 0 && blank_at(text_, at - 1)) line_break |= text_[--at] == '\n';
      if (!line_break || at == 0) break;
      // The comment that ends the line before, if any.
      const std::size_t line = text_.rfind('\n', at - 1) + 1;  // 0 for the first line
      std::size_t hash = line;
      while (hash < at && (text_[hash] != '#' || (hash > line && !blank_at(text_, hash - 1))))
        ++hash;
      if (hash == at) break;
      at = hash;
    }
    if ((!line_break && !at_end) || at == 0 || (text_[at - 1] != ':' && text_[at - 1] != '-'))
      return;
    // As many lines before the mark as there are line breaks between them.
    const std::string_view between = text_.substr(at, offset(mark) - at);
    YAML::Mark place;
    place.pos = mark.pos - static_cast<int>(between.size());
    place.line = mark.line - static_cast<int>(std::count(between.begin(), between.end(), '\n'));
    place.column = static_cast<int>(at - std::max(text_.rfind('\n', at - 1) + 1, bom_));
    std::tie(node.line_, node.column_) = position(place);
  }

  YamlNode& make(const YAML::Mark& mark, YamlNode::Kind kind, const std::string& tag) {
    YamlNode& node = nodes_.emplace_back();
    node.kind_ = kind;
    std::tie(node.line_, node.column_) = position(mark);
    if (tag != "?") node.tag_ = tag;
    return node;
  }

  void name(YAML::anchor_t anchor, const YamlNode& node) {
    if (anchor == YAML::NullAnchor) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = Anchor{&node, std::move(anchor_name_)};
  }

  // Adds a finished node (or an opened collection) to the collection being parsed.
  void add(const YamlNode& node) {
    if (stack_.empty()) root_ = &node;
    else stack_.back()->children_.push_back(&node);
  }

  void open(const YAML::Mark& mark, YamlNode::Kind kind, const std::string& tag,
            YAML::anchor_t anchor) {
    if (stack_.size() >= static_cast<std::size_t>(YamlDoc::kMaxDepth))
      fail(mark, "nested deeper than " + std::to_string(YamlDoc::kMaxDepth) + " levels");
    YamlNode& node = make(mark, kind, tag);
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
  std::size_t bom_ = 0;  // the bytes of a byte order mark
  std::deque<YamlNode>& nodes_;
  const YamlNode* root_ = nullptr;
  int documents_ = 0;
  bool question_marks_ = false;  // some stand in as kQuestionMark
  std::vector<YamlNode*> stack_;
  std::vector<Anchor> anchors_;  // by yaml-cpp's number
  std::string anchor_name_;      // of the node whose event comes next
  // Where position() counted to: a line's first byte, an offset on it and its column.
  struct Counted {
    std::size_t line_start = 0;
    std::size_t offset = 0;
    int column = 1;
  };
  mutable Counted counted_;
  std::uint64_t expanded_ = 0;  // nodes that aliases stand for
};

YamlDoc::YamlDoc(const YamlSource& source) : file_(source.name), nodes_(std::make_unique<Nodes>()) {
  if (source.text.find('\0') != std::string::npos)
    throw_invalid(SourceLocation{file_, 0, 0}, "not a YAML text file (contains NUL bytes)");
  const auto refuse = [&](std::size_t offset, const std::string& message) {
    const auto [line, column] = position_of(source.text, offset);
    throw_invalid(SourceLocation{file_, line, column}, message);
  };
  if (const auto bad = first_invalid_utf8(source.text)) refuse(*bad, "invalid UTF-8");
  if (const auto bad = first_control_character(source.text))
    refuse(*bad, "control characters are not allowed");
  const FlowScan flow = scan_flow(source.text, kMaxDepth);
  if (flow.too_deep)
    refuse(*flow.too_deep, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  root_ = YamlTreeBuilder(file_, source.text, nodes_->all).build(flow.question_marks);
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
