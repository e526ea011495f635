// telcomply scrub: plan the retention rules (or one erasure request) against the database,
// guard against mass deletion, and carry the plan out in bounded transactions.
#include "scrub/scrub.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <tuple>
#include <utility>
#include <variant>

#include "core/crypto.h"
#include "core/error.h"
#include "datamap/dates.h"
#include "datamap/resolved.h"
#include "io/audit.h"
#include "scrub/ledger.h"
#include "scrub/model.h"

namespace telcomply {

using scrub_detail::Keeper;
using scrub_detail::kFalse;
using scrub_detail::kTrue;
using scrub_detail::LevelGroup;
using scrub_detail::Levels;
using scrub_detail::Model;
using scrub_detail::Ref;
using scrub_detail::RowCondition;
using scrub_detail::RuleState;
using scrub_detail::SqlBuilder;
using scrub_detail::TableInfo;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kDefaultBatch = 100000;
// Rows an anonymise action reads at a time, and about the most memory their masks may take: a
// chunk is read, masked, then written, so no result is open on the table while it changes and
// memory stays flat. Every chunk runs its query anew (and re-evaluates the hold subqueries):
// chunks much smaller than this cost noticeably more.
constexpr std::int64_t kChunkRows = 32768;
constexpr std::size_t kChunkBytes = std::size_t{16} << 20;
// Below this share of the rows of the table just below, rows look their level below up
// through the link columns' index rather than join a pass over the whole path: one index
// lookup per row costs about as much as reading 40 rows in order (bench/crossover).
constexpr double kLookupShare = 0.025;

// ---------------------------------------------------------------------------------------
// Whether a masked value differs from the stored one, compared as the database compares them.

// `text` as a number the way a numeric column reads text ("0", " 1.5", "2e3"); nullopt for
// anything else (hex, inf and nan are text).
std::optional<double> as_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
      return std::nullopt;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Whether writing `masked` changes column `i` of `row`: NULL only equals NULL, text equals the
// same text, and a number in a numeric column equals text that reads as the same number (a
// REAL 0.0 is already what the placeholder "0" stores).
bool changes(const Row& row, std::size_t i, const std::optional<std::string>& masked,
             const DbColumn* column) {
  if (!masked) return !row.is_null(i);
  switch (row.type(i)) {
    case ValueType::null:
    case ValueType::blob:
      return true;
    case ValueType::text:
    case ValueType::json:
      return row.text(i) != *masked;
    case ValueType::integer:
    case ValueType::real:
    case ValueType::decimal:
    case ValueType::boolean:
      break;
  }
  if (column == nullptr || column->kind == ColumnType::text || column->kind == ColumnType::blob)
    return true;
  const bool whole = row.type(i) == ValueType::integer || row.type(i) == ValueType::boolean;
  if (whole) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(masked->data(), masked->data() + masked->size(), n);
    if (ec == std::errc() && end == masked->data() + masked->size()) return n != row.integer(i);
  }
  const std::optional<double> number = as_number(*masked);
  if (!number) return true;
  const double stored = whole ? static_cast<double>(row.integer(i)) : row.real(i);
  return stored != *number;
}

// ---------------------------------------------------------------------------------------
// The plan: one entry per rule (or, for an erasure request, per table and action).

struct PlannedColumn {
  std::string name;
  std::size_t spec = 0;
  const DbColumn* column = nullptr;
  std::string expired;  // every keeper of the column has run out (TRUE when none keeps it)
};

// One row's masks: which columns change ('1' at their index) and their new values.
struct RowMasks {
  std::string changed;
  std::vector<std::optional<std::string>> values;
};

struct Planned {
  ScrubAction out;
  std::int64_t committed = 0;  // rows changed by transactions that committed (applied runs)
  const TableInfo* table = nullptr;
  const RuleState* rule = nullptr;  // null for erasure actions
  std::vector<PlannedColumn> columns;
  std::vector<Keeper> keepers;  // reported reasons (anonymise)
  // The lowest and highest row address of the rows past the rule's retention, read with
  // their count (due_counts) where each index entry carries the row address (SQLite's
  // rowid): the stretch of the table apply_table walks, without a second pass over them.
  std::optional<std::pair<std::int64_t, std::int64_t>> span;
};

struct Bucket;

// An action's statements while it is carried out: the DELETE of a window, or the SELECTs of an
// anonymise action's rows (a window's first chunk, then, without windows, the chunks after
// :after) and the UPDATEs that write their masks (one per set of columns that change).
struct ActionRun {
  Planned* planned = nullptr;
  std::unique_ptr<Statement> del;
  std::unique_ptr<Statement> first;
  std::unique_ptr<Statement> next;
  std::map<std::string, std::unique_ptr<Statement>> updates;
  std::string update_sql;  // "UPDATE t SET " ...: the row address's condition follows the SETs
  std::string where;       // " WHERE address = :k"
};

// Retrying while another process holds the database: for up to `wait_ms` in all, with pauses
// that grow from 10 ms to half a second.
class BusyWait {
 public:
  explicit BusyWait(int wait_ms)
      : wait_ms_(wait_ms), deadline_(Clock::now() + std::chrono::milliseconds(wait_ms)) {}
  // Runs `step` again while it fails with a busy database.
  template <typename F>
  void retry(F&& step) {
    while (true) {
      try {
        step();
        return;
      } catch (const StoreError& e) {
        if (!again(e)) throw;
      }
    }
  }
  // After `e`: false when it is not a busy database (the caller rethrows it); else pauses and
  // returns true, or throws Error(operational) once the time is up.
  bool again(const StoreError& e) {
    if (e.failure() != StoreFailure::busy) return false;
    if (Clock::now() >= deadline_) {
      throw_operational("database busy: another process kept it locked for " +
                        std::to_string(wait_ms_ / 1000) + " s");
    }
    std::this_thread::sleep_for(pause_);
    pause_ = std::min(pause_ * 2, std::chrono::milliseconds(500));
    return true;
  }

 private:
  int wait_ms_;
  Clock::time_point deadline_;
  std::chrono::milliseconds pause_{10};
};

// A new run's identifier for its audit records: 64 random bits in hex.
std::string new_run_id() {
  std::random_device random;
  const std::uint64_t bits = (std::uint64_t{random()} << 32) ^ random();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
  return buf;
}

// The values of a row, with their types, as one digest.
std::string row_digest(const Row& row) {
  std::string all;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const std::string_view text = row.is_null(i) ? std::string_view() : row.text(i);
    all += std::to_string(static_cast<int>(row.type(i))) + ":" + std::to_string(text.size()) + ":" +
           std::string(text) + ";";
  }
  return sha256_hex(all);
}

class Scrubber {
 public:
  Scrubber(Store& store, const RetentionPolicy& policy, const DataMap& map,
           const DateColumns& dates, const ScrubOptions& options, AuditLog* audit, AuditLog* ledger)
      : store_(store),
        policy_(policy),
        options_(options),
        model_(policy, map, store, dates, options.as_of, !options.customer.empty()),
        sql_(model_),
        params_(model_.date_params()),
        audit_(audit),
        ledger_(ledger),
        run_id_(new_run_id()) {
    params_[":lo"] = std::int64_t{0};
    params_[":hi"] = std::int64_t{0};
    params_[":n"] = std::int64_t{0};
    // A NOT NULL date column read whole counted its table's rows, as of a moment before
    // planning: the guard does not count them again (at 20 million call records, 1.7 s).
    for (const DateColumn& c : dates.columns()) {
      const TableInfo* t = model_.table(c.table->name());
      if (c.read && c.column->not_null && t != nullptr) rows_.emplace(t, c.values);
    }
  }

  // `checked` waits for the integrity check started before the plan (scrub()) and throws
  // what it found: it returns before anything is written.
  ScrubResult run(std::vector<std::string> warnings, const std::function<void()>& checked);

 private:
  void resolve_subject(ScrubResult& result);
  // The holds that cover the erasure request's customer now.
  std::vector<std::string> subject_holds();
  void build_policy_actions();
  void build_erasure_actions();
  std::size_t add_spec(const TableInfo& t, const std::string& column, const Mask* mask);
  PlannedColumn planned_column(const TableInfo& t, const std::string& a, const std::string& column,
                               const Mask* mask, const RuleState* own);
  std::string mask_items(const Planned& p) const;
  bool mask_row(const Planned& p, const Row& row, std::size_t at, RowMasks& out) const;
  std::int64_t query_int(const std::string& sql);
  // Classifies the due rows of `actions`, all on `t` (several only for the delete rules of a
  // retention run, counted in one pass): held, kept and why, and (with `changes`) the rows
  // each action changes; without it, what an anonymise action changes is left out.
  void count(const TableInfo& t, const std::vector<Planned*>& actions, bool changes = true);
  // count() for every action on `t`, and for the whole plan.
  void count_table(const TableInfo& t, bool changes = true);
  void count_all(bool changes = true);
  // Whether count() reads the level of `group`, below `t`, by a lookup per row
  // (SqlBuilder::level): when few rows of `t` are due (left_due_) and the links are indexed.
  bool lookup_level(const TableInfo& t, const LevelGroup& group);
  // The tables referencing `t` whose rows count() looks up per row of `t` through their
  // index (SqlBuilder::set_lookups): those with more rows than the rows of `t` it reads
  // (left_due_, else all of `t`). PostgreSQL answers "IN (SELECT ...)" from a hash table only
  // when the list it expects fits in work_mem; a longer one it reads again for every row,
  // in time that grows with both tables (the invoices left past retention against every
  // payment that stays: 49.6 s at 5 million call records, where 1 million took 0.4 s).
  std::set<const TableInfo*> lookup_refs(const TableInfo& t);
  // Rows past each rule's retention (due and affected), one pass per table.
  void due_counts();
  // The buckets an SQL statement returns: [h, d,] levels and flags as in `shape`, count(*).
  std::vector<Bucket> buckets(const std::string& sql, const Bucket& shape, bool classified);
  std::int64_t table_rows(const TableInfo& t);
  void plan(ScrubResult& result);
  void guard(ScrubResult& result, const std::map<const TableInfo*, std::int64_t>& touched);
  void recount_after_apply(ScrubResult& result);
  void apply(ScrubResult& result);
  void apply_table(const TableInfo& t, std::vector<Planned*>& actions, ScrubResult& result);
  // Rows per transaction: --batch-size, or by default a quarter of what the table loses and
  // at least kDefaultBatch. Every transaction rewrites the index pages its rows touch, and
  // rows in time order touch every page of an index in another order: few large
  // transactions cost little more than one.
  std::int64_t batch_size(std::int64_t planned) const {
    if (options_.batch_rows > 0) return options_.batch_rows;
    return std::max<std::int64_t>(kDefaultBatch, (planned + 3) / 4);
  }
  // The column an UPDATE finds one row by.
  std::string address(const TableInfo& t) const;
  // The column the table is walked by in windows: the backend's row address (SQLite's
  // rowid), else the address when it is an integer key that is never NULL and leads an index
  // (a server's tables); empty when there is none, and the table changes in one transaction.
  std::string window_column(const TableInfo& t) const;
  void prepare_masking(const TableInfo& t, const std::string& window, const std::string& access,
                       ActionRun& run);
  std::int64_t mask_window(ActionRun& run);
  // The UPDATE that writes the columns `changed` marks, prepared on first use.
  Statement& update_statement(ActionRun& run, const std::string& changed);
  // Queues the UPDATE that writes `masks` to the row at `address` (Store::queue); its
  // statement is prepared (update_statement).
  void queue_masks(ActionRun& run, const Param& address, RowMasks& masks);
  // Runs the statements of `runs` (on table `t`, in the current window when `windowed`) in one
  // write transaction, retried while the database is busy; adds what commits to each action's
  // `committed` and returns it.
  std::int64_t transaction(const TableInfo& t, std::vector<ActionRun>& runs, bool windowed);
  // The write-ahead audit of the open transaction's changes to `t` (or of its drops of the
  // partitions `dropped`, each with the rows it held), its commit (retried while busy) and the
  // record that it committed.
  void commit_batch(const TableInfo& t, bool windowed, std::int64_t deleted,
                    std::int64_t anonymised, BusyWait& wait,
                    const std::vector<std::pair<const DbPartition*, std::int64_t>>& dropped = {});
  // Whether `del` leaves some row of `part` in place.
  bool partition_keeps(const Planned& del, const DbPartition& part);
  // The rows of `part` when `del` deletes every one of them, else 0 (an empty one too), read
  // under the partition's lock.
  std::int64_t whole_rows(const Planned& del, const DbPartition& part);
  // The partitions of `del`'s table that hold rows and none that it keeps (planning, before
  // any lock).
  std::vector<DbPartition> whole_partitions(const Planned& del);
  // Before a transaction's changes to `t`: the highest row address, which its batch check
  // counts up to (rows added later stay out), when there is an audit trail.
  void mark_top(const TableInfo& t);
  // Whether the role may drop the partitions of `t`; when not, `result` warns that their rows
  // go one by one (partitions_kept).
  bool may_drop_partitions(const TableInfo& t, ScrubResult& result);
  void partitions_kept(const TableInfo& t, const StoreError& e, ScrubResult& result);
  // Drops every partition whose rows `del` all deletes, in transactions of up to `batch` rows
  // that lock each and check it again; returns the rows they held.
  std::int64_t drop_partitions(const TableInfo& t, Planned& del, std::int64_t batch,
                               ScrubResult& result);
  std::int64_t attempt(const TableInfo& t, std::vector<ActionRun>& runs, bool windowed,
                       BusyWait& wait);
  void progress(const std::string& table);
  void erase_residue(ScrubResult& result);

  // The write-ahead audit trail (telcomply-scrub(1), AUDIT TRAIL).
  nlohmann::json audit_entry(const char* event) const;
  // Per rule (or erasure action): the rows planned and held, and with `changed` the rows
  // committed transactions changed (a delete rule counts what its table lost).
  nlohmann::json rule_counts(bool changed) const;
  void record_end(const char* outcome, const std::string& error);
  // The erasure ledger's record of the run (scrub/ledger.h): "start" before the first change,
  // "end" with the rows committed and the outcome.
  void record_ledger(const char* event, const char* outcome);
  // Settles the batches that runs killed before confirming them left "prepared" in the log.
  void reconcile();
  // Appends whether the batch of a "prepared" record committed, as the database shows it.
  void settle(const nlohmann::json& prepared);
  // What later tells whether the open transaction on `t` committed (see batch_state).
  nlohmann::json batch_check(const TableInfo& t, bool windowed, std::int64_t deleted);
  std::string batch_state(const nlohmann::json& check);
  // "FROM table a WHERE <the rows a check looks at>", binding its bounds into `params`;
  // empty when the table or its address column is not in the database.
  std::string check_rows(const nlohmann::json& check, Params& params);
  // The digest of the checked columns of the row at the check's position ("" when there is
  // none); nullopt when a column is not in the database.
  std::optional<std::string> probe_digest(const nlohmann::json& check);

  Store& store_;
  const RetentionPolicy& policy_;
  const ScrubOptions& options_;
  Model model_;
  SqlBuilder sql_;
  Params params_;
  std::vector<MaskSpec> specs_;
  std::string key_;  // the pseudonym key
  std::vector<Planned> plan_;
  std::int64_t done_total_ = 0;
  std::int64_t planned_total_ = 0;
  std::map<const TableInfo*, std::int64_t> rows_;
  // After an applied run, per table: at most how many rows are still past a rule's retention.
  std::map<const TableInfo*, std::int64_t> left_due_;

  AuditLog* audit_ = nullptr;   // null: no audit trail is kept
  AuditLog* ledger_ = nullptr;  // null: no erasure ledger is kept
  std::string run_id_;
  std::int64_t batches_ = 0;
  std::vector<std::int64_t> planned_;  // per entry of plan_: the rows it planned to change
  // In the open transaction: the highest row address when it began, and the first row an
  // anonymise action changed (its action, address and the columns that changed).
  std::optional<std::int64_t> top_;
  const ActionRun* probe_run_ = nullptr;
  Param probe_address_;
  std::string probe_changed_;
  // Holds placed on the erasure request's customer while the run was under way.
  std::vector<std::string> placed_;
};

std::size_t Scrubber::add_spec(const TableInfo& t, const std::string& column, const Mask* mask) {
  MaskSpec spec;
  if (mask != nullptr) {
    spec.strategy = mask->strategy;
    spec.value = mask->value;
    spec.keep = mask->keep;
  }
  if (const DbColumn* c = t.db->find(column)) {
    spec.not_null = c->not_null || c->primary_key;
    spec.unique = c->unique || c->primary_key;
    spec.numeric = c->numeric();
  }
  specs_.push_back(spec);
  return specs_.size() - 1;
}

PlannedColumn Scrubber::planned_column(const TableInfo& t, const std::string& a,
                                       const std::string& column, const Mask* mask,
                                       const RuleState* own) {
  PlannedColumn pc;
  pc.name = column;
  pc.spec = add_spec(t, column, mask);
  pc.column = t.db->find(column);
  std::vector<Keeper> keepers;
  for (const Keeper& k : model_.column_keepers(t, column)) {
    if (own != nullptr && k.rule == own && k.path.empty()) continue;  // in the action's due rows
    keepers.push_back(k);
  }
  std::string expired;
  for (const Keeper& k : Model::binding(keepers)) {
    expired += (expired.empty() ? "(NOT " : " AND (NOT ") + sql_.kept(t, a, k) + ")";
  }
  pc.expired = expired.empty() ? kTrue : "(" + expired + ")";
  return pc;
}

std::string Scrubber::mask_items(const Planned& p) const {
  std::string items;
  for (const PlannedColumn& c : p.columns) items += c.expired + ", ";
  items += model_.dialect().as_text(sql_.col("a", p.table->key));
  for (const PlannedColumn& c : p.columns) items += ", " + sql_.col("a", c.name);
  return items;
}

// Reads what mask_items() selected, from column `at` of `row` on: per masked column whether
// every keeper has run out, the row key, the values. Masks each value no rule keeps; true
// when some value changes.
bool Scrubber::mask_row(const Planned& p, const Row& row, std::size_t at, RowMasks& out) const {
  const std::size_t n = p.columns.size();
  out.changed.assign(n, '0');
  out.values.resize(n);
  const std::string_view key = row.is_null(at + n) ? std::string_view() : row.text(at + n);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (row.integer_or_zero(at + i) == 0) continue;  // a rule still keeps the column
    const std::size_t v = at + n + 1 + i;
    std::optional<std::string> value;
    if (!row.is_null(v)) value.emplace(row.text(v));
    std::optional<std::string> masked = mask_value(specs_[p.columns[i].spec], value, key, key_);
    if (!changes(row, v, masked, p.columns[i].column)) continue;
    out.changed[i] = '1';
    out.values[i] = std::move(masked);
    any = true;
  }
  return any;
}

std::int64_t Scrubber::query_int(const std::string& sql) {
  auto q = store_.prepare(sql);
  q->bind_all(params_);
  return q->step() ? q->row().integer_or_zero(0) : 0;
}

void Scrubber::build_policy_actions() {
  for (const RuleState& r : model_.rules()) {
    const RetentionRule& rule = *r.rule;
    const TableInfo& t = *r.table;
    Planned p;
    p.table = &t;
    p.rule = &r;
    p.out.rule = rule.name;
    p.out.table = t.name;
    p.out.action = rule.action;
    p.out.from = rule.from.kind == RetentionStart::Kind::account_closed ? "account_closed"
                                                                        : rule.from.column;
    p.out.keep = rule.period.empty() ? rule.keep.str() : rule.period + " (" + rule.keep.str() + ")";
    p.out.cutoff = r.cutoff;
    if (rule.action == RetentionAction::anonymise) {
      std::set<std::pair<const RuleState*, const TableInfo*>> seen;
      for (const Mask& m : rule.masks) {
        p.out.columns.push_back(m.column);
        p.columns.push_back(planned_column(t, "a", m.column, &m, &r));
        for (const Keeper& k : model_.column_keepers(t, m.column)) {
          if (k.rule == &r && k.path.empty()) continue;
          const TableInfo* below = k.path.empty() ? nullptr : k.path.back();
          if (seen.insert({k.rule, below}).second) p.keepers.push_back(k);
        }
      }
    }
    plan_.push_back(std::move(p));
  }
}

void Scrubber::build_erasure_actions() {
  const DataMap& map = model_.map();
  for (const Table& entry : map.tables) {
    const TableInfo& t = *model_.table(entry.name);
    if (!t.linked) continue;
    Planned del;
    del.table = &t;
    del.out.table = t.name;
    del.out.action = RetentionAction::delete_row;
    plan_.push_back(del);

    // Columns no link, clock or hold depends on, holding personal data.
    std::set<std::string> fixed{t.key, t.link_column};
    for (const Ref& ref : t.refs) fixed.insert(ref.column);
    for (const DbForeignKey& fk : t.db->foreign_keys) fixed.insert(fk.column);
    if (t.subject) {
      fixed.insert(map.subject.number_column);
      fixed.insert(map.subject.closed_column);
    }
    for (const RuleState* r : t.rules) {
      if (r->rule->from.kind == RetentionStart::Kind::column) fixed.insert(r->rule->from.column);
    }
    for (const Hold& h : policy_.holds) {
      if (h.table != t.name) continue;
      fixed.insert(h.column);
      fixed.insert(h.until_column);
    }
    Planned anon;
    anon.table = &t;
    anon.out.table = t.name;
    anon.out.action = RetentionAction::anonymise;
    // The columns the policy's anonymise rules mask, with their masks: the policy says what
    // anonymising a column means (a NULL could break a CHECK constraint).
    std::set<std::pair<const RuleState*, const TableInfo*>> seen;
    std::set<std::string> done;
    for (const RuleState* r : t.rules) {
      for (const Mask& m : r->rule->masks) {
        if (fixed.count(m.column) || !done.insert(m.column).second) continue;
        anon.out.columns.push_back(m.column);
        anon.columns.push_back(planned_column(t, "a", m.column, &m, nullptr));
        for (const Keeper& k : model_.column_keepers(t, m.column)) {
          const TableInfo* below = k.path.empty() ? nullptr : k.path.back();
          if (seen.insert({k.rule, below}).second) anon.keepers.push_back(k);
        }
      }
    }
    if (!anon.columns.empty()) plan_.push_back(std::move(anon));
  }
}

void Scrubber::resolve_subject(ScrubResult& result) {
  const TableInfo& s = model_.subject();
  const std::string& number = model_.map().subject.number_column;
  if (number.empty() || s.db->find(number) == nullptr) {
    throw_invalid(located(model_.map().subject.loc,
                          "the data map names no customer number column of the subject table"));
  }
  auto find = store_.prepare("SELECT " + sql_.col("a", s.key) + " FROM " + s.quoted + " a WHERE " +
                             sql_.col("a", number) + " = :customer LIMIT 2");
  find->bind(":customer", options_.customer);
  std::vector<Param> keys;
  while (find->step()) keys.push_back(find->row().value(0));
  if (keys.empty()) throw Error(Exit::no_subject, "no customer " + options_.customer);
  if (keys.size() > 1) {
    throw_invalid("customer number " + options_.customer + " matches more than one customer");
  }
  params_[":subject"] = keys.front();
  result.customer = options_.customer;
  result.holds = subject_holds();
  sql_.set_subject_held(!result.holds.empty());
}

std::vector<std::string> Scrubber::subject_holds() {
  const TableInfo& s = model_.subject();
  std::vector<std::string> holds;
  for (std::size_t i = 0; i < policy_.holds.size(); ++i) {
    std::string held = sql_.held_by(s, "a", i);
    if (held == kFalse) continue;
    try {
      if (query_int("SELECT " + held + " FROM " + s.quoted + " a WHERE " + sql_.scope(s, "a")) !=
          0) {
        holds.push_back(policy_.holds[i].name);
      }
    } catch (...) {
      rethrow_database_error("reading the holds");
    }
  }
  return holds;
}

// A reason a due row may stay, as counted: a keeper, read from the row's level in the
// keeper's group, or rows of a referencing table (the row's item f<flag>).
struct ReasonSlot {
  KeptReason out;
  std::optional<Keeper> keeper;
  std::size_t group = 0;
  std::size_t rank = 0;
  std::size_t flag = 0;
};

// Due rows alike in everything counted, and how many.
struct Bucket {
  bool held = false;
  bool deleted = false;
  std::vector<std::size_t> levels;  // per level group
  std::vector<bool> flags;          // per referencing table
  std::int64_t rows = 0;
};

// Reads a bucket from `row`: [h, d,] levels, flags, starting at column `at`.
std::size_t read_bucket(const Row& row, std::size_t at, bool classified, Bucket& out) {
  if (classified) {
    out.held = row.integer_or_zero(at++) != 0;
    out.deleted = row.integer_or_zero(at++) != 0;
  }
  for (std::size_t& level : out.levels) {
    level = static_cast<std::size_t>(std::max<std::int64_t>(0, row.integer_or_zero(at++)));
  }
  for (std::size_t i = 0; i < out.flags.size(); ++i) out.flags[i] = row.integer_or_zero(at++) != 0;
  return at;
}

// One action's count of rows that stay for no hold and are not deleted: per level group, by
// level; per referencing table.
struct Tally {
  std::vector<std::vector<std::int64_t>> by_level;
  std::vector<std::int64_t> by_flag;

  Tally(const Levels& levels, std::size_t flags) : by_flag(flags, 0) {
    for (const LevelGroup& g : levels.groups()) by_level.emplace_back(g.bounds.size() + 1, 0);
  }
  void add(const Bucket& b, std::int64_t rows) {
    for (std::size_t g = 0; g < by_level.size(); ++g) {
      by_level[g][std::min(b.levels[g], by_level[g].size() - 1)] += rows;
    }
    for (std::size_t f = 0; f < by_flag.size(); ++f) by_flag[f] += b.flags[f] ? rows : 0;
  }
  // Rows kept by each reason, into `out` (those with rows, in order), leaving out the
  // action's `own` rule.
  void report(const std::vector<ReasonSlot>& reasons, const RuleState* own,
              std::vector<KeptReason>& out) {
    for (std::vector<std::int64_t>& counts : by_level) {
      // At least each level: a keeper of rank r keeps the rows at levels r and above.
      for (std::size_t i = counts.size() - 1; i > 0; --i) counts[i - 1] += counts[i];
    }
    for (const ReasonSlot& r : reasons) {
      if (r.keeper && r.keeper->rule == own && r.keeper->path.empty()) continue;
      const std::int64_t rows = r.keeper ? by_level[r.group][r.rank] : by_flag[r.flag];
      if (rows == 0) continue;
      out.push_back(r.out);
      out.back().rows = rows;
    }
  }
};

std::vector<Bucket> Scrubber::buckets(const std::string& sql, const Bucket& shape,
                                      bool classified) {
  std::vector<Bucket> out;
  auto q = store_.prepare(sql);
  q->bind_all(params_);
  while (q->step()) {
    Bucket b = shape;
    const std::size_t at = read_bucket(q->row(), 0, classified, b);
    b.rows = q->row().integer_or_zero(at);
    out.push_back(std::move(b));
  }
  return out;
}

void Scrubber::count(const TableInfo& t, const std::vector<Planned*>& actions, bool changes) {
  const std::string a = "a";
  const Planned& first = *actions.front();
  const bool anon = first.out.action == RetentionAction::anonymise;
  // Several actions: the delete rules of a retention run on `t`, counted in one pass, each
  // over the rows its own level says are due for it.
  const bool several = actions.size() > 1;
  // The reasons, in the order they are reported: for deleting, the rules on `t` (an action
  // leaves out its own), the rules below it and the tables referencing it; for anonymising,
  // the action's keepers. The keepers among them in level groups.
  std::vector<ReasonSlot> reasons;
  Levels levels;
  auto keeper = [&](const Keeper& k) {
    levels.add(k);
    reasons.push_back(ReasonSlot{
        KeptReason{k.rule->rule->name, k.path.empty() ? "" : k.rule->table->name, "", 0}, k});
  };
  std::map<std::string, std::string> by_child;
  sql_.set_lookups(lookup_refs(t));  // until the statement is built
  if (!anon) {
    for (const RuleState* r : model_.row_keepers(t)) keeper(Keeper{r, {}});
    for (const Keeper& k : model_.descendant_keepers(t)) keeper(k);
    for (const Ref& ref : t.refs) {
      std::string& e = by_child[ref.child->name];
      e += (e.empty() ? "" : " OR ") + sql_.referenced_by_staying(ref, a);
    }
    std::size_t flag = 0;
    for (const auto& [child, expr] : by_child)
      reasons.push_back(ReasonSlot{KeptReason{"", "", child, 0}, std::nullopt, 0, 0, flag++});
  } else {
    for (const Keeper& k : first.keepers) keeper(k);
  }
  std::vector<const RuleState*> own;
  if (several) {
    for (const Planned* p : actions) {
      levels.add(Keeper{p->rule, {}});
      own.push_back(p->rule);
    }
  }
  levels.finish();
  for (ReasonSlot& r : reasons) {
    if (r.keeper) std::tie(r.group, r.rank) = levels.find(*r.keeper);
  }
  // Per action of several, where its own rule's level says a row is due.
  std::vector<std::pair<std::size_t, std::size_t>> own_level;
  for (const RuleState* r : own) own_level.push_back(levels.find(Keeper{r, {}}));
  // Per due row: h held, d deleted in this run unless held (record() looks at h first, so
  // the hold's subqueries run once per statement, not twice), l<g> its level in group g, f<i>
  // referenced by rows of the i-th referencing table that stay.
  std::string joins;
  std::vector<std::string> items{sql_.held_here(t, a) + " AS h",
                                 sql_.deletable_unless_held(t, a) + " AS d"};
  for (std::size_t g = 0; g < levels.groups().size(); ++g) {
    const LevelGroup& group = levels.groups()[g];
    items.push_back(sql_.level(group, a, joins, lookup_level(t, group)) + " AS l" +
                    std::to_string(g));
  }
  std::size_t flags = 0;
  for (const auto& [child, expr] : by_child) {
    items.push_back("(" + expr + ") AS f" + std::to_string(flags++));
  }
  const std::string due = several                 ? sql_.any_expired(own, a)
                          : first.rule != nullptr ? sql_.expired(*first.rule, a)
                                                  : sql_.scope(t, a);
  std::string inner;
  std::string keys;
  for (const std::string& item : items) {
    inner += (inner.empty() ? "" : ", ") + item;
    keys += (keys.empty() ? "" : ", ") + item.substr(item.rfind(' ') + 1);
  }
  const std::string from = " FROM " + t.quoted + " a" + joins + " WHERE " + due;
  sql_.set_lookups({});
  Bucket shape;
  shape.levels.resize(levels.groups().size());
  shape.flags.resize(flags);
  std::vector<Tally> tallies(actions.size(), Tally(levels, flags));
  for (Planned* p : actions) {
    p->out.due = p->out.held = p->out.affected = 0;
    p->out.kept.clear();
  }
  // A bucket of rows into the counts of every action it is due for.
  auto record = [&](const Bucket& b, std::int64_t rows) {
    for (std::size_t i = 0; i < actions.size(); ++i) {
      // Its own rule still keeps the rows: not due for this action.
      if (several && b.levels[own_level[i].first] >= own_level[i].second) continue;
      ScrubAction& out = actions[i]->out;
      out.due += rows;
      if (b.held) {
        out.held += rows;
      } else if (b.deleted) {
        if (!anon || !changes) out.affected += rows;
      } else {
        tallies[i].add(b, rows);
      }
    }
  };
  try {
    if (anon && changes) {
      // Whether a value still changes is known only once it is masked: the due rows are read
      // one at a time and counted here.
      Planned& p = *actions.front();
      auto q = store_.prepare("SELECT " + inner + ", " + mask_items(p) + from);
      q->bind_all(params_);
      RowMasks masks;
      Bucket b = shape;
      while (q->step()) {
        const Row& r = q->row();
        const std::size_t at = read_bucket(r, 0, true, b);
        record(b, 1);
        if (!b.held && !b.deleted && mask_row(p, r, at, masks)) ++p.out.affected;
      }
    } else {
      for (const Bucket& b :
           buckets("SELECT " + inner + ", count(*)" + from + " GROUP BY " + keys, shape, true))
        record(b, b.rows);
    }
    for (std::size_t i = 0; i < actions.size(); ++i) {
      tallies[i].report(reasons, actions[i]->rule, actions[i]->out.kept);
    }
  } catch (...) {
    rethrow_database_error("planning " + (several                  ? "the rules on " + t.name
                                          : first.out.rule.empty() ? t.name
                                                                   : "rule " + first.out.rule));
  }
}

std::set<const TableInfo*> Scrubber::lookup_refs(const TableInfo& t) {
  std::set<const TableInfo*> out;
  std::optional<std::int64_t> probes;
  if (auto due = left_due_.find(&t); due != left_due_.end()) probes = due->second;
  for (const Ref& ref : t.refs) {
    if (!ref.indexed || out.contains(ref.child)) continue;
    if (!probes) probes = store_.estimated_rows(t.name);
    if (!probes) return out;
    const std::optional<std::int64_t> rows = store_.estimated_rows(ref.child->name);
    if (rows && *probes < *rows) out.insert(ref.child);
  }
  return out;
}

bool Scrubber::lookup_level(const TableInfo& t, const LevelGroup& group) {
  auto due = left_due_.find(&t);
  if (due == left_due_.end() || group.path.empty()) return false;
  for (const TableInfo* c : group.path) {
    if (c->db->indexed.count(c->link_column) == 0) return false;
  }
  const std::optional<std::int64_t> below = store_.estimated_rows(group.path.front()->name);
  return below && static_cast<double>(due->second) < kLookupShare * static_cast<double>(*below);
}

void Scrubber::count_table(const TableInfo& t, bool changes) {
  std::vector<Planned*> deletes;
  for (Planned& p : plan_) {
    if (p.table != &t) continue;
    if (p.rule != nullptr && p.out.action == RetentionAction::delete_row) {
      deletes.push_back(&p);
    } else {
      count(t, {&p}, changes);
    }
  }
  if (!deletes.empty()) count(t, deletes, changes);
}

void Scrubber::count_all(bool changes) {
  std::set<const TableInfo*> done;
  for (const Planned& p : plan_) {
    if (done.insert(p.table).second) count_table(*p.table, changes);
  }
}

void Scrubber::due_counts() {
  // Per table, one pass over the rows past any rule's retention, grouped by their level in
  // each group of rules counting from one date.
  std::map<const TableInfo*, std::vector<Planned*>> by_table;
  for (Planned& p : plan_) by_table[p.table].push_back(&p);
  for (auto& [t, actions] : by_table) {
    Levels levels;
    std::vector<const RuleState*> rules;
    for (const Planned* p : actions) {
      levels.add(Keeper{p->rule, {}});
      rules.push_back(p->rule);
    }
    levels.finish();
    // Several rules: their rows past retention by level. One: every row the WHERE finds, no
    // level to tell apart (a GROUP BY would cost the server a temporary table and a sort).
    const bool grouped = actions.size() > 1;
    std::string joins;
    std::string items;
    std::string keys;
    for (std::size_t g = 0; grouped && g < levels.groups().size(); ++g) {
      const std::string name = "l" + std::to_string(g);
      items += sql_.level(levels.groups()[g], "a", joins) + " AS " + name + ", ";
      keys += (keys.empty() ? "" : ", ") + name;
    }
    // Where the column the table is walked by comes with every index entry (SQLite's rowid,
    // InnoDB's primary key), the bounds of the stretch each rule's rows lie in cost nothing
    // more than their count.
    const std::string walk = window_column(*t);
    const DbColumn* key = t->db->find(walk);
    const bool spans =
        !walk.empty() && (t->db->has_row_id || (key != nullptr && key->primary_key &&
                                                model_.dialect().indexes_hold_key()));
    if (spans) {
      const std::string r = sql_.col("a", walk);
      items += "min(" + r + "), max(" + r + "), ";
    }
    Bucket shape;
    shape.levels.resize(grouped ? levels.groups().size() : 0);
    for (Planned* p : actions) {
      p->out.due = 0;
      p->span.reset();
    }
    try {
      auto q = store_.prepare("SELECT " + items + "count(*) FROM " + t->quoted + " a" + joins +
                              " WHERE " + sql_.any_expired(rules, "a") +
                              (grouped ? " GROUP BY " + keys : std::string()));
      q->bind_all(params_);
      Bucket b = shape;
      while (q->step()) {
        const Row& row = q->row();
        std::size_t at = read_bucket(row, 0, false, b);
        std::optional<std::pair<std::int64_t, std::int64_t>> span;
        if (spans) {
          if (!row.is_null(at)) span.emplace(row.integer(at), row.integer(at + 1));
          at += 2;
        }
        b.rows = row.integer_or_zero(at);
        for (Planned* p : actions) {
          if (grouped) {
            const auto [group, rank] = levels.find(Keeper{p->rule, {}});
            if (b.levels[group] >= rank) continue;
          }
          p->out.due += b.rows;
          if (span && p->span) {
            p->span->first = std::min(p->span->first, span->first);
            p->span->second = std::max(p->span->second, span->second);
          } else if (span) {
            p->span = span;
          }
        }
      }
    } catch (...) {
      rethrow_database_error("planning the rules on " + t->name);
    }
    for (Planned* p : actions) p->out.affected = p->out.due;
  }
}

std::int64_t Scrubber::table_rows(const TableInfo& t) {
  auto it = rows_.find(&t);
  if (it != rows_.end()) return it->second;
  std::int64_t n = 0;
  try {
    n = query_int("SELECT count(*) FROM " + t.quoted);
  } catch (...) {
    rethrow_database_error("counting " + t.name);
  }
  rows_[&t] = n;
  return n;
}

namespace {

// Rows of each table the plan changes: one delete per table (its rules share it) plus the
// rows each anonymise action changes (capped by the caller at the table's size).
std::map<const TableInfo*, std::int64_t> touched_rows(const std::vector<Planned>& plan) {
  std::map<const TableInfo*, std::int64_t> touched;
  std::set<const TableInfo*> deleting;
  for (const Planned& p : plan) {
    if (p.out.action == RetentionAction::delete_row && !deleting.insert(p.table).second) continue;
    touched[p.table] += p.out.affected;
  }
  return touched;
}

}  // namespace

void Scrubber::guard(ScrubResult& result, const std::map<const TableInfo*, std::int64_t>& touched) {
  result.max_share = policy_.max_share;
  result.shares.clear();
  result.refused = false;
  // In the data map's order (not the order of the tables' addresses).
  for (const Table& entry : model_.map().tables) {
    const TableInfo* t = model_.table(entry.name);
    auto it = touched.find(t);
    if (it == touched.end() || it->second <= 0) continue;
    const std::int64_t n = it->second;
    TableShare share;
    share.table = t->name;
    share.rows = table_rows(*t);
    share.touched = std::min(n, share.rows);
    // An erasure request concerns one customer by construction: its share is no sign of a
    // misconfigured rule.
    share.over_limit =
        !model_.erasure() && share.rows > 0 &&
        static_cast<double>(share.touched) > policy_.max_share * static_cast<double>(share.rows);
    if (share.over_limit && !options_.allow_mass_delete) result.refused = true;
    result.shares.push_back(share);
  }
}

void Scrubber::plan(ScrubResult& result) {
  if (!options_.apply || model_.erasure()) {
    // The full plan: every row past retention is classified (done, held, kept and why).
    count_all();
    guard(result, touched_rows(plan_));
    return;
  }
  // Applying the retention rules: the rows past each rule's retention bound what changes
  // (a cheap count, usually over the start date's index). Only a table whose bound breaks
  // the guard is planned row by row; what stays is classified after the run, over the
  // rows that are left.
  due_counts();
  std::map<const TableInfo*, std::int64_t> bound;
  std::map<const TableInfo*, std::int64_t> deletable;
  for (const Planned& p : plan_) {
    if (p.out.action == RetentionAction::delete_row) {
      auto it = deletable.find(p.table);
      deletable[p.table] = it == deletable.end() ? p.out.due : std::min(it->second, p.out.due);
    } else {
      bound[p.table] += p.out.due;
    }
  }
  for (const auto& [t, n] : deletable) bound[t] += n;
  for (const auto& [t, n] : bound) {
    if (n <= 0 ||
        static_cast<double>(n) <= policy_.max_share * static_cast<double>(table_rows(*t))) {
      continue;
    }
    count_table(*t);
    std::int64_t exact = 0;
    std::set<const TableInfo*> deleting;
    for (const Planned& p : plan_) {
      if (p.table != t) continue;
      if (p.out.action == RetentionAction::delete_row && !deleting.insert(t).second) continue;
      exact += p.out.affected;
    }
    bound[t] = exact;
  }
  guard(result, bound);
  if (result.refused) {
    // Nothing will change: show the full plan, as a dry run would.
    count_all();
    guard(result, touched_rows(plan_));
  }
}

void Scrubber::recount_after_apply(ScrubResult& result) {
  // Classify what is left past retention: held, or kept by other rules or references.
  std::vector<std::int64_t> done;
  for (const Planned& p : plan_) done.push_back(p.out.affected);
  // What stays of the rows past retention: the deleted rows are gone, the masked stay.
  for (const Planned& p : plan_) {
    const std::int64_t left = p.out.action == RetentionAction::delete_row
                                  ? std::max<std::int64_t>(0, p.out.due - p.out.affected)
                                  : p.out.due;
    std::int64_t& most = left_due_[p.table];
    most = std::max(most, left);
  }
  count_all(false);
  left_due_.clear();
  for (std::size_t i = 0; i < plan_.size(); ++i) {
    Planned& p = plan_[i];
    if (p.out.action == RetentionAction::delete_row) p.out.due += done[i];
    p.out.affected = done[i];
  }
  guard(result, touched_rows(plan_));
  result.refused = false;
}

void Scrubber::progress(const std::string& table) {
  if (options_.progress)
    options_.progress(Progress{"scrubbing", table, done_total_, planned_total_, "rows"});
}

std::string Scrubber::address(const TableInfo& t) const {
  const std::string& row_id = model_.dialect().row_id();
  if (t.db->has_row_id && !row_id.empty()) return row_id;
  // The key, when it tells rows apart; else the one-column primary key.
  if (const DbColumn* key = t.db->find(t.key); key != nullptr && key->unique) return t.key;
  for (const DbColumn& c : t.db->columns) {
    if (c.primary_key && c.unique) return c.name;
  }
  return t.key;
}

std::string Scrubber::window_column(const TableInfo& t) const {
  const std::string& row_id = model_.dialect().row_id();
  if (t.db->has_row_id && !row_id.empty()) return row_id;
  const std::string column = address(t);
  const DbColumn* c = t.db->find(column);
  if (c != nullptr && c->kind == ColumnType::integer && c->not_null &&
      t.db->indexed.contains(column))
    return column;
  return "";
}

void Scrubber::prepare_masking(const TableInfo& t, const std::string& window,
                               const std::string& access, ActionRun& run) {
  const Planned& p = *run.planned;
  const std::string addr = sql_.col("a", address(t));
  std::string where = " WHERE " + window + " AND " +
                      (p.rule != nullptr ? sql_.expired(*p.rule, "a") : sql_.scope(t, "a"));
  if (std::string held = sql_.held_here(t, "a"); held != kFalse) where += " AND NOT " + held;
  // Rows where some column may change: no rule keeps it any more.
  std::string any;
  for (const PlannedColumn& c : p.columns) {
    if (c.expired == kTrue) {
      any.clear();
      break;
    }
    any += (any.empty() ? "" : " OR ") + c.expired;
  }
  if (!any.empty()) where += " AND (" + any + ")";
  const std::string select =
      "SELECT " + addr + ", " + mask_items(p) + " FROM " + t.quoted + " a" + access + where;
  const std::string order = " ORDER BY " + addr + " LIMIT " + std::to_string(kChunkRows);
  run.first = store_.prepare(select + order);
  // In a window the next chunk starts further in: :lo moves past the last row read (a second
  // lower bound would be a filter, and every chunk would walk the window from its start).
  if (window == kTrue) run.next = store_.prepare(select + " AND " + addr + " > :after" + order);
  run.update_sql = "UPDATE " + t.quoted + " SET ";
  run.where = " WHERE " + model_.dialect().quote(address(t)) + " = :k";
}

std::int64_t Scrubber::mask_window(ActionRun& run) {
  struct Pending {
    Param address;
    RowMasks masks;
  };
  std::vector<Pending> pending;
  RowMasks masks;
  std::int64_t changed = 0;
  std::optional<Param> after;
  while (true) {
    Statement& q = after && run.next ? *run.next : *run.first;
    q.reset();
    q.bind_all(params_);
    if (after && run.next) q.bind(":after", *after);
    if (after && !run.next) q.bind(":lo", std::get<std::int64_t>(*after) + 1);
    pending.clear();
    std::int64_t read = 0;
    std::size_t bytes = 0;
    bool more = false;
    while (q.step()) {
      const Row& r = q.row();
      after = r.value(0);
      if (mask_row(*run.planned, r, 1, masks)) {
        bytes += sizeof(Pending) + masks.values.size() * sizeof(std::optional<std::string>);
        for (const auto& v : masks.values) bytes += v ? v->capacity() : 0;
        pending.push_back(Pending{*after, std::move(masks)});
      }
      if (++read == kChunkRows || bytes >= kChunkBytes) {
        more = true;
        break;
      }
    }
    // No result stays open while the chunk's rows change; their UPDATEs go together.
    q.reset();
    for (const Pending& row : pending) update_statement(run, row.masks.changed);  // prepared first
    for (Pending& row : pending) queue_masks(run, row.address, row.masks);
    const std::vector<std::int64_t> rows = store_.run_queued();
    for (std::size_t i = 0; i < rows.size() && i < pending.size(); ++i) {
      changed += rows[i];
      if (rows[i] > 0 && probe_run_ == nullptr) {
        probe_run_ = &run;
        probe_address_ = pending[i].address;
        probe_changed_ = pending[i].masks.changed;
      }
    }
    if (!more) return changed;
  }
}

Statement& Scrubber::update_statement(ActionRun& run, const std::string& changed) {
  std::unique_ptr<Statement>& update = run.updates[changed];
  if (!update) {
    std::string sql = run.update_sql;
    bool first = true;
    for (std::size_t i = 0; i < changed.size(); ++i) {
      if (changed[i] != '1') continue;
      sql += (first ? "" : ", ") + model_.dialect().quote(run.planned->columns[i].name) + " = :v" +
             std::to_string(i);
      first = false;
    }
    update = store_.prepare(sql + run.where);
  }
  return *update;
}

void Scrubber::queue_masks(ActionRun& run, const Param& address, RowMasks& masks) {
  Statement* update = run.updates.at(masks.changed).get();
  std::string name = ":v";
  for (std::size_t i = 0; i < masks.changed.size(); ++i) {
    if (masks.changed[i] != '1') continue;
    name.resize(2);
    name += std::to_string(i);
    if (masks.values[i]) {
      update->bind(name, std::move(*masks.values[i]));
    } else {
      update->bind(name, nullptr);
    }
  }
  update->bind(":k", address);
  store_.queue(*update);
}

void Scrubber::commit_batch(
    const TableInfo& t, bool windowed, std::int64_t deleted, std::int64_t anonymised,
    BusyWait& wait, const std::vector<std::pair<const DbPartition*, std::int64_t>>& dropped) {
  // Write-ahead: the batch is in the audit log, with what later tells whether it committed,
  // before it commits.
  std::optional<nlohmann::json> prepared;
  if (audit_ != nullptr && deleted + anonymised > 0) {
    prepared = audit_entry("batch");
    (*prepared)["batch"] = ++batches_;
    (*prepared)["state"] = "prepared";
    (*prepared)["database"] = store_.identity();
    (*prepared)["table"] = t.name;
    (*prepared)["deleted"] = deleted;
    (*prepared)["anonymised"] = anonymised;
    // Partitions dropped whole are told by the partitions themselves: gone once the
    // transaction committed, there with their rows when it did not (no count of the whole
    // table).
    if (dropped.empty()) {
      (*prepared)["check"] = batch_check(t, windowed, deleted);
    } else {
      nlohmann::json parts = nlohmann::json::array();
      for (const auto& [part, rows] : dropped)
        parts.push_back(nlohmann::json{{"partition", part->name}, {"rows", rows}});
      (*prepared)["check"] = nlohmann::json{{"table", t.name}, {"partitions", parts}};
    }
    audit_->append(*prepared);
  }
  try {
    // COMMIT may wait for readers; retry it rather than lose the work done.
    wait.retry([&] { store_.commit(); });
  } catch (...) {
    store_.rollback();
    if (prepared) {
      try {
        settle(*prepared);
      } catch (...) {
        // Left "prepared": the next applied run settles it.
      }
    }
    throw;
  }
  if (prepared) {
    nlohmann::json done = audit_entry("batch");
    for (const char* field : {"batch", "table", "deleted", "anonymised"})
      done[field] = (*prepared)[field];
    done["state"] = "committed";
    audit_->append(done);
  }
}

bool Scrubber::partition_keeps(const Planned& del, const DbPartition& part) {
  // One read per condition of the delete, each for a row that fails it: the planner sees
  // that the partition's bounds rule out a row not yet past retention, and finds a held or
  // referenced row through the indexes, so a partition that goes whole is not read row by
  // row. The retention dates come first: a partition of recent rows stays at its first row.
  for (const RowCondition& condition : sql_.deletable_apply_parts(*del.table, "a")) {
    if (query_int("SELECT 1 FROM " + part.quoted + " a WHERE " + condition.stays + " LIMIT 1") == 1)
      return true;
  }
  return false;
}

std::int64_t Scrubber::whole_rows(const Planned& del, const DbPartition& part) {
  if (partition_keeps(del, part)) return 0;
  return query_int("SELECT count(*) FROM " + part.quoted);
}

std::vector<DbPartition> Scrubber::whole_partitions(const Planned& del) {
  std::vector<DbPartition> out;
  for (DbPartition& part : store_.partitions(del.table->name)) {
    if (!partition_keeps(del, part) && query_int("SELECT 1 FROM " + part.quoted + " LIMIT 1") == 1)
      out.push_back(std::move(part));
  }
  return out;
}

void Scrubber::mark_top(const TableInfo& t) {
  probe_run_ = nullptr;
  top_.reset();
  if (const std::string walk = window_column(t); audit_ != nullptr && !walk.empty())
    top_ = query_int("SELECT max(" + sql_.col("a", walk) + ") FROM " + t.quoted + " a");
}

void Scrubber::partitions_kept(const TableInfo& t, const StoreError& e, ScrubResult& result) {
  result.warnings.push_back("the partitions of " + t.name + " were not dropped whole (" + e.what() +
                            "): dropping a partition needs the table's owner; their rows are "
                            "deleted one by one");
}

bool Scrubber::may_drop_partitions(const TableInfo& t, ScrubResult& result) {
  try {
    store_.require_partition_drop(t.name);
    return true;
  } catch (const StoreError& e) {
    if (e.failure() != StoreFailure::permission) throw;
    partitions_kept(t, e, result);
    return false;
  }
}

std::int64_t Scrubber::drop_partitions(const TableInfo& t, Planned& del, std::int64_t batch,
                                       ScrubResult& result) {
  del.out.partitions.clear();
  std::vector<DbPartition> candidates;
  try {
    if (!may_drop_partitions(t, result)) return 0;
    // Found without a lock, so that a partition that keeps a row is never locked; every
    // condition is checked again under the lock.
    candidates = whole_partitions(del);
  } catch (...) {
    rethrow_database_error("reading the partitions of " + t.name);
  }
  std::int64_t dropped = 0;
  std::size_t next = 0;
  while (next < candidates.size()) {
    BusyWait wait(options_.busy_wait_ms);
    while (true) {
      std::size_t end = next;
      try {
        store_.begin_write();
        if (model_.erasure()) {
          placed_ = subject_holds();
          if (!placed_.empty()) {
            store_.rollback();
            return dropped;
          }
        }
        // Each locked first, then checked again: nothing can change it between the two. The
        // partitions go together, up to a batch of rows: a backend that commits DDL on its own
        // drops them in one statement.
        std::vector<std::pair<const DbPartition*, std::int64_t>> group;
        std::int64_t rows = 0;
        for (; end < candidates.size() && rows < batch; ++end) {
          const DbPartition& part = candidates[end];
          store_.lock_partition(part);
          const std::int64_t n = whole_rows(del, part);
          if (n == 0) continue;
          store_.drop_partition(part);
          group.emplace_back(&part, n);
          rows += n;
        }
        if (group.empty()) {
          store_.rollback();
          next = end;
          break;
        }
        commit_batch(t, false, rows, 0, wait, group);
        del.committed += rows;
        dropped += rows;
        done_total_ += rows;
        for (const auto& [part, n] : group) del.out.partitions.push_back(part->name);
        progress(t.name);
        next = end;
        break;
      } catch (const StoreError& e) {
        store_.rollback();
        if (e.failure() == StoreFailure::permission) {
          partitions_kept(t, e, result);
          return dropped;
        }
        if (wait.again(e)) continue;
        rethrow_database_error("dropping partitions of " + t.name);
      } catch (...) {
        store_.rollback();
        rethrow_database_error("dropping partitions of " + t.name);
      }
    }
  }
  return dropped;
}

std::int64_t Scrubber::transaction(const TableInfo& t, std::vector<ActionRun>& runs,
                                   bool windowed) {
  BusyWait wait(options_.busy_wait_ms);
  while (true) {
    try {
      return attempt(t, runs, windowed, wait);
    } catch (const StoreError& e) {
      store_.rollback();
      for (ActionRun& run : runs) {
        for (Statement* s : {run.del.get(), run.first.get(), run.next.get()}) {
          if (s != nullptr) s->reset();
        }
      }
      if (wait.again(e)) continue;
      throw;
    } catch (...) {
      store_.rollback();
      throw;
    }
  }
}

std::int64_t Scrubber::attempt(const TableInfo& t, std::vector<ActionRun>& runs, bool windowed,
                               BusyWait& wait) {
  store_.begin_write();
  // The holds are read again under the write lock: a hold committed since the last
  // transaction counts, and none can commit before this one ends.
  if (model_.erasure()) {
    placed_ = subject_holds();
    if (!placed_.empty()) {
      store_.rollback();
      return 0;
    }
  }
  mark_top(t);
  std::vector<std::int64_t> local(runs.size(), 0);
  std::int64_t deleted = 0;
  std::int64_t anonymised = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].del) {
      Statement& s = *runs[i].del;
      s.reset();
      s.bind_all(params_);
      local[i] = s.run();
      deleted += local[i];
    } else {
      local[i] = mask_window(runs[i]);
      anonymised += local[i];
    }
  }
  commit_batch(t, windowed, deleted, anonymised, wait);
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i].planned->committed += local[i];
  return deleted + anonymised;
}

// ---------------------------------------------------------------------------------------
// The write-ahead audit trail. A run records its intent ("start") before the first change;
// each transaction that changes rows records the batch as "prepared" before it commits, with
// its rows per table and a check, and as "committed" once it has; an "end" record gives the
// outcome. A batch whose run was killed between the two records is settled by the next
// applied run of the same database: the check says whether the transaction committed
// ("committed", with its rows, or "rolled_back"; "unknown" when another process changed the
// rows since). The committed batches, each counted once, are exactly what changed.

nlohmann::json Scrubber::audit_entry(const char* event) const {
  nlohmann::json entry = audit_record("scrub", options_.operator_name);
  entry["run"] = run_id_;
  entry["event"] = event;
  if (options_.replay) entry["replay"] = true;
  return entry;
}

nlohmann::json Scrubber::rule_counts(bool changed) const {
  nlohmann::json rules = nlohmann::json::array();
  for (std::size_t i = 0; i < plan_.size(); ++i) {
    const Planned& p = plan_[i];
    nlohmann::json rule = {{"rule", p.out.rule},
                           {"table", p.out.table},
                           {"action", to_string(p.out.action)},
                           {"planned", planned_[i]},
                           {"held", p.out.held}};
    if (changed) {
      const Planned* counted = &p;
      for (const Planned& q : plan_) {
        if (q.table == p.table && q.out.action == RetentionAction::delete_row &&
            p.out.action == RetentionAction::delete_row) {
          counted = &q;
          break;
        }
      }
      rule["rows"] = counted->committed;
    }
    rules.push_back(rule);
  }
  return rules;
}

void Scrubber::record_end(const char* outcome, const std::string& error) {
  nlohmann::json end = audit_entry("end");
  end["as_of"] = options_.as_of.iso();
  if (model_.erasure()) end["customer"] = options_.customer;
  end["rules"] = rule_counts(true);
  std::int64_t changes = 0;  // rules sharing a table's delete have committed nothing of their own
  for (const Planned& p : plan_) changes += p.committed;
  end["changes"] = changes;
  end["outcome"] = outcome;
  end["complete"] = std::string(outcome) == "applied";
  if (!placed_.empty()) end["holds_placed"] = placed_;
  if (!error.empty()) end["error"] = error;
  audit_->append(end);
}

void Scrubber::record_ledger(const char* event, const char* outcome) {
  nlohmann::json entry = audit_entry(event);
  entry.erase("operator");
  entry["kind"] = model_.erasure() ? "erasure" : "retention";
  entry["as_of"] = options_.as_of.iso();
  if (model_.erasure()) {
    entry["subject"] = ledger_subject(options_.customer, key_);
    entry["key_id"] = ledger_key_id(key_);
  }
  const bool end = std::string_view(event) == "end";
  entry["rules"] = rule_counts(end);
  if (end) entry["outcome"] = outcome;
  ledger_->append(entry);
}

void Scrubber::reconcile() {
  // Batches of this database recorded as prepared and never settled, by (run, batch).
  std::map<std::pair<std::string, std::int64_t>, nlohmann::json> open;
  audit_->for_each_record("\"event\":\"batch\"", [&](const nlohmann::json& r) {
    try {
      if (r.value("command", "") != "scrub") return;
      const auto key = std::make_pair(r.value("run", ""), r.value("batch", std::int64_t{0}));
      if (r.value("state", "") != "prepared") {
        open.erase(key);
      } else if (const std::string db = r.value("database", "");
                 db == store_.identity() || db == store_.name()) {
        open[key] = r;
      }
    } catch (const nlohmann::json::exception&) {
      // Not a record of telcomply's making.
    }
  });
  if (open.empty()) return;
  // Under the write lock: a run still at work is not between its record and its commit.
  BusyWait wait(options_.busy_wait_ms);
  try {
    wait.retry([&] { store_.begin_write(); });
    for (const auto& [key, prepared] : open) settle(prepared);
  } catch (...) {
    store_.rollback();
    rethrow_database_error("settling the batches of interrupted runs");
  }
  store_.rollback();
}

void Scrubber::settle(const nlohmann::json& prepared) {
  nlohmann::json settled = audit_entry("batch");
  const std::string run = prepared.value("run", "");
  settled["run"] = run;
  settled["batch"] = prepared.value("batch", std::int64_t{0});
  const std::string state = batch_state(prepared.value("check", nlohmann::json::object()));
  settled["state"] = state;
  if (state == "committed") {
    for (const char* field : {"table", "deleted", "anonymised"}) {
      if (prepared.contains(field)) settled[field] = prepared.at(field);
    }
  }
  if (run != run_id_) settled["checked_by"] = run_id_;
  audit_->append(settled);
}

// A transaction that deleted rows is told by the number of rows left in the stretch of the
// table it worked on; one that only anonymised, by the masked values of the first row it
// changed, found by its position in that stretch (no key of a row is recorded).
nlohmann::json Scrubber::batch_check(const TableInfo& t, bool windowed, std::int64_t deleted) {
  nlohmann::json check = {{"table", t.name}, {"address", address(t)}};
  if (top_) {
    // Rows added after the transaction have higher addresses: they stay out.
    std::int64_t to = *top_;
    if (windowed) {
      check["from"] = std::get<std::int64_t>(params_[":lo"]);
      to = std::min(to, std::get<std::int64_t>(params_[":hi"]) - 1);
    }
    check["to"] = to;
  }
  Params params;
  const std::string rows = check_rows(check, params);
  if (deleted > 0 || probe_run_ == nullptr) {
    auto q = store_.prepare("SELECT count(*)" + rows);
    q->bind_all(params);
    check["rows"] = q->step() ? q->row().integer(0) : 0;
    check["deleted"] = deleted;
    return check;
  }
  nlohmann::json columns = nlohmann::json::array();
  for (std::size_t i = 0; i < probe_changed_.size(); ++i) {
    if (probe_changed_[i] == '1') columns.push_back(probe_run_->planned->columns[i].name);
  }
  check["columns"] = columns;
  auto q = store_.prepare("SELECT count(*)" + rows + " AND " + sql_.col("a", address(t)) + " < :k");
  q->bind_all(params);
  q->bind(":k", probe_address_);
  check["position"] = q->step() ? q->row().integer(0) : 0;
  q.reset();
  check["digest"] = probe_digest(check).value_or("");
  return check;
}

std::string Scrubber::batch_state(const nlohmann::json& check) {
  try {
    if (check.contains("partitions")) {
      // Committed when every partition is gone, rolled back when every one is there with
      // its rows.
      const std::vector<DbPartition> now = store_.partitions(check.at("table").get<std::string>());
      std::size_t gone = 0;
      std::size_t kept = 0;
      for (const nlohmann::json& dropped : check.at("partitions")) {
        const std::string name = dropped.at("partition").get<std::string>();
        auto part = std::find_if(now.begin(), now.end(),
                                 [&](const DbPartition& p) { return p.name == name; });
        if (part == now.end()) {
          ++gone;
        } else if (query_int("SELECT count(*) FROM " + part->quoted) ==
                   dropped.at("rows").get<std::int64_t>()) {
          ++kept;
        }
      }
      const std::size_t all = check.at("partitions").size();
      return gone == all ? "committed" : kept == all ? "rolled_back" : "unknown";
    }
    Params params;
    const std::string rows = check_rows(check, params);
    if (rows.empty()) return "unknown";
    if (check.contains("digest")) {
      const std::optional<std::string> digest = probe_digest(check);
      if (!digest) return "unknown";
      return *digest == check.at("digest") ? "committed" : "rolled_back";
    }
    auto q = store_.prepare("SELECT count(*)" + rows);
    q->bind_all(params);
    const std::int64_t now = q->step() ? q->row().integer(0) : -1;
    const auto after = check.at("rows").get<std::int64_t>();
    if (now == after) return "committed";
    if (now == after + check.at("deleted").get<std::int64_t>()) return "rolled_back";
    return "unknown";
  } catch (const nlohmann::json::exception&) {
    return "unknown";
  }
}

std::string Scrubber::check_rows(const nlohmann::json& check, Params& params) {
  const Dialect& dialect = model_.dialect();
  const DbTable* table = store_.schema().find(check.value("table", ""));
  const std::string address = check.value("address", "");
  if (table == nullptr || address.empty() ||
      (table->find(address) == nullptr && !(table->has_row_id && address == dialect.row_id())))
    return "";
  const std::string a = sql_.col("a", address);
  std::string where = std::string(" WHERE ") + kTrue;
  if (check.contains("from")) {
    where += " AND " + a + " >= :from";
    params[":from"] = check["from"].get<std::int64_t>();
  }
  if (check.contains("to")) {
    where += " AND " + a + " <= :to";
    params[":to"] = check["to"].get<std::int64_t>();
  }
  return " FROM " + table->quoted + " a" + where;
}

std::optional<std::string> Scrubber::probe_digest(const nlohmann::json& check) {
  Params params;
  const std::string rows = check_rows(check, params);
  const DbTable* table = store_.schema().find(check.value("table", ""));
  if (rows.empty() || !check.contains("columns") || check["columns"].empty()) return std::nullopt;
  std::string columns;
  for (const auto& c : check["columns"]) {
    const std::string name = c.get<std::string>();
    if (table->find(name) == nullptr) return std::nullopt;
    columns += (columns.empty() ? "" : ", ") + sql_.col("a", name);
  }
  auto q = store_.prepare("SELECT " + columns + rows + " ORDER BY " +
                          sql_.col("a", check.at("address").get<std::string>()) +
                          " LIMIT 1 OFFSET :position");
  q->bind_all(params);
  q->bind(":position", check.value("position", std::int64_t{0}));
  return q->step() ? row_digest(q->row()) : std::string();
}

void Scrubber::apply_table(const TableInfo& t, std::vector<Planned*>& actions,
                           ScrubResult& result) {
  std::int64_t planned = 0;
  for (const Planned* p : actions) planned += p->out.affected;
  if (planned == 0) return;
  // Partitions whose every row goes are dropped whole, before the rows of the others. Whether
  // a row goes is the table's, whatever rule deletes it: the first deleting rule drops them.
  const auto deleting = std::find_if(actions.begin(), actions.end(), [](const Planned* p) {
    return p->out.action == RetentionAction::delete_row;
  });
  if (deleting != actions.end()) {
    planned -= drop_partitions(t, **deleting, batch_size(planned), result);
    if (!placed_.empty()) {
      for (Planned* a : actions) a->out.affected = a->committed;
      return;
    }
  }
  const Dialect& dialect = model_.dialect();
  const std::string walk = window_column(t);
  const bool windows = !walk.empty() && planned > batch_size(planned);
  const bool candidates = windows && model_.erasure();
  const std::string row_id = windows ? sql_.col("a", walk) : "";
  // The rows of the window, with the table named `alias`.
  const auto window_of = [&](const std::string& alias) -> std::string {
    if (!windows) return kTrue;
    const std::string r = sql_.col(alias, walk);
    return candidates ? r + " IN (SELECT r FROM tc_scrub_rows WHERE r >= :lo AND r < :hi)"
                      : r + " >= :lo AND " + r + " < :hi";
  };
  const std::string window = window_of("a");
  if (candidates) {
    try {
      // A temporary table (unqualified: the temporary schema comes first on every backend);
      // INTEGER PRIMARY KEY is SQLite's row address itself, a server's keys may be 64-bit.
      store_.execute(std::string("CREATE TEMPORARY TABLE IF NOT EXISTS tc_scrub_rows(r ") +
                     (dialect.row_id().empty() ? "BIGINT" : "INTEGER") + " PRIMARY KEY)");
    } catch (...) {
      rethrow_database_error("preparing the changes to " + t.name);
    }
  }
  // Windows walk the table by its row address: no index may take over the scan.
  const std::string access = windows ? dialect.walk_table_hint() : "";
  // The actions all run in each window's transaction: every row's changes commit together.
  std::vector<ActionRun> runs;
  for (Planned* p : actions) {
    ActionRun run;
    run.planned = p;
    try {
      if (p->out.action == RetentionAction::delete_row) {
        const std::string alias = dialect.delete_alias(t.quoted);
        run.del = store_.prepare(
            "DELETE FROM " + t.quoted + (alias == t.quoted ? std::string() : " AS " + alias) +
            access + " WHERE " + window_of(alias) + " AND " + sql_.deletable_apply(t, alias));
      } else {
        prepare_masking(t, window, access, run);
      }
    } catch (...) {
      rethrow_database_error("preparing the changes to " + t.name);
    }
    runs.push_back(std::move(run));
  }
  std::int64_t done = 0;
  auto run = [&] {
    std::int64_t got = 0;
    try {
      got = transaction(t, runs, windows);
    } catch (...) {
      rethrow_database_error("changing " + t.name);
    }
    done += got;
    done_total_ += got;
    progress(t.name);
  };
  auto finish = [&] {
    for (Planned* p : actions) p->out.affected = p->committed;
  };
  if (!windows) {
    run();
    finish();
    return;
  }
  std::int64_t lo = 0;
  std::int64_t last = 0;
  try {
    if (candidates) {
      store_.execute("DELETE FROM tc_scrub_rows");
      auto fill = store_.prepare("INSERT INTO tc_scrub_rows SELECT " + row_id + " FROM " +
                                 t.quoted + " a WHERE " + sql_.scope(t, "a"));
      fill->bind_all(params_);
      fill->run();
      auto bounds = store_.prepare("SELECT min(r), max(r) FROM tc_scrub_rows");
      if (!bounds->step() || bounds->row().is_null(0)) return;
      lo = bounds->row().integer(0);
      last = bounds->row().integer(1);
    } else {
      // Only the stretch of the table that holds rows past retention (usually found on the
      // start date's index): a table in time order keeps its new rows out of the walk.
      // Found with the rows' count when planning (Planned::span), else read here.
      bool any = false;
      for (const Planned* p : actions) {
        std::int64_t first = 0;
        std::int64_t end = 0;
        if (p->span) {
          std::tie(first, end) = *p->span;
        } else {
          std::string due = p->rule != nullptr ? sql_.expired(*p->rule, "a") : sql_.scope(t, "a");
          auto bounds = store_.prepare("SELECT min(" + row_id + "), max(" + row_id + ") FROM " +
                                       t.quoted + " a WHERE " + due);
          bounds->bind_all(params_);
          if (!bounds->step() || bounds->row().is_null(0)) continue;
          first = bounds->row().integer(0);
          end = bounds->row().integer(1);
        }
        lo = any ? std::min(lo, first) : first;
        last = any ? std::max(last, end) : end;
        any = true;
      }
      if (!any) return;
    }
  } catch (...) {
    rethrow_database_error("reading " + t.name);
  }
  const std::int64_t target = batch_size(planned);
  std::int64_t width = target;
  std::unique_ptr<Statement> next;
  if (candidates) {
    next =
        store_.prepare("SELECT r FROM tc_scrub_rows WHERE r >= :lo ORDER BY r LIMIT 1 OFFSET :n");
  }
  while (lo <= last && placed_.empty()) {
    std::int64_t hi = 0;
    if (candidates) {
      params_[":lo"] = lo;
      params_[":n"] = target;
      next->reset();
      next->bind_all(params_);
      hi = next->step() ? next->row().integer(0) : last + 1;
      next->reset();
    } else {
      hi = lo + width;
      if (hi < lo) hi = last + 1;  // overflow
    }
    params_[":lo"] = lo;
    params_[":hi"] = hi;
    std::int64_t before = done;
    run();
    std::int64_t got = done - before;
    if (!candidates) {
      if (got == 0) {
        width = std::min<std::int64_t>(width * 4, std::int64_t{1} << 40);
      } else {
        std::int64_t scaled = width * target / got;
        width = std::clamp(scaled, std::max<std::int64_t>(1, width / 4), width * 4);
      }
    }
    lo = hi;
  }
  finish();
  if (candidates) {
    try {
      store_.execute("DELETE FROM tc_scrub_rows");
    } catch (...) {
    }
  }
}

void Scrubber::apply(ScrubResult& result) {
  // Children before the tables they reference: a row goes only when nothing references it.
  for (const TableInfo* t : model_.children_first()) {
    std::vector<Planned*> actions;
    for (Planned& p : plan_) {
      if (p.table == t && p.out.action == RetentionAction::delete_row) {
        actions.push_back(&p);
        break;  // one delete per table; further delete rules share its count
      }
    }
    for (Planned& p : plan_) {
      if (p.table == t && p.out.action == RetentionAction::anonymise) actions.push_back(&p);
    }
    if (actions.empty()) continue;
    apply_table(*t, actions, result);
    if (!placed_.empty()) return;  // a legal hold stopped the erasure
    // Every delete rule on the table reports the rows the table lost.
    std::int64_t deleted = -1;
    for (Planned& p : plan_) {
      if (p.table != t || p.out.action != RetentionAction::delete_row) continue;
      if (deleted < 0) {
        deleted = p.out.affected;
      } else {
        p.out.affected = deleted;
      }
    }
  }
}

void Scrubber::erase_residue(ScrubResult& result) {
  std::vector<std::string> changed;
  for (const Planned& p : plan_) {
    if (p.out.affected > 0 &&
        std::find(changed.begin(), changed.end(), p.table->name) == changed.end())
      changed.push_back(p.table->name);
  }
  ResidueReport report = store_.erase_residue(changed, options_.busy_wait_ms);
  result.erased = std::move(report.done);
  for (std::string& w : report.warnings) result.warnings.push_back(std::move(w));
}

ScrubResult Scrubber::run(std::vector<std::string> warnings, const std::function<void()>& checked) {
  ScrubResult result;
  result.as_of = options_.as_of;
  result.warnings = std::move(warnings);
  if (model_.erasure()) {
    resolve_subject(result);
    build_erasure_actions();
  } else {
    build_policy_actions();
  }
  bool pseudonyms = std::any_of(specs_.begin(), specs_.end(), [](const MaskSpec& s) {
    return s.strategy == MaskStrategy::pseudonym;
  });
  // An erasure's ledger record names its subject by the pseudonym key.
  if (pseudonyms || (ledger_ != nullptr && model_.erasure())) {
    if (options_.apply) {
      key_ = load_pseudonym_key(policy_.pseudonym_key, options_.key_file);
    } else {
      try {
        key_ = load_pseudonym_key(policy_.pseudonym_key, options_.key_file);
      } catch (const Error& e) {
        result.warnings.push_back(std::string(e.what()) + "; --apply needs it");
        key_ = std::string(32, 'x');
      }
    }
  }
  plan(result);
  checked();
  for (const Planned& p : plan_) {
    bool shared_delete = false;
    for (const Planned& q : plan_) {
      if (&q == &p) break;
      if (q.table == p.table && q.out.action == RetentionAction::delete_row &&
          p.out.action == RetentionAction::delete_row) {
        shared_delete = true;
      }
    }
    if (!shared_delete) planned_total_ += p.out.affected;
  }
  // Partitions that would go whole (an applied run finds them again under its lock:
  // drop_partitions), and what would stay of the changed values.
  if (!options_.apply && planned_total_ > 0) {
    for (std::string& w : store_.residue()) result.warnings.push_back(std::move(w));
  }
  try {
    std::set<const TableInfo*> seen;
    for (Planned& p : plan_) {
      if (options_.apply) break;
      if (p.out.action != RetentionAction::delete_row || p.out.affected == 0 ||
          !seen.insert(p.table).second || !may_drop_partitions(*p.table, result))
        continue;
      for (const DbPartition& whole : whole_partitions(p)) p.out.partitions.push_back(whole.name);
    }
  } catch (...) {
    rethrow_database_error("reading the partitions");
  }
  for (const Planned& p : plan_) planned_.push_back(p.out.affected);
  if (options_.apply && result.refused && audit_ != nullptr) record_end("refused", "");
  if (options_.apply && !result.refused) {
    if (audit_ != nullptr) {
      reconcile();
      // The intent, before the first change.
      nlohmann::json start = audit_entry("start");
      start["database"] = store_.identity();
      start["as_of"] = options_.as_of.iso();
      if (model_.erasure()) start["customer"] = options_.customer;
      start["rules"] = rule_counts(false);
      audit_->append(start);
    }
    // No erasure commits without its ledger record.
    if (ledger_ != nullptr) record_ledger("start", "");
    try {
      // Every privilege the plan needs, before the first change.
      for (const Planned& p : plan_)
        if (p.out.affected > 0)
          store_.require_privilege(
              p.out.table, p.out.action == RetentionAction::delete_row ? "DELETE" : "UPDATE");
      store_.prepare_erasure();
    } catch (...) {
      rethrow_database_error("preparing the database");
    }
    try {
      apply(result);
      erase_residue(result);
      if (!model_.erasure()) recount_after_apply(result);
    } catch (const std::exception& e) {
      try {
        if (audit_ != nullptr) record_end("failed", e.what());
        if (ledger_ != nullptr) record_ledger("end", "failed");
      } catch (...) {
        // The log cannot be written: the error below says so or names what failed first.
      }
      throw;
    }
    result.applied = true;
    if (!placed_.empty()) {
      // A hold placed while the erasure ran: what it did not reach stays, kept by the hold.
      for (std::size_t i = 0; i < plan_.size(); ++i) {
        plan_[i].out.held += std::max<std::int64_t>(0, planned_[i] - plan_[i].committed);
        plan_[i].out.affected = plan_[i].committed;
      }
      result.holds_placed = placed_;
      for (const std::string& h : placed_) {
        if (std::find(result.holds.begin(), result.holds.end(), h) == result.holds.end())
          result.holds.push_back(h);
      }
      result.kept_by_placed_holds = std::max<std::int64_t>(0, planned_total_ - done_total_);
    }
    const char* outcome = placed_.empty() ? "applied" : "stopped";
    if (audit_ != nullptr) record_end(outcome, "");
    if (ledger_ != nullptr) record_ledger("end", outcome);
  }
  result.changes = planned_total_;
  if (result.applied) {
    result.changes = 0;
    std::set<const TableInfo*> deleted;
    for (const Planned& p : plan_) {
      if (p.out.action == RetentionAction::delete_row && !deleted.insert(p.table).second) continue;
      result.changes += p.out.affected;
    }
  }
  for (Planned& p : plan_) result.actions.push_back(std::move(p.out));
  return result;
}

}  // namespace

ScrubResult scrub(Store& store, const RetentionPolicy& policy, const DataMap& map,
                  const ScrubOptions& options) {
  // An applied run changes nothing unless its audit trail can be written and the whole file
  // passes the database's own check. The check runs beside the reading of the dates and the
  // planning where the backend can (Store::start_integrity_check); the plan waits for it
  // before anything is written.
  std::optional<AuditLog> audit, ledger;
  if (options.apply && !options.audit_log.empty()) audit.emplace(options.audit_log);
  if (options.apply && !options.ledger.empty()) ledger.emplace(options.ledger, "erasure ledger");
  std::function<void()> integrity;
  if (options.apply) {
    try {
      integrity = store.start_integrity_check();
    } catch (...) {
      rethrow_database_error("checking the database");
    }
  }
  const std::function<void()> checked = [&integrity] {
    if (!integrity) return;
    const std::function<void()> wait = std::exchange(integrity, nullptr);
    try {
      wait();
    } catch (...) {
      rethrow_database_error("checking the database");
    }
  };
  try {
    std::vector<std::string> warnings = store.open_notes();
    // The data map and the rules against the real schema: refused with the first fault; what
    // stays are warnings (a mask that a constraint changes).
    const ResolvedMap resolved = resolve_data_map(map, &policy, store.schema());
    ensure_fits(resolved);
    for (const Finding& f : resolved.findings()) warnings.push_back(located(f.loc, f.message));
    // Every date column read, before anything changes: refused when its values are not dates
    // in one representation.
    const DateColumns dates = read_date_columns(resolved, store);
    ensure_dates(dates);
    try {
      Scrubber scrubber(store, policy, map, dates, options, audit ? &*audit : nullptr,
                        ledger ? &*ledger : nullptr);
      return scrubber.run(std::move(warnings), checked);
    } catch (...) {
      rethrow_database_error("scrubbing");
    }
  } catch (...) {
    // Whatever failed while the check ran, a damaged file is refused as such.
    checked();
    throw;
  }
}

namespace {

std::unique_ptr<Store> open_scrub_store(const std::string& database, const ScrubOptions& options) {
  StoreOptions open;
  open.mode = options.apply ? OpenMode::read_write : OpenMode::read_only;
  open.busy_timeout_ms = options.busy_wait_ms;
  open.vacuum = options.vacuum;
  open.rebuild = options.rebuild;
  return open_store(database, open);
}

}  // namespace

ScrubResult scrub_database(const std::string& database, const RetentionPolicy& policy,
                           const DataMap& map, const ScrubOptions& options) {
  std::unique_ptr<Store> store = open_scrub_store(database, options);
  return scrub(*store, policy, map, options);
}

ReplayResult replay_ledger(const std::string& database, const RetentionPolicy& policy,
                           const DataMap& map, const ScrubOptions& options,
                           const std::filesystem::path& ledger, const std::optional<Date>& since) {
  const std::string key = load_pseudonym_key(policy.pseudonym_key, options.key_file);
  ReplayResult result;
  result.ledger = ledger;
  result.since = since;
  result.apply = options.apply;
  const LedgerSubjects wanted = read_ledger(ledger, since, key);
  result.records = wanted.records;
  result.subjects = static_cast<std::int64_t>(wanted.subjects.size());
  if (const AuditChain chain = verify_audit_chain(ledger); chain.broken_line != 0) {
    result.warnings.push_back(ledger.string() + ":" + std::to_string(chain.broken_line) +
                              ": the erasure ledger's hash chain is broken (" + chain.broken +
                              "): records may be missing");
  }
  std::unique_ptr<Store> store = open_scrub_store(database, options);
  ensure_fits(resolve_data_map(map, &policy, store->schema()));
  // The subject table's customer numbers, read once: only those the ledger names are kept.
  const std::string& number = map.subject.number_column;
  const DbTable* subjects = store->schema().find(map.subject.table);
  if (number.empty() || subjects == nullptr || subjects->find(number) == nullptr) {
    throw_invalid(located(map.subject.loc,
                          "the data map names no customer number column of the subject table"));
  }
  std::vector<std::string> found;
  try {
    const Dialect& sql = store->dialect();
    auto read =
        store->prepare("SELECT " + sql.quote(number) + " FROM " + sql.quote(map.subject.table));
    while (read->step()) {
      const Row& row = read->row();
      if (row.is_null(0)) continue;
      if (wanted.subjects.count(ledger_subject(row.text(0), key)) != 0)
        found.emplace_back(row.text(0));
    }
  } catch (...) {
    rethrow_database_error("reading the customer numbers");
  }
  ScrubOptions each = options;
  each.ledger.clear();
  each.replay = true;
  for (const std::string& customer : found) {
    each.customer = customer;
    result.erasures.push_back(scrub(*store, policy, map, each));
  }
  each.customer.clear();
  result.retention = scrub(*store, policy, map, each);
  return result;
}

Exit scrub_status(const ScrubResult& result) { return result.refused ? Exit::findings : Exit::ok; }

}  // namespace telcomply
