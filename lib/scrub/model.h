// Internal to scrub: the retention policy resolved against the data map and the real schema,
// and the SQL predicates built from it. Every identifier here has been checked against the
// schema; every value is a named parameter (:c<rule> cut-off, :u<hold> end of a hold, each in
// its date column's representation, and :subject, :lo, :hi).
//
// Many rules on one table cost little more than one: wherever every keeper of a row must have
// run out, only the keeper with the earliest cut-off of each group that counts from the same
// date counts (Model::binding); where each keeper's part is counted, one value per row and
// group, its level (Levels), tells which of them keep the row. SQL grows linearly with the
// rules, and the depth of its expressions with their logarithm.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "datamap/dates.h"
#include "policy/policy.h"
#include "scrub/scrub.h"
#include "store/store.h"

namespace telcomply::scrub_detail {

struct TableInfo;
struct RuleState;

// Rows of `child` reference rows of a table: child.child_column = table.column.
struct Ref {
  const TableInfo* child = nullptr;
  std::string child_column;
  std::string column;
  bool is_link = false;  // the child's data-map link (it then shares the subject)
  bool indexed = false;  // child_column leads an index of the child
};

struct TableInfo {
  std::string name;
  std::string quoted;
  const Table* map = nullptr;  // null for tables outside the data map
  const DbTable* db = nullptr;
  std::string key;  // the key column, or the backend's row address
  bool subject = false;
  const TableInfo* parent = nullptr;  // data-map link: this.link_column = parent.parent_column
  std::string link_column;
  std::string parent_column;
  std::vector<Ref> refs;                // who references rows of this table
  std::vector<const RuleState*> rules;  // retention rules on this table
  bool linked = false;                  // reaches the subject table through its links
};

struct RuleState {
  const RetentionRule* rule = nullptr;
  const TableInfo* table = nullptr;
  std::size_t index = 0;
  std::string param;  // ":c<index>": the day after the cut-off (bind_date_before)
  Date cutoff;
  bool statutory = false;  // its period names a legal basis
  DateRepresentation representation;  // of the date it counts from
};

// A rule that may keep rows or columns of a table: a rule on the table itself, or a rule on
// a table below it (whose rows reference it through `path`, from just below the table down
// to the rule's table).
struct Keeper {
  const RuleState* rule = nullptr;
  std::vector<const TableInfo*> path;  // empty: a rule on the table itself
};

// Keepers in groups that count from one date through one path: a group's keepers keep a row
// in the order of their cut-offs, latest first, so one number per row, its level in the
// group, says which of them keep it.
struct LevelGroup {
  std::vector<const TableInfo*> path;    // as Keeper::path
  std::vector<const RuleState*> bounds;  // a rule per distinct cut-off, earliest cut-off first
};

class Levels {
 public:
  void add(const Keeper& keeper);
  // Call once every keeper is added.
  void finish();
  const std::vector<LevelGroup>& groups() const { return groups_; }
  // The group of `keeper` (added before) and its rank (1 for the earliest cut-off): a row is
  // kept by the keeper exactly when its level in the group is at least the rank.
  std::pair<std::size_t, std::size_t> find(const Keeper& keeper) const;

 private:
  std::map<std::pair<std::vector<const TableInfo*>, std::string>, std::size_t> index_;
  std::vector<LevelGroup> groups_;
};

// The truth values as conditions of the generated SQL: what a condition that always holds (or
// never does) is written as, and compared with to leave it out.
inline constexpr const char* kTrue = "TRUE";
inline constexpr const char* kFalse = "FALSE";

class Model {
 public:
  // `store` gives the schema and the SQL dialect; the model keeps a reference to both.
  // `dates` gives the representation of every date column the rules and holds read.
  Model(const RetentionPolicy& policy, const DataMap& map, Store& store, const DateColumns& dates,
        const Date& as_of, bool erasure);

  const RetentionPolicy& policy() const { return policy_; }
  const DataMap& map() const { return map_; }
  const Dialect& dialect() const { return dialect_; }
  bool erasure() const { return erasure_; }
  const TableInfo& subject() const { return *subject_; }
  const TableInfo* table(const std::string& name) const;
  const std::vector<RuleState>& rules() const { return rules_; }
  // Data-map tables, children before the tables they reference.
  std::vector<const TableInfo*> children_first() const;
  const Date& as_of() const { return as_of_; }
  // The representation of the `until` column of hold number `index` (iso-8601 without one).
  const DateRepresentation& hold_until(std::size_t index) const { return hold_until_[index]; }
  // The values of every cut-off (:c<rule>) and hold end (:u<hold>) parameter.
  Params date_params() const;

  // Rules that can keep rows of `t` from deletion: every rule on it (erasure: every
  // statutory rule on it).
  std::vector<const RuleState*> row_keepers(const TableInfo& t) const;
  // Rules that keep `column` of `t` from being anonymised.
  std::vector<Keeper> column_keepers(const TableInfo& t, const std::string& column) const;
  // Rules on tables below `t` (for reporting what keeps a row).
  std::vector<Keeper> descendant_keepers(const TableInfo& t) const;
  // Of `keepers`, those whose running out frees the rest: per path and date counted from, the
  // one with the earliest cut-off. Every keeper has run out exactly when these have.
  static std::vector<Keeper> binding(const std::vector<Keeper>& keepers);
  // Whether rows of `t` may be deleted at all in this run.
  bool deletes(const TableInfo& t) const;
  // The category of a column (empty when the data map does not classify it).
  std::string category(const TableInfo& t, const std::string& column) const;

 private:
  const RetentionPolicy& policy_;
  const DataMap& map_;
  const Dialect& dialect_;
  Date as_of_;
  bool erasure_;
  std::map<std::string, TableInfo> tables_;
  std::vector<RuleState> rules_;
  std::vector<DateRepresentation> hold_until_;
  const TableInfo* subject_ = nullptr;
};

// Builds SQL boolean expressions over a row alias. Each expression is NULL-safe: it is 0 or 1,
// never NULL, so it may be negated and summed.
// One condition for a row to go, and its negation written as a planner can serve it from an
// index or rule it out by a partition's bounds (a subquery not under NOT).
struct RowCondition {
  std::string goes;
  std::string stays;
};

class SqlBuilder {
 public:
  explicit SqlBuilder(const Model& model);

  std::string alias();
  // alias.column, the column quoted by the dialect.
  std::string col(const std::string& alias, const std::string& column) const;

  // The row belongs to a subject whose key is in `rhs` ("(:subject)" or "(SELECT ...)").
  // With `once`, the outermost IN's subquery is written as the backend's planner reads it
  // once per statement (Dialect::in_subquery).
  std::string belongs(const TableInfo& t, const std::string& a, const std::string& rhs,
                      bool once = false);
  // Erasure requests: the row belongs to the customer; otherwise "1".
  std::string scope(const TableInfo& t, const std::string& a);
  // The row belongs to a subject under a legal hold (any, or hold number `index`).
  std::string held(const TableInfo& t, const std::string& a);
  // An erasure request: whether its customer is held, known once the customer is found.
  void set_subject_held(bool held) { subject_held_ = held; }
  // Tables whose rows referencing() looks up per row through their index, rather than list.
  void set_lookups(std::set<const TableInfo*> children) { lookups_ = std::move(children); }
  // held() for a row of the request's customer: a constant for an erasure request.
  std::string held_here(const TableInfo& t, const std::string& a);
  std::string held_by(const TableInfo& t, const std::string& a, std::size_t index);
  // `rule` has run out for the row (a row of rule's table).
  std::string expired(const RuleState& rule, const std::string& a);
  // Some rule of `rules` (on the row's table) has run out for the row.
  std::string any_expired(const std::vector<const RuleState*>& rules, const std::string& a);
  // The row's level in `group` (Levels), 0 to the group's number of cut-offs. A group below
  // the table is read through a LEFT JOIN, appended to `joins` (after "FROM t a"), which
  // reads every row on the path once; with `lookup`, by a subquery per row instead, which
  // finds the row's own rows on the path through their link columns (for few rows, where
  // those columns lead an index).
  std::string level(const LevelGroup& group, const std::string& a, std::string& joins,
                    bool lookup = false);
  // Some row below, on keeper.path, is still kept by keeper.rule.
  std::string kept_below(const TableInfo& t, const std::string& a, const Keeper& keeper);
  std::string kept(const TableInfo& t, const std::string& a, const Keeper& keeper);
  // Every rule keeping the row has run out (no hold or reference check).
  std::string rules_expired(const TableInfo& t, const std::string& a);
  // The row goes in this run unless it is held: every rule run out, and every row that
  // references it goes too (planning, before anything is deleted; the caller reads the hold,
  // held_here(), on its own, and restricts the rows to an erasure request's customer).
  std::string deletable_unless_held(const TableInfo& t, const std::string& a);
  // The same, where rows below have been deleted already: no row references it any more.
  std::string deletable_apply(const TableInfo& t, const std::string& a);
  // deletable_apply() as the conditions it joins with AND (none: every row goes), the
  // retention dates first. A row stays exactly when it meets the `stays` of one of them.
  std::vector<RowCondition> deletable_apply_parts(const TableInfo& t, const std::string& a);
  // Rows of `ref.child` that reference the row and stay.
  std::string referenced_by_staying(const Ref& ref, const std::string& a);

 private:
  // `check_scope`: the row may belong to another customer (check scope and holds);
  // `same_subject`: it belongs to the request's customer when in scope.
  std::string deletable(const TableInfo& t, const std::string& a, bool check_scope,
                        bool same_subject, std::set<const TableInfo*>& visiting);
  std::string any_reference(const Ref& ref, const std::string& a);
  // Some row `d` of `ref.child` references the row `a` and meets `condition` (SQL over `d`,
  // or empty): "c IN (SELECT cc ...)", the child's rows listed once per statement; or, for a
  // child in set_lookups() whose column is indexed, "EXISTS (... WHERE cc = c ...)", a
  // lookup per row as deletable_apply() makes. Neither side is NULL in either form: they
  // hold for the same rows.
  std::string referencing(const Ref& ref, const std::string& a, const std::string& d,
                          const std::string& condition);
  // The level at a row of the group's own table: a search over the cut-offs.
  std::string own_level(const LevelGroup& group, std::size_t low, std::size_t high,
                        const std::string& a);
  // The derived table of the highest level below each key of path[i]'s parent.
  std::string level_below(const LevelGroup& group, std::size_t i);
  // The highest level below the row `above` of path[i]'s parent, found through the links.
  std::string level_lookup(const LevelGroup& group, std::size_t i, const std::string& above);
  // For an erasure request, " AND <row d of the linked child belongs to the customer>": the
  // same rows (a linked row shares its parent's customer), found through the link indexes.
  std::string linked_scope(const Ref& ref, const std::string& d);

  const Model& model_;
  int next_ = 0;
  std::vector<std::string> hold_keys_;  // per hold: SELECT of the held subjects' keys, or empty
  std::optional<bool> subject_held_;
  std::set<const TableInfo*> lookups_;
};

}  // namespace telcomply::scrub_detail
