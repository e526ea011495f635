// The erasure ledger: what applied erasures and retention runs removed, so that a database
// restored from a backup can have them applied again (scrub --replay, telcomply-scrub(1),
// ERASURE LEDGER). It is kept as the audit log is (io/audit.h: JSON lines, appended under a
// lock and fsynced, mode 0600, hash-chained) and holds no personal data: an erasure's subject
// is its customer number as HMAC-SHA-256 with the pseudonym key, never the number itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/date.h"

namespace telcomply {

// The subject of an erasure as the ledger records it: HMAC-SHA-256(pseudonym key, customer
// number), lowercase hex.
std::string ledger_subject(std::string_view customer_number, std::string_view key);
// Which key made a ledger record, without revealing it: the first 16 hex digits of
// HMAC-SHA-256(key, "telcomply erasure ledger").
std::string ledger_key_id(std::string_view key);

// The erasures a replay applies again.
struct LedgerSubjects {
  std::unordered_set<std::string> subjects;  // their ledger_subject hashes
  std::int64_t records = 0;                  // erasure records read (from `since` on)
};

// The erasure records of the ledger at `path` dated (by "time", UTC) on or after `since`.
// Throws Error(invalid) naming file:line for a line that is not a JSON object (io/audit.h,
// read_json_lines), a record whose fields have the wrong type, and an erasure record made
// with another pseudonym key than `key` (its subjects cannot be found with this one: the
// message says to restore that key); Error(invalid) for a path that is not a regular file,
// Error(operational) when it cannot be read. A missing ledger is Error(invalid).
LedgerSubjects read_ledger(const std::filesystem::path& path, const std::optional<Date>& since,
                           std::string_view key);

}  // namespace telcomply
