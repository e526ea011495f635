#include "export/spool.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/error.h"
#include "io/output_file.h"

namespace telcomply {

namespace {

// A value is a tag byte, then: nothing (null), a zigzag varint (integer), the 8 bytes of the
// double (real), or a varint length and the bytes (text).
enum Tag : char { kNull = 0, kInteger = 1, kReal = 2, kText = 3, kJson = 4 };

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

std::uint64_t get_varint(const std::string& data, std::size_t& at) {
  std::uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(data[at++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return value;
  }
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

SpoolStore::SpoolStore(std::size_t memory_limit, std::filesystem::path dir)
    : limit_(memory_limit), dir_(std::move(dir)) {}

SpoolStore::~SpoolStore() {
  if (fd_ >= 0) ::close(fd_);
}

bool SpoolStore::reserve(std::size_t size) {
  if (size > limit_ - std::min(limit_, memory_)) return false;
  memory_ += size;
  return true;
}

std::int64_t SpoolStore::append(const std::string& data) {
  if (fd_ < 0) fd_ = anonymous_temporary_file(dir_);
  const std::int64_t offset = file_size_;
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::pwrite(fd_, data.data() + written, data.size() - written,
                               static_cast<off_t>(offset + static_cast<std::int64_t>(written)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw_operational("cannot write a temporary file: " +
                        (n < 0 ? errno_text() : std::string("disk full")));
    written += static_cast<std::size_t>(n);
  }
  file_size_ += static_cast<std::int64_t>(data.size());
  return offset;
}

void SpoolStore::read(std::int64_t offset, std::size_t size, std::string& into) const {
  into.resize(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd_, into.data() + done, size - done,
                              static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw_operational("cannot read a temporary file: " +
                        (n < 0 ? errno_text() : std::string("it is shorter than written")));
    done += static_cast<std::size_t>(n);
  }
}

RecordSpool::~RecordSpool() { clear(); }

void RecordSpool::encode(const FieldValue& value) {
  switch (value.type) {
    case FieldValue::Type::null:
      current_ += kNull;
      break;
    case FieldValue::Type::integer: {
      current_ += kInteger;
      const auto u = static_cast<std::uint64_t>(value.integer);
      put_varint(current_, (u << 1) ^ (value.integer < 0 ? ~std::uint64_t{0} : 0));
      break;
    }
    case FieldValue::Type::real: {
      current_ += kReal;
      char bytes[sizeof(double)];
      std::memcpy(bytes, &value.real, sizeof bytes);
      current_.append(bytes, sizeof bytes);
      break;
    }
    case FieldValue::Type::text:
    case FieldValue::Type::json:
      current_ += value.type == FieldValue::Type::text ? kText : kJson;
      put_varint(current_, value.text.size());
      current_.append(value.text);
      break;
  }
}

std::size_t RecordSpool::decode(const std::string& data, std::size_t at, FieldValue& value) {
  value = FieldValue{};
  switch (data[at++]) {
    case kInteger: {
      const std::uint64_t u = get_varint(data, at);
      value.type = FieldValue::Type::integer;
      value.integer = static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
      break;
    }
    case kReal:
      value.type = FieldValue::Type::real;
      std::memcpy(&value.real, data.data() + at, sizeof(double));
      at += sizeof(double);
      break;
    case kText:
    case kJson: {
      value.type = data[at - 1] == kText ? FieldValue::Type::text : FieldValue::Type::json;
      const auto size = static_cast<std::size_t>(get_varint(data, at));
      value.text = std::string_view(data).substr(at, size);
      at += size;
      break;
    }
    default:  // kNull
      break;
  }
  return at;
}

void RecordSpool::add(const FieldValue& key, std::span<const FieldValue> fields) {
  encode(key);
  for (const FieldValue& field : fields) encode(field);
  ++count_;
  // Chunks hold whole records: one larger than a chunk makes a chunk of its own.
  if (current_.size() >= kChunk) seal();
}

void RecordSpool::seal() {
  if (current_.empty()) return;
  Chunk chunk;
  chunk.size = current_.size();
  if (store_.reserve(chunk.size)) {
    chunk.data = std::move(current_);
    current_ = std::string();
    // What is held is what is counted, not the capacity the string grew to.
    if (chunk.data.capacity() > chunk.size + chunk.size / 8) chunk.data.shrink_to_fit();
  } else {
    chunk.offset = store_.append(current_);
    current_.clear();
  }
  chunks_.push_back(std::move(chunk));
}

void RecordSpool::clear() {
  for (const Chunk& chunk : chunks_)
    if (chunk.offset < 0) store_.release(chunk.size);
  chunks_.clear();
  current_ = std::string();
  count_ = 0;
}

}  // namespace telcomply
