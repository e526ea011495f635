// JSON inventories read with the position of what they hold, so that findings can point at
// the line and column of a cookie in a HAR or inspection.json file.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/error.h"

namespace telcomply {

// JSON text handed to nlohmann's SAX parser one byte at a time, from memory or in chunks
// from a reader, counting lines as it goes so that a SAX handler can ask where the parser
// is. A UTF-8 byte order mark at the start is skipped: lines and columns count from after
// it, columns in bytes, both from 1.
class JsonInput {
 public:
  // Fills `buffer` with up to `size` bytes and returns how many; 0 at the end of the input.
  // May throw, and the parse ends with that exception.
  using Read = std::function<std::size_t(char* buffer, std::size_t size)>;

  explicit JsonInput(std::string_view text);
  explicit JsonInput(Read read, std::size_t chunk_size = std::size_t{1} << 16);
  JsonInput(const JsonInput&) = delete;
  JsonInput& operator=(const JsonInput&) = delete;

  // True when the first byte other than white space is '{' or '[': the text may be JSON.
  // Reads ahead as far as needed without taking anything from the parser.
  bool looks_like_json();
  // Reads the rest of the input and drops it (so that the reader sees all of it).
  void read_to_end();

  // The line and column of the byte the parser took last: when a handler hears of an
  // object, its '{'.
  std::pair<int, int> last() const { return at(taken() - 1); }
  // The line and column of byte `offset`, at most two bytes before the next byte the parser
  // will take (as nlohmann reports the place of an error), or the end of the text.
  std::pair<int, int> at(std::uint64_t offset) const;

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    iterator() = default;
    explicit iterator(JsonInput* input) : input_(input) {}
    reference operator*() const { return *input_->next_; }
    iterator& operator++() {
      input_->advance();
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      input_->advance();
      return old;
    }
    bool operator==(const iterator& other) const { return done() == other.done(); }
    bool operator!=(const iterator& other) const { return done() != other.done(); }

   private:
    bool done() const { return !input_ || input_->done(); }
    JsonInput* input_ = nullptr;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

 private:
  void advance() {
    if (*next_ == '\n') {
      prev_line_start_ = line_start_;
      line_start_ = taken() + 1;
      ++line_;
    }
    ++next_;
  }
  bool done() { return next_ == end_ && !refill(); }
  bool refill();     // the next chunk in place of the consumed one; false at the end
  bool read_more();  // the next chunk after what is not consumed yet; false at the end
  void skip_bom();
  std::uint64_t taken() const { return consumed_ + static_cast<std::uint64_t>(next_ - begin_); }

  Read read_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  const char* begin_ = nullptr;  // the byte at offset `consumed_`
  const char* next_ = nullptr;   // the next byte the parser takes
  const char* end_ = nullptr;
  std::uint64_t consumed_ = 0;
  int line_ = 1;
  std::uint64_t line_start_ = 0, prev_line_start_ = 0;  // offsets of this line and the last
};

// The parts of a SAX handler every JSON inventory reader shares: it keeps nlohmann's error,
// and a handler refuses to nest deeper than kMaxDepth (returning false from start_object or
// start_array with `too_deep` set).
struct JsonSaxErrors {
  static constexpr std::size_t kMaxDepth = 256;

  bool binary(nlohmann::json::binary_t&) { return true; }  // never in JSON text
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    error_position = position;
    error = ex.what();
    return false;
  }

  std::size_t error_position = 0;
  std::string error;
  bool too_deep = false;
};

// Throws the error a failed parse of `input` by `sax` ended with: Error(invalid) with
// name:line:column and nlohmann's message, which never quotes the input (it may hold
// cookie values).
[[noreturn]] void throw_json_error(const std::string& name, const JsonInput& input,
                                   const JsonSaxErrors& sax);

// Runs nlohmann's SAX parser over all of `input` with `sax` (a JsonSaxErrors); malformed or
// too deeply nested JSON throws Error(invalid).
template <class Sax>
void parse_json(const std::string& name, JsonInput& input, Sax& sax) {
  if (!nlohmann::json::sax_parse(input.begin(), input.end(), &sax))
    throw_json_error(name, input, sax);
}

// A whole JSON document in memory, for the smaller inventories (EDPS, Playwright, scan),
// with the position of every object.
class PositionedJson {
 public:
  // Which string values to leave out while parsing: given the JSON pointer of the object
  // that holds the value and its key, true drops it (kept as ""). Cookie values are never
  // needed.
  using Drop = std::function<bool(std::string_view parent, std::string_view key)>;

  // Parses `text`; malformed JSON throws Error(invalid) with name:line:column (the message
  // never quotes the input, which may hold cookie values).
  PositionedJson(const std::string& name, std::string_view text, const Drop& drop = {});

  const nlohmann::json& root() const { return root_; }
  const std::string& name() const { return name_; }
  // Where the object at `pointer` (a JSON pointer such as "/log/entries/3") starts; the
  // file alone when unknown (arrays are not recorded).
  SourceLocation where(const std::string& pointer) const;
  // `key` escaped for use in a JSON pointer ('~' and '/').
  static std::string escape(const std::string& key);

 private:
  std::string name_;
  nlohmann::json root_;
  std::unordered_map<std::string, std::pair<int, int>> positions_;
};

}  // namespace telcomply
