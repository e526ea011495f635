#include "datamap/resolved.h"

#include <algorithm>
#include <functional>

#include "lint/lint.h"
#include "policy/load.h"
#include "scrub/scrub.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

// A small operator: customers, their subscriptions and calls, and notes that link to the
// customer number instead of the key.
const char* kMap = R"(categories:
  contact: {purposes: x, legal_basis: y}
  traffic: {purposes: x, legal_basis: y}
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      email: contact
      name: contact
      closed_on: none
      hold: none
  subscriptions:
    key: sub_id
    link: {column: customer_id, parent: customers}
    columns: {line: contact}
  calls:
    link: {column: subscription_id, parent: subscriptions}
    columns: {started_at: traffic, callee: traffic}
  notes:
    link: {column: customer_number, parent: customers, parent_key: number}
    columns: {text: contact}
ignore: [products]
)";

const char* kRetention = R"(rules:
  - {name: cdr, table: calls, keep: 6 months, from: started_at, action: delete}
  - name: contact
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns: {email: pseudonym, name: {strategy: fixed, value: x}}
holds:
  - {name: flag, table: customers, column: hold}
pseudonym_key: {env: TELCOMPLY_KEY}
)";

// "P": primary key, "N": NOT NULL, "U": UNIQUE.
DbColumn column(const std::string& name, const std::string& flags = "") {
  DbColumn c;
  c.name = name;
  c.type = "TEXT";
  c.kind = ColumnType::text;
  c.primary_key = flags.find('P') != std::string::npos;
  c.not_null = c.primary_key || flags.find('N') != std::string::npos;
  c.unique = flags.find('U') != std::string::npos;
  return c;
}

void add_table(DbSchema& schema, const std::string& name, std::vector<DbColumn> columns,
               std::vector<DbForeignKey> foreign_keys = {}) {
  DbTable table;
  table.name = name;
  table.columns = std::move(columns);
  table.foreign_keys = std::move(foreign_keys);
  schema.tables[name] = std::move(table);
}

// The database kMap describes, built by hand.
DbSchema schema() {
  DbSchema s;
  add_table(s, "customers",
            {column("id", "P"), column("number", "NU"), column("email", "NU"), column("name", "N"),
             column("closed_on"), column("hold", "N")});
  add_table(s, "subscriptions", {column("sub_id", "P"), column("customer_id", "N"), column("line")},
            {{"customer_id", "customers", "id"}});
  add_table(s, "calls",
            {column("id", "P"), column("subscription_id", "N"), column("started_at", "N"),
             column("callee")},
            {{"subscription_id", "subscriptions", "sub_id"}});
  add_table(s, "notes", {column("id", "P"), column("customer_number"), column("text")});
  add_table(s, "products", {column("id", "P")});
  return s;
}

void drop_column(DbSchema& s, const std::string& table, const std::string& name) {
  auto& columns = s.tables.at(table).columns;
  columns.erase(std::remove_if(columns.begin(), columns.end(),
                               [&](const DbColumn& c) { return c.name == name; }),
                columns.end());
}

// `text` with `from` replaced by `to` (which must be there).
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

// kMap and kRetention, edited, resolved against a schema.
struct Case {
  DataMap map;
  RetentionPolicy retention;
  DbSchema db;
  ResolvedMap resolved;

  explicit Case(const std::string& map_text = kMap, const std::string& retention_text = kRetention,
                DbSchema schema_ = schema())
      : map(load_data_map({YamlSource{"map.yaml", map_text}})),
        retention(load_retention({YamlSource{"retention.yaml", retention_text}})),
        db(std::move(schema_)),
        resolved(resolve_data_map(map, &retention, db)) {}

  // The one finding of the case, which must carry `rule`.
  const Finding& only(const std::string& rule) const {
    const auto& all = resolved.findings();
    REQUIRE_MESSAGE(all.size() == 1, describe());
    CHECK(all.front().rule == rule);
    return all.front();
  }
  std::string describe() const {
    std::string out;
    for (const Finding& f : resolved.all_findings())
      out += f.loc.str() + ": " + f.message + " [" + f.rule + "]\n";
    return out;
  }
  const Table& table(const std::string& name) const { return *map.find_table(name); }
};

// A database file in `dir`, made by `sql`.
std::filesystem::path database(const test::TempDir& dir, const std::string& sql) {
  const auto path = dir / "op.db";
  test::create_database(path, sql);
  return path;
}

bool contains(const std::vector<Finding>& findings, const Finding& f) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& g) {
    return g.rule == f.rule && g.severity == f.severity && g.message == f.message &&
           g.loc.str() == f.loc.str() && g.entry == f.entry;
  });
}

bool described(const std::string& rule) {
  const auto& rules = lint_rules();
  return std::any_of(rules.begin(), rules.end(), [&](const RuleInfo& r) { return r.id == rule; });
}

}  // namespace

TEST_CASE("a map that fits resolves keys, links, the subject, dates, masks and holds") {
  const Case c;
  const ResolvedMap& r = c.resolved;
  CHECK_MESSAGE(r.all_findings().empty(), c.describe());
  CHECK(r.fits());
  ensure_fits(r);

  REQUIRE(r.tables().size() == 4);
  const ResolvedTable* customers = r.find("customers");
  const ResolvedTable* subscriptions = r.find("subscriptions");
  const ResolvedTable* calls = r.find("calls");
  const ResolvedTable* notes = r.find("notes");
  REQUIRE((customers && subscriptions && calls && notes));
  CHECK(r.find("products") == nullptr);
  CHECK(customers->db == c.db.find("customers"));
  CHECK(customers->key->name == "id");
  CHECK(subscriptions->key->name == "sub_id");
  CHECK_FALSE(customers->link);
  // A link to the parent's key, and a link to another column of the parent.
  REQUIRE(calls->link);
  CHECK(calls->link->entry == &*c.table("calls").link);
  CHECK(calls->link->column->name == "subscription_id");
  CHECK(calls->link->parent == subscriptions);
  CHECK(calls->link->parent_column->name == "sub_id");
  REQUIRE(notes->link);
  CHECK(notes->link->parent == customers);
  CHECK(notes->link->parent_column->name == "number");
  for (const ResolvedTable& t : r.tables()) CHECK(t.reaches_subject);
  CHECK(r.path_to_subject(*calls) ==
        std::vector<const ResolvedTable*>{calls, subscriptions, customers});
  CHECK(r.path_to_subject(*customers) == std::vector<const ResolvedTable*>{customers});
  // Classified columns, in data map order, with their database columns.
  REQUIRE(calls->columns.size() == 2);
  CHECK(calls->columns[0].entry->name == "started_at");
  CHECK(calls->find_column("callee")->db == c.db.find("calls")->find("callee"));
  CHECK(calls->find_column("subscription_id") == nullptr);

  CHECK(r.subject().table == customers);
  CHECK(r.subject().number->name == "number");
  CHECK(r.subject().closed->name == "closed_on");

  REQUIRE(r.rules().size() == 2);
  const ResolvedRule& cdr = r.rules()[0];
  CHECK(cdr.entry == &c.retention.rules[0]);
  CHECK(cdr.table == calls);
  CHECK(cdr.from_table == calls);
  CHECK(cdr.from->name == "started_at");
  CHECK(cdr.masks.empty());
  const ResolvedRule& contact = r.rules()[1];
  CHECK(contact.table == customers);
  CHECK(contact.from_table == customers);  // account_closed: the subject's closing date
  CHECK(contact.from->name == "closed_on");
  REQUIRE(contact.masks.size() == 2);
  CHECK(contact.masks[0].column->name == "email");
  CHECK(contact.masks[1].entry->strategy == MaskStrategy::fixed);

  REQUIRE(r.holds().size() == 1);
  CHECK(r.holds()[0].table == customers);
  CHECK(r.holds()[0].column->name == "hold");
  CHECK(r.holds()[0].until == nullptr);

  // Without a retention policy: the data map alone.
  const ResolvedMap alone = resolve_data_map(c.map, nullptr, c.db);
  CHECK(alone.all_findings().empty());
  CHECK(alone.rules().empty());
  CHECK(alone.holds().empty());
}

TEST_CASE(
    "every table or column the policy names and the database lacks is one finding where it is "
    "named") {
  std::vector<Finding> seen;
  auto check = [&](const Case& c, const std::string& rule, const std::string& entry,
                   const SourceLocation& loc, const std::string& message) {
    const Finding& f = c.only(rule);
    CHECK(f.severity == Severity::error);
    CHECK(f.entry == entry);
    CHECK(f.loc.str() == loc.str());
    CHECK(f.message == message);
    CHECK_FALSE(c.resolved.fits());
    seen.push_back(f);
  };

  SUBCASE("a table") {
    DbSchema s = schema();
    s.tables.erase("notes");
    const Case c(kMap, kRetention, s);
    check(c, "missing-table", "notes", c.table("notes").loc,
          "table 'notes' of the data map is not in the database");
    CHECK(c.table("notes").loc.str() == "map.yaml:20:3");
    CHECK(c.resolved.find("notes")->db == nullptr);
    CHECK(c.resolved.gaps().empty());
  }
  SUBCASE("a key column, also the target of a link") {
    DbSchema s = schema();
    drop_column(s, "subscriptions", "sub_id");
    const Case c(kMap, kRetention, s);
    check(c, "missing-column", "subscriptions.sub_id", c.table("subscriptions").loc,
          "key column 'subscriptions.sub_id' of the data map is not in the database");
    CHECK(c.resolved.find("subscriptions")->key == nullptr);
    CHECK(c.resolved.find("calls")->link->parent_column == nullptr);
  }
  SUBCASE("a link column") {
    DbSchema s = schema();
    drop_column(s, "calls", "subscription_id");
    const Case c(kMap, kRetention, s);
    check(c, "missing-column", "calls.subscription_id", c.table("calls").link->loc,
          "link column 'calls.subscription_id' of the data map is not in the database");
    CHECK(c.table("calls").link->loc.str() == "map.yaml:18:11");
  }
  SUBCASE("a link target") {
    const Case c(edited(kMap, "parent_key: number", "parent_key: ref"));
    check(c, "missing-column", "customers.ref", c.table("notes").link->loc,
          "link target 'customers.ref' of the data map is not in the database");
  }
  SUBCASE("a classified column") {
    DbSchema s = schema();
    drop_column(s, "calls", "callee");
    const Case c(kMap, kRetention, s);
    check(c, "missing-column", "calls.callee", c.table("calls").find_column("callee")->loc,
          "classified column 'calls.callee' of the data map is not in the database");
  }
  SUBCASE("the customer number column") {
    const Case c(edited(kMap, "number: number", "number: numero"));
    check(c, "missing-column", "customers.numero", c.map.subject.loc,
          "number column 'customers.numero' of the data map is not in the database");
  }
  SUBCASE("the closing-date column") {
    const Case c(edited(kMap, "closed: closed_on", "closed: closed_at"));
    check(c, "missing-column", "customers.closed_at", c.map.subject.loc,
          "closing-date column 'customers.closed_at' of the data map is not in the database");
    CHECK(c.resolved.rules()[1].from == nullptr);
  }
  SUBCASE("a rule's date column") {
    const Case c(kMap, edited(kRetention, "from: started_at", "from: begun_at"));
    check(c, "missing-column", "calls.begun_at", c.retention.rules[0].loc,
          "date column 'calls.begun_at' of retention rule 'cdr' is not in the database");
    CHECK(c.retention.rules[0].loc.str() == "retention.yaml:2:5");
  }
  SUBCASE("a masked column") {
    const Case c(kMap, edited(kRetention, "{email: pseudonym,", "{emial: pseudonym,"));
    check(c, "missing-column", "customers.emial", c.retention.rules[1].masks[0].loc,
          "masked column 'customers.emial' of retention rule 'contact' is not in the database");
    CHECK(c.resolved.rules()[1].masks[0].column == nullptr);
  }
  SUBCASE("a hold's column") {
    const Case c(kMap, edited(kRetention, "column: hold}", "column: held}"));
    check(c, "missing-column", "customers.held", c.retention.holds[0].loc,
          "column 'customers.held' of legal hold 'flag' is not in the database");
  }
  SUBCASE("a hold's until column") {
    const Case c(kMap, edited(kRetention, "column: hold}", "column: hold, until: settled}"));
    check(c, "missing-column", "customers.settled", c.retention.holds[0].loc,
          "until column 'customers.settled' of legal hold 'flag' is not in the database");
  }
  SUBCASE("a column named twice is reported once, where it is first named") {
    DbSchema s = schema();
    drop_column(s, "customers", "number");  // classified, the number column, a link target
    const Case c(kMap, kRetention, s);
    check(c, "missing-column", "customers.number", c.table("customers").find_column("number")->loc,
          "classified column 'customers.number' of the data map is not in the database");
  }
  for (const Finding& f : seen) CHECK_MESSAGE(described(f.rule), f.rule);
}

TEST_CASE("the data map's structure: one finding per fault, where the policy says it") {
  SUBCASE("a link to a table outside the data map") {
    const Case c(edited(kMap, "parent: customers, parent_key", "parent: customer, parent_key"));
    const Finding& f = c.only("unknown-table");
    CHECK(f.loc.str() == c.table("notes").link->loc.str());
    CHECK(f.message == "table 'notes' links to 'customer', which is not in the data map");
    CHECK(c.resolved.find("notes")->link->parent == nullptr);
    CHECK_FALSE(c.resolved.find("notes")->reaches_subject);
    CHECK(c.resolved.path_to_subject(*c.resolved.find("notes")).empty());
  }
  SUBCASE("a table without a link") {
    const Case c(edited(
        kMap, "    link: {column: customer_number, parent: customers, parent_key: number}\n", ""));
    const Finding& f = c.only("missing-link");
    CHECK(f.loc.str() == c.table("notes").loc.str());
    CHECK(f.entry == "notes");
    CHECK_FALSE(c.resolved.find("notes")->reaches_subject);
  }
  SUBCASE("a subject table with a link") {
    const Case c(edited(kMap, "  customers:\n    columns:",
                        "  customers:\n    link: {column: id, parent: notes}\n    columns:"));
    const Finding& f = c.only("bad-link");
    CHECK(f.message == "the subject table cannot link to a parent");
    CHECK(f.loc.str() == c.table("customers").link->loc.str());
  }
  SUBCASE("links that loop") {
    const Case c(edited(kMap, "{column: customer_id, parent: customers}",
                        "{column: customer_id, parent: calls}"));
    REQUIRE(c.resolved.findings().size() == 2);  // both tables of the loop
    for (const Finding& f : c.resolved.findings()) CHECK(f.rule == "bad-link");
    CHECK(c.resolved.findings()[1].message ==
          "table 'calls': links do not reach the subject table");
    CHECK(c.resolved.path_to_subject(*c.resolved.find("calls")).empty());
  }
  SUBCASE("a rule on a table outside the data map") {
    const Case c(kMap, edited(kRetention, "table: calls", "table: cals"));
    const Finding& f = c.only("unknown-table");
    CHECK(f.loc.str() == c.retention.rules[0].loc.str());
    CHECK(f.entry == "cdr");
    CHECK(f.message == "rule 'cdr' names table 'cals', which is not in the data map");
    CHECK(c.resolved.rules()[0].table == nullptr);
  }
  SUBCASE("a hold on a table outside the data map") {
    const Case c(kMap, edited(kRetention, "table: customers, column: hold",
                              "table: customer, column: hold"));
    const Finding& f = c.only("unknown-table");
    CHECK(f.loc.str() == c.retention.holds[0].loc.str());
    CHECK(f.message == "hold 'flag' names table 'customer', which is not in the data map");
  }
  SUBCASE("a rule counting from account_closed without a closing date") {
    const Case c(edited(kMap, ", closed: closed_on}", "}"));
    const Finding& f = c.only("unknown-column");
    CHECK(f.loc.str() == c.retention.rules[1].loc.str());
    CHECK(f.message ==
          "rule 'contact' counts from account_closed, but the data map's subject has no "
          "'closed' column");
  }
  SUBCASE("lint without a database reports the same findings") {
    const std::string map = edited(kMap, "parent: subscriptions}", "parent: nowhere}");
    const std::string retention =
        edited(kRetention, "table: customers, column: hold", "table: gone, column: hold");
    Policy p;
    p.data_map = load_data_map({YamlSource{"map.yaml", map}});
    p.retention = load_retention({YamlSource{"retention.yaml", retention}});
    p.has_data_map = p.has_retention = true;
    const auto structure = check_data_map_structure(p.data_map, &p.retention);
    REQUIRE(structure.size() == 2);
    const Case c(map, retention);
    CHECK(c.resolved.findings().size() == 2);
    for (const Finding& f : structure) {
      CHECK(contains(check_policy(p), f));
      CHECK(contains(c.resolved.findings(), f));
    }
  }
}

TEST_CASE("masks that would break links, dates or holds, or that a constraint changes") {
  auto masking = [](const std::string& columns) {
    return edited(kRetention, "{email: pseudonym, name: {strategy: fixed, value: x}}", columns);
  };
  // Rule 'contact' on another table.
  auto masking_on = [&](const std::string& table, const std::string& columns) {
    return edited(masking(columns), "    table: customers\n", "    table: " + table + "\n");
  };
  auto mask_key = [](const Case& c, const std::string& entry, const std::string& why) {
    const Finding& f = c.only("retention-mask-key");
    CHECK(f.severity == Severity::error);
    CHECK(f.entry == entry);
    CHECK(f.loc.str() == c.retention.rules[1].masks[0].loc.str());
    CHECK(f.message == "retention rule 'contact': column '" + entry + "' " + why +
                           "; masking it would break that");
  };
  SUBCASE("the key") {
    mask_key(Case(kMap, masking("{id: null}")), "customers.id",
             "is referenced by a foreign key of subscriptions");
  }
  SUBCASE("the customer number") {
    mask_key(Case(kMap, masking("{number: pseudonym}")), "customers.number",
             "is the customer number");
  }
  SUBCASE("the closing date") {
    mask_key(Case(kMap, masking("{closed_on: null}")), "customers.closed_on",
             "is the account closing date retention counts from");
  }
  SUBCASE("a hold's flag") {
    mask_key(Case(kMap, masking("{hold: null}")), "customers.hold", "marks the legal hold 'flag'");
  }
  SUBCASE("a column a child links to") {
    mask_key(Case(edited(kMap, "number: number, closed", "number: email, closed"),
                  masking("{number: pseudonym}")),
             "customers.number", "is referenced by notes");
  }
  SUBCASE("a link column") {
    mask_key(Case(kMap, masking_on("notes", "{customer_number: null}")), "notes.customer_number",
             "links the table to customers");
  }
  SUBCASE("a foreign key") {
    mask_key(Case(kMap, masking_on("calls", "{subscription_id: null}")), "calls.subscription_id",
             "is a foreign key to subscriptions");
  }
  SUBCASE("a rule's date") {
    mask_key(Case(kMap, masking_on("calls", "{started_at: null}")), "calls.started_at",
             "is the date rule 'cdr' counts from");
  }
  SUBCASE("a column masked by two rules") {
    const Case c(kMap,
                 edited(kRetention, "holds:",
                        "  - {name: again, table: customers, keep: 2 years, from: "
                        "account_closed, action: anonymise, columns: {email: pseudonym}}\nholds:"));
    const Finding& f = c.only("retention-mask-conflict");
    CHECK(f.entry == "customers.email");
    CHECK(f.message ==
          "retention rule 'again': column 'customers.email' is also masked by rule 'contact'; one "
          "column takes one mask");
  }
  SUBCASE("NULL on a NOT NULL column is a warning") {
    const Case c(kMap, masking("{name: null}"));
    const Finding& f = c.only("retention-mask-not-null");
    CHECK(f.severity == Severity::warning);
    CHECK(c.resolved.fits());
    ensure_fits(c.resolved);
    CHECK(f.message ==
          "retention rule 'contact': column 'customers.name' is NOT NULL, so the null mask writes "
          "an empty value instead");
  }
  SUBCASE("repeated values in a UNIQUE column are a warning") {
    const Case c(kMap, masking("{email: {strategy: partial, keep: 2}}"));
    const Finding& f = c.only("retention-mask-unique");
    CHECK(f.severity == Severity::warning);
    CHECK(c.resolved.fits());
  }
}

TEST_CASE("gaps: what the data map leaves out is reported, but does not stop export or scrub") {
  DbSchema s = schema();
  s.tables.at("customers").columns.push_back(column("shoe_size"));
  add_table(s, "audit_trail", {column("id", "P")});
  s.tables.erase("products");
  const Case c(kMap, kRetention, s);
  CHECK(c.resolved.findings().empty());
  CHECK(c.resolved.fits());
  ensure_fits(c.resolved);
  const auto& gaps = c.resolved.gaps();
  REQUIRE(gaps.size() == 3);
  CHECK(gaps[0].rule == "unclassified-column");
  CHECK(gaps[0].severity == Severity::error);
  CHECK(gaps[0].entry == "customers.shoe_size");
  CHECK(gaps[0].loc.str() == c.table("customers").loc.str());
  CHECK(gaps[0].message ==
        "column 'customers.shoe_size' exists in the database but is not classified in the data "
        "map");
  CHECK(gaps[1].rule == "unmapped-table");
  CHECK(gaps[1].entry == "audit_trail");
  CHECK(gaps[1].loc.str() == "map.yaml:1:1");
  CHECK(gaps[2].rule == "missing-table");
  CHECK(gaps[2].severity == Severity::warning);
  CHECK(gaps[2].message == "ignored table 'products' is not in the database");
  CHECK(c.resolved.all_findings().size() == 3);
  for (const Finding& f : gaps) CHECK_MESSAGE(described(f.rule), f.rule);
}

TEST_CASE("ensure_fits refuses with the first error, as lint --db and scrub report it") {
  test::TempDir dir;
  const auto map = dir.write("map.yaml", kMap);
  const auto retention =
      dir.write("retention.yaml", edited(kRetention, "from: started_at", "from: begun_at"));
  const auto path = database(dir, R"sql(
CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, closed_on TEXT, hold INTEGER NOT NULL);
CREATE TABLE subscriptions (sub_id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id), line TEXT);
CREATE TABLE calls (id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions(sub_id), started_at TEXT NOT NULL,
  callee TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_number TEXT, text TEXT);
CREATE TABLE products (id INTEGER PRIMARY KEY);
)sql");
  const DataMap m = load_data_map(read_yaml_sources({map}));
  const RetentionPolicy r = load_retention(read_yaml_sources({retention}));
  const auto store = open_store(path.string(), StoreOptions{OpenMode::read_only});
  const DbSchema& s = store->schema();
  const ResolvedMap resolved = resolve_data_map(m, &r, s);
  REQUIRE(resolved.findings().size() == 1);
  const Finding& fault = resolved.findings().front();
  CHECK(fault.message ==
        "date column 'calls.begun_at' of retention rule 'cdr' is not in the database");

  // export and scrub: ensure_fits.
  const std::string refused = error_of([&] { ensure_fits(resolved); });
  CHECK(refused == located(fault.loc, fault.message));
  CHECK(refused.find(retention.string() + ":2:5: ") == 0);
  // scrub.
  ScrubOptions options;
  options.as_of = Date{2026, 11, 23};
  CHECK(error_of([&] { scrub_database(path, r, m, options); }) == refused);
  // lint --db: the same finding, once.
  LintOptions lint_options;
  lint_options.files = {map, retention};
  lint_options.database = path;
  const auto linted = lint(std::nullopt, lint_options);
  CHECK(std::count_if(linted.begin(), linted.end(),
                      [&](const Finding& f) { return f.message == fault.message; }) == 1);
  CHECK(contains(linted, fault));
}

TEST_CASE("lint --db lists structure faults once, and every rule it reports is described") {
  test::TempDir dir;
  const auto map =
      dir.write("map.yaml", edited(kMap, "parent: subscriptions}", "parent: nowhere}"));
  const auto path = database(
      dir, "CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT, shoe_size INTEGER);");
  LintOptions options;
  options.files = {map};
  options.database = path;
  const auto findings = lint(std::nullopt, options);
  CHECK(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
          return f.message == "table 'calls' links to 'nowhere', which is not in the data map";
        }) == 1);
  for (const Finding& f : findings) CHECK_MESSAGE(described(f.rule), f.rule);
  CHECK(std::any_of(findings.begin(), findings.end(),
                    [](const Finding& f) { return f.rule == "missing-table"; }));
  CHECK(std::any_of(findings.begin(), findings.end(),
                    [](const Finding& f) { return f.rule == "unclassified-column"; }));
}

TEST_CASE("the data map against a real schema: missing and unclassified tables and columns") {
  test::TempDir dir;
  const auto path =
      database(dir,
               "CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT, secret TEXT);"
               "CREATE TABLE audit_trail (id INTEGER PRIMARY KEY);"
               "CREATE TABLE products (id INTEGER PRIMARY KEY);");
  const DataMap map = load_data_map({YamlSource{"map.yaml", R"(categories:
  contact: {purposes: x, legal_basis: y}
subject: {table: customers, number: number}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      email: contact
  ghosts:
    link: {column: customer_id, parent: customers}
    columns: {x: contact}
ignore: [products, gone]
)"}});
  const auto store = open_store(path.string(), StoreOptions{OpenMode::read_only});
  const DbSchema& schema = store->schema();
  const ResolvedMap resolved = resolve_data_map(map, nullptr, schema);
  const auto findings = resolved.all_findings();
  auto has = [&](const std::string& rule, Severity severity, const std::string& entry) {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
      return f.rule == rule && f.severity == severity && f.entry == entry && f.loc.known();
    });
  };
  CHECK(has("unclassified-column", Severity::error, "customers.secret"));
  CHECK(has("missing-column", Severity::error, "customers.email"));
  CHECK(has("missing-table", Severity::error, "ghosts"));
  CHECK(has("unmapped-table", Severity::error, "audit_trail"));
  CHECK_FALSE(has("unmapped-table", Severity::error, "products"));
  CHECK(has("missing-table", Severity::warning, "gone"));
  CHECK_FALSE(has("unclassified-column", Severity::error, "customers.id"));
  CHECK(findings.size() == 5);
  // Export and scrub refuse the first fault: the missing column, not a gap.
  CHECK(error_of([&] { ensure_fits(resolved); }).find("map.yaml:8:7: classified column") == 0);
}

TEST_CASE("retention rules and holds that do not fit the database") {
  test::TempDir dir;
  const auto path = database(dir, R"sql(
CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, closed_on TEXT);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id));
CREATE TABLE calls (id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id), started_at TEXT NOT NULL);
CREATE TABLE disputes (id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id), resolved_on TEXT);
)sql");
  const DataMap map = load_data_map({YamlSource{"datamap.yaml", R"(
categories:
  contact: {name: Contact, purposes: [contract], legal_basis: contract}
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns: {number: contact, email: contact, name: contact, closed_on: none}
  subscriptions:
    link: {column: customer_id, parent: customers}
    columns: {}
  calls:
    link: {column: subscription_id, parent: subscriptions}
    columns: {started_at: contact}
  disputes:
    link: {column: customer_id, parent: customers}
    columns: {resolved_on: none}
)"}});
  const RetentionPolicy policy = load_retention({YamlSource{"retention.yaml", R"yaml(
rules:
  - {name: gone, table: nowhere, keep: 1 year, from: started_at, action: delete}
  - {name: bad-date, table: calls, keep: 1 year, from: begun_at, action: delete}
  - name: masks
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns:
      name: null
      email: {strategy: fixed, value: x}
      number: pseudonym
      nosuch: null
  - name: again
    table: customers
    keep: 2 years
    from: account_closed
    action: anonymise
    columns: {name: pseudonym}
  - name: link
    table: calls
    keep: 1 year
    from: started_at
    action: anonymise
    columns: {subscription_id: null, started_at: null}
holds:
  - {name: h, table: disputes, until: settled}
)yaml"}});
  const auto store = open_store(path.string(), StoreOptions{OpenMode::read_only});
  const ResolvedMap resolved = resolve_data_map(map, &policy, store->schema());
  const auto& findings = resolved.findings();
  auto has = [&](const std::string& rule, Severity severity, const std::string& entry) {
    for (const Finding& x : findings) {
      if (x.rule == rule && x.severity == severity && x.entry == entry) {
        CHECK(x.loc.known());
        return true;
      }
    }
    return false;
  };
  CHECK(has("unknown-table", Severity::error, "gone"));
  CHECK(has("missing-column", Severity::error, "calls.begun_at"));
  CHECK(has("missing-column", Severity::error, "customers.nosuch"));
  CHECK(has("retention-mask-not-null", Severity::warning, "customers.name"));
  CHECK(has("retention-mask-unique", Severity::warning, "customers.email"));
  CHECK(has("retention-mask-key", Severity::error, "customers.number"));
  CHECK(has("retention-mask-conflict", Severity::error, "customers.name"));
  CHECK(has("retention-mask-key", Severity::error, "calls.subscription_id"));
  CHECK(has("retention-mask-key", Severity::error, "calls.started_at"));
  CHECK(has("missing-column", Severity::error, "disputes.settled"));
  CHECK(findings.size() == 10);
  CHECK(resolved.gaps().empty());
  for (const Finding& x : findings) CHECK_MESSAGE(described(x.rule), x.rule);
  // The first fault is the first in the policy, with its place.
  CHECK(error_of([&] { ensure_fits(resolved); }).find("retention.yaml:3:5: rule 'gone'") == 0);
}

TEST_CASE("the example policy fits the example database") {
  test::TempDir dir;
  const auto path = database(dir, test::read_file(test::source_dir() / "examples/voipgrow.sql"));
  const auto examples = test::source_dir() / "examples";
  const DataMap map = load_data_map(read_yaml_sources({examples / "policies/datamap.yaml"}));
  const RetentionPolicy policy = load_retention(read_yaml_sources(
      {test::source_dir() / "policies/retention-nl.yaml", examples / "policies/retention.yaml"}));
  const auto store = open_store(path.string(), StoreOptions{OpenMode::read_only});
  const DbSchema& schema = store->schema();
  const ResolvedMap resolved = resolve_data_map(map, &policy, schema);
  for (const Finding& f : resolved.all_findings())
    CHECK_MESSAGE(f.severity != Severity::error, f.message);
  ensure_fits(resolved);
  for (const ResolvedTable& t : resolved.tables()) {
    CHECK_MESSAGE((t.db && t.key && t.reaches_subject), t.name());
    if (t.link) CHECK_MESSAGE((t.link->column && t.link->parent_column), t.name());
    for (const ResolvedColumn& c : t.columns) CHECK_MESSAGE(c.db, (t.name() + "." + c.entry->name));
  }
  CHECK((resolved.subject().table && resolved.subject().number && resolved.subject().closed));
  for (const ResolvedRule& r : resolved.rules()) {
    CHECK_MESSAGE((r.table && r.from_table && r.from), r.entry->name);
    for (const ResolvedMask& m : r.masks) CHECK_MESSAGE(m.column, m.entry->column);
  }
}
