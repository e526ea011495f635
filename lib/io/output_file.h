// Output that is never half-written: data goes to an unnamed temporary file in the target
// folder (O_TMPFILE), which is flushed, fsynced and linked into place only when complete.
// A process killed at any moment leaves no file behind: the kernel frees an unnamed file.
// Where the filesystem has no O_TMPFILE, a hidden named temporary file is used instead.
#pragma once

#include <filesystem>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace telcomply {

// An output stream buffer over a file descriptor; remembers the first write error.
class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd = -1);
  void reset(int fd);
  int error() const { return error_; }  // errno of the first failed write, or 0

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

 private:
  bool write_all(const char* data, std::size_t size);
  int fd_ = -1;
  int error_ = 0;
  std::vector<char> buffer_;
};

class OutputFile {
 public:
  // `path` "-" or empty writes to standard output. Otherwise the file is created with mode
  // 0600 in the target's folder; an existing target is refused (Exit::invalid) unless
  // `force`. Throws Error(operational) when the folder cannot be written.
  OutputFile(const std::filesystem::path& path, bool force);
  ~OutputFile();  // discards the temporary file unless commit() succeeded
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  // Flushes and fsyncs the file (standard output: flushes it), so that only linking it into
  // place is left for commit(); for a step that must succeed before the file appears or
  // replaces its target (an audit record). Throws Error(operational) on any I/O error, such
  // as a full disk; the target is then unchanged.
  void sync();
  // Flushes and fsyncs unless sync() did, and links the file into place (without replacing a file created
  // meanwhile unless `force`, which replaces atomically). Throws Error(operational) on any
  // I/O error, such as a full disk; the target is then absent or unchanged.
  void commit();

  bool to_stdout() const { return to_stdout_; }
  const std::filesystem::path& path() const { return target_; }

 private:
  void link_into_place();
  std::filesystem::path target_;
  std::filesystem::path dir_;
  std::filesystem::path temp_;  // empty for an unnamed (O_TMPFILE) file
  int fd_ = -1;
  FdStreamBuf buffer_;
  std::ostream file_{&buffer_};
  bool force_ = false;
  bool to_stdout_ = false;
  bool synced_ = false;
  bool committed_ = false;
};

}  // namespace telcomply
