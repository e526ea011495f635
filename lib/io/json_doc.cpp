#include "io/json_doc.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

namespace telcomply {

namespace {

using nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// nlohmann's message without its prefix, its position and any quoted input ("last read",
// the digits of a number out of range): the input may be anything, a secret file included.
std::string clean_message(std::string message) {
  if (auto at = message.find("column "); at != std::string::npos) {
    if (auto colon = message.find(": ", at); colon != std::string::npos)
      message = message.substr(colon + 2);
  } else if (auto bracket = message.find("] "); bracket != std::string::npos) {
    message = message.substr(bracket + 2);
  }
  if (auto last = message.find("; last read"); last != std::string::npos) message.resize(last);
  if (message.starts_with("number overflow")) return "number out of range";
  return message;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// JsonInput

JsonInput::JsonInput(std::string_view text)
    : begin_(text.data()), next_(text.data()), end_(text.data() + text.size()) {
  skip_bom();
}

JsonInput::JsonInput(Read read, std::size_t chunk_size)
    : read_(std::move(read)),
      buffer_(std::make_unique<char[]>(std::max<std::size_t>(chunk_size, 16))),
      capacity_(std::max<std::size_t>(chunk_size, 16)) {
  begin_ = next_ = end_ = buffer_.get();
  read_more();
  skip_bom();
}

void JsonInput::skip_bom() {
  auto partial = [&] {
    const auto n = static_cast<std::size_t>(end_ - next_);
    return n < kBom.size() && kBom.starts_with(std::string_view(next_, n));
  };
  while (partial() && read_more()) {
  }
  if (std::string_view(next_, static_cast<std::size_t>(end_ - next_)).starts_with(kBom)) {
    next_ += kBom.size();
    begin_ = next_;  // offsets count from after the mark
  }
}

bool JsonInput::refill() {
  if (!read_) return false;
  consumed_ = taken();
  begin_ = next_ = end_ = buffer_.get();
  end_ += read_(buffer_.get(), capacity_);
  return next_ != end_;
}

bool JsonInput::read_more() {
  if (!read_) return false;
  const auto pending = static_cast<std::size_t>(end_ - next_);
  if (next_ != buffer_.get()) {
    consumed_ = taken();
    std::memmove(buffer_.get(), next_, pending);
  } else if (pending == capacity_) {
    auto bigger = std::make_unique<char[]>(capacity_ * 2);
    std::memcpy(bigger.get(), buffer_.get(), pending);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }
  begin_ = next_ = buffer_.get();
  const std::size_t n = read_(buffer_.get() + pending, capacity_ - pending);
  end_ = buffer_.get() + pending + n;
  return n > 0;
}

bool JsonInput::looks_like_json() {
  std::size_t skipped = 0;
  for (;;) {
    const char* p = next_ + skipped;
    while (p != end_ && std::isspace(static_cast<unsigned char>(*p))) ++p;
    if (p != end_) return *p == '{' || *p == '[';
    skipped = static_cast<std::size_t>(p - next_);
    if (!read_more()) return false;
  }
}

void JsonInput::read_to_end() {
  next_ = end_;
  while (refill()) next_ = end_;
}

std::pair<int, int> JsonInput::at(std::uint64_t offset) const {
  // Only the newline just taken can lie between `offset` and the parser (see the header).
  if (offset >= line_start_) return {line_, static_cast<int>(offset - line_start_) + 1};
  return {line_ - 1, static_cast<int>(offset - prev_line_start_) + 1};
}

void throw_json_error(const std::string& name, const JsonInput& input, const JsonSaxErrors& sax) {
  if (sax.too_deep) throw_invalid(SourceLocation{name, 0, 0}, "JSON nested too deeply");
  // nlohmann counts the bytes it took, the end of the input as one more.
  const auto [line, column] = input.at(sax.error_position > 0 ? sax.error_position - 1 : 0);
  throw_invalid(SourceLocation{name, line, column}, "malformed JSON: " + clean_message(sax.error));
}

// ---------------------------------------------------------------------------------------
// PositionedJson

namespace {

// Builds the document like nlohmann's own DOM parser, and records where each object
// starts, keyed by its JSON pointer.
class PositionedSax : public JsonSaxErrors {
 public:
  PositionedSax(json& root, const JsonInput& input,
                std::unordered_map<std::string, std::pair<int, int>>& positions,
                const PositionedJson::Drop& drop)
      : root_(root), input_(input), positions_(positions), drop_(drop) {}

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
  bool start_object(std::size_t) { return open(json::object(), true); }
  bool key(json::string_t& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array(), false); }
  bool end_array() { return close(); }

 private:
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
    if (record) positions_[path] = input_.last();
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
  const JsonInput& input_;
  std::unordered_map<std::string, std::pair<int, int>>& positions_;
  const PositionedJson::Drop& drop_;
  std::vector<Level> stack_;
  std::string key_;
};

}  // namespace

PositionedJson::PositionedJson(const std::string& name, std::string_view text, const Drop& drop)
    : name_(name) {
  JsonInput input(text);
  PositionedSax sax(root_, input, positions_, drop);
  parse_json(name, input, sax);
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
