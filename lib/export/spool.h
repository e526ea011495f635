// Records held back for a later category of the package. The export reads every table once;
// a table whose columns belong to several categories is written in the first of them at
// once, and the columns of the others are kept here until their section comes. Spools keep
// their records in memory up to a limit shared by all of them; beyond it, in one temporary
// file that has no name (mode 0600, gone when it is closed or the process ends, even when
// killed), so that nothing is left behind on any path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "export/writer.h"

namespace telcomply {

// The memory and the temporary file the spools of one export share.
class SpoolStore {
 public:
  // Up to `memory_limit` bytes of sealed records stay in memory; the temporary file is
  // created in `dir` (empty: $TMPDIR, else /tmp) when the first chunk does not fit.
  SpoolStore(std::size_t memory_limit, std::filesystem::path dir);
  ~SpoolStore();
  SpoolStore(const SpoolStore&) = delete;
  SpoolStore& operator=(const SpoolStore&) = delete;

  // Bytes held in memory and written to the file so far.
  std::size_t memory() const { return memory_; }
  std::int64_t file_bytes() const { return file_size_; }

 private:
  friend class RecordSpool;
  // Whether `size` more bytes may stay in memory; counts them when so.
  bool reserve(std::size_t size);
  void release(std::size_t size) { memory_ -= size; }
  // Appends `data` to the file (creating it first) and returns its offset.
  std::int64_t append(const std::string& data);
  void read(std::int64_t offset, std::size_t size, std::string& into) const;

  std::size_t limit_;
  std::filesystem::path dir_;
  std::size_t memory_ = 0;
  int fd_ = -1;
  std::int64_t file_size_ = 0;
};

// The records of one table for one category, written once and read back once, in order.
class RecordSpool {
 public:
  explicit RecordSpool(SpoolStore& store) : store_(store) {}
  ~RecordSpool();
  RecordSpool(const RecordSpool&) = delete;
  RecordSpool& operator=(const RecordSpool&) = delete;

  // Every record has the same number of fields. Text values are copied.
  void add(const FieldValue& key, std::span<const FieldValue> fields);
  std::int64_t count() const { return count_; }

  // Reads the records back in the order they were added, then frees the spool. `visit` is
  // called as visit(key, fields); text values stay valid only during the call.
  template <typename Visit>
  void replay(std::size_t field_count, Visit&& visit) {
    seal();
    FieldValue key;
    std::vector<FieldValue> fields(field_count);
    std::string buffer;
    for (Chunk& chunk : chunks_) {
      if (chunk.offset >= 0) store_.read(chunk.offset, chunk.size, buffer);
      const std::string& data = chunk.offset >= 0 ? buffer : chunk.data;
      std::size_t at = 0;
      while (at < data.size()) {
        at = decode(data, at, key);
        for (FieldValue& field : fields) at = decode(data, at, field);
        visit(static_cast<const FieldValue&>(key), std::span<const FieldValue>(fields));
      }
    }
    clear();
  }

 private:
  struct Chunk {
    std::string data;          // the records, while held in memory
    std::int64_t offset = -1;  // else where they are in the store's file
    std::size_t size = 0;
  };
  static constexpr std::size_t kChunk = 256 * 1024;

  void encode(const FieldValue& value);
  static std::size_t decode(const std::string& data, std::size_t at, FieldValue& value);
  // Moves the records added since the last seal into a chunk, in memory or in the file.
  void seal();
  void clear();

  SpoolStore& store_;
  std::vector<Chunk> chunks_;
  std::string current_;
  std::int64_t count_ = 0;
};

}  // namespace telcomply
