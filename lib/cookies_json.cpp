#include "cookies_json.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace telcomply {

namespace {

using nlohmann::json;

// Reads a string for nlohmann's SAX parser while telling how far the parser has read, so
// each object's start can be recorded.
struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p = nullptr;
  const char** read = nullptr;  // shared: one past the last character the parser took

  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    ++p;
    *read = p;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& other) const { return p == other.p; }
  bool operator!=(const CountingIterator& other) const { return p != other.p; }
};

// Builds the document like nlohmann's own DOM parser, and records where each object and
// array starts, keyed by its JSON pointer.
class PositionedSax {
 public:
  PositionedSax(json& root, const char* base, const char** read,
                std::unordered_map<std::string, std::size_t>& offsets,
                const PositionedJson::Drop& drop)
      : root_(root), base_(base), read_(read), offsets_(offsets), drop_(drop) {}

  bool null() { return add(nullptr) != nullptr; }
  bool boolean(bool v) { return add(v) != nullptr; }
  bool number_integer(json::number_integer_t v) { return add(v) != nullptr; }
  bool number_unsigned(json::number_unsigned_t v) { return add(v) != nullptr; }
  bool number_float(json::number_float_t v, const json::string_t&) { return add(v) != nullptr; }
  bool string(json::string_t& v) {
    if (drop_ && !stack_.empty() && stack_.back().value->is_object() &&
        drop_(stack_.back().path, key_))
      v.clear();
    return add(std::move(v)) != nullptr;
  }
  bool binary(json::binary_t& v) { return add(json::binary(std::move(v))) != nullptr; }
  bool start_object(std::size_t) { return open(json::object(), true); }
  bool key(json::string_t& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array(), false); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    error_position = position;
    error = ex.what();
    return false;
  }

  std::size_t error_position = 0;
  std::string error;
  bool too_deep = false;

 private:
  static constexpr std::size_t kMaxDepth = 256;

  // Adds a value to the current container; returns it (and its pointer in `path`).
  json* add(json value, std::string* path = nullptr) {
    if (stack_.empty()) {
      root_ = std::move(value);
      if (path) path->clear();
      return &root_;
    }
    Level& top = stack_.back();
    if (top.value->is_array()) {
      if (path) *path = top.path + "/" + std::to_string(top.value->size());
      top.value->push_back(std::move(value));
      return &top.value->back();
    }
    if (path) *path = top.path + "/" + PositionedJson::escape(key_);
    json& slot = (*top.value)[key_];
    slot = std::move(value);
    return &slot;
  }

  bool open(json container, bool record) {
    if (stack_.size() >= kMaxDepth) {
      too_deep = true;
      return false;
    }
    std::string path;
    json* value = add(std::move(container), &path);
    if (record) offsets_[path] = static_cast<std::size_t>(*read_ - base_) - 1;
    stack_.push_back(Level{value, std::move(path)});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  struct Level {
    json* value;
    std::string path;
  };
  json& root_;
  const char* base_;
  const char** read_;
  std::unordered_map<std::string, std::size_t>& offsets_;
  const PositionedJson::Drop& drop_;
  std::vector<Level> stack_;
  std::string key_;
};

std::pair<int, int> line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return {line, static_cast<int>(offset - line_start) + 1};
}

// nlohmann's message without its prefix, its position and any quoted input ("last read").
std::string clean_message(std::string message) {
  if (auto at = message.find("column "); at != std::string::npos) {
    if (auto colon = message.find(": ", at); colon != std::string::npos)
      message = message.substr(colon + 2);
  } else if (auto bracket = message.find("] "); bracket != std::string::npos) {
    message = message.substr(bracket + 2);
  }
  if (auto last = message.find("; last read"); last != std::string::npos) message.resize(last);
  return message;
}

}  // namespace

PositionedJson::PositionedJson(const std::string& name, std::string_view text, const Drop& drop)
    : name_(name) {
  const char* base = text.data();
  const char* read = base;
  std::unordered_map<std::string, std::size_t> offsets;
  PositionedSax sax(root_, base, &read, offsets, drop);
  CountingIterator first{base, &read};
  CountingIterator last{base + text.size(), &read};
  const bool ok = json::sax_parse(first, last, &sax);
  if (!ok) {
    if (sax.too_deep)
      throw_invalid(SourceLocation{name, 0, 0}, "JSON nested too deeply");
    const std::size_t at = sax.error_position > 0 ? sax.error_position - 1 : 0;
    auto [line, column] = line_column(text, at);
    throw_invalid(SourceLocation{name, line, column}, "malformed JSON: " + clean_message(sax.error));
  }
  // Offsets to line and column in one pass over the text.
  std::vector<std::pair<std::size_t, const std::string*>> order;
  order.reserve(offsets.size());
  for (const auto& [path, offset] : offsets) order.emplace_back(offset, &path);
  std::sort(order.begin(), order.end());
  int line = 1;
  std::size_t line_start = 0, i = 0;
  for (const auto& [offset, path] : order) {
    for (; i < offset && i < text.size(); ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    positions_.emplace(*path, std::make_pair(line, static_cast<int>(offset - line_start) + 1));
  }
}

std::string PositionedJson::escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

SourceLocation PositionedJson::where(const std::string& pointer) const {
  auto it = positions_.find(pointer);
  if (it == positions_.end()) return SourceLocation{name_, 0, 0};
  return SourceLocation{name_, it->second.first, it->second.second};
}

}  // namespace telcomply
