#include "io/output_file.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/input.h"

namespace telcomply {

namespace {

constexpr std::size_t kBufferSize = 1 << 16;
// How much an output file takes between two requests to start writing it back.
constexpr std::int64_t kWriteBackSize = 8 << 20;
constexpr std::string_view kTempMark = ".tmp-";
constexpr std::string_view kTempDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kTempSuffix = 8;

std::string errno_text(int error = errno) { return std::strerror(error); }

bool sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

// A hidden name next to the target for a temporary file: ".<name>.tmp-<random>".
std::filesystem::path temp_name(const std::filesystem::path& dir,
                                const std::filesystem::path& target) {
  static std::mt19937_64 random{std::random_device{}()};
  std::string suffix(kTempSuffix, '0');
  for (char& c : suffix) c = kTempDigits[random() % kTempDigits.size()];
  return dir / ("." + target.filename().string() + std::string(kTempMark) + suffix);
}

// Whether `name` is one temp_name gives.
bool is_temp_name(std::string_view name) {
  if (name.size() < 2 + kTempMark.size() + kTempSuffix || name.front() != '.') return false;
  const std::size_t suffix = name.size() - kTempSuffix;
  return name.substr(suffix).find_first_not_of(kTempDigits) == std::string_view::npos &&
         name.substr(suffix - kTempMark.size(), kTempMark.size()) == kTempMark;
}

// Removes the named temporary files in `dir` that killed runs left: regular files of this
// user with a temp_name that no living process holds locked.
void remove_stale_temporaries(const std::filesystem::path& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& path = it->path();
    std::error_code type_error;
    if (!is_temp_name(path.filename().string()) || !it->is_regular_file(type_error)) continue;
    const FileDescriptor fd(
        ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != ::geteuid())
      continue;
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) ::unlink(path.c_str());
  }
}

// Locks a new named temporary file against remove_stale_temporaries, and checks that `name`
// is still the file: a cleaner may have taken it between its creation and the lock. A
// filesystem without locks leaves it unlocked (and the cleaner cannot take it either).
bool lock_temporary(int fd, const std::filesystem::path& name) {
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) return errno != EWOULDBLOCK;
  struct stat open_file {};
  struct stat named {};
  return ::fstat(fd, &open_file) == 0 && ::stat(name.c_str(), &named) == 0 &&
         open_file.st_dev == named.st_dev && open_file.st_ino == named.st_ino;
}

// Whether the kernel links an unnamed file by its descriptor alone (linkat AT_EMPTY_PATH:
// since Linux 6.10 for the process that opened it, before only with CAP_DAC_READ_SEARCH),
// tried with an empty one.
bool can_link_unnamed(const std::filesystem::path& dir, const std::filesystem::path& target) {
  const FileDescriptor probe(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
  if (probe.get() < 0) return false;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::filesystem::path name = temp_name(dir, target);
    if (::linkat(probe.get(), "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH) == 0) {
      ::unlink(name.c_str());
      return true;
    }
    if (errno != EEXIST) return false;
  }
  return false;
}

std::string proc_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

bool names_standard_output(const std::filesystem::path& path) {
  const std::string name = path.lexically_normal().string();
  return name.empty() || name == "-" || name == "/dev/stdout" || name == "/dev/fd/1" ||
         name == "/proc/self/fd/1";
}

// Refuses a target that is one of `inputs`: the same file, or the same path resolved when
// either does not exist.
void refuse_inputs(const std::filesystem::path& target, const std::vector<ProtectedFile>& inputs) {
  struct stat target_stat {};
  const bool exists = ::stat(target.c_str(), &target_stat) == 0;
  const auto resolved = [](const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::path out = std::filesystem::weakly_canonical(path, ec);
    return ec ? std::filesystem::absolute(path, ec).lexically_normal() : out;
  };
  const std::filesystem::path target_path = resolved(target);
  for (const ProtectedFile& input : inputs) {
    if (input.path.empty()) continue;
    struct stat input_stat {};
    const bool same =
        exists && ::stat(input.path.c_str(), &input_stat) == 0
            ? input_stat.st_dev == target_stat.st_dev && input_stat.st_ino == target_stat.st_ino
            : resolved(input.path) == target_path;
    if (same) throw_invalid("cannot write '" + target.string() + "': it is " + input.what);
  }
}

}  // namespace

int anonymous_temporary_file(const std::filesystem::path& dir) {
  std::filesystem::path folder = dir;
  if (folder.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    folder = tmpdir && *tmpdir ? tmpdir : "/tmp";
  }
  int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    throw_operational("cannot create a temporary file in '" + folder.string() +
                      "': " + errno_text());
  std::string pattern = (folder / ".telcomply-XXXXXX").string();
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0)
    throw_operational("cannot create a temporary file in '" + folder.string() +
                      "': " + errno_text());
  ::unlink(pattern.c_str());
  return fd;
}

FdStreamBuf::FdStreamBuf(int fd) { reset(fd); }

void FdStreamBuf::reset(int fd, bool write_back) {
  fd_ = fd;
  error_ = 0;
  write_back_ = write_back;
  written_ = 0;
  written_back_ = 0;
  buffer_.resize(kBufferSize);
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bool FdStreamBuf::write_all(const char* data, std::size_t size) {
  while (size > 0 && error_ == 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A descriptor another process made non-blocking: wait until it takes more.
      pollfd ready{fd_, POLLOUT, 0};
      if (::poll(&ready, 1, -1) >= 0 || errno == EINTR) continue;
    }
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      break;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    written_ += n;
  }
  if (write_back_ && error_ == 0 && written_ - written_back_ >= kWriteBackSize) {
    // Only a request: the kernel starts writing these pages and returns; errors show at fsync.
    ::sync_file_range(fd_, written_back_, written_ - written_back_, SYNC_FILE_RANGE_WRITE);
    written_back_ = written_;
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

FdStreamBuf& standard_output() {
  static FdStreamBuf* const out = new FdStreamBuf(STDOUT_FILENO);
  return *out;
}

void check_standard_output() {
  if (const int error = standard_output().error(); error != 0)
    throw_operational("cannot write to standard output: " + errno_text(error));
}

OutputFile::OutputFile(const std::filesystem::path& path, bool force,
                       const std::vector<ProtectedFile>& inputs)
    : target_(path), force_(force) {
  if (names_standard_output(path)) {
    kind_ = Kind::standard_output;
    stdout_start_ = standard_output().written();
    spool_fd_ = anonymous_temporary_file();
    buffer_.reset(spool_fd_);
    return;
  }
  refuse_inputs(target_, inputs);
  struct stat st {};
  const bool exists = ::stat(target_.c_str(), &st) == 0;
  if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
    open_stream();
    return;
  }
  if (exists && S_ISDIR(st.st_mode))
    throw_invalid("cannot write '" + target_.string() + "': is a directory");
  if (exists && !S_ISREG(st.st_mode))
    throw_invalid("cannot write '" + target_.string() +
                  "': not a regular file, a character device or a FIFO");
  struct stat link {};
  if (!force_ && (exists || ::lstat(target_.c_str(), &link) == 0))
    throw_invalid("'" + target_.string() + "' exists; use --force to replace it");
  dir_ = target_.parent_path();
  if (dir_.empty()) dir_ = ".";
  remove_stale_temporaries(dir_);
  create_temporary();
  buffer_.reset(fd_, true);
}

void OutputFile::open_stream() {
  kind_ = Kind::stream;
  // Like the shell's `>`, the open of a FIFO waits for a reader.
  fd_ = ::open(target_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd_ < 0) throw_operational("cannot write '" + target_.string() + "': " + errno_text());
  stream_.reset(fd_);
  spool_fd_ = anonymous_temporary_file();
  buffer_.reset(spool_fd_);
}

void OutputFile::create_temporary() {
  fd_ = ::open(dir_.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd_ < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    throw_operational("cannot create a file in '" + dir_.string() + "': " + errno_text());
  if (fd_ >= 0) {
    if (::access("/proc/self/fd", X_OK) == 0) {
      link_ = Link::proc;
    } else if (can_link_unnamed(dir_, target_)) {
      link_ = Link::empty_path;
    } else {
      ::close(fd_);
      fd_ = -1;
    }
  }
  if (fd_ >= 0) {
    // Held while --force gives the complete file a name before renaming it over the target.
    ::flock(fd_, LOCK_EX | LOCK_NB);
  } else {
    link_ = Link::named;
    for (int attempt = 0; fd_ < 0 && attempt < 100; ++attempt) {
      temp_ = temp_name(dir_, target_);
      fd_ = ::open(temp_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
      if (fd_ < 0 && errno != EEXIST)
        throw_operational("cannot create a file in '" + dir_.string() + "': " + errno_text());
      if (fd_ >= 0 && !lock_temporary(fd_, temp_)) {
        ::close(fd_);
        fd_ = -1;
      }
    }
    if (fd_ < 0) throw_operational("cannot create a file in '" + dir_.string() + "'");
  }
  ::fchmod(fd_, 0600);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (spool_fd_ >= 0) ::close(spool_fd_);
  if (!committed_ && link_ == Link::named && !temp_.empty()) ::unlink(temp_.c_str());
}

std::int64_t OutputFile::delivered() const {
  switch (kind_) {
    case Kind::standard_output:
      return standard_output().written() - stdout_start_;
    case Kind::stream:
      return stream_.written();
    case Kind::file:
      break;
  }
  return committed_ ? buffer_.written() : 0;
}

void OutputFile::check() const {
  if (to_stdout()) check_standard_output();
  if (const int error = stream_.error(); error != 0)
    throw_operational("cannot write '" + target_.string() + "': " + errno_text(error));
  if (const int error = buffer_.error(); error != 0)
    throw_operational(streamed() ? "cannot write a temporary file: " + errno_text(error)
                                 : "cannot write '" + target_.string() + "': " + errno_text(error));
}

void OutputFile::sync() {
  if (synced_) return;
  file_.flush();
  check();
  if (!file_) throw_operational("cannot write '" + target_.string() + "': " + errno_text(EIO));
  if (kind_ == Kind::file && ::fsync(fd_) != 0)
    throw_operational("cannot write '" + target_.string() + "': " + errno_text());
  if (streamed()) deliver();
  synced_ = true;
}

void OutputFile::deliver() {
  FdStreamBuf& target = to_stdout() ? standard_output() : stream_;
  std::vector<char> chunk(kBufferSize);
  off_t at = 0;
  for (;;) {
    const ssize_t n = ::pread(spool_fd_, chunk.data(), chunk.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_operational("cannot read a temporary file: " + errno_text());
    if (n == 0 || target.sputn(chunk.data(), n) != n) break;
    at += n;
  }
  target.pubsync();
  ::close(spool_fd_);
  spool_fd_ = -1;
  check();
}

void OutputFile::commit() {
  sync();
  if (kind_ == Kind::file) link_into_place();
  committed_ = true;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (kind_ == Kind::file) sync_path(dir_, O_RDONLY | O_DIRECTORY);
}

int OutputFile::link_to(const std::filesystem::path& name) const {
  switch (link_) {
    case Link::proc:
      return ::linkat(AT_FDCWD, proc_path(fd_).c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
    case Link::empty_path:
      return ::linkat(fd_, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH);
    case Link::named:
      break;
  }
  return ::link(temp_.c_str(), name.c_str());
}

void OutputFile::link_into_place() {
  const auto fail = [&](int error) {
    throw_operational("cannot write '" + target_.string() + "': " + errno_text(error));
  };
  if (!force_) {
    // link fails when the target appeared meanwhile: never replace a file silently.
    if (link_to(target_) != 0) {
      if (errno == EEXIST)
        throw_invalid("'" + target_.string() + "' exists; use --force to replace it");
      fail(errno);
    }
    if (link_ == Link::named) ::unlink(temp_.c_str());
    return;
  }
  // Replacing: give the complete file a hidden name, then rename it over the target.
  std::filesystem::path named = temp_;
  if (link_ != Link::named) {
    named.clear();
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
