// The retention policy resolved against the data map and the real schema, and the SQL
// predicates built from it.
#include "scrub/model.h"

#include <algorithm>
#include <functional>

#include "core/error.h"

namespace telcomply::scrub_detail {

namespace {

// The column a foreign key without a named parent column points at: the parent's primary key,
// else the backend's row address.
std::string primary_key_of(const DbTable& table, const Dialect& dialect) {
  for (const DbColumn& c : table.columns) {
    if (c.primary_key) return c.name;
  }
  return dialect.row_id();
}

bool has_category(const RetentionRule& rule, const std::string& category) {
  return std::find(rule.categories.begin(), rule.categories.end(), category) !=
         rule.categories.end();
}

bool masks_column(const RetentionRule& rule, const std::string& column) {
  return std::any_of(rule.masks.begin(), rule.masks.end(),
                     [&](const Mask& m) { return m.column == column; });
}

// The date a rule counts from, within its table: a column, or the subject's closing date.
std::string clock_of(const RuleState& rule) {
  const RetentionStart& from = rule.rule->from;
  return from.kind == RetentionStart::Kind::account_closed ? std::string() : "=" + from.column;
}

}  // namespace

void Levels::add(const Keeper& keeper) {
  auto [at, fresh] = index_.emplace(std::pair{keeper.path, clock_of(*keeper.rule)}, groups_.size());
  if (fresh) groups_.push_back(LevelGroup{keeper.path, {}});
  groups_[at->second].bounds.push_back(keeper.rule);
}

void Levels::finish() {
  auto earlier = [](const RuleState* a, const RuleState* b) { return a->cutoff < b->cutoff; };
  auto same = [](const RuleState* a, const RuleState* b) { return a->cutoff == b->cutoff; };
  for (LevelGroup& group : groups_) {
    std::vector<const RuleState*>& bounds = group.bounds;
    std::stable_sort(bounds.begin(), bounds.end(), earlier);
    bounds.erase(std::unique(bounds.begin(), bounds.end(), same), bounds.end());
  }
}

std::pair<std::size_t, std::size_t> Levels::find(const Keeper& keeper) const {
  const std::size_t group = index_.at(std::pair{keeper.path, clock_of(*keeper.rule)});
  const std::vector<const RuleState*>& bounds = groups_[group].bounds;
  auto at =
      std::lower_bound(bounds.begin(), bounds.end(), keeper.rule->cutoff,
                       [](const RuleState* r, const Date& cutoff) { return r->cutoff < cutoff; });
  return {group, static_cast<std::size_t>(at - bounds.begin()) + 1};
}

Model::Model(const RetentionPolicy& policy, const DataMap& map, Store& store,
             const DateColumns& dates, const Date& as_of, bool erasure)
    : policy_(policy), map_(map), dialect_(store.dialect()), as_of_(as_of), erasure_(erasure) {
  const DbSchema& schema = store.schema();
  auto add_table = [&](const std::string& name, const Table* entry) -> TableInfo& {
    TableInfo& t = tables_[name];
    t.name = name;
    t.map = entry;
    t.db = schema.find(name);
    if (t.db == nullptr) throw_invalid("table '" + name + "' does not exist in the database");
    t.quoted = t.db->quoted;
    std::string key = entry != nullptr && !entry->key.empty() ? entry->key : "id";
    if (t.db->find(key) != nullptr) {
      t.key = key;
    } else if (t.db->has_row_id && !dialect_.row_id().empty()) {
      t.key = dialect_.row_id();
    } else {
      t.key = primary_key_of(*t.db, dialect_);
    }
    return t;
  };

  for (const Table& entry : map.tables) add_table(entry.name, &entry);
  auto subject = tables_.find(map.subject.table);
  if (subject == tables_.end()) {
    throw_invalid(located(map.subject.loc,
                          "the subject table '" + map.subject.table + "' is not in the data map"));
  }
  subject->second.subject = true;
  subject_ = &subject->second;

  // Links, and the references they make.
  for (const Table& entry : map.tables) {
    TableInfo& t = tables_.at(entry.name);
    if (t.subject || !entry.link) continue;
    auto parent = tables_.find(entry.link->parent);
    if (parent == tables_.end()) {
      throw_invalid(located(entry.link->loc, "table '" + entry.name + "' links to '" +
                                                 entry.link->parent +
                                                 "', which is not in the data map"));
    }
    t.parent = &parent->second;
    t.link_column = entry.link->column;
    t.parent_column = entry.link->parent_key.empty() ? parent->second.key : entry.link->parent_key;
    Ref ref;
    ref.child = &t;
    ref.child_column = t.link_column;
    ref.column = t.parent_column;
    ref.is_link = true;
    ref.indexed = t.db->indexed.count(t.link_column) > 0;
    parent->second.refs.push_back(ref);
  }
  for (auto& [name, t] : tables_) {
    std::set<const TableInfo*> seen;
    const TableInfo* at = &t;
    while (at != nullptr && !at->subject && seen.insert(at).second) at = at->parent;
    t.linked = at != nullptr && at->subject;
  }

  // Foreign keys of the real schema: rows referencing a data-map table keep it too.
  for (const auto& [name, dbt] : schema.tables) {
    for (const DbForeignKey& fk : dbt.foreign_keys) {
      auto parent = tables_.find(fk.parent_table);
      if (parent == tables_.end()) continue;
      if (tables_.find(name) == tables_.end()) add_table(name, nullptr);
      TableInfo& child = tables_.at(name);
      TableInfo& p = tables_.at(fk.parent_table);
      std::string column =
          fk.parent_column.empty() ? primary_key_of(*p.db, dialect_) : fk.parent_column;
      bool known = std::any_of(p.refs.begin(), p.refs.end(), [&](const Ref& r) {
        return r.child == &child && r.child_column == fk.column && r.column == column;
      });
      if (known) continue;
      Ref ref;
      ref.child = &child;
      ref.child_column = fk.column;
      ref.column = column;
      ref.indexed = child.db->indexed.count(fk.column) > 0;
      p.refs.push_back(ref);
    }
  }

  rules_.reserve(policy.rules.size());
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const RetentionRule& rule = policy.rules[i];
    auto t = tables_.find(rule.table);
    if (t == tables_.end() || t->second.map == nullptr) {
      throw_invalid(located(rule.loc, "retention rule '" + rule.name + "': table '" + rule.table +
                                          "' is not in the data map"));
    }
    RuleState info;
    info.rule = &rule;
    info.table = &t->second;
    info.index = i;
    info.param = ":c" + std::to_string(i);
    info.cutoff = retention_cutoff(rule.keep, as_of);
    auto period = policy.periods.find(rule.period);
    info.statutory = period != policy.periods.end() && !period->second.basis.empty();
    const bool closed = rule.from.kind == RetentionStart::Kind::account_closed;
    if (const DateColumn* from = dates.find(closed ? map.subject.table : rule.table,
                                            closed ? map.subject.closed_column : rule.from.column))
      info.representation = from->representation;
    rules_.push_back(info);
  }
  for (const RuleState& info : rules_) tables_.at(info.table->name).rules.push_back(&info);
  for (const Hold& hold : policy.holds) {
    const DateColumn* until = dates.find(hold.table, hold.until_column);
    hold_until_.push_back(until != nullptr ? until->representation : DateRepresentation{});
  }
}

Params Model::date_params() const {
  Params out;
  for (const RuleState& r : rules_)
    bind_date_before(out, r.representation, r.param, r.cutoff.add_days(1));
  for (std::size_t i = 0; i < hold_until_.size(); ++i)
    bind_date_before(out, hold_until_[i], ":u" + std::to_string(i), as_of_.add_days(1));
  return out;
}

std::vector<Keeper> Model::binding(const std::vector<Keeper>& keepers) {
  std::vector<Keeper> out;
  std::map<std::pair<std::vector<const TableInfo*>, std::string>, std::size_t> group;
  for (const Keeper& k : keepers) {
    auto [at, fresh] = group.emplace(std::pair{k.path, clock_of(*k.rule)}, out.size());
    if (fresh) {
      out.push_back(k);
    } else if (k.rule->cutoff < out[at->second].rule->cutoff) {
      out[at->second] = k;
    }
  }
  return out;
}

const TableInfo* Model::table(const std::string& name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

std::vector<const TableInfo*> Model::children_first() const {
  std::vector<const TableInfo*> order;
  std::set<const TableInfo*> done;
  std::set<const TableInfo*> visiting;
  std::function<void(const TableInfo&)> visit = [&](const TableInfo& t) {
    if (done.count(&t) || !visiting.insert(&t).second) return;
    for (const Ref& ref : t.refs) visit(*ref.child);
    visiting.erase(&t);
    done.insert(&t);
    if (t.map != nullptr) order.push_back(&t);
  };
  for (const Table& entry : map_.tables) visit(tables_.at(entry.name));
  return order;
}

std::vector<const RuleState*> Model::row_keepers(const TableInfo& t) const {
  std::vector<const RuleState*> out;
  for (const RuleState* r : t.rules) {
    if (!erasure_ || r->statutory) out.push_back(r);
  }
  return out;
}

std::string Model::category(const TableInfo& t, const std::string& column) const {
  if (t.map == nullptr) return "";
  const Column* c = t.map->find_column(column);
  return c == nullptr ? "" : c->category;
}

namespace {

// The tables from just below `top` down to `bottom`, when `bottom` links up through `top`.
std::optional<std::vector<const TableInfo*>> path_below(const TableInfo& top,
                                                        const TableInfo& bottom) {
  std::vector<const TableInfo*> chain;
  std::set<const TableInfo*> seen;
  const TableInfo* at = &bottom;
  while (at != nullptr && at != &top && seen.insert(at).second) {
    chain.push_back(at);
    at = at->parent;
  }
  if (at != &top || chain.empty()) return std::nullopt;
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace

std::vector<Keeper> Model::descendant_keepers(const TableInfo& t) const {
  std::vector<Keeper> out;
  for (const RuleState& r : rules_) {
    if (erasure_ && !r.statutory) continue;
    if (auto path = path_below(t, *r.table)) out.push_back(Keeper{&r, *path});
  }
  return out;
}

std::vector<Keeper> Model::column_keepers(const TableInfo& t, const std::string& column) const {
  std::vector<Keeper> out;
  std::string cat = category(t, column);
  for (const RuleState* r : row_keepers(t)) {
    const RetentionRule& rule = *r->rule;
    bool keeps = false;
    if (!rule.categories.empty()) {
      keeps = !cat.empty() && has_category(rule, cat);
    } else if (rule.action == RetentionAction::delete_row) {
      keeps = true;
    } else {
      keeps = masks_column(rule, column);
    }
    if (keeps) out.push_back(Keeper{r, {}});
  }
  if (cat.empty() || cat == "none") return out;
  for (const Keeper& k : descendant_keepers(t)) {
    if (has_category(*k.rule->rule, cat)) out.push_back(k);
  }
  return out;
}

bool Model::deletes(const TableInfo& t) const {
  if (t.map == nullptr || !t.linked) return false;
  if (erasure_) return true;
  return std::any_of(t.rules.begin(), t.rules.end(), [](const RuleState* r) {
    return r->rule->action == RetentionAction::delete_row;
  });
}

// ---------------------------------------------------------------------------------------

SqlBuilder::SqlBuilder(const Model& model) : model_(model) {
  for (const Hold& hold : model.policy().holds) {
    const std::string until = ":u" + std::to_string(hold_keys_.size());
    hold_keys_.emplace_back();
    const TableInfo* h = model.table(hold.table);
    if (h == nullptr || !h->linked) continue;  // rejected by the schema check
    std::string a = alias();
    std::vector<std::string> conds;
    if (!hold.column.empty()) {
      const DbColumn* flag = h->db->find(hold.column);
      conds.push_back(model.dialect().flag_set(col(a, hold.column),
                                               flag != nullptr ? flag->kind : ColumnType::other));
    }
    if (!hold.until_column.empty()) {
      const DateRepresentation& r = model.hold_until(hold_keys_.size() - 1);
      conds.push_back("(NOT " + date_before(model.dialect(), col(a, hold.until_column), r, until) +
                      ")");
    }
    std::string cond = conds.empty() ? kTrue : conds[0];
    for (std::size_t i = 1; i < conds.size(); ++i) cond += " AND " + conds[i];
    // Walk up from the hold's table to the subject's keys.
    const TableInfo* at = h;
    std::string where = cond;
    std::string at_alias = a;
    std::string sql;
    while (true) {
      if (at->subject) {
        sql = "SELECT " + col(at_alias, at->key) + " FROM " + at->quoted + " " + at_alias +
              " WHERE " + col(at_alias, at->key) + " IS NOT NULL AND " + where;
        break;
      }
      const TableInfo* p = at->parent;
      std::string inner = "SELECT " + col(at_alias, at->link_column) + " FROM " + at->quoted + " " +
                          at_alias + " WHERE " + col(at_alias, at->link_column) +
                          " IS NOT NULL AND " + where;
      if (p->subject && at->parent_column == p->key) {
        sql = inner;
        break;
      }
      std::string b = alias();
      where = "(" + col(b, at->parent_column) + " IN (" + inner + "))";
      at = p;
      at_alias = b;
    }
    hold_keys_.back() = sql;
  }
}

std::string SqlBuilder::alias() { return "t" + std::to_string(next_++); }

std::string SqlBuilder::col(const std::string& alias, const std::string& column) const {
  return alias + "." + model_.dialect().quote(column);
}

std::string SqlBuilder::belongs(const TableInfo& t, const std::string& a, const std::string& rhs,
                                bool once) {
  // `rhs` is "(SELECT ...)" or a list: only a subquery is written for the planner.
  const auto in = [&](const std::string& subquery) {
    return once && subquery.starts_with("(SELECT ")
               ? "(" + model_.dialect().in_subquery(subquery.substr(1, subquery.size() - 2)) + ")"
               : subquery;
  };
  if (t.subject) {
    std::string k = col(a, t.key);
    return "(" + k + " IS NOT NULL AND " + k + " IN " + in(rhs) + ")";
  }
  std::string link = col(a, t.link_column);
  const TableInfo& p = *t.parent;
  if (p.subject && t.parent_column == p.key) {
    return "(" + link + " IS NOT NULL AND " + link + " IN " + in(rhs) + ")";
  }
  std::string b = alias();
  std::string pc = col(b, t.parent_column);
  return "(" + link + " IS NOT NULL AND " + link + " IN " +
         in("(SELECT " + pc + " FROM " + p.quoted + " " + b + " WHERE " + pc + " IS NOT NULL AND " +
            belongs(p, b, rhs) + ")") +
         ")";
}

std::string SqlBuilder::scope(const TableInfo& t, const std::string& a) {
  if (!model_.erasure()) return kTrue;
  return belongs(t, a, "(:subject)");
}

std::string SqlBuilder::held(const TableInfo& t, const std::string& a) {
  // One IN per hold, rather than one IN of their UNION, each read once per statement:
  // MariaDB ran an IN over a UNION again for every row (five index lookups a call record).
  std::string out;
  for (std::size_t i = 0; i < hold_keys_.size(); ++i) {
    const std::string one = held_by(t, a, i);
    if (one != kFalse) out += (out.empty() ? "(" : " OR ") + one;
  }
  return out.empty() ? std::string(kFalse) : out + ")";
}

std::string SqlBuilder::held_here(const TableInfo& t, const std::string& a) {
  if (model_.erasure() && subject_held_) return *subject_held_ ? kTrue : kFalse;
  return held(t, a);
}

std::string SqlBuilder::held_by(const TableInfo& t, const std::string& a, std::size_t index) {
  if (index >= hold_keys_.size() || hold_keys_[index].empty() || !t.linked) return kFalse;
  return belongs(t, a, "(" + hold_keys_[index] + ")", true);
}

std::string SqlBuilder::expired(const RuleState& rule, const std::string& a) {
  const RetentionRule& r = *rule.rule;
  auto range = [&](const std::string& c) {
    return date_before(model_.dialect(), c, rule.representation, rule.param);
  };
  if (r.from.kind == RetentionStart::Kind::column) return range(col(a, r.from.column));
  const TableInfo& subject = model_.subject();
  const std::string& closed = model_.map().subject.closed_column;
  if (rule.table->subject) return range(col(a, closed));
  std::string s = alias();
  return belongs(*rule.table, a,
                 "(SELECT " + col(s, subject.key) + " FROM " + subject.quoted + " " + s +
                     " WHERE " + range(col(s, closed)) + ")");
}

std::string SqlBuilder::kept_below(const TableInfo& t, const std::string& a, const Keeper& keeper) {
  std::function<std::string(std::size_t, const std::string&)> level =
      [&](std::size_t i, const std::string& above) -> std::string {
    const TableInfo& c = *keeper.path[i];
    std::string x = alias();
    std::string inner =
        i + 1 == keeper.path.size() ? "(NOT " + expired(*keeper.rule, x) + ")" : level(i + 1, x);
    std::string pc = col(above, c.parent_column);
    std::string lc = col(x, c.link_column);
    std::string in_scope = model_.erasure() ? " AND " + scope(c, x) : "";
    return "(" + pc + " IS NOT NULL AND " + pc + " IN (SELECT " + lc + " FROM " + c.quoted + " " +
           x + " WHERE " + lc + " IS NOT NULL" + in_scope + " AND " + inner + "))";
  };
  (void)t;
  return level(0, a);
}

std::string SqlBuilder::kept(const TableInfo& t, const std::string& a, const Keeper& keeper) {
  if (keeper.path.empty()) return "(NOT " + expired(*keeper.rule, a) + ")";
  return kept_below(t, a, keeper);
}

std::string SqlBuilder::rules_expired(const TableInfo& t, const std::string& a) {
  std::vector<Keeper> keepers;
  for (const RuleState* r : model_.row_keepers(t)) keepers.push_back(Keeper{r, {}});
  std::string out;
  for (const Keeper& k : Model::binding(keepers)) {
    out += (out.empty() ? "" : " AND ") + expired(*k.rule, a);
  }
  return out.empty() ? kTrue : "(" + out + ")";
}

std::string SqlBuilder::any_expired(const std::vector<const RuleState*>& rules,
                                    const std::string& a) {
  // Per date counted from, the rule with the latest cut-off: it has run out when any has.
  std::map<std::string, const RuleState*> latest;
  std::vector<std::string> order;
  for (const RuleState* r : rules) {
    auto [at, fresh] = latest.emplace(clock_of(*r), r);
    if (fresh) order.push_back(at->first);
    if (at->second->cutoff < r->cutoff) at->second = r;
  }
  std::string out;
  for (const std::string& clock : order) {
    out += (out.empty() ? "" : " OR ") + expired(*latest.at(clock), a);
  }
  return out.empty() ? kFalse : "(" + out + ")";
}

std::string SqlBuilder::level(const LevelGroup& group, const std::string& a, std::string& joins,
                              bool lookup) {
  if (group.path.empty()) return own_level(group, 0, group.bounds.size(), a);
  if (lookup) return level_lookup(group, 0, a);
  const std::string j = alias();
  joins += " LEFT JOIN " + level_below(group, 0) + " " + j + " ON " + j +
           ".k = " + col(a, group.path.front()->parent_column);
  return "coalesce(" + j + ".l, 0)";
}

std::string SqlBuilder::own_level(const LevelGroup& group, std::size_t low, std::size_t high,
                                  const std::string& a) {
  // The level is in [low, high]: the cut-off of rank `mid` has run out below it.
  if (low == high) return std::to_string(low);
  const std::size_t mid = (low + high + 1) / 2;
  return "(CASE WHEN " + expired(*group.bounds[mid - 1], a) + " THEN " +
         own_level(group, low, mid - 1, a) + " ELSE " + own_level(group, mid, high, a) + " END)";
}

std::string SqlBuilder::level_below(const LevelGroup& group, std::size_t i) {
  // Per key of the parent, the highest level among its rows on the path (kept_below's rows).
  const TableInfo& c = *group.path[i];
  const std::string x = alias();
  std::string joins;
  std::string inner;
  if (i + 1 == group.path.size()) {
    inner = own_level(group, 0, group.bounds.size(), x);
  } else {
    const std::string j = alias();
    joins = " LEFT JOIN " + level_below(group, i + 1) + " " + j + " ON " + j +
            ".k = " + col(x, group.path[i + 1]->parent_column);
    inner = "coalesce(" + j + ".l, 0)";
  }
  const std::string lc = col(x, c.link_column);
  const std::string in_scope = model_.erasure() ? " AND " + scope(c, x) : "";
  return "(SELECT " + lc + " AS k, max(" + inner + ") AS l FROM " + c.quoted + " " + x + joins +
         " WHERE " + lc + " IS NOT NULL" + in_scope + " GROUP BY " + lc + ")";
}

std::string SqlBuilder::level_lookup(const LevelGroup& group, std::size_t i,
                                     const std::string& above) {
  // level_below's value for the key of `above`: no rows on the path (max() of none is NULL)
  // are level 0, as the LEFT JOIN finds no row.
  const TableInfo& c = *group.path[i];
  const std::string x = alias();
  const std::string inner = i + 1 == group.path.size() ? own_level(group, 0, group.bounds.size(), x)
                                                       : level_lookup(group, i + 1, x);
  const std::string in_scope = model_.erasure() ? " AND " + scope(c, x) : "";
  return "coalesce((SELECT max(" + inner + ") FROM " + c.quoted + " " + x + " WHERE " +
         col(x, c.link_column) + " = " + col(above, c.parent_column) + in_scope + "), 0)";
}

std::string SqlBuilder::referencing(const Ref& ref, const std::string& a, const std::string& d,
                                    const std::string& condition) {
  const std::string c = col(a, ref.column);
  const std::string cc = col(d, ref.child_column);
  const std::string also = linked_scope(ref, d) + (condition.empty() ? "" : " AND " + condition);
  if (ref.indexed && lookups_.contains(ref.child)) {
    return "(" + c + " IS NOT NULL AND EXISTS (SELECT 1 FROM " + ref.child->quoted + " " + d +
           " WHERE " + cc + " = " + c + also + "))";
  }
  return "(" + c + " IS NOT NULL AND " + c + " IN (SELECT " + cc + " FROM " + ref.child->quoted +
         " " + d + " WHERE " + cc + " IS NOT NULL" + also + "))";
}

std::string SqlBuilder::any_reference(const Ref& ref, const std::string& a) {
  return referencing(ref, a, alias(), "");
}

std::string SqlBuilder::linked_scope(const Ref& ref, const std::string& d) {
  if (!model_.erasure() || !ref.is_link) return "";
  return " AND " + scope(*ref.child, d);
}

std::string SqlBuilder::deletable(const TableInfo& t, const std::string& a, bool check_scope,
                                  bool same_subject, std::set<const TableInfo*>& visiting) {
  if (!model_.deletes(t)) return kFalse;
  std::vector<std::string> parts;
  if (check_scope) {
    if (!same_subject) {
      if (std::string s = scope(t, a); s != kTrue) parts.push_back(s);
    }
    if (std::string h = same_subject ? held_here(t, a) : held(t, a); h != kFalse) {
      parts.push_back("(NOT " + h + ")");
    }
  }
  if (std::string e = rules_expired(t, a); e != kTrue) parts.push_back(e);
  visiting.insert(&t);
  for (const Ref& ref : t.refs) {
    if (visiting.count(ref.child) || !model_.deletes(*ref.child)) {
      parts.push_back("(NOT " + any_reference(ref, a) + ")");
      continue;
    }
    std::string d = alias();
    std::string child = deletable(*ref.child, d, !ref.is_link, false, visiting);
    parts.push_back("(NOT " + referencing(ref, a, d, "NOT " + child) + ")");
  }
  visiting.erase(&t);
  if (parts.empty()) return kTrue;
  std::string out = "(";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " AND " : "") + parts[i];
  return out + ")";
}

std::string SqlBuilder::deletable_unless_held(const TableInfo& t, const std::string& a) {
  std::set<const TableInfo*> visiting;
  return deletable(t, a, false, true, visiting);
}

std::string SqlBuilder::referenced_by_staying(const Ref& ref, const std::string& a) {
  std::string d = alias();
  std::set<const TableInfo*> visiting;
  std::string child = deletable(*ref.child, d, !ref.is_link, false, visiting);
  return referencing(ref, a, d, "NOT " + child);
}

std::vector<RowCondition> SqlBuilder::deletable_apply_parts(const TableInfo& t,
                                                            const std::string& a) {
  if (!model_.deletes(t)) return {RowCondition{kFalse, kTrue}};
  std::vector<RowCondition> parts;
  if (std::string e = rules_expired(t, a); e != kTrue) parts.push_back({e, "(NOT " + e + ")"});
  if (std::string s = scope(t, a); s != kTrue) parts.push_back({s, "(NOT " + s + ")"});
  if (std::string h = held_here(t, a); h != kFalse) parts.push_back({"(NOT " + h + ")", h});
  for (const Ref& ref : t.refs) {
    std::string referenced;
    if (ref.indexed) {
      std::string d = alias();
      referenced = "EXISTS (SELECT 1 FROM " + ref.child->quoted + " " + d + " WHERE " +
                   col(d, ref.child_column) + " = " + col(a, ref.column) + ")";
    } else {
      referenced = any_reference(ref, a);
    }
    parts.push_back({"(NOT " + referenced + ")", referenced});
  }
  return parts;
}

std::string SqlBuilder::deletable_apply(const TableInfo& t, const std::string& a) {
  const std::vector<RowCondition> parts = deletable_apply_parts(t, a);
  if (parts.empty()) return kTrue;
  std::string out = "(";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " AND " : "") + parts[i].goes;
  return out + ")";
}

}  // namespace telcomply::scrub_detail
