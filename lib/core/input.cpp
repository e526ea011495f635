#include "core/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace telcomply {

namespace {

std::string cannot_open(const std::filesystem::path& path, std::string_view what,
                        std::string_view reason) {
  std::string message = "cannot open ";
  if (!what.empty()) message.append(what).append(" ");
  return message + "'" + path.string() + "': " + std::string(reason);
}

// Why a file of mode `mode` is refused, or empty for a regular file.
std::string_view refusal(mode_t mode) {
  if (S_ISREG(mode)) return {};
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "not a regular file (a FIFO)";
  if (S_ISCHR(mode)) return "not a regular file (a character device)";
  if (S_ISBLK(mode)) return "not a regular file (a block device)";
  if (S_ISSOCK(mode)) return "not a regular file (a socket)";
  return "not a regular file";
}

}  // namespace

void require_regular_file(const std::filesystem::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw_invalid(cannot_open(path, what, errno == ENOENT ? "no such file" : std::strerror(errno)));
  if (const std::string_view why = refusal(st.st_mode); !why.empty())
    throw_invalid(cannot_open(path, what, why));
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

FileDescriptor open_regular_file(const std::filesystem::path& path, std::string_view what) {
  require_regular_file(path, what);
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) throw_invalid(cannot_open(path, what, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_invalid(cannot_open(path, what, std::strerror(errno)));
  if (const std::string_view why = refusal(st.st_mode); !why.empty())
    throw_invalid(cannot_open(path, what, why));
  // Reads of a regular file never block; the flag only mattered for the open.
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;   // continuation bytes
    unsigned lo = 0x80;  // range of the first continuation byte
    unsigned hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return i;
    }
    if (i + n >= text.size()) return i;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xbfu)) return i;
    }
    i += n + 1;
  }
  return std::nullopt;
}

}  // namespace telcomply
