#include "output_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "error.h"

namespace telcomply {

namespace {

std::string errno_text() { return std::strerror(errno); }

bool sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

}  // namespace

OutputFile::OutputFile(const std::filesystem::path& path, bool force)
    : target_(path), force_(force), to_stdout_(path.empty() || path == "-") {
  if (to_stdout_) return;
  std::error_code ec;
  if (std::filesystem::is_directory(target_, ec))
    throw_invalid("cannot write '" + target_.string() + "': is a directory");
  if (std::filesystem::exists(std::filesystem::symlink_status(target_, ec)) && !force_)
    throw_invalid("'" + target_.string() + "' exists; use --force to replace it");
  std::filesystem::path dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  std::string pattern = (dir / ("." + target_.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0)
    throw_operational("cannot create a file in '" + dir.string() + "': " + errno_text());
  temp_ = pattern;
  ::fchmod(fd, 0600);
  ::close(fd);
  file_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!file_) {
    std::filesystem::remove(temp_, ec);
    throw_operational("cannot write '" + temp_.string() + "'");
  }
}

OutputFile::~OutputFile() {
  if (!to_stdout_ && !committed_ && !temp_.empty()) {
    file_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

std::ostream& OutputFile::stream() { return to_stdout_ ? std::cout : file_; }

void OutputFile::sync() {
  if (synced_) return;
  if (to_stdout_) {
    std::cout.flush();
    if (!std::cout) throw_operational("cannot write to standard output");
    synced_ = true;
    return;
  }
  file_.flush();
  const bool written = static_cast<bool>(file_);
  file_.close();
  if (!written || file_.fail())
    throw_operational("cannot write '" + target_.string() + "': disk full or I/O error");
  if (!sync_path(temp_, O_RDONLY))
    throw_operational("cannot write '" + target_.string() + "': " + errno_text());
  synced_ = true;
}

void OutputFile::commit() {
  sync();
  if (to_stdout_) {
    committed_ = true;
    return;
  }
  if (force_) {
    if (::rename(temp_.c_str(), target_.c_str()) != 0)
      throw_operational("cannot write '" + target_.string() + "': " + errno_text());
  } else {
    // link() fails when the target appeared meanwhile: never replace a file silently.
    if (::link(temp_.c_str(), target_.c_str()) != 0) {
      if (errno == EEXIST) throw_invalid("'" + target_.string() + "' exists; use --force to replace it");
      throw_operational("cannot write '" + target_.string() + "': " + errno_text());
    }
    ::unlink(temp_.c_str());
  }
  committed_ = true;
  std::filesystem::path dir = target_.parent_path();
  sync_path(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace telcomply
