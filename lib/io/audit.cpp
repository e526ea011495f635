#include "io/audit.h"

#include <fcntl.h>
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
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const char* name = std::getenv("LOGNAME"); name && *name) return name;
  return "unknown";
}

nlohmann::json audit_record(std::string_view command, const std::string& explicit_operator) {
  nlohmann::json record;
  record["time"] = utc_timestamp();
  record["command"] = command;
  record["operator"] = audit_operator(explicit_operator);
  return record;
}

void append_audit_record(const std::filesystem::path& log, nlohmann::json record) {
  if (!record.contains("time")) record["time"] = utc_timestamp();
  const std::string line =
      record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    throw_operational("cannot open audit log '" + log.string() + "': " + std::strerror(errno));
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      throw_operational("cannot write audit log '" + log.string() + "': " + std::strerror(saved));
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed)
    throw_operational("cannot write audit log '" + log.string() + "': " + std::strerror(errno));
}

}  // namespace telcomply
