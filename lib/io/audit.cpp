#include "io/audit.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "core/error.h"

namespace telcomply {

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string audit_operator(const std::string& explicit_operator) {
  if (!explicit_operator.empty()) return explicit_operator;
  // Run through sudo: the person who ran it. SUDO_USER only counts for root, which sudo makes
  // us; any other user could set it to anything.
  if (const char* sudo_user = std::getenv("SUDO_USER"); sudo_user && *sudo_user && ::geteuid() == 0)
    return sudo_user;
  // The login name of the process's owner, from the user database: $USER and $LOGNAME are
  // whatever the caller's environment says.
  const uid_t uid = ::getuid();
  std::string buffer(16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_name && *found->pw_name)
    return found->pw_name;
  return "uid " + std::to_string(uid);
}

nlohmann::json audit_record(std::string_view command, const std::string& explicit_operator) {
  nlohmann::json record;
  record["time"] = utc_timestamp();
  record["command"] = command;
  record["operator"] = audit_operator(explicit_operator);
  return record;
}

namespace {

// Refuses what cannot be an audit log: a symbolic link, anything but a regular file, a file
// of another user.
void check_kind(const std::filesystem::path& path, const struct stat& st) {
  if (S_ISLNK(st.st_mode))
    throw_invalid("audit log '" + path.string() + "' is a symbolic link; name the file itself");
  if (!S_ISREG(st.st_mode))
    throw_invalid("audit log '" + path.string() + "' is not a regular file");
  if (st.st_uid != ::geteuid())
    throw_invalid("audit log '" + path.string() + "' is owned by another user");
}

}  // namespace

AuditLog::AuditLog(std::filesystem::path path) : path_(std::move(path)) {
  // Looked at before it is opened, so that a FIFO or a device is never opened; checked
  // again on the open file, which is what counts.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) check_kind(path_, st);
  fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
               0600);
  if (fd_ < 0) {
    const int saved = errno;
    if (saved == ELOOP)
      throw_invalid("audit log '" + path_.string() + "' is a symbolic link; name the file itself");
    throw_operational("cannot open audit log '" + path_.string() + "': " + std::strerror(saved));
  }
  try {
    if (::fstat(fd_, &st) != 0)
      throw_operational("cannot open audit log '" + path_.string() + "': " + std::strerror(errno));
    check_kind(path_, st);
    if ((st.st_mode & 07777) != 0600 && ::fchmod(fd_, 0600) != 0) {
      throw_operational("cannot make audit log '" + path_.string() +
                        "' mode 0600: " + std::strerror(errno));
    }
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

void AuditLog::append(nlohmann::json record) {
  if (!record.contains("time")) record["time"] = utc_timestamp();
  std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  auto failed = [&](int error) {
    throw_operational("cannot write audit log '" + path_.string() + "': " + std::strerror(error));
  };
  struct stat st {};
  if (::fstat(fd_, &st) != 0) failed(errno);
  if (st.st_size > 0) {
    char last = '\n';
    if (::pread(fd_, &last, 1, st.st_size - 1) != 1) failed(errno);
    if (last != '\n') line.insert(line.begin(), '\n');
  }
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failed(n < 0 ? errno : ENOSPC);
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) failed(errno);
}

void AuditLog::for_each_record(std::string_view containing,
                               const std::function<void(const nlohmann::json&)>& visit) const {
  std::string pending;
  char buf[1 << 16];
  off_t at = 0;
  auto line = [&](std::string_view text) {
    if (text.find(containing) == std::string_view::npos) return;
    nlohmann::json record = nlohmann::json::parse(text, nullptr, false);
    if (record.is_object()) visit(record);
  };
  while (true) {
    const ssize_t n = ::pread(fd_, buf, sizeof buf, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw_operational("cannot read audit log '" + path_.string() + "': " + std::strerror(errno));
    if (n == 0) break;
    at += n;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1)
      line(std::string_view(pending).substr(start, end - start));
    pending.erase(0, start);
  }
  if (!pending.empty()) line(pending);
}

void append_audit_record(const std::filesystem::path& log, nlohmann::json record) {
  AuditLog(log).append(std::move(record));
}

}  // namespace telcomply
