// The audit trail: one JSON object per line, appended with O_APPEND and fsynced, mode 0600.
// Records hold no personal data beyond what the caller puts in (customer numbers, counts).
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace telcomply {

// The start of every audit record, whatever the command: {"time", "command", "operator"}.
// The command adds its own fields (telcomply(1), AUDIT LOG).
nlohmann::json audit_record(std::string_view command, const std::string& explicit_operator);

// An audit log held open for appending. The log must be a regular file owned by the user
// running telcomply, never a symbolic link (it is not followed); a missing log is created.
// Its mode is made 0600. Opening never blocks: a FIFO or device is refused without being
// opened for writing.
class AuditLog {
 public:
  // Throws Error(invalid) for a log that is a symbolic link, not a regular file or owned by
  // another user; Error(operational) when it cannot be opened for appending (a missing
  // folder, no permission, a read-only filesystem).
  explicit AuditLog(std::filesystem::path path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Appends `record` (with "time" set to the current UTC time when absent) as one line with
  // one write, then fsyncs. A line left incomplete by an earlier failed write is ended
  // first, so every record stays a line of its own. Throws Error(operational) when the
  // record cannot be written and synced.
  void append(nlohmann::json record);
  // Calls `visit` with every record of the log, in order, whose line contains `containing`
  // (lines that are not JSON objects are skipped). Throws Error(operational) when the log
  // cannot be read.
  void for_each_record(std::string_view containing,
                       const std::function<void(const nlohmann::json&)>& visit) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Opens `log` as AuditLog does and appends `record`.
void append_audit_record(const std::filesystem::path& log, nlohmann::json record);

// The operator recorded in audit records: `explicit_operator`, else $SUDO_USER when running as
// root (through sudo), else the login name of the process's real user id from the user
// database (getpwuid; never $USER), else "uid N".
std::string audit_operator(const std::string& explicit_operator);

// Current UTC time as ISO 8601 ("2026-11-23T10:15:00Z").
std::string utc_timestamp();

}  // namespace telcomply
