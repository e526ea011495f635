// What telcomply reads: regular files only, and text in UTF-8.
//
// A FIFO or a device named where a file is expected must never hang a command or trigger a
// device's side effect: such paths are refused from their metadata, before anything opens
// them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace telcomply {

// Refuses (Exit::invalid) what `path` names unless it is a regular file (following
// symbolic links), without opening it: "cannot open <what> '<path>': no such file", "...: is
// a directory", "...: not a regular file (a FIFO)". `what` names the kind of file ("database");
// empty leaves it out.
void require_regular_file(const std::filesystem::path& path, std::string_view what);

// An open file descriptor, closed when its owner goes.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// Opens a regular file for reading: checked as by require_regular_file, then opened with
// O_NONBLOCK (so that a FIFO put in its place meanwhile cannot block) and checked again on the
// open descriptor. Throws Error(invalid) as require_regular_file does, or naming the cause
// when it cannot be opened (permission denied).
FileDescriptor open_regular_file(const std::filesystem::path& path, std::string_view what);

// The offset of the first byte of `text` that is not part of valid UTF-8 (no overlong forms,
// no surrogates, nothing above U+10FFFF), if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace telcomply
