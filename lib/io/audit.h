// The audit trail: one JSON object per line, appended with O_APPEND and fsynced, mode 0600.
// Records hold no personal data beyond what the caller puts in (customer numbers, counts).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace telcomply {

// The start of every audit record, whatever the command: {"time", "command", "operator"}.
// The command adds its own fields (telcomply(1), AUDIT LOG).
nlohmann::json audit_record(std::string_view command, const std::string& explicit_operator);

// Appends `record` (with "time" set to the current UTC time when absent) to `log`.
// Throws Error(operational) when the log cannot be written.
void append_audit_record(const std::filesystem::path& log, nlohmann::json record);

// The operator recorded in audit records: `explicit_operator`, else $USER, else "unknown".
std::string audit_operator(const std::string& explicit_operator);

// Current UTC time as ISO 8601 ("2026-11-23T10:15:00Z").
std::string utc_timestamp();

}  // namespace telcomply
