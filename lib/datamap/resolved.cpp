// The data map and the retention policy resolved against the real schema (resolved.h).
#include "datamap/resolved.h"

#include <algorithm>
#include <map>
#include <set>

namespace telcomply {

namespace {

// The data map's key of a table: "id" when it names none.
std::string key_name(const Table& table) { return table.key.empty() ? "id" : table.key; }

// Whether the links from `table` lead to the subject table (without following a loop).
bool reaches_subject(const DataMap& map, const Table& table) {
  std::set<const Table*> seen;
  const Table* at = &table;
  while (at != nullptr && seen.insert(at).second) {
    if (at->name == map.subject.table) return true;
    if (!at->link) return false;
    at = map.find_table(at->link->parent);
  }
  return false;
}

void add_error(std::vector<Finding>& out, const char* rule, const SourceLocation& loc,
               const std::string& entry, const std::string& message) {
  out.push_back(Finding{rule, Severity::error, message, loc, entry});
}

// A rule's `format` agrees with the data map's `format` of the column it counts from, and
// with the other rules counting from that column.
void check_date_formats(const DataMap& map, const RetentionPolicy& retention,
                        std::vector<Finding>& out) {
  std::map<std::string, const RetentionRule*> first;  // table.column: the first rule stating it
  for (const RetentionRule& rule : retention.rules) {
    if (!rule.format) continue;
    const bool closed = rule.from.kind == RetentionStart::Kind::account_closed;
    const Table* table = map.find_table(closed ? map.subject.table : rule.table);
    const std::string& column = closed ? map.subject.closed_column : rule.from.column;
    if (table == nullptr || column.empty()) continue;  // reported above
    const std::string entry = table->name + "." + column;
    const std::string says =
        "rule '" + rule.name + "' reads '" + entry + "' as " + to_string(*rule.format) + ", but ";
    const Column* mapped = table->find_column(column);
    if (mapped != nullptr && mapped->format && *mapped->format != *rule.format) {
      add_error(
          out, "date-format-conflict", rule.format_loc, entry,
          says + "the data map says " + to_string(*mapped->format) + " at " + mapped->loc.str());
      continue;
    }
    auto [other, fresh] = first.emplace(entry, &rule);
    if (!fresh && *other->second->format != *rule.format)
      add_error(out, "date-format-conflict", rule.format_loc, entry,
                says + "rule '" + other->second->name + "' reads it as " +
                    to_string(*other->second->format));
  }
}

}  // namespace

std::vector<Finding> check_data_map_structure(const DataMap& map,
                                              const RetentionPolicy* retention) {
  std::vector<Finding> out;
  const Table* subject = map.find_table(map.subject.table);
  if (subject == nullptr) {
    add_error(out, "unknown-table", map.subject.loc, map.subject.table,
              "the subject table '" + map.subject.table + "' is not in 'tables'");
  } else if (subject->link) {
    add_error(out, "bad-link", subject->link->loc, subject->name,
              "the subject table cannot link to a parent");
  }
  for (const Table& table : map.tables) {
    if (table.name == map.subject.table) continue;
    if (!table.link) {
      add_error(out, "missing-link", table.loc, table.name,
                "table '" + table.name + "' has no 'link' to the subject table '" +
                    map.subject.table + "'");
    } else if (map.find_table(table.link->parent) == nullptr) {
      add_error(out, "unknown-table", table.link->loc, table.name,
                "table '" + table.name + "' links to '" + table.link->parent +
                    "', which is not in the data map");
    } else if (!reaches_subject(map, table)) {
      add_error(out, "bad-link", table.link->loc, table.name,
                "table '" + table.name + "': links do not reach the subject table");
    }
  }
  if (retention == nullptr) return out;
  for (const RetentionRule& rule : retention->rules) {
    if (map.find_table(rule.table) == nullptr) {
      add_error(out, "unknown-table", rule.loc, rule.name,
                "rule '" + rule.name + "' names table '" + rule.table +
                    "', which is not in the data map");
    } else if (rule.from.kind == RetentionStart::Kind::account_closed &&
               map.subject.closed_column.empty()) {
      add_error(out, "unknown-column", rule.loc, rule.name,
                "rule '" + rule.name +
                    "' counts from account_closed, but the data map's subject has no 'closed' "
                    "column");
    }
  }
  check_date_formats(map, *retention, out);
  for (const Hold& hold : retention->holds) {
    if (map.find_table(hold.table) == nullptr)
      add_error(out, "unknown-table", hold.loc, hold.name,
                "hold '" + hold.name + "' names table '" + hold.table +
                    "', which is not in the data map");
  }
  return out;
}

// Builds a ResolvedMap: the structure first, then per data map table, the subject, the gaps,
// the rules and the holds.
class DataMapResolver {
 public:
  DataMapResolver(const DataMap& map, const RetentionPolicy* retention, const DbSchema& schema)
      : map_(map), retention_(retention), schema_(schema) {}

  ResolvedMap run() {
    out_.findings_ = check_data_map_structure(map_, retention_);
    out_.structure_findings_ = out_.findings_.size();
    out_.tables_.reserve(map_.tables.size());
    for (const Table& table : map_.tables)
      out_.tables_.push_back(ResolvedTable{.entry = &table, .db = schema_.find(table.name)});
    for (ResolvedTable& table : out_.tables_) resolve_table(table);
    resolve_subject();
    for (ResolvedTable& table : out_.tables_)
      table.reaches_subject = !out_.path_to_subject(table).empty();
    find_gaps();
    if (retention_ != nullptr) {
      for (const RetentionRule& rule : retention_->rules) resolve_rule(rule);
      for (const Hold& hold : retention_->holds) resolve_hold(hold);
    }
    return std::move(out_);
  }

 private:
  void error(const char* rule, const SourceLocation& loc, const std::string& entry,
             const std::string& message) {
    add_error(out_.findings_, rule, loc, entry, message);
  }
  void warning(const char* rule, const SourceLocation& loc, const std::string& entry,
               const std::string& message) {
    out_.findings_.push_back(Finding{rule, Severity::warning, message, loc, entry});
  }

  const ResolvedTable* find(const std::string& name) const { return out_.find(name); }

  // The column `name` of `table` named as `what` by `owner` (" of the data map", " of
  // retention rule 'x'"); a missing one is reported once, where it is first named. Null
  // when missing, or when the table itself is (that is reported with the table).
  const DbColumn* column(const ResolvedTable& table, const std::string& name, const char* what,
                         const std::string& owner, const SourceLocation& loc) {
    if (table.db == nullptr) return nullptr;
    const DbColumn* found = table.db->find(name);
    const std::string entry = table.name() + "." + name;
    if (found == nullptr && missing_.insert(entry).second)
      error("missing-column", loc, entry,
            std::string(what) + " '" + entry + "'" + owner + " is not in the database");
    return found;
  }

  void resolve_table(ResolvedTable& table) {
    const Table& entry = *table.entry;
    const std::string owner = " of the data map";
    if (table.db == nullptr)
      error("missing-table", entry.loc, entry.name,
            "table '" + entry.name + "' of the data map " +
                (schema_.views.contains(entry.name)
                     ? "is a view: name the tables it reads, whose rows export and scrub change"
                     : "is not in the database"));
    table.key = column(table, key_name(entry), "key column", owner, entry.loc);
    if (entry.link) {
      ResolvedLink link{.entry = &*entry.link};
      link.column = column(table, entry.link->column, "link column", owner, entry.link->loc);
      link.parent = find(entry.link->parent);
      if (link.parent != nullptr) {
        const std::string target =
            entry.link->parent_key.empty() ? key_name(*link.parent->entry) : entry.link->parent_key;
        link.parent_column = column(*link.parent, target, "link target", owner, entry.link->loc);
      }
      table.link = link;
    }
    for (const Column& c : entry.columns)
      table.columns.push_back(
          ResolvedColumn{&c, column(table, c.name, "classified column", owner, c.loc)});
  }

  void resolve_subject() {
    const SubjectTable& subject = map_.subject;
    const ResolvedTable* table = find(subject.table);
    out_.subject_.entry = &subject;
    out_.subject_.table = table;
    if (table == nullptr) return;
    const std::string owner = " of the data map";
    out_.subject_.number =
        column(*table, subject.number_column, "number column", owner, subject.loc);
    if (!subject.closed_column.empty())
      out_.subject_.closed =
          column(*table, subject.closed_column, "closing-date column", owner, subject.loc);
  }

  void find_gaps() {
    std::vector<Finding>& gaps = out_.gaps_;
    for (const ResolvedTable& table : out_.tables_) {
      if (table.db == nullptr) continue;
      const Table& entry = *table.entry;
      for (const DbColumn& c : table.db->columns) {
        const bool known = entry.find_column(c.name) || c.name == key_name(entry) ||
                           (entry.link && entry.link->column == c.name);
        if (!known)
          add_error(gaps, "unclassified-column", entry.loc, entry.name + "." + c.name,
                    "column '" + entry.name + "." + c.name +
                        "' exists in the database but is not classified in the data map");
      }
    }
    const SourceLocation map_loc =
        map_.files.empty() ? SourceLocation{} : SourceLocation{map_.files.front(), 1, 1};
    auto ignored = [&](const std::string& name) {
      return std::find(map_.ignored.begin(), map_.ignored.end(), name) != map_.ignored.end();
    };
    for (const auto& [name, table] : schema_.tables) {
      if (map_.find_table(name) == nullptr && !ignored(name))
        add_error(gaps, "unmapped-table", map_loc, name,
                  "table '" + name +
                      "' exists in the database but is neither in the data map nor in 'ignore'");
    }
    for (const std::string& name : map_.ignored) {
      if (schema_.find(name) == nullptr)
        gaps.push_back(Finding{"missing-table", Severity::warning,
                               "ignored table '" + name + "' is not in the database", map_loc,
                               name});
    }
  }

  // Columns of `table` whose values link rows or drive retention and holds, each with why:
  // never masked.
  std::map<std::string, std::string> protected_columns(const ResolvedTable& table) const {
    std::map<std::string, std::string> out;
    const Table& entry = *table.entry;
    out[key_name(entry)] = "is the table's key";
    if (entry.link) out[entry.link->column] = "links the table to " + entry.link->parent;
    for (const ResolvedTable& child : out_.tables_) {
      if (child.link && child.link->parent == &table && child.link->parent_column != nullptr)
        out[child.link->parent_column->name] = "is referenced by " + child.name();
    }
    for (const DbForeignKey& fk : table.db->foreign_keys)
      out[fk.column] = "is a foreign key to " + fk.parent_table;
    for (const DbColumn& c : table.db->columns)
      if (c.primary_key) out[c.name] = "is the table's primary key";
    for (const auto& [name, other] : schema_.tables) {
      for (const DbForeignKey& fk : other.foreign_keys)
        if (fk.parent_table == entry.name && !fk.parent_column.empty())
          out[fk.parent_column] = "is referenced by a foreign key of " + name;
    }
    if (out_.subject_.table == &table) {
      out[map_.subject.number_column] = "is the customer number";
      if (!map_.subject.closed_column.empty())
        out[map_.subject.closed_column] = "is the account closing date retention counts from";
    }
    for (const RetentionRule& r : retention_->rules)
      if (r.table == entry.name && r.from.kind == RetentionStart::Kind::column)
        out[r.from.column] = "is the date rule '" + r.name + "' counts from";
    for (const Hold& h : retention_->holds) {
      if (h.table != entry.name) continue;
      if (!h.column.empty()) out[h.column] = "marks the legal hold '" + h.name + "'";
      if (!h.until_column.empty()) out[h.until_column] = "ends the legal hold '" + h.name + "'";
    }
    return out;
  }

  void resolve_rule(const RetentionRule& rule) {
    ResolvedRule& resolved = out_.rules_.emplace_back(ResolvedRule{.entry = &rule});
    const ResolvedTable* table = find(rule.table);
    resolved.table = table;
    if (table == nullptr) return;
    const std::string owner = " of retention rule '" + rule.name + "'";
    if (rule.from.kind == RetentionStart::Kind::column) {
      resolved.from_table = table;
      resolved.from = column(*table, rule.from.column, "date column", owner, rule.loc);
    } else {
      resolved.from_table = out_.subject_.table;
      resolved.from = out_.subject_.closed;
    }
    if (rule.action != RetentionAction::anonymise || table->db == nullptr) return;
    const auto fixed = protected_columns(*table);
    const std::string what = "retention rule '" + rule.name + "'";
    for (const Mask& mask : rule.masks) {
      const SourceLocation& loc = mask.loc.known() ? mask.loc : rule.loc;
      const std::string entry = rule.table + "." + mask.column;
      const DbColumn* c = column(*table, mask.column, "masked column", owner, loc);
      resolved.masks.push_back(ResolvedMask{&mask, c});
      if (c == nullptr) continue;
      if (auto it = fixed.find(mask.column); it != fixed.end()) {
        error("retention-mask-key", loc, entry,
              what + ": column '" + entry + "' " + it->second + "; masking it would break that");
        continue;
      }
      if (auto [prior, fresh] = masked_.emplace(entry, &rule); !fresh)
        error("retention-mask-conflict", loc, entry,
              what + ": column '" + entry + "' is also masked by rule '" + prior->second->name +
                  "'; one column takes one mask");
      const bool unique = c->unique || c->primary_key;
      if (mask.strategy == MaskStrategy::null && c->not_null)
        warning("retention-mask-not-null", loc, entry,
                what + ": column '" + entry + "' is NOT NULL, so the null mask writes " +
                    (unique ? "'#' and the row key" : "an empty value") + " instead");
      const bool repeats = mask.strategy == MaskStrategy::fixed ||
                           mask.strategy == MaskStrategy::partial ||
                           mask.strategy == MaskStrategy::generalise_month ||
                           mask.strategy == MaskStrategy::generalise_year;
      if (unique && repeats)
        warning("retention-mask-unique", loc, entry,
                what + ": column '" + entry + "' is UNIQUE and the " + to_string(mask.strategy) +
                    " mask gives repeated values, so scrub appends '#' and the row key");
    }
  }

  void resolve_hold(const Hold& hold) {
    ResolvedHold& resolved = out_.holds_.emplace_back(ResolvedHold{.entry = &hold});
    const ResolvedTable* table = find(hold.table);
    resolved.table = table;
    if (table == nullptr) return;
    const std::string owner = " of legal hold '" + hold.name + "'";
    if (!hold.column.empty())
      resolved.column = column(*table, hold.column, "column", owner, hold.loc);
    if (!hold.until_column.empty())
      resolved.until = column(*table, hold.until_column, "until column", owner, hold.loc);
  }

  const DataMap& map_;
  const RetentionPolicy* retention_;
  const DbSchema& schema_;
  ResolvedMap out_;
  std::set<std::string> missing_;                       // missing columns reported
  std::map<std::string, const RetentionRule*> masked_;  // table.column: the rule masking it
};

const ResolvedColumn* ResolvedTable::find_column(std::string_view column) const {
  for (const ResolvedColumn& c : columns)
    if (c.entry->name == column) return &c;
  return nullptr;
}

const ResolvedTable* ResolvedMap::find(std::string_view table) const {
  for (const ResolvedTable& t : tables_)
    if (t.name() == table) return &t;
  return nullptr;
}

std::vector<const ResolvedTable*> ResolvedMap::path_to_subject(const ResolvedTable& table) const {
  std::vector<const ResolvedTable*> path;
  const ResolvedTable* at = &table;
  while (at != nullptr && std::find(path.begin(), path.end(), at) == path.end()) {
    path.push_back(at);
    if (at == subject_.table) return path;
    at = at->link ? at->link->parent : nullptr;
  }
  return {};
}

std::vector<Finding> ResolvedMap::schema_findings() const {
  std::vector<Finding> out(findings_.begin() + static_cast<std::ptrdiff_t>(structure_findings_),
                           findings_.end());
  out.insert(out.end(), gaps_.begin(), gaps_.end());
  return out;
}

std::vector<Finding> ResolvedMap::all_findings() const {
  std::vector<Finding> out = findings_;
  out.insert(out.end(), gaps_.begin(), gaps_.end());
  return out;
}

bool ResolvedMap::fits() const {
  return std::none_of(findings_.begin(), findings_.end(),
                      [](const Finding& f) { return f.severity == Severity::error; });
}

ResolvedMap resolve_data_map(const DataMap& map, const RetentionPolicy* retention,
                             const DbSchema& schema) {
  return DataMapResolver(map, retention, schema).run();
}

void ensure_fits(const ResolvedMap& resolved) {
  for (const Finding& f : resolved.findings())
    if (f.severity == Severity::error) throw_invalid(f.loc, f.message);
}

const std::vector<RuleInfo>& data_map_rules() {
  static const std::vector<RuleInfo> rules = {
      {"unknown-table", "a table is referred to but not in the data map"},
      {"unknown-column", "a column is referred to but not in the data map"},
      {"missing-link", "a table does not link to the subject table"},
      {"bad-link", "a table's links do not reach the subject table"},
      {"missing-table",
       "a data map table does not exist in the database (a warning for an ignored table)"},
      {"missing-column",
       "a column the data map, a retention rule or a hold names does not exist in the database"},
      {"unclassified-column", "a database column is not classified"},
      {"unmapped-table", "a database table is neither mapped nor ignored"},
      {"retention-mask-key", "a mask would change a key, link, foreign key, date or hold column"},
      {"retention-mask-conflict", "a column is masked by two retention rules"},
      {"retention-mask-not-null", "a null mask on a NOT NULL column (scrub writes a placeholder)"},
      {"retention-mask-unique",
       "a mask repeats values in a UNIQUE column (scrub appends the row key)"},
      {"date-format-conflict", "the policy states two formats for one date column"},
  };
  return rules;
}

}  // namespace telcomply
