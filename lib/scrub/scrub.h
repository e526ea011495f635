// telcomply scrub: retention and erasure that never removes the wrong data.
//
// A retention rule says how long rows of a table are kept, counted from a date column of the
// table or from the subject's account closing date, and then either deletes the rows or
// anonymises named columns. A row is past a rule's retention when its start date plus the
// rule's period is on or before the as-of date. Obligations overlap:
// - a row is deleted only when every rule on its table has expired for it and no other row
//   still references it (a payment keeps its invoice, a call record its subscription);
// - a column is anonymised only when every rule keeping it has expired: rules on its table
//   that affect it (a delete rule keeps the whole row; an anonymise rule keeps the columns it
//   masks; a rule with explicit categories keeps the columns of those categories), and rules
//   with explicit categories on tables that reference it (invoices may keep the customer's
//   address);
// - rows of a subject under a legal hold, and everything linked to that subject, are never
//   touched; the holds are read again inside every write transaction, so a hold committed
//   while a run is under way is honoured from then on.
// An erasure request (art. 17, `customer`) removes or anonymises everything of one customer
// that no statutory retention rule (one whose period names a legal basis) still requires.
//
// SQL is built only from identifiers checked against the real schema and quoted; values are
// bound parameters. Changes run in transactions of bounded size, each of which leaves every
// row it touches untouched or fully done; deleted and overwritten content is erased from the
// file (secure_delete, and the write-ahead log truncated after the run).
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

#include "core/date.h"
#include "core/progress.h"
#include "datamap/resolved.h"
#include "policy/policy.h"
#include "report/findings.h"
#include "store/store.h"

namespace telcomply {

struct ScrubOptions {
  Date as_of = Date::today();
  bool apply = false;              // false: dry run, nothing is written
  bool allow_mass_delete = false;  // lift the guard (RetentionPolicy::max_share)
  // Erasure request: the customer number of one data subject. Empty: apply the retention
  // rules to everyone.
  std::string customer;
  // Pseudonym key file, overriding the policy's pseudonym_key.
  std::filesystem::path key_file;
  // The audit log of an applied run, written ahead of every change (scrub()); empty: no
  // record is written.
  std::filesystem::path audit_log;
  // The erasure ledger of an applied run (scrub/ledger.h), written ahead of every change as
  // the audit log is; empty: no ledger record is written (a replay writes none).
  std::filesystem::path ledger;
  // The run replays the ledger (replay_ledger): its audit records say so ("replay": true).
  bool replay = false;
  std::string operator_name;  // recorded in the audit log (see audit_operator)
  // Rows changed per transaction, about; 0: a quarter of what a table loses, at least 100000.
  std::int64_t batch_rows = 0;
  // How long to wait, in milliseconds, when another process holds the database: when it is
  // opened (scrub_database), at each statement, and in all for each transaction's retries.
  int busy_wait_ms = 120000;
  // A server that keeps old row versions (PostgreSQL): vacuum the changed tables after
  // applying (StoreOptions::vacuum).
  bool vacuum = true;
  // A server whose tables keep deleted rows in their files (MariaDB): rebuild the changed
  // tables after applying (StoreOptions::rebuild).
  bool rebuild = false;
  // Hears how far an applied run is ("scrubbing", the table, rows changed of those planned
  // in all tables); may be empty.
  ProgressSink progress;
};

// Why rows past a rule's retention stay.
struct KeptReason {
  std::string rule;           // a retention rule that still keeps them ...
  std::string table;          // ... which is a rule on this (referencing) table, when not own
  std::string referenced_by;  // or: rows of this table still reference them
  std::int64_t rows = 0;
};

// One rule's part of the plan (or, for an erasure request, one table's).
struct ScrubAction {
  std::string rule;  // the retention rule; empty for an erasure action without a rule
  std::string table;
  RetentionAction action = RetentionAction::delete_row;
  std::vector<std::string> columns;  // anonymise: the columns masked
  std::string from;                  // "started_at", "account_closed"; empty for erasure
  std::string keep;                  // "6 months"
  std::optional<Date> cutoff;        // rows starting on or before this date are past retention
  std::int64_t due = 0;          // rows past this rule's retention (erasure: the customer's rows)
  std::int64_t affected = 0;     // rows deleted or anonymised (planned; done when applied)
  std::int64_t held = 0;         // rows due but kept by a legal hold
  std::vector<KeptReason> kept;  // rows due but kept; a row kept for several reasons counts
                                 // under each
  // delete: the partitions of the table whose every row goes, dropped whole rather than row
  // by row (a server's partitioned tables; planned, or dropped when applied)
  std::vector<std::string> partitions;
};

// A table's share of rows the run removes or anonymises, for the mass-delete guard.
struct TableShare {
  std::string table;
  std::int64_t rows = 0;
  std::int64_t touched = 0;
  bool over_limit = false;
};

struct ScrubResult {
  Date as_of;
  bool applied = false;            // changes were written
  std::string customer;            // erasure request: the customer number
  std::vector<std::string> holds;  // erasure request: the holds on this customer
  // Erasure request: holds placed on the customer while the applied run was under way (also
  // in `holds`). The run stopped at the first transaction that found one; what it had not
  // changed by then is kept (each action's `held`), in all kept_by_placed_holds rows.
  std::vector<std::string> holds_placed;
  std::int64_t kept_by_placed_holds = 0;
  std::vector<ScrubAction> actions;
  std::vector<TableShare> shares;  // tables the run changes
  double max_share = 0.5;
  bool refused = false;      // the mass-delete guard refused the plan; nothing was changed
  std::int64_t changes = 0;  // rows deleted or anonymised (planned, or done when applied)
  // What the store did after an applied run to remove old values (ResidueReport::done).
  std::vector<std::string> erased;
  std::vector<std::string> warnings;
};

// Plans the run and, with options.apply, carries it out on `store`, opened with open_store
// (read-write for apply). Values are masked here, not in the database: planning reads the
// due rows and masks them to count what changes; applying reads the candidate rows in
// chunks and writes each changed row by its address. After an applied run the store erases
// what it can of old content (Store::erase_residue), and says what it could not in
// result.warnings, as it does with its notes from opening (Store::open_notes). A plan the
// mass-delete guard refuses changes nothing and comes back with result.refused set. Throws
// Error(invalid) for a policy that does not fit the database (the first error
// resolve_data_map finds, datamap/resolved.h) or a missing pseudonym key when an applied run needs
// one; Error(no_subject) for an unknown customer; Error(operational) for database failures (every
// transaction committed before stays complete; a rerun finishes the job).
//
// Before an applied run changes anything it opens options.audit_log (AuditLog: Error(invalid)
// for a symbolic link, a file that is not regular or is another user's; Error(operational) when
// it cannot be opened) and checks the whole database (Store::start_integrity_check, beside
// the planning: Error(operational) for a damaged file, whatever else failed meanwhile). Its
// audit trail is written ahead: the intent before the first change,
// each transaction as "prepared" before it commits and "committed" once it has, then the
// outcome; batches an earlier run left "prepared" are settled first (telcomply-scrub(1), AUDIT
// TRAIL). When a record cannot be written the run stops with Error(operational). An erasure
// request reads its customer's holds again in every write transaction and stops at one placed
// since (result.holds_placed); a retention run selects the rows it changes with the holds in
// the same statement.
ScrubResult scrub(Store& store, const RetentionPolicy& policy, const DataMap& map,
                  const ScrubOptions& options);
// Opens `database` with open_store (read-only for a dry run) and runs scrub on it.
ScrubResult scrub_database(const std::string& database, const RetentionPolicy& policy,
                           const DataMap& map, const ScrubOptions& options);

// A replay of the erasure ledger (scrub --replay) on a database restored from a backup.
struct ReplayResult {
  std::filesystem::path ledger;
  std::optional<Date> since;
  bool apply = false;         // options.apply: the changes were to be written
  std::int64_t records = 0;   // erasure records of the ledger read (from `since` on)
  std::int64_t subjects = 0;  // distinct subjects they name
  // One erasure per subject found in the database, in the order of the subject table.
  std::vector<ScrubResult> erasures;
  ScrubResult retention;  // the retention run after them
  std::vector<std::string> warnings;
};

// Applies the erasures of the ledger at `ledger` (dated on or after `since`) again to
// `database`, then runs the retention rules, all as `options` says (dry run unless
// options.apply; options.customer and options.ledger are ignored). The subjects are found
// by reading the subject table's customer numbers once, hashing each (ledger_subject) and
// looking it up among the ledger's hashes; each one found is erased by scrub() as an erasure
// request for its number, with its own audit records ("replay": true); the replay writes no
// ledger record. Throws what read_ledger throws (a malformed ledger, another pseudonym key:
// Error(invalid)), Error(invalid) when no pseudonym key is configured, and what scrub throws;
// a ledger whose hash chain is broken is a warning (records may be missing).
ReplayResult replay_ledger(const std::string& database, const RetentionPolicy& policy,
                           const DataMap& map, const ScrubOptions& options,
                           const std::filesystem::path& ledger, const std::optional<Date>& since);
void write_replay_text(std::ostream& out, const ReplayResult& result);
nlohmann::json replay_to_json(const ReplayResult& result);
// Exit::findings when the guard refused the retention run, else Exit::ok.
Exit replay_status(const ReplayResult& result);

// The result as text (a table per action, then totals) or as JSON (telcomply-scrub(1)).
void write_scrub_text(std::ostream& out, const ScrubResult& result);
nlohmann::json scrub_to_json(const ScrubResult& result);
// Exit::findings when the guard refused the plan, else Exit::ok.
Exit scrub_status(const ScrubResult& result);

// ---------------------------------------------------------------------------------------
// Building blocks, exposed for tests.

// The latest start date whose retention of `keep` has run out on `as_of`: a row is past
// retention when its start date is on or before it.
Date retention_cutoff(const Duration& keep, const Date& as_of);

// How one column is masked, with the constraints of the column it writes to.
struct MaskSpec {
  MaskStrategy strategy = MaskStrategy::null;
  std::string value;      // fixed
  int keep = 0;           // partial: leading characters kept; later ones masked (mask.cpp)
  bool not_null = false;  // NOT NULL: never NULL, a placeholder instead
  bool unique = false;    // UNIQUE: "#<row key>" is appended where values could repeat
  bool numeric = false;   // numeric affinity: the NULL placeholder is 0 rather than ""
};

// The masked form of `value` (nullopt is NULL). `row_key` keeps UNIQUE columns unique;
// `pseudonym_key` is the HMAC key. Masking is idempotent: masking a masked value returns it
// unchanged, so a second run changes nothing. NULL stays NULL (unless NOT NULL forbids it).
std::optional<std::string> mask_value(const MaskSpec& spec, const std::optional<std::string>& value,
                                      std::string_view row_key, std::string_view pseudonym_key);

// "anon:" and the first 32 hex digits of HMAC-SHA-256(key, value).
std::string pseudonym(std::string_view value, std::string_view key);
bool is_pseudonym(std::string_view value);

// The pseudonym key: from `key_file` when given, else from the policy's source (an
// environment variable or a file). Throws Error(invalid) when none is configured, it cannot
// be read, or it is shorter than 16 bytes.
std::string load_pseudonym_key(const KeySource& source, const std::filesystem::path& key_file);

}  // namespace telcomply
