// telcomply scrub: plan the retention rules (or one erasure request) against the database,
// guard against mass deletion, and carry the plan out in bounded transactions.
#include "scrub/scrub.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <variant>

#include "io/audit.h"
#include "core/error.h"
#include "scrub/model.h"

namespace telcomply {

using scrub_detail::Keeper;
using scrub_detail::Model;
using scrub_detail::Ref;
using scrub_detail::RuleState;
using scrub_detail::SqlBuilder;
using scrub_detail::TableInfo;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kDefaultBatch = 100000;
using Value = std::variant<std::int64_t, double, std::string>;

// ---------------------------------------------------------------------------------------
// The mask function the UPDATE statements call: tc_mask(spec, value, row key).

struct MaskContext {
  std::vector<MaskSpec> specs;
  std::string key;
};

void tc_mask(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  try {
    const auto* mc = static_cast<const MaskContext*>(sqlite3_user_data(ctx));
    if (argc != 3) throw std::runtime_error("tc_mask takes 3 arguments");
    auto index = static_cast<std::size_t>(sqlite3_value_int64(argv[0]));
    if (index >= mc->specs.size()) throw std::runtime_error("tc_mask: no such mask");
    std::optional<std::string> value;
    if (sqlite3_value_type(argv[1]) != SQLITE_NULL) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
      value = std::string(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[1])));
    }
    std::string row_key;
    if (sqlite3_value_type(argv[2]) != SQLITE_NULL) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[2]));
      row_key.assign(text, static_cast<std::size_t>(sqlite3_value_bytes(argv[2])));
    }
    std::optional<std::string> out = mask_value(mc->specs[index], value, row_key, mc->key);
    if (!out) {
      sqlite3_result_null(ctx);
    } else {
      sqlite3_result_text(ctx, out->data(), static_cast<int>(out->size()), SQLITE_TRANSIENT);
    }
  } catch (const std::exception& e) {
    sqlite3_result_error(ctx, e.what(), -1);
  }
}

// Registers tc_mask for the lifetime of this object.
class MaskFunction {
 public:
  MaskFunction(SQLite::Database& db, const MaskContext& context) : db_(db) {
    int rc = sqlite3_create_function_v2(db.getHandle(), "tc_mask", 3,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                        const_cast<MaskContext*>(&context), tc_mask, nullptr,
                                        nullptr, nullptr);
    if (rc != SQLITE_OK) throw_operational("cannot register the mask function");
  }
  ~MaskFunction() {
    sqlite3_create_function_v2(db_.getHandle(), "tc_mask", 3, SQLITE_UTF8, nullptr, nullptr,
                               nullptr, nullptr, nullptr);
  }
  MaskFunction(const MaskFunction&) = delete;
  MaskFunction& operator=(const MaskFunction&) = delete;

 private:
  SQLite::Database& db_;
};

// ---------------------------------------------------------------------------------------
// Statements with named parameters bound from one table of values.

void bind_all(SQLite::Statement& stmt, const std::map<std::string, Value>& params) {
  for (const auto& [name, value] : params) {
    int index = stmt.getIndex(name.c_str());
    if (index == 0) continue;
    std::visit([&](const auto& v) { stmt.bind(index, v); }, value);
  }
}

std::int64_t column_int(SQLite::Statement& stmt, int i) {
  SQLite::Column c = stmt.getColumn(i);
  return c.isNull() ? 0 : c.getInt64();
}

bool is_busy(int code) {
  int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

bool numeric_type(const std::string& declared) {
  std::string t;
  for (char c : declared) t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (t.find("CHAR") != std::string::npos || t.find("CLOB") != std::string::npos ||
      t.find("TEXT") != std::string::npos) {
    return false;
  }
  for (const char* n : {"INT", "REAL", "FLOA", "DOUB", "NUM", "DEC"}) {
    if (t.find(n) != std::string::npos) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// The plan: one entry per rule (or, for an erasure request, per table and action).

struct PlannedColumn {
  std::string name;
  std::size_t spec = 0;
  std::string cond;  // every keeper has run out and the value still changes
};

struct Planned {
  ScrubAction out;
  const TableInfo* table = nullptr;
  const RuleState* rule = nullptr;  // null for erasure actions
  std::vector<PlannedColumn> columns;
  std::vector<Keeper> keepers;  // reported reasons (anonymise)
};

class Scrubber {
 public:
  Scrubber(SQLite::Database& db, const RetentionPolicy& policy, const DataMap& map,
           const DbSchema& schema, const ScrubOptions& options)
      : db_(db),
        policy_(policy),
        options_(options),
        model_(policy, map, schema, db, options.as_of, !options.customer.empty()),
        sql_(model_) {
    params_[":asof"] = options.as_of.add_days(1).iso();
    for (const RuleState& r : model_.rules()) params_[r.param] = r.cutoff.add_days(1).iso();
    params_[":lo"] = std::int64_t{0};
    params_[":hi"] = std::int64_t{0};
    params_[":n"] = std::int64_t{0};
  }

  ScrubResult run(std::vector<std::string> warnings);

 private:
  void resolve_subject(ScrubResult& result);
  void build_policy_actions();
  void build_erasure_actions();
  std::size_t add_spec(const TableInfo& t, const std::string& column, const Mask* mask);
  PlannedColumn planned_column(const TableInfo& t, const std::string& a, const std::string& column,
                               const Mask* mask, const RuleState* own);
  std::string mask_expr(const TableInfo& t, const std::string& a, const std::string& column,
                        std::size_t spec) const;
  void count(Planned& p);
  std::int64_t due_count(const Planned& p);
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
  std::int64_t transaction(std::vector<SQLite::Statement*>& stmts,
                           std::vector<std::int64_t>& changes);
  void progress(const std::string& table, std::int64_t done, std::int64_t planned, bool force);
  void checkpoint(ScrubResult& result);

  SQLite::Database& db_;
  const RetentionPolicy& policy_;
  const ScrubOptions& options_;
  Model model_;
  SqlBuilder sql_;
  std::map<std::string, Value> params_;
  MaskContext masks_;
  std::vector<Planned> plan_;
  Clock::time_point last_progress_{};
  std::int64_t done_total_ = 0;
  std::int64_t planned_total_ = 0;
  std::map<const TableInfo*, std::int64_t> rows_;
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
    spec.numeric = numeric_type(c->type);
  }
  masks_.specs.push_back(spec);
  return masks_.specs.size() - 1;
}

std::string Scrubber::mask_expr(const TableInfo& t, const std::string& a, const std::string& column,
                                std::size_t spec) const {
  return "tc_mask(" + std::to_string(spec) + ", " + SqlBuilder::col(a, column) + ", CAST(" +
         SqlBuilder::col(a, t.key) + " AS TEXT))";
}

PlannedColumn Scrubber::planned_column(const TableInfo& t, const std::string& a,
                                       const std::string& column, const Mask* mask,
                                       const RuleState* own) {
  PlannedColumn pc;
  pc.name = column;
  pc.spec = add_spec(t, column, mask);
  std::vector<std::string> parts;
  for (const Keeper& k : model_.column_keepers(t, column)) {
    if (own != nullptr && k.rule == own && k.path.empty()) continue;  // in the action's due rows
    parts.push_back("(NOT " + sql_.kept(t, a, k) + ")");
  }
  parts.push_back("(" + SqlBuilder::col(a, column) + " IS NOT " + mask_expr(t, a, column, pc.spec) +
                  ")");
  pc.cond = "(";
  for (std::size_t i = 0; i < parts.size(); ++i) pc.cond += (i ? " AND " : "") + parts[i];
  pc.cond += ")";
  return pc;
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
  SQLite::Statement find(db_, "SELECT " + SqlBuilder::col("a", s.key) + " FROM " + s.quoted +
                                  " a WHERE " + SqlBuilder::col("a", number) + " = ?1 LIMIT 2");
  find.bind(1, options_.customer);
  std::vector<Value> keys;
  while (find.executeStep()) {
    SQLite::Column c = find.getColumn(0);
    if (c.isInteger()) {
      keys.emplace_back(c.getInt64());
    } else if (c.isFloat()) {
      keys.emplace_back(c.getDouble());
    } else {
      keys.emplace_back(c.getString());
    }
  }
  if (keys.empty()) throw Error(Exit::no_subject, "no customer " + options_.customer);
  if (keys.size() > 1) {
    throw_invalid("customer number " + options_.customer + " matches more than one customer");
  }
  params_[":subject"] = keys.front();
  result.customer = options_.customer;
  // Which holds cover this customer.
  for (std::size_t i = 0; i < policy_.holds.size(); ++i) {
    std::string held = sql_.held_by(s, "a", i);
    if (held == "0") continue;
    try {
      SQLite::Statement q(db_, "SELECT " + held + " FROM " + s.quoted + " a WHERE " +
                                   sql_.scope(s, "a"));
      bind_all(q, params_);
      if (q.executeStep() && q.getColumn(0).getInt() != 0) {
        result.holds.push_back(policy_.holds[i].name);
      }
    } catch (...) {
      rethrow_database_error("reading the holds");
    }
  }
  sql_.set_subject_held(!result.holds.empty());
}

void Scrubber::count(Planned& p) {
  const TableInfo& t = *p.table;
  const std::string a = "a";
  const bool anon = p.out.action == RetentionAction::anonymise;
  std::string due = p.rule != nullptr ? sql_.expired(*p.rule, a) : sql_.scope(t, a);
  // Per due row: h held, d deleted in this run, x (anonymise) a column changes, k<i> kept
  // for reason i.
  std::vector<std::string> items{sql_.held_here(t, a) + " AS h",
                                 sql_.deletable_plan(t, a, model_.erasure()) + " AS d"};
  std::vector<KeptReason> reasons;
  auto reason = [&](const std::string& expr, KeptReason r) {
    items.push_back(expr + " AS k" + std::to_string(reasons.size()));
    reasons.push_back(std::move(r));
  };
  if (!anon) {
    for (const RuleState* r : model_.row_keepers(t)) {
      if (r == p.rule) continue;
      reason("(NOT " + sql_.expired(*r, a) + ")", KeptReason{r->rule->name, "", "", 0});
    }
    for (const Keeper& k : model_.descendant_keepers(t)) {
      reason(sql_.kept_below(t, a, k), KeptReason{k.rule->rule->name, k.rule->table->name, "", 0});
    }
    std::map<std::string, std::string> by_child;
    for (const Ref& ref : t.refs) {
      std::string& e = by_child[ref.child->name];
      e += (e.empty() ? "" : " OR ") + sql_.referenced_by_staying(ref, a);
    }
    for (const auto& [child, expr] : by_child) reason("(" + expr + ")", KeptReason{"", "", child, 0});
  } else {
    std::string any;
    for (const PlannedColumn& c : p.columns) any += (any.empty() ? "" : " OR ") + c.cond;
    items.push_back("(" + (any.empty() ? std::string("0") : any) + ") AS x");
    for (const Keeper& k : p.keepers) {
      reason(sql_.kept(t, a, k),
             KeptReason{k.rule->rule->name, k.path.empty() ? "" : k.rule->table->name, "", 0});
    }
  }
  std::string inner;
  for (const std::string& item : items) inner += (inner.empty() ? "" : ", ") + item;
  std::string outer = "SELECT count(*), sum(h), ";
  outer += anon ? "sum(NOT h AND NOT d AND x)" : "sum(d)";
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    outer += ", sum(NOT h AND NOT d AND k" + std::to_string(i) + ")";
  }
  outer += " FROM (SELECT " + inner + " FROM " + t.quoted + " a WHERE " + due + ")";
  try {
    SQLite::Statement q(db_, outer);
    bind_all(q, params_);
    if (q.executeStep()) {
      p.out.due = column_int(q, 0);
      p.out.held = column_int(q, 1);
      p.out.affected = column_int(q, 2);
      for (std::size_t i = 0; i < reasons.size(); ++i) {
        reasons[i].rows = column_int(q, static_cast<int>(3 + i));
        if (reasons[i].rows > 0) p.out.kept.push_back(reasons[i]);
      }
    }
  } catch (const Error&) {
    throw;
  } catch (...) {
    rethrow_database_error("planning " + (p.out.rule.empty() ? t.name : "rule " + p.out.rule));
  }
}

std::int64_t Scrubber::due_count(const Planned& p) {
  const TableInfo& t = *p.table;
  std::string due = p.rule != nullptr ? sql_.expired(*p.rule, "a") : sql_.scope(t, "a");
  try {
    SQLite::Statement q(db_, "SELECT count(*) FROM " + t.quoted + " a WHERE " + due);
    bind_all(q, params_);
    return q.executeStep() ? column_int(q, 0) : 0;
  } catch (...) {
    rethrow_database_error("planning " + (p.out.rule.empty() ? t.name : "rule " + p.out.rule));
  }
}

std::int64_t Scrubber::table_rows(const TableInfo& t) {
  auto it = rows_.find(&t);
  if (it != rows_.end()) return it->second;
  std::int64_t n = 0;
  try {
    SQLite::Statement q(db_, "SELECT count(*) FROM " + t.quoted);
    if (q.executeStep()) n = q.getColumn(0).getInt64();
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

void Scrubber::guard(ScrubResult& result,
                     const std::map<const TableInfo*, std::int64_t>& touched) {
  result.max_share = policy_.max_share;
  result.shares.clear();
  result.refused = false;
  for (const auto& [t, n] : touched) {
    if (n <= 0) continue;
    TableShare share;
    share.table = t->name;
    share.rows = table_rows(*t);
    share.touched = std::min(n, share.rows);
    // An erasure request concerns one customer by construction: its share is no sign of a
    // misconfigured rule.
    share.over_limit = !model_.erasure() && share.rows > 0 &&
                       static_cast<double>(share.touched) >
                           policy_.max_share * static_cast<double>(share.rows);
    if (share.over_limit && !options_.allow_mass_delete) result.refused = true;
    result.shares.push_back(share);
  }
}

void Scrubber::plan(ScrubResult& result) {
  if (!options_.apply || model_.erasure()) {
    // The full plan: every row past retention is classified (done, held, kept and why).
    for (Planned& p : plan_) count(p);
    guard(result, touched_rows(plan_));
    return;
  }
  // Applying the retention rules: the rows past each rule's retention bound what changes
  // (a cheap count, usually over the start date's index). Only a table whose bound breaks
  // the guard is planned row by row; what stays is classified after the run, over the
  // rows that are left.
  for (Planned& p : plan_) p.out.affected = p.out.due = due_count(p);
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
    if (n <= 0 || static_cast<double>(n) <= policy_.max_share * static_cast<double>(table_rows(*t))) {
      continue;
    }
    for (Planned& p : plan_) {
      if (p.table == t) count(p);
    }
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
    for (Planned& p : plan_) count(p);
    guard(result, touched_rows(plan_));
  }
}

void Scrubber::recount_after_apply(ScrubResult& result) {
  // Classify what is left past retention: held, or kept by other rules or references.
  for (Planned& p : plan_) {
    const std::int64_t done = p.out.affected;
    p.out.kept.clear();
    count(p);
    if (p.out.action == RetentionAction::delete_row) p.out.due += done;
    p.out.affected = done;
  }
  guard(result, touched_rows(plan_));
  result.refused = false;
}

void Scrubber::progress(const std::string& table, std::int64_t done, std::int64_t planned,
                        bool force) {
  if (options_.progress == nullptr) return;
  auto now = Clock::now();
  if (!force && now - last_progress_ < std::chrono::milliseconds(200)) return;
  last_progress_ = now;
  *options_.progress << "\rscrub: " << table << ": " << done << " of " << planned
                     << " rows; all tables: " << done_total_ << " of " << planned_total_
                     << "\x1b[K" << std::flush;
}

std::int64_t Scrubber::transaction(std::vector<SQLite::Statement*>& stmts,
                                   std::vector<std::int64_t>& changes) {
  auto deadline = Clock::now() + std::chrono::milliseconds(options_.busy_wait_ms);
  std::chrono::milliseconds pause(10);
  while (true) {
    std::vector<std::int64_t> local(stmts.size(), 0);
    try {
      db_.exec("BEGIN IMMEDIATE");
      for (std::size_t i = 0; i < stmts.size(); ++i) {
        SQLite::Statement& s = *stmts[i];
        s.reset();
        bind_all(s, params_);
        s.exec();
        local[i] = sqlite3_changes64(db_.getHandle());
      }
      // COMMIT may wait for readers; retry it rather than lose the work done.
      while (true) {
        try {
          db_.exec("COMMIT");
          break;
        } catch (const SQLite::Exception& e) {
          if (!is_busy(e.getErrorCode()) || Clock::now() > deadline) throw;
          std::this_thread::sleep_for(pause);
        }
      }
      std::int64_t total = 0;
      for (std::size_t i = 0; i < stmts.size(); ++i) {
        changes[i] += local[i];
        total += local[i];
      }
      return total;
    } catch (const SQLite::Exception& e) {
      if (sqlite3_get_autocommit(db_.getHandle()) == 0) {
        try {
          db_.exec("ROLLBACK");
        } catch (...) {
        }
      }
      for (SQLite::Statement* s : stmts) s->reset();
      if (is_busy(e.getErrorCode()) && Clock::now() < deadline) {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(500));
        continue;
      }
      if (is_busy(e.getErrorCode())) {
        throw_operational("database busy: another process kept it locked for " +
                          std::to_string(options_.busy_wait_ms / 1000) + " s");
      }
      throw;
    }
  }
}

void Scrubber::apply_table(const TableInfo& t, std::vector<Planned*>& actions,
                           ScrubResult& result) {
  (void)result;
  std::int64_t planned = 0;
  for (const Planned* p : actions) planned += p->out.affected;
  if (planned == 0) return;
  const bool windows = t.has_rowid && planned > batch_size(planned);
  const bool candidates = windows && model_.erasure();
  std::string window = "1";
  if (windows) {
    window = candidates ? "a.rowid IN (SELECT r FROM temp.tc_scrub_rows WHERE r >= :lo AND r < :hi)"
                        : "a.rowid >= :lo AND a.rowid < :hi";
  }
  if (candidates) {
    try {
      db_.exec("CREATE TEMP TABLE IF NOT EXISTS tc_scrub_rows(r INTEGER PRIMARY KEY)");
    } catch (...) {
      rethrow_database_error("preparing the changes to " + t.name);
    }
  }
  // Windows walk the table by rowid: no index may take over the scan.
  const std::string access = windows ? " NOT INDEXED" : "";
  // One statement per action, all run in each window's transaction: every row's changes
  // commit together.
  std::vector<std::unique_ptr<SQLite::Statement>> owned;
  std::vector<SQLite::Statement*> stmts;
  for (Planned* p : actions) {
    std::string sql;
    if (p->out.action == RetentionAction::delete_row) {
      sql = "DELETE FROM " + t.quoted + " AS a" + access + " WHERE " + window + " AND " +
            sql_.deletable_apply(t, "a");
    } else {
      std::string due = p->rule != nullptr ? sql_.expired(*p->rule, "a") : sql_.scope(t, "a");
      std::string set;
      std::string any;
      for (const PlannedColumn& c : p->columns) {
        set += (set.empty() ? "" : ", ") + quote_identifier(c.name) + " = CASE WHEN " + c.cond +
               " THEN " + mask_expr(t, "a", c.name, c.spec) + " ELSE " +
               SqlBuilder::col("a", c.name) + " END";
        any += (any.empty() ? "" : " OR ") + c.cond;
      }
      std::string held = sql_.held_here(t, "a");
      sql = "UPDATE " + t.quoted + " AS a" + access + " SET " + set + " WHERE " + window + " AND " + due +
            (held == "0" ? "" : " AND NOT " + held) + " AND (" + any + ")";
    }
    try {
      owned.push_back(std::make_unique<SQLite::Statement>(db_, sql));
    } catch (...) {
      rethrow_database_error("preparing the changes to " + t.name);
    }
    stmts.push_back(owned.back().get());
  }
  std::vector<std::int64_t> changes(actions.size(), 0);
  std::int64_t done = 0;
  auto run = [&] {
    std::int64_t got = 0;
    try {
      got = transaction(stmts, changes);
    } catch (const Error&) {
      throw;
    } catch (...) {
      rethrow_database_error("changing " + t.name);
    }
    done += got;
    done_total_ += got;
    progress(t.name, done, planned, false);
  };
  auto finish = [&] {
    for (std::size_t i = 0; i < actions.size(); ++i) actions[i]->out.affected = changes[i];
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
      db_.exec("DELETE FROM temp.tc_scrub_rows");
      SQLite::Statement fill(db_, "INSERT INTO temp.tc_scrub_rows SELECT a.rowid FROM " + t.quoted +
                                      " a WHERE " + sql_.scope(t, "a"));
      bind_all(fill, params_);
      fill.exec();
    }
    if (candidates) {
      SQLite::Statement bounds(db_, "SELECT min(r), max(r) FROM temp.tc_scrub_rows");
      if (!bounds.executeStep() || bounds.getColumn(0).isNull()) return;
      lo = bounds.getColumn(0).getInt64();
      last = bounds.getColumn(1).getInt64();
    } else {
      // Only the stretch of the table that holds rows past retention (usually found on the
      // start date's index): a table in time order keeps its new rows out of the walk.
      bool any = false;
      for (const Planned* p : actions) {
        std::string due = p->rule != nullptr ? sql_.expired(*p->rule, "a") : sql_.scope(t, "a");
        SQLite::Statement bounds(db_, "SELECT min(a.rowid), max(a.rowid) FROM " + t.quoted +
                                          " a WHERE " + due);
        bind_all(bounds, params_);
        if (!bounds.executeStep() || bounds.getColumn(0).isNull()) continue;
        const std::int64_t first = bounds.getColumn(0).getInt64();
        const std::int64_t end = bounds.getColumn(1).getInt64();
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
  std::unique_ptr<SQLite::Statement> next;
  if (candidates) {
    next = std::make_unique<SQLite::Statement>(
        db_, "SELECT r FROM temp.tc_scrub_rows WHERE r >= :lo ORDER BY r LIMIT 1 OFFSET :n");
  }
  while (lo <= last) {
    std::int64_t hi = 0;
    if (candidates) {
      params_[":lo"] = lo;
      params_[":n"] = target;
      next->reset();
      bind_all(*next, params_);
      hi = next->executeStep() ? next->getColumn(0).getInt64() : last + 1;
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
      db_.exec("DELETE FROM temp.tc_scrub_rows");
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
  if (options_.progress != nullptr) *options_.progress << "\r\x1b[K" << std::flush;
}

void Scrubber::checkpoint(ScrubResult& result) {
  std::string mode;
  try {
    SQLite::Statement q(db_, "PRAGMA journal_mode");
    if (q.executeStep()) mode = q.getColumn(0).getString();
  } catch (...) {
    rethrow_database_error("reading the journal mode");
  }
  if (mode != "wal") return;
  auto deadline = Clock::now() + std::chrono::milliseconds(options_.busy_wait_ms);
  while (true) {
    try {
      SQLite::Statement q(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
      if (q.executeStep() && q.getColumn(0).getInt() == 0) return;
    } catch (const SQLite::Exception& e) {
      if (!is_busy(e.getErrorCode())) rethrow_database_error("checkpointing the write-ahead log");
    }
    if (Clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  result.warnings.push_back(
      "the write-ahead log could not be truncated while other processes use the database; old "
      "content stays in it until the next checkpoint: run scrub again");
}

ScrubResult Scrubber::run(std::vector<std::string> warnings) {
  ScrubResult result;
  result.as_of = options_.as_of;
  result.warnings = std::move(warnings);
  if (model_.erasure()) {
    resolve_subject(result);
    build_erasure_actions();
  } else {
    build_policy_actions();
  }
  bool pseudonyms = std::any_of(masks_.specs.begin(), masks_.specs.end(), [](const MaskSpec& s) {
    return s.strategy == MaskStrategy::pseudonym;
  });
  if (pseudonyms) {
    if (options_.apply) {
      masks_.key = load_pseudonym_key(policy_.pseudonym_key, options_.key_file);
    } else {
      try {
        masks_.key = load_pseudonym_key(policy_.pseudonym_key, options_.key_file);
      } catch (const Error& e) {
        result.warnings.push_back(std::string(e.what()) + "; --apply needs it");
        masks_.key = std::string(32, 'x');
      }
    }
  }
  MaskFunction function(db_, masks_);
  plan(result);
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
  // The audit record of an applied (or refused) run: counts per rule, no personal data.
  auto record = [&](const char* outcome, const std::string& error) {
    if (options_.audit_log.empty()) return;
    nlohmann::json rec;
    rec["command"] = "scrub";
    rec["operator"] = audit_operator(options_.operator_name);
    rec["as_of"] = options_.as_of.iso();
    if (model_.erasure()) rec["customer"] = options_.customer;
    nlohmann::json rules = nlohmann::json::array();
    for (const Planned& p : plan_) {
      rules.push_back({{"rule", p.out.rule},
                       {"table", p.out.table},
                       {"action", to_string(p.out.action)},
                       {"rows", p.out.affected},
                       {"held", p.out.held}});
    }
    rec["rules"] = rules;
    rec["outcome"] = outcome;
    rec["complete"] = std::string(outcome) == "applied";
    if (!error.empty()) rec["error"] = error;
    append_audit_record(options_.audit_log, rec);
  };
  if (options_.apply && result.refused) record("refused", "");
  if (options_.apply && !result.refused) {
    try {
      db_.exec("PRAGMA secure_delete = ON");
      db_.exec("PRAGMA cache_size = -65536");  // 64 MiB: fewer spilled and reread pages
      db_.exec("PRAGMA foreign_keys = OFF");
      SQLite::Statement mode(db_, "PRAGMA journal_mode");
      if (mode.executeStep() && mode.getColumn(0).getString() != "wal") {
        mode.reset();
        db_.exec("PRAGMA journal_mode = DELETE");
      }
    } catch (...) {
      rethrow_database_error("preparing the database");
    }
    try {
      apply(result);
      checkpoint(result);
      if (!model_.erasure()) recount_after_apply(result);
    } catch (const std::exception& e) {
      record("failed", e.what());
      throw;
    }
    result.applied = true;
    record("applied", "");
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

ScrubResult scrub(SQLite::Database& db, const RetentionPolicy& policy, const DataMap& map,
                  const ScrubOptions& options) {
  DbSchema schema = read_schema(db);
  std::vector<std::string> warnings;
  for (const Finding& f : check_retention_against_schema(policy, map, schema)) {
    if (f.severity == Severity::error) throw_invalid(f.loc, f.message);
    warnings.push_back(located(f.loc, f.message));
  }
  try {
    Scrubber scrubber(db, policy, map, schema, options);
    return scrubber.run(std::move(warnings));
  } catch (const Error&) {
    throw;
  } catch (...) {
    rethrow_database_error("scrubbing");
  }
}

ScrubResult scrub_database(const std::filesystem::path& database, const RetentionPolicy& policy,
                           const DataMap& map, const ScrubOptions& options) {
  // A run killed in a transaction leaves a hot journal, which a read-only connection cannot
  // roll back. Let a read-write connection restore the last committed state first, as any
  // writer would.
  bool recovered = false;
  const std::filesystem::path journal = database.string() + "-journal";
  std::error_code ec;
  if (!options.apply && std::filesystem::file_size(journal, ec) > 0 && !ec) {
    {
      SQLite::Database db = open_database(database, OpenMode::read_write);
      try {
        db.execAndGet("SELECT count(*) FROM sqlite_master");
      } catch (...) {
        rethrow_database_error("recovering an interrupted transaction");
      }
    }
    recovered = !std::filesystem::exists(journal);
  }
  SQLite::Database db =
      open_database(database, options.apply ? OpenMode::read_write : OpenMode::read_only);
  ScrubResult result = scrub(db, policy, map, options);
  if (recovered) {
    result.warnings.insert(result.warnings.begin(),
                           "an interrupted transaction was rolled back before planning (its "
                           "journal was left by a run that did not finish)");
  }
  return result;
}

Exit scrub_status(const ScrubResult& result) { return result.refused ? Exit::findings : Exit::ok; }

}  // namespace telcomply
