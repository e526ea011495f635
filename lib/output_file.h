// Output that is never half-written: data goes to a temporary file in the target folder,
// which is flushed, fsynced and renamed into place only when complete.
#pragma once

#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <string>

namespace telcomply {

class OutputFile {
 public:
  // `path` "-" or empty writes to standard output. Otherwise the file is created with mode
  // 0600 next to its target; an existing target is refused (Exit::invalid) unless `force`.
  // Throws Error(operational) when the folder cannot be written.
  OutputFile(const std::filesystem::path& path, bool force);
  ~OutputFile();  // removes the temporary file unless commit() succeeded
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  // Flushes and fsyncs the temporary file (standard output: flushes it), so that only the
  // rename is left for commit(); for a step that must succeed before the file replaces its
  // target (an audit record). Throws Error(operational) on any I/O error; the target is
  // then unchanged.
  void sync();
  // Flushes and fsyncs unless sync() did, and renames into place (without replacing a file
  // created meanwhile unless `force`). Throws Error(operational) on any I/O error; the target
  // is then absent or unchanged.
  void commit();

  bool to_stdout() const { return to_stdout_; }
  const std::filesystem::path& path() const { return target_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::ofstream file_;
  bool force_ = false;
  bool to_stdout_ = false;
  bool synced_ = false;
  bool committed_ = false;
};

}  // namespace telcomply
