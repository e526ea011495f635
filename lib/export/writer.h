// Writing an access package as it streams from the database: the JSON and the HTML form,
// behind one interface, into a sink that hashes what it writes. Only the small parts (the
// header, the art. 15 information) are ever held whole; records pass through one at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"
#include "core/timezone.h"
#include "export/export.h"
#include "policy/policy.h"

namespace telcomply {

// Buffers output in chunks, hashes every byte with SHA-256 and writes it to `out`. The chunks
// are hashed and written on a thread of the sink's own while the next one fills (SHA-256 and
// the copy into the page cache cost about as much as reading the records), one chunk at a
// time: `out` is the sink's alone until finish() returns or the sink is destroyed.
class PackageSink {
 public:
  explicit PackageSink(std::ostream& out);
  ~PackageSink();
  PackageSink(const PackageSink&) = delete;
  PackageSink& operator=(const PackageSink&) = delete;

  void write(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kChunk) flush();
  }
  void put(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kChunk) flush();
  }
  // Hands the buffer over to be hashed and written, once the chunk before is; throws
  // Error(operational) when writing an earlier chunk failed.
  void flush();
  // Flushes everything, including `out`, and returns the SHA-256 (hex) of all bytes written.
  std::string finish();
  // The bytes written, once finish() has returned.
  std::int64_t bytes() const { return bytes_; }

 private:
  static constexpr std::size_t kChunk = 1 << 18;
  struct Worker;
  std::ostream& out_;
  std::unique_ptr<Worker> worker_;
  std::string buffer_;
  std::int64_t bytes_ = 0;
};

// One value of a record, already masked or converted for the package.
struct FieldValue {
  // json: `text` is a JSON value written as it is (an exact decimal, true or false, a
  // server's JSON document or array).
  enum class Type { null, integer, real, text, json } type = Type::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;
};

// An exported category and how many records it holds.
struct PackageCategory {
  const Category* category = nullptr;
  std::int64_t count = 0;
  std::vector<std::string> purposes;  // the category's purposes as people read them
};

// The records of one table within a category: the key column, then `columns`.
struct PackageTable {
  std::string name;
  const Table* entry = nullptr;  // the data map's table (its label); may be null
  std::string key_column;
  std::vector<std::string> columns;
  std::vector<const Column*> entries;  // per column: the data map's column (label, display)
  std::vector<bool> masked;  // per column: another party's data, masked
  std::int64_t count = 0;
};

struct PackageHead {
  std::string generated_at;
  // The art. 15 information (export_information): the HTML form shows it around the records.
  nlohmann::ordered_json information;
  nlohmann::ordered_json controller;
  nlohmann::ordered_json subject;
  std::vector<PackageCategory> categories;
};

// Receives the package in order: begin, then per category begin_category, per table
// begin_table, record..., end_table, then end_category, and finally end.
class PackageWriter {
 public:
  virtual ~PackageWriter() = default;
  virtual void begin(const PackageHead& head) = 0;
  virtual void begin_category(const PackageCategory& category) = 0;
  virtual void begin_table(const PackageTable& table) = 0;
  virtual void record(const FieldValue& key, std::span<const FieldValue> fields) = 0;
  virtual void end_table() = 0;
  virtual void end_category() = 0;
  virtual void end(const nlohmann::ordered_json& information) = 0;
};

// How a package speaks to its reader: the language of its phrases and labels, the time zone
// of the moments the HTML form shows, and the operator's template folder (render/render.h).
struct PackageView {
  Language language = Language::en;
  TimeZone zone;
  std::filesystem::path templates;
  const DataMap* map = nullptr;  // for the labels of the columns retention counts from
};

// JSON: raw values under the columns' names, and per category the columns' labels in the
// view's language. HTML: export.html.mustache inside the page shell; the records stream
// into the template's {{{records}}} of each category, with labels and formatted values.
// Throws Error(invalid) when an operator's export.html.mustache does not show {{{records}}}
// once in each category.
std::unique_ptr<PackageWriter> make_package_writer(ExportFormat format, PackageSink& sink,
                                                   const PackageView& view = {});

// A value as the HTML form shows it: formatted by the column's `display` (an amount, a
// duration, yes/no, an enumeration's meaning, a date or a moment in the view's zone) and
// ISO 8601 moments of a column without one as dates and moments too; anything that does
// not fit its display as it is stored. Empty for null.
std::string display_value(const FieldValue& value, const Display& display, const PackageView& view);

// Appends `text` as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace telcomply
