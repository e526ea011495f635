// Output that is never half-written: data goes to an unnamed temporary file in the target
// folder (O_TMPFILE), which is flushed, fsynced and linked into place only when complete.
// A process killed at any moment leaves no file behind: the kernel frees an unnamed file.
// The unnamed file is linked by its /proc/self/fd name or, without /proc, by linkat's
// AT_EMPTY_PATH where the kernel allows it. Where neither works, or the filesystem has no
// O_TMPFILE, a hidden named file ".NAME.tmp-XXXXXXXX" is used instead; it stays locked
// (flock) while its writer lives, and the next OutputFile in the folder removes every such
// file that no living process holds.
//
// Standard output, character devices and FIFOs cannot be replaced atomically: the output
// waits in an unnamed temporary file (anonymous_temporary_file) until it is complete, and
// only then is written to them, so that an output that fails while it is made (a damaged
// database, a full temporary folder) delivers nothing. What a stream took before it failed
// itself (a reader that went away) has been delivered.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace telcomply {

// An output stream buffer over a file descriptor; remembers the first write error and stops
// writing after it.
class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd = -1);
  // `write_back`: the descriptor is a regular file that will be fsynced; the kernel is asked
  // to start writing what it took every few MiB (sync_file_range), so that the disk works
  // while the output is still being made and the final fsync has little left to wait for.
  void reset(int fd, bool write_back = false);
  int error() const { return error_; }  // errno of the first failed write, or 0
  // The bytes the descriptor took.
  std::int64_t written() const { return written_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override;

 private:
  bool write_all(const char* data, std::size_t size);
  int fd_ = -1;
  int error_ = 0;
  bool write_back_ = false;
  std::int64_t written_ = 0;
  std::int64_t written_back_ = 0;  // where the last write-back request ended
  std::vector<char> buffer_;
};

// Standard output (descriptor 1) as an FdStreamBuf: the CLI puts it under std::cout, so that
// a closed pipe or a full disk is kept with its cause and the writes after it are dropped at
// once. Never destroyed.
FdStreamBuf& standard_output();
// Throws Error(operational) "cannot write to standard output: <cause>" when a write to
// standard_output() failed; does nothing otherwise.
void check_standard_output();

// A temporary file that has no name (mode 0600, read and write), in `dir` (empty: $TMPDIR,
// else /tmp): O_TMPFILE where the file system has it, else a named file unlinked at once.
// Gone when closed or when the process ends, even killed. Throws Error(operational).
int anonymous_temporary_file(const std::filesystem::path& dir = {});

// A file a command reads or appends to, which no output may replace: what it is, for the
// message ("the database"), and its path.
struct ProtectedFile {
  std::string what;
  std::filesystem::path path;
};

class OutputFile {
 public:
  // `path` "-", empty or /dev/stdout writes to standard output. An existing character device
  // or FIFO (/dev/null, a named pipe) is opened and written as a stream, never replaced, with
  // or without `force`. Otherwise the file is created with mode 0600 in the target's folder;
  // an existing target is refused (Exit::invalid) unless `force`. Refused always
  // (Exit::invalid): a directory, a block device or socket, and a target that is one of
  // `inputs` (the same file, or the same path when it does not exist yet). Throws
  // Error(operational) when the folder cannot be written.
  OutputFile(const std::filesystem::path& path, bool force,
             const std::vector<ProtectedFile>& inputs = {});
  ~OutputFile();  // discards the temporary file unless commit() succeeded
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream() { return file_; }
  // Flushes and fsyncs the file, so that only linking it into place is left for commit();
  // a stream gets the complete output now. For a step that must succeed before the file
  // appears or replaces its target, or that records what a stream took (an audit record).
  // Throws Error(operational) on any I/O error, such as a full disk or a closed pipe; a
  // file's target is then unchanged.
  void sync();
  // Flushes and fsyncs unless sync() did, and links the file into place (without replacing
  // a file created meanwhile unless `force`, which replaces atomically). Throws
  // Error(operational) on any I/O error, such as a full disk; a file's target is then absent
  // or unchanged.
  void commit();
  // Throws Error(operational) naming the target and the cause when a write to it failed;
  // does nothing otherwise. For a caller that met an error while writing, to report the cause.
  void check() const;

  // Standard output, a device or a FIFO: the output reaches the reader at sync().
  bool streamed() const { return kind_ != Kind::file; }
  // The bytes that reached the target: of a stream, what it took (nothing before sync()); of
  // a file, all of it once committed and nothing before.
  std::int64_t delivered() const;
  bool to_stdout() const { return kind_ == Kind::standard_output; }
  const std::filesystem::path& path() const { return target_; }

 private:
  enum class Kind { file, standard_output, stream };
  enum class Link { proc, empty_path, named };
  void open_stream();
  void create_temporary();
  void deliver();
  int link_to(const std::filesystem::path& name) const;
  void link_into_place();
  std::filesystem::path target_;
  std::filesystem::path dir_;
  std::filesystem::path temp_;  // the named temporary file (Link::named)
  Kind kind_ = Kind::file;
  Link link_ = Link::proc;
  int fd_ = -1;         // the file, or the stream's descriptor
  int spool_fd_ = -1;   // a stream's output until it is complete
  FdStreamBuf buffer_;  // over the file, or over spool_fd_
  FdStreamBuf stream_;  // over a device's or FIFO's descriptor
  std::ostream file_{&buffer_};
  std::int64_t stdout_start_ = 0;  // standard_output().written() when opened
  bool force_ = false;
  bool synced_ = false;
  bool committed_ = false;
};

}  // namespace telcomply
