// Retention rules and holds checked against the real schema (lint --db, and before scrub).
#include <map>
#include <set>

#include "scrub/scrub.h"

namespace telcomply {

namespace {

class Checker {
 public:
  Checker(const RetentionPolicy& policy, const DataMap& map, const DbSchema& schema)
      : policy_(policy), map_(map), schema_(schema) {}

  std::vector<Finding> run() {
    for (const RetentionRule& rule : policy_.rules) check_rule(rule);
    for (const Hold& hold : policy_.holds) check_hold(hold);
    return std::move(findings_);
  }

 private:
  void add(const char* rule, Severity severity, const std::string& message,
           const SourceLocation& loc, const std::string& entry) {
    findings_.push_back(Finding{rule, severity, message, loc, entry});
  }

  // The table reaches the subject table through its links.
  bool linked(const Table& table) const {
    std::set<std::string> seen;
    const Table* at = &table;
    while (at != nullptr && seen.insert(at->name).second) {
      if (at->name == map_.subject.table) return true;
      if (!at->link) return false;
      at = map_.find_table(at->link->parent);
    }
    return false;
  }

  // Columns whose values link rows or drive retention and holds: never masked.
  std::map<std::string, std::string> protected_columns(const std::string& table) const {
    std::map<std::string, std::string> out;
    const Table* t = map_.find_table(table);
    if (t != nullptr) {
      out[t->key.empty() ? "id" : t->key] = "is the table's key";
      if (t->link) out[t->link->column] = "links the table to " + t->link->parent;
    }
    for (const Table& child : map_.tables) {
      if (!child.link || child.link->parent != table) continue;
      std::string key = child.link->parent_key;
      if (key.empty()) key = t != nullptr && !t->key.empty() ? t->key : "id";
      out[key] = "is referenced by " + child.name;
    }
    if (const DbTable* db = schema_.find(table)) {
      for (const DbForeignKey& fk : db->foreign_keys) {
        out[fk.column] = "is a foreign key to " + fk.parent_table;
      }
      for (const DbColumn& c : db->columns) {
        if (c.primary_key) out[c.name] = "is the table's primary key";
      }
    }
    for (const auto& [name, other] : schema_.tables) {
      for (const DbForeignKey& fk : other.foreign_keys) {
        if (fk.parent_table == table && !fk.parent_column.empty()) {
          out[fk.parent_column] = "is referenced by a foreign key of " + name;
        }
      }
    }
    if (table == map_.subject.table) {
      if (!map_.subject.number_column.empty()) {
        out[map_.subject.number_column] = "is the customer number";
      }
      if (!map_.subject.closed_column.empty()) {
        out[map_.subject.closed_column] = "is the account closing date retention counts from";
      }
    }
    for (const RetentionRule& r : policy_.rules) {
      if (r.table == table && r.from.kind == RetentionStart::Kind::column) {
        out[r.from.column] = "is the date rule '" + r.name + "' counts from";
      }
    }
    for (const Hold& h : policy_.holds) {
      if (h.table != table) continue;
      if (!h.column.empty()) out[h.column] = "marks the legal hold '" + h.name + "'";
      if (!h.until_column.empty()) out[h.until_column] = "ends the legal hold '" + h.name + "'";
    }
    return out;
  }

  void check_rule(const RetentionRule& rule) {
    const std::string what = "retention rule '" + rule.name + "'";
    const Table* table = map_.find_table(rule.table);
    const DbTable* db = schema_.find(rule.table);
    if (table == nullptr) {
      add("retention-unknown-table", Severity::error,
          what + ": table '" + rule.table + "' is not in the data map", rule.loc, rule.table);
    } else if (!linked(*table)) {
      add("retention-unlinked-table", Severity::error,
          what + ": table '" + rule.table + "' does not link to the subject table '" +
              map_.subject.table + "', so legal holds cannot protect its rows",
          rule.loc, rule.table);
    }
    if (db == nullptr) {
      add("retention-unknown-table", Severity::error,
          what + ": table '" + rule.table + "' does not exist in the database", rule.loc,
          rule.table);
      return;
    }
    if (rule.from.kind == RetentionStart::Kind::column) {
      if (db->find(rule.from.column) == nullptr) {
        add("retention-unknown-column", Severity::error,
            what + ": date column '" + rule.from.column + "' does not exist in table '" +
                rule.table + "'",
            rule.loc, rule.table + "." + rule.from.column);
      }
    } else {
      const std::string& closed = map_.subject.closed_column;
      const DbTable* subject = schema_.find(map_.subject.table);
      if (closed.empty()) {
        add("retention-no-closing-date", Severity::error,
            what + ": counts from account_closed, but the data map names no closing date of '" +
                map_.subject.table + "' (subject: closed)",
            rule.loc, rule.name);
      } else if (subject == nullptr || subject->find(closed) == nullptr) {
        add("retention-no-closing-date", Severity::error,
            what + ": the closing date column '" + map_.subject.table + "." + closed +
                "' does not exist in the database",
            rule.loc, map_.subject.table + "." + closed);
      }
    }
    if (rule.action != RetentionAction::anonymise) return;
    auto fixed = protected_columns(rule.table);
    for (const Mask& mask : rule.masks) {
      const SourceLocation& loc = mask.loc.known() ? mask.loc : rule.loc;
      const std::string entry = rule.table + "." + mask.column;
      const DbColumn* column = db->find(mask.column);
      if (column == nullptr) {
        add("retention-unknown-column", Severity::error,
            what + ": column '" + mask.column + "' does not exist in table '" + rule.table + "'",
            loc, entry);
        continue;
      }
      if (auto it = fixed.find(mask.column); it != fixed.end()) {
        add("retention-mask-key", Severity::error,
            what + ": column '" + entry + "' " + it->second + "; masking it would break that",
            loc, entry);
        continue;
      }
      auto [prior, fresh] = masked_.emplace(entry, &rule);
      if (!fresh) {
        add("retention-mask-conflict", Severity::error,
            what + ": column '" + entry + "' is also masked by rule '" + prior->second->name +
                "'; one column takes one mask",
            loc, entry);
      }
      bool unique = column->unique || column->primary_key;
      if (mask.strategy == MaskStrategy::null && column->not_null) {
        add("retention-mask-not-null", Severity::warning,
            what + ": column '" + entry + "' is NOT NULL, so the null mask writes " +
                (unique ? "'#' and the row key" : "an empty value") + " instead",
            loc, entry);
      }
      bool repeats = mask.strategy == MaskStrategy::fixed ||
                     mask.strategy == MaskStrategy::partial ||
                     mask.strategy == MaskStrategy::generalise_month ||
                     mask.strategy == MaskStrategy::generalise_year;
      if (unique && repeats) {
        add("retention-mask-unique", Severity::warning,
            what + ": column '" + entry + "' is UNIQUE and the " + to_string(mask.strategy) +
                " mask gives repeated values, so scrub appends '#' and the row key",
            loc, entry);
      }
    }
  }

  void check_hold(const Hold& hold) {
    const std::string what = "legal hold '" + hold.name + "'";
    const Table* table = map_.find_table(hold.table);
    const DbTable* db = schema_.find(hold.table);
    if (table == nullptr) {
      add("retention-hold-unknown", Severity::error,
          what + ": table '" + hold.table + "' is not in the data map", hold.loc, hold.table);
    } else if (!linked(*table)) {
      add("retention-unlinked-table", Severity::error,
          what + ": table '" + hold.table + "' does not link to the subject table '" +
              map_.subject.table + "'",
          hold.loc, hold.table);
    }
    if (db == nullptr) {
      add("retention-hold-unknown", Severity::error,
          what + ": table '" + hold.table + "' does not exist in the database", hold.loc,
          hold.table);
      return;
    }
    for (const std::string& column : {hold.column, hold.until_column}) {
      if (!column.empty() && db->find(column) == nullptr) {
        add("retention-hold-unknown", Severity::error,
            what + ": column '" + column + "' does not exist in table '" + hold.table + "'",
            hold.loc, hold.table + "." + column);
      }
    }
  }

  const RetentionPolicy& policy_;
  const DataMap& map_;
  const DbSchema& schema_;
  std::vector<Finding> findings_;
  std::map<std::string, const RetentionRule*> masked_;
};

}  // namespace

std::vector<Finding> check_retention_against_schema(const RetentionPolicy& policy,
                                                    const DataMap& map, const DbSchema& schema) {
  return Checker(policy, map, schema).run();
}

const std::vector<RuleInfo>& retention_schema_rules() {
  static const std::vector<RuleInfo> rules = {
      {"retention-unknown-table", "a retention rule names a table missing from the data map or the database"},
      {"retention-unlinked-table", "a retention rule or hold is on a table that does not link to the subject"},
      {"retention-unknown-column", "a retention rule names a column the database does not have"},
      {"retention-no-closing-date", "a rule counts from account_closed but there is no closing date column"},
      {"retention-mask-key", "a mask would change a key, link, foreign key, date or hold column"},
      {"retention-mask-conflict", "a column is masked by two retention rules"},
      {"retention-mask-not-null", "a null mask on a NOT NULL column (scrub writes a placeholder)"},
      {"retention-mask-unique", "a mask repeats values in a UNIQUE column (scrub appends the row key)"},
      {"retention-hold-unknown", "a legal hold names a table or column the database does not have"},
  };
  return rules;
}

}  // namespace telcomply
