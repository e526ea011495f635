#include "lint/lint.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/text.h"
#include "datamap/dates.h"
#include "datamap/resolved.h"
#include "policy/load.h"
#include "register/register.h"
#include "render/render.h"

namespace telcomply {

PolicyKind detect_policy_kind(const YamlSource& source) {
  YamlDoc doc(source);
  const YamlNode& root = doc.root();
  if (!root.is_map()) doc.fail(root, "a policy file must be a mapping of sections");
  auto has = [&](std::initializer_list<const char*> keys) {
    for (const char* key : keys)
      if (root[key].defined()) return true;
    return false;
  };
  if (has({"organisation", "policies", "database", "audit_log"})) return PolicyKind::config;
  if (has({"subject", "tables", "ignore", "automated_decisions", "purposes", "recipients",
           "controllers"}))
    return PolicyKind::data_map;
  if (has({"periods", "rules", "holds", "pseudonym_key", "mass_delete_limit"}))
    return PolicyKind::retention;
  if (has({"site", "cookies", "attestations"})) return PolicyKind::cookies;
  if (has({"subprocessors", "notice_period"})) return PolicyKind::subprocessors;
  if (has({"eea", "adequacy", "checked"})) return PolicyKind::transfers;
  if (const YamlNode& categories = root["categories"];
      categories.defined() && categories.is_map()) {
    // Only categories: cookie categories carry consent rules, data categories purposes.
    for (const auto& item : categories.pairs()) {
      const YamlNode& c = item.second;
      if (c.is_map() &&
          (c["consent"].defined() || c["max_lifetime"].defined() || c["conditions"].defined()))
        return PolicyKind::cookies;
    }
    return PolicyKind::data_map;
  }
  doc.fail(root, "cannot tell what kind of policy file this is (see telcomply-policy(5))");
}

namespace {

class Checker {
 public:
  Checker(const Policy& policy, PolicyKinds kinds) : p_(policy), kinds_(kinds) {}

  std::vector<Finding> run() {
    if (uses(PolicyKind::data_map)) {
      findings_ = check_data_map_structure(
          p_.data_map, uses(PolicyKind::retention) ? &p_.retention : nullptr);
      data_map();
    }
    if (uses(PolicyKind::retention)) retention();
    if (uses(PolicyKind::cookies)) cookies();
    if (uses(PolicyKind::subprocessors)) subprocessors();
    return std::move(findings_);
  }

 private:
  void add(const char* rule, Severity severity, const SourceLocation& loc, const std::string& entry,
           const std::string& message) {
    findings_.push_back(Finding{rule, severity, message, loc, entry});
  }
  void error(const char* rule, const SourceLocation& loc, const std::string& entry,
             const std::string& message) {
    add(rule, Severity::error, loc, entry, message);
  }

  // Whether the checks of `kind` run, and checks of other kinds may refer to it: it is to
  // be checked and it is loaded.
  bool uses(PolicyKind kind) const { return kinds_.contains(kind) && p_.has(kind); }

  bool known_category(const std::string& id) const {
    return !uses(PolicyKind::data_map) || p_.data_map.categories.count(id) > 0;
  }

  void category_ref(const SourceLocation& loc, const std::string& entry, const std::string& id,
                    const std::string& where) {
    if (known_category(id)) return;
    std::vector<std::string> names;
    for (const auto& [name, c] : p_.data_map.categories) names.push_back(name);
    std::string message = where + " uses undefined category '" + id + "'";
    if (auto hint = closest_match(id, names)) message += "; did you mean '" + *hint + "'?";
    error("undefined-category", loc, entry, message);
  }

  // A column of `table` named in the data map: classified, its key, or its link column.
  bool mapped_column(const Table& table, const std::string& column) const {
    return table.find_column(column) || table.key == column ||
           (table.link && table.link->column == column);
  }

  void data_map() {
    const DataMap& m = p_.data_map;
    std::set<std::string> used;
    if (const Table* subject = m.find_table(m.subject.table)) {
      if (!mapped_column(*subject, m.subject.number_column))
        error("unknown-column", m.subject.loc, m.subject.table + "." + m.subject.number_column,
              "the subject's number column '" + m.subject.number_column + "' is not in table '" +
                  subject->name + "'");
      if (!m.subject.closed_column.empty() && !mapped_column(*subject, m.subject.closed_column))
        error("unknown-column", m.subject.loc, m.subject.table + "." + m.subject.closed_column,
              "the subject's closing-date column '" + m.subject.closed_column +
                  "' is not in table '" + subject->name + "'");
    }
    bool any_identifier = false;
    for (const Table& table : m.tables) {
      for (const Column& column : table.columns) {
        const std::string entry = table.name + "." + column.name;
        if (column.category != "none") {
          used.insert(column.category);
          category_ref(column.loc, entry, column.category, "column '" + entry + "'");
        } else if (column.identifies || column.other_party) {
          error("inconsistent-column", column.loc, entry,
                "column '" + entry + "' is marked as not personal ('none') but identifies or holds personal data");
        }
        if (column.identifies) any_identifier = true;
        if (column.identifies && column.other_party)
          error("inconsistent-column", column.loc, entry,
                "column '" + entry + "' cannot both identify the subject and hold other people's data");
      }
    }
    if (!any_identifier)
      error("no-identifier", m.subject.loc, m.subject.table,
            "no column is marked 'identifies': a data subject could not be found");
    for (const auto& d : m.automated_decisions)
      for (const auto& c : d.categories) category_ref(d.loc, d.name, c, "automated decision '" + d.name + "'");
    for (const auto& [id, category] : m.categories)
      if (!used.count(id))
        add("unused-category", Severity::warning, category.loc, id,
            "category '" + id + "' is defined but no column holds it");
  }

  void retention() {
    const RetentionPolicy& r = p_.retention;
    bool uses_pseudonym = false;
    std::set<std::string> covered;
    for (const RetentionRule& rule : r.rules) {
      covered.insert(rule.table);
      for (const auto& c : rule.categories) category_ref(rule.loc, rule.name, c, "rule '" + rule.name + "'");
      if (!uses(PolicyKind::data_map)) continue;
      const Table* table = p_.data_map.find_table(rule.table);
      if (!table) continue;  // check_data_map_structure reports it
      if (rule.from.kind == RetentionStart::Kind::column &&
          !mapped_column(*table, rule.from.column))
        error("unknown-column", rule.loc, rule.name,
              "rule '" + rule.name + "' counts from '" + rule.from.column +
                  "', which is not a column of '" + table->name + "' in the data map");
      for (const Mask& mask : rule.masks) {
        uses_pseudonym = uses_pseudonym || mask.strategy == MaskStrategy::pseudonym;
        const std::string entry = table->name + "." + mask.column;
        if (!table->find_column(mask.column)) {
          error("unknown-column", mask.loc, entry,
                "rule '" + rule.name + "' anonymises '" + entry + "', which is not classified in the data map");
        } else if (mask.column == table->key || (table->link && mask.column == table->link->column)) {
          error("masked-key", mask.loc, entry,
                "rule '" + rule.name + "' would anonymise the key or link column '" + entry + "'");
        }
      }
    }
    overlapping_rules();
    if (uses_pseudonym && !r.pseudonym_key.configured()) {
      const SourceLocation loc = r.files.empty() ? SourceLocation{} : SourceLocation{r.files.front(), 1, 1};
      error("missing-key", loc, "pseudonym_key",
            "a rule uses strategy pseudonym but no 'pseudonym_key' says where the key comes from");
    }
    if (uses(PolicyKind::data_map)) {
      for (const Hold& hold : r.holds) {
        const Table* table = p_.data_map.find_table(hold.table);
        if (!table) continue;  // check_data_map_structure reports it
        for (const std::string& column : {hold.column, hold.until_column})
          if (!column.empty() && !mapped_column(*table, column))
            error("unknown-column", hold.loc, hold.name,
                  "hold '" + hold.name + "' uses column '" + column + "', not in table '" + table->name + "' of the data map");
      }
      for (const Table& table : p_.data_map.tables) {
        const bool personal = std::any_of(table.columns.begin(), table.columns.end(),
                                          [](const Column& c) { return c.category != "none"; });
        if (personal && !covered.count(table.name))
          add("no-retention", Severity::warning, table.loc, table.name,
              "table '" + table.name + "' holds personal data but no retention rule covers it");
      }
    }
  }

  // Rules that do the same to the same rows: two delete rules on one table, or two anonymise
  // rules masking one column. Each is named once, against the first rule it overlaps.
  void overlapping_rules() {
    std::map<std::string, const RetentionRule*> deletes;  // table: the first rule deleting
    std::map<std::string, const RetentionRule*> masks;    // table.column: the first masking
    for (const RetentionRule& rule : p_.retention.rules) {
      if (rule.action == RetentionAction::delete_row) {
        auto [first, fresh] = deletes.emplace(rule.table, &rule);
        if (!fresh)
          add("overlapping-rules", Severity::warning, rule.loc, rule.name,
              "rule '" + rule.name + "' deletes rows of '" + rule.table + "' as rule '" +
                  first->second->name + "' at " + first->second->loc.str() +
                  " does: a row goes only once every such rule has run out, so the rule that "
                  "runs out last decides");
        continue;
      }
      for (const Mask& mask : rule.masks) {
        const std::string entry = rule.table + "." + mask.column;
        auto [first, fresh] = masks.emplace(entry, &rule);
        if (fresh) continue;
        add("overlapping-rules", Severity::warning, rule.loc, rule.name,
            "rule '" + rule.name + "' anonymises '" + entry + "' as rule '" + first->second->name +
                "' at " + first->second->loc.str() + " does: one column takes one mask");
        break;
      }
    }
  }

  void cookies() {
    const CookiePolicy& c = p_.cookies;
    std::set<std::pair<std::string, std::string>> seen;
    for (const DeclaredCookie& cookie : c.cookies) {
      if (!c.categories.count(cookie.category)) {
        std::vector<std::string> names;
        for (const auto& [id, category] : c.categories) names.push_back(id);
        std::string message = "cookie '" + cookie.name + "' uses undefined cookie category '" + cookie.category + "'";
        if (auto hint = closest_match(cookie.category, names)) message += "; did you mean '" + *hint + "'?";
        error("undefined-category", cookie.loc, cookie.name, message);
      }
      if (!seen.insert({cookie.name, cookie.provider}).second)
        error("duplicate-cookie", cookie.loc, cookie.name,
              "cookie '" + cookie.name + "' of " + cookie.provider + " is declared twice");
    }
    if (!c.cookies.empty() && c.site.empty()) {
      const SourceLocation loc = c.files.empty() ? SourceLocation{} : SourceLocation{c.files.back(), 1, 1};
      error("missing-site", loc, "site", "the cookie policy declares cookies but not the site's own domains ('site')");
    }
  }

  void subprocessors() {
    const auto& list = p_.subprocessors.subprocessors;
    for (const Subprocessor& s : list) {
      for (const auto& c : s.categories) {
        auto it = s.fields.find("categories");
        category_ref(it != s.fields.end() ? it->second : s.loc, s.id, c, "sub-processor '" + s.id + "'");
      }
      if (s.parent.empty()) continue;
      const bool parent_known = std::any_of(list.begin(), list.end(),
                                            [&](const Subprocessor& other) { return other.id == s.parent; });
      if (!parent_known)
        error("unknown-parent", s.loc, s.id,
              "sub-processor '" + s.id + "' names parent '" + s.parent + "', which is not in the registry");
    }
  }

  const Policy& p_;
  const PolicyKinds kinds_;
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> check_policy(const Policy& policy, PolicyKinds kinds) {
  return Checker(policy, kinds).run();
}

void ensure_consistent(const Policy& policy, PolicyKinds kinds) {
  for (const Finding& f : check_policy(policy, kinds))
    if (f.severity == Severity::error)
      throw_invalid(f.loc, f.message + " (run 'telcomply lint' for every finding)");
}

std::vector<Finding> lint(const std::optional<Config>& config, const LintOptions& options) {
  Config effective = config.value_or(Config{});
  if (!config) effective.transfers.clear();
  // Files given on the command line take the place of the configuration's files of their
  // kind; the configuration's other kinds stay, for cross-references.
  std::map<PolicyKind, std::vector<std::filesystem::path>> given;
  for (const auto& file : options.files) {
    const YamlSource source = read_yaml_source(file);
    const PolicyKind kind = detect_policy_kind(source);
    if (kind == PolicyKind::config) {
      const Config other = load_config(source);
      for (auto [k, list] : {std::pair{PolicyKind::data_map, &other.data_map},
                             std::pair{PolicyKind::retention, &other.retention},
                             std::pair{PolicyKind::cookies, &other.cookies},
                             std::pair{PolicyKind::subprocessors, &other.subprocessors},
                             std::pair{PolicyKind::transfers, &other.transfers}})
        given[k].insert(given[k].end(), list->begin(), list->end());
      if (effective.database.empty()) effective.database = other.database;
      continue;
    }
    given[kind].push_back(file.lexically_normal());
  }
  for (auto& [kind, files] : given) {
    switch (kind) {
      case PolicyKind::data_map: effective.data_map = files; break;
      case PolicyKind::retention: effective.retention = files; break;
      case PolicyKind::cookies: effective.cookies = files; break;
      case PolicyKind::subprocessors: effective.subprocessors = files; break;
      case PolicyKind::transfers: effective.transfers = files; break;
      case PolicyKind::config: break;
    }
  }
  const Policy policy = load_policy(effective, PolicyKinds::all());
  if (!effective.templates.empty()) check_template_folder(effective.templates);
  std::vector<Finding> findings = check_policy(policy);
  // What the records of processing (telcomply register) would lack.
  for (Finding& f : check_register(policy)) findings.push_back(std::move(f));
  if (options.database) {
    const std::unique_ptr<Store> store =
        open_store(options.database->string(), StoreOptions{OpenMode::read_only});
    const DbSchema& schema = store->schema();
    if (policy.has_data_map) {
      const ResolvedMap resolved = resolve_data_map(
          policy.data_map, policy.has_retention ? &policy.retention : nullptr, schema);
      // The data map's structure is in check_policy's findings already.
      for (Finding& f : resolved.schema_findings()) findings.push_back(std::move(f));
      const DateColumns dates = read_date_columns(resolved, *store);
      findings.insert(findings.end(), dates.findings().begin(), dates.findings().end());
    }
  }
  return findings;
}

const std::vector<RuleInfo>& lint_rules() {
  static const std::vector<RuleInfo> rules{
      {"undefined-category", "a category is used but not defined"},
      {"inconsistent-column", "a column's markings contradict each other"},
      {"no-identifier", "no column identifies the data subject"},
      {"unused-category", "a category is defined but unused"},
      {"masked-key", "a retention rule would anonymise a key or link column"},
      {"missing-key", "pseudonyms are used but no key source is configured"},
      {"no-retention", "a table with personal data has no retention rule"},
      {"overlapping-rules", "two retention rules delete rows of one table, or mask one column"},
      {"duplicate-cookie", "a cookie is declared twice"},
      {"missing-site", "the cookie policy does not name the site's domains"},
      {"unknown-parent", "a sub-sub-processor's parent is not in the registry"},
  };
  // The data map's structure and its fit with the database: the resolved map's rules.
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> out = rules;
    const auto& resolved = data_map_rules();
    out.insert(out.end(), resolved.begin(), resolved.end());
    out.insert(out.end(), date_rules().begin(), date_rules().end());
    out.insert(out.end(), register_rules().begin(), register_rules().end());
    return out;
  }();
  return all;
}

}  // namespace telcomply
