// The resolved data map: the data map, and optionally the retention policy, resolved once
// against the real database schema. It is the one place that decides whether the policy fits
// the database, with one rule id and one message per fault whichever command asks:
// - `telcomply lint --db` lists every finding (ResolvedMap::all_findings);
// - export and scrub call ensure_fits, which refuses with the first fault;
// and the one place that turns the policy's names into the schema's tables and columns, so
// SQL is built only from what the resolution found.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "report/findings.h"
#include "store/store.h"

namespace telcomply {

struct ResolvedTable;

// A classified column of the data map.
struct ResolvedColumn {
  const Column* entry = nullptr;  // the data map's classification
  const DbColumn* db = nullptr;   // null when the database does not have it
};

// How rows of a table belong to rows of its parent: child.column = parent.parent_column.
struct ResolvedLink {
  const Link* entry = nullptr;
  const DbColumn* column = nullptr;         // the child's column; null when missing
  const ResolvedTable* parent = nullptr;    // null when the parent is not in the data map
  const DbColumn* parent_column = nullptr;  // the link's parent_key, else the parent's key;
                                            // null when missing
};

struct ResolvedTable {
  const Table* entry = nullptr;           // the data map's table
  const DbTable* db = nullptr;            // null when the database does not have it
  const DbColumn* key = nullptr;          // its key ("id" if the map names none); null when missing
  std::optional<ResolvedLink> link{};     // absent when the data map gives the table no link
  bool reaches_subject = false;           // its links lead to the subject table (or it is it)
  std::vector<ResolvedColumn> columns{};  // the classified columns, in data map order

  const std::string& name() const { return entry->name; }
  const ResolvedColumn* find_column(std::string_view column) const;
};

struct ResolvedSubject {
  const SubjectTable* entry = nullptr;   // the data map's subject
  const ResolvedTable* table = nullptr;  // null when the subject table is not in the data map
  const DbColumn* number = nullptr;      // the customer number column; null when missing
  const DbColumn* closed = nullptr;      // the closing date; null when missing or not named
};

struct ResolvedMask {
  const Mask* entry = nullptr;
  const DbColumn* column = nullptr;  // null when missing
};

struct ResolvedRule {
  const RetentionRule* entry = nullptr;
  const ResolvedTable* table = nullptr;  // null when the table is not in the data map
  // The date the rule counts from: `from: <column>` of the rule's table, or for
  // `from: account_closed` the subject's closing date (then from_table is the subject table).
  const ResolvedTable* from_table = nullptr;
  const DbColumn* from = nullptr;     // null when missing
  std::vector<ResolvedMask> masks{};  // anonymise: in policy order
};

struct ResolvedHold {
  const Hold* entry = nullptr;
  const ResolvedTable* table = nullptr;  // null when the table is not in the data map
  const DbColumn* column = nullptr;      // the flag; null when missing or not named
  const DbColumn* until = nullptr;       // the end date; null when missing or not named
};

// The result of resolve_data_map: the resolved model and what is wrong with it. Built once,
// const afterwards; it points into the DataMap, RetentionPolicy and DbSchema it was resolved
// from, which must outlive it. Where something could not be resolved its pointer is null and
// a finding says why; after ensure_fits, every pointer documented "null when missing" is set.
class ResolvedMap {
 public:
  ResolvedMap(ResolvedMap&&) = default;
  ResolvedMap& operator=(ResolvedMap&&) = default;
  ResolvedMap(const ResolvedMap&) = delete;
  ResolvedMap& operator=(const ResolvedMap&) = delete;

  // The data map's tables, in data map order.
  const std::vector<ResolvedTable>& tables() const { return tables_; }
  // A table of the data map by name; null when the data map does not have it.
  const ResolvedTable* find(std::string_view table) const;
  const ResolvedSubject& subject() const { return subject_; }
  // The tables from `table` up to the subject table along the links, `table` first; empty
  // when its links do not reach the subject table.
  std::vector<const ResolvedTable*> path_to_subject(const ResolvedTable& table) const;
  // The retention policy's rules and holds, in policy order (empty without a policy).
  const std::vector<ResolvedRule>& rules() const { return rules_; }
  const std::vector<ResolvedHold>& holds() const { return holds_; }

  // Faults (errors: what the policy names that cannot be resolved, or that the commands
  // must not do, such as masking a key) and warnings (masks a column constraint changes), in
  // policy order. Export and scrub refuse on the first error.
  const std::vector<Finding>& findings() const { return findings_; }
  // What the data map leaves out: database columns it does not classify and tables it
  // neither maps nor ignores (errors for lint), and ignored tables the database does not have
  // (warnings). They do not stop export or scrub.
  const std::vector<Finding>& gaps() const { return gaps_; }
  // findings() then gaps().
  std::vector<Finding> all_findings() const;
  // What only the database can tell: all_findings() less the data map's own structure
  // (check_data_map_structure), which lint reports from the policy files alone.
  std::vector<Finding> schema_findings() const;
  // No error among findings().
  bool fits() const;

 private:
  friend class DataMapResolver;
  ResolvedMap() = default;

  std::vector<ResolvedTable> tables_;
  ResolvedSubject subject_;
  std::vector<ResolvedRule> rules_;
  std::vector<ResolvedHold> holds_;
  std::vector<Finding> findings_;
  std::size_t structure_findings_ = 0;  // the first findings_, from check_data_map_structure
  std::vector<Finding> gaps_;
};

// Resolves `map`, and `retention` unless it is null, against `schema`. Never throws for a
// policy that does not fit: every fault is a finding (see ResolvedMap). The faults:
// - the data map's structure (check_data_map_structure);
// - tables of the data map the database does not have (missing-table), and columns the
//   policy names that their table does not have (missing-column): keys, link columns and
//   link targets, classified columns, the subject's number and closing-date columns, the
//   `from:` date columns and masked columns of retention rules, the columns of legal holds;
//   each missing column is reported once, where it is first named;
// - masks on columns that link rows or drive retention and holds (retention-mask-key), a
//   column masked by two rules (retention-mask-conflict), and, as warnings, masks a column
//   constraint changes: NULL on a NOT NULL column (retention-mask-not-null), repeated
//   values in a UNIQUE column (retention-mask-unique);
// and the gaps: unclassified-column, unmapped-table, and missing-table (warning) for an
// ignored table. A view named as a table cannot be told yet: DbSchema holds tables only.
ResolvedMap resolve_data_map(const DataMap& map, const RetentionPolicy* retention,
                             const DbSchema& schema);

// Throws Error(invalid) with the location and message of the first error in
// resolved.findings(): the same text lint --db reports for it.
void ensure_fits(const ResolvedMap& resolved);

// The data map's own structure, which needs no database (lint runs it without --db, and
// resolve_data_map first): the subject table is in 'tables' (unknown-table) and has no link
// (bad-link); every other table has a link (missing-link) to a table of the data map
// (unknown-table) and its links reach the subject table (bad-link); with `retention`, rules
// and holds name tables of the data map (unknown-table), a rule counting from
// account_closed has a closing date to count from (unknown-column), and a rule's `format`
// agrees with the data map's and other rules' for the same column (date-format-conflict).
std::vector<Finding> check_data_map_structure(const DataMap& map, const RetentionPolicy* retention);

// Every rule resolve_data_map reports, with a description each (for SARIF and JUnit).
const std::vector<RuleInfo>& data_map_rules();

}  // namespace telcomply
