// The audit trail: one JSON object per line, appended with O_APPEND and fsynced, mode 0600.
// Records hold no personal data beyond what the caller puts in (customer numbers, counts).
//
// The records form a hash chain (telcomply(1), AUDIT LOG): each carries in "prev" the SHA-256
// (lowercase hex) of the line before it, without its newline; the first line of a log carries
// kAuditGenesis. A log written before the chain existed has lines without "prev": the chain
// starts at the first record that has one, which hashes the line before it like any other.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"

namespace telcomply {

// The "prev" of a log's first line: 64 zeros.
inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";
// Lines longer than this are no record of telcomply's: readers skip them (for_each_record) or
// report them (verify_audit_chain, read_json_lines) without holding them in memory.
inline constexpr std::size_t kMaxAuditLine = std::size_t{1} << 20;

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
  // folder, no permission, a read-only filesystem). `what` names the file in messages: the
  // erasure ledger is kept the same way (scrub/ledger.h).
  explicit AuditLog(std::filesystem::path path, std::string what = "audit log");
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Appends `record` (with "time" set to the current UTC time when absent, and "prev" to the
  // SHA-256 of the log's last line, or kAuditGenesis for an empty log) as one line with one
  // write, then fsyncs, all under an exclusive lock (flock) on the log, so that two writers
  // never chain to the same line. A line left incomplete by an earlier failed write is ended
  // first, so every record stays a line of its own (and chains to that line). Throws
  // Error(operational) when the record cannot be written and synced.
  void append(nlohmann::json record);
  // Calls `visit` with every record of the log, in order, whose line contains `containing`
  // (lines that are not JSON objects are skipped). Throws Error(operational) when the log
  // cannot be read.
  void for_each_record(std::string_view containing,
                       const std::function<void(const nlohmann::json&)>& visit) const;

 private:
  std::filesystem::path path_;
  std::string what_;
  int fd_ = -1;
};

// Calls `visit` with each line of the open file `fd` (named `name` in errors), numbered from 1,
// without its newline: its text (empty when longer than kMaxAuditLine), the SHA-256 of its
// whole text, whether it is longer than kMaxAuditLine and whether it ends with a newline (only
// the last line may not). Holds at most one line in memory. Throws Error(operational) when the
// file cannot be read.
struct LogLine {
  std::int64_t number = 0;
  std::string_view text;
  std::string sha256;
  bool too_long = false;
  bool complete = true;
};
void for_each_line(int fd, const std::string& name,
                   const std::function<void(const LogLine&)>& visit);

// The outcome of checking an audit log's hash chain.
struct AuditChain {
  std::int64_t lines = 0;
  // The first line that carries "prev" (0: none); lines before it predate the chain.
  std::int64_t chain_start = 0;
  std::string head;  // SHA-256 of the last line: what the next record will carry
  // The first broken link: its line and what is wrong there; 0 when the chain is intact.
  std::int64_t broken_line = 0;
  std::string broken;
  // With a package to look for: the line of the first export record naming its SHA-256 (0:
  // none), and that record.
  std::int64_t package_line = 0;
  nlohmann::json package_record;
};

// Checks the chain of the audit log at `path`: every line a JSON object; from the first line
// carrying "prev" on, every line carries it and it is the SHA-256 of the line before (or
// kAuditGenesis on line 1). A line edited, deleted, inserted or moved breaks the link of the
// line after it (or its own); only the removal or change of the last lines shows nowhere in
// the log: compare `head` with one kept elsewhere. With `package_sha256`, also finds the
// export record ("command" "export", "outcome" "delivered") whose "sha256" it is. Throws
// Error(invalid) for a path that is not a regular file, Error(operational) when it cannot be
// read.
AuditChain verify_audit_chain(const std::filesystem::path& path,
                              const std::string& package_sha256 = "");

// The records `audit show` prints: those whose command, date (of "time", YYYY-MM-DD,
// inclusive bounds) and ticket match; empty fields match everything.
struct AuditFilter {
  std::string command;
  std::string since;
  std::string until;
  std::string ticket;
};
// Opens `path` for reading (refusing anything but a regular file without blocking) and calls
// `visit` with each line's number and JSON object. Throws Error(invalid) naming file:line for a
// line that is not a JSON object (malformed, cut short or longer than kMaxAuditLine), and for a
// path that is not a regular file; Error(operational) when it cannot be opened or read. `what`
// names the file in messages ("audit log", "erasure ledger").
void read_json_lines(const std::filesystem::path& path, const std::string& what,
                     const std::function<void(std::int64_t line, const nlohmann::json&)>& visit);

// Every record of the log at `path` that `filter` selects, each with its "line" added.
// Throws Error(invalid) naming file:line for a line that is not a JSON object or is too long,
// Error(invalid) for a path that is not a regular file, Error(operational) when it cannot be
// read.
std::vector<nlohmann::json> audit_records(const std::filesystem::path& path,
                                          const AuditFilter& filter);
// `records` readably, one per line: date and time, command, operator, then the other fields
// as name=value, with the headings in `language`; "prev" is left out.
void write_audit_text(std::ostream& out, const std::vector<nlohmann::json>& records,
                      Language language);

// Opens `log` as AuditLog does and appends `record`.
void append_audit_record(const std::filesystem::path& log, nlohmann::json record);

// The operator recorded in audit records: `explicit_operator`, else $SUDO_USER when running as
// root (through sudo), else the login name of the process's real user id from the user
// database (getpwuid; never $USER), else "uid N".
std::string audit_operator(const std::string& explicit_operator);

// Current UTC time as ISO 8601 ("2026-11-23T10:15:00Z").
std::string utc_timestamp();

}  // namespace telcomply
