// Writing an access package as it streams from the database: the JSON and the HTML form,
// behind one interface, into a sink that hashes what it writes. Only the small parts (the
// header, the art. 15 information) are ever held whole; records pass through one at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "export/export.h"
#include "policy/policy.h"

namespace telcomply {

// Buffers output in chunks, hashes every byte with SHA-256 and writes it to `out`.
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
  // Hashes and writes the buffer; throws Error(operational) when the stream fails.
  void flush();
  // Flushes everything, including `out`, and returns the SHA-256 (hex) of all bytes written.
  std::string finish();
  std::int64_t bytes() const { return bytes_; }

 private:
  static constexpr std::size_t kChunk = 1 << 16;
  struct Digest;
  std::ostream& out_;
  std::unique_ptr<Digest> digest_;
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
  std::string key_column;
  std::vector<std::string> columns;
  std::vector<bool> masked;  // per column: another party's data, masked
  std::int64_t count = 0;
};

struct PackageHead {
  std::string generated_at;
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

std::unique_ptr<PackageWriter> make_package_writer(ExportFormat format, PackageSink& sink);

// Appends `text` as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace telcomply
