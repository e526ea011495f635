#include "io/output_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <random>

#include "core/error.h"

namespace telcomply {

namespace {

constexpr std::size_t kBufferSize = 1 << 16;

std::string errno_text(int error = errno) { return std::strerror(error); }

bool sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

// A hidden name next to the target for a temporary file: ".<name>.tmp-<random>".
std::filesystem::path temp_name(const std::filesystem::path& dir, const std::filesystem::path& target) {
  static std::mt19937_64 random{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string suffix(8, '0');
  for (char& c : suffix) c = kDigits[random() % (sizeof kDigits - 1)];
  return dir / ("." + target.filename().string() + ".tmp-" + suffix);
}

std::string proc_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace

FdStreamBuf::FdStreamBuf(int fd) { reset(fd); }

void FdStreamBuf::reset(int fd) {
  fd_ = fd;
  error_ = 0;
  buffer_.resize(kBufferSize);
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bool FdStreamBuf::write_all(const char* data, std::size_t size) {
  while (size > 0 && error_ == 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      break;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return error_ == 0;
}

int FdStreamBuf::sync() {
  const bool ok = write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return ok ? 0 : -1;
}

FdStreamBuf::int_type FdStreamBuf::overflow(int_type c) {
  if (sync() != 0) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

std::streamsize FdStreamBuf::xsputn(const char* data, std::streamsize size) {
  const auto room = epptr() - pptr();
  if (size <= room) {
    std::memcpy(pptr(), data, static_cast<std::size_t>(size));
    pbump(static_cast<int>(size));
    return size;
  }
  if (sync() != 0) return 0;
  if (size < static_cast<std::streamsize>(buffer_.size())) return xsputn(data, size);
  return write_all(data, static_cast<std::size_t>(size)) ? size : 0;
}

OutputFile::OutputFile(const std::filesystem::path& path, bool force)
    : target_(path), force_(force), to_stdout_(path.empty() || path == "-") {
  if (to_stdout_) return;
  std::error_code ec;
  if (std::filesystem::is_directory(target_, ec))
    throw_invalid("cannot write '" + target_.string() + "': is a directory");
  if (std::filesystem::exists(std::filesystem::symlink_status(target_, ec)) && !force_)
    throw_invalid("'" + target_.string() + "' exists; use --force to replace it");
  dir_ = target_.parent_path();
  if (dir_.empty()) dir_ = ".";
  // An unnamed file needs /proc to be linked by name later; without it, or on a filesystem
  // without O_TMPFILE, fall back to a hidden named file.
  if (::access("/proc/self/fd", X_OK) == 0) {
    fd_ = ::open(dir_.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      throw_operational("cannot create a file in '" + dir_.string() + "': " + errno_text());
  }
  for (int attempt = 0; fd_ < 0 && attempt < 100; ++attempt) {
    temp_ = temp_name(dir_, target_);
    fd_ = ::open(temp_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ < 0 && errno != EEXIST)
      throw_operational("cannot create a file in '" + dir_.string() + "': " + errno_text());
  }
  if (fd_ < 0) throw_operational("cannot create a file in '" + dir_.string() + "'");
  ::fchmod(fd_, 0600);
  buffer_.reset(fd_);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
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
  if (!file_ || buffer_.error() != 0)
    throw_operational("cannot write '" + target_.string() + "': " +
                      errno_text(buffer_.error() ? buffer_.error() : EIO));
  if (::fsync(fd_) != 0)
    throw_operational("cannot write '" + target_.string() + "': " + errno_text());
  synced_ = true;
}

void OutputFile::commit() {
  sync();
  if (to_stdout_) {
    committed_ = true;
    return;
  }
  link_into_place();
  committed_ = true;
  ::close(fd_);
  fd_ = -1;
  sync_path(dir_, O_RDONLY | O_DIRECTORY);
}

void OutputFile::link_into_place() {
  const auto fail = [&](int error) {
    throw_operational("cannot write '" + target_.string() + "': " + errno_text(error));
  };
  const auto link_to = [&](const std::filesystem::path& name) {
    return temp_.empty() ? ::linkat(AT_FDCWD, proc_path(fd_).c_str(), AT_FDCWD, name.c_str(),
                                    AT_SYMLINK_FOLLOW)
                         : ::link(temp_.c_str(), name.c_str());
  };
  if (!force_) {
    // link fails when the target appeared meanwhile: never replace a file silently.
    if (link_to(target_) != 0) {
      if (errno == EEXIST) throw_invalid("'" + target_.string() + "' exists; use --force to replace it");
      fail(errno);
    }
    if (!temp_.empty()) ::unlink(temp_.c_str());
    return;
  }
  // Replacing: give the complete file a hidden name, then rename it over the target.
  std::filesystem::path named = temp_;
  if (named.empty()) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      named = temp_name(dir_, target_);
      if (link_to(named) == 0) break;
      if (errno != EEXIST) fail(errno);
      named.clear();
    }
    if (named.empty()) fail(EEXIST);
  }
  if (::rename(named.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    ::unlink(named.c_str());
    fail(error);
  }
}

}  // namespace telcomply
