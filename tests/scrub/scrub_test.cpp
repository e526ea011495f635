#include "scrub/scrub.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/crypto.h"
#include "io/audit.h"
#include "policy/load.h"
#include "scrub/ledger.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

const char* kKey = "0123456789abcdef0123456789abcdef";

// A small operator: customers with subscriptions and their calls, invoices with payments,
// disputes, and a table outside the data map that references invoices.
const char* kSchema = R"sql(
CREATE TABLE customers (
  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL, phone TEXT, birth TEXT, closed_on TEXT, hold INTEGER NOT NULL DEFAULT 0);
CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), line TEXT);
CREATE TABLE calls (
  id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
  started_at TEXT NOT NULL, callee TEXT);
CREATE INDEX calls_sub ON calls(subscription_id);
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  issued_on TEXT NOT NULL, billing_name TEXT);
CREATE TABLE payments (
  id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  paid_on TEXT NOT NULL, iban TEXT);
CREATE TABLE disputes (
  id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  resolved_on TEXT);
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY, invoice_id INTEGER REFERENCES invoices(id), note TEXT);
)sql";

const char* kDataMap = R"yaml(
categories:
  contact: {name: Contact, purposes: [contract], legal_basis: contract}
  traffic: {name: Traffic, purposes: [billing], legal_basis: contract}
  billing: {name: Billing, purposes: [billing], legal_basis: law}
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns:
      number: contact
      email: contact
      name: contact
      phone: contact
      birth: contact
      closed_on: none
      hold: none
  subscriptions:
    link: {column: customer_id, parent: customers}
    columns: {line: contact}
  calls:
    link: {column: subscription_id, parent: subscriptions}
    columns: {started_at: traffic, callee: traffic}
  invoices:
    link: {column: customer_id, parent: customers}
    columns: {issued_on: billing, billing_name: billing}
  payments:
    link: {column: invoice_id, parent: invoices}
    columns: {paid_on: billing, iban: billing}
  disputes:
    link: {column: customer_id, parent: customers}
    columns: {resolved_on: none}
ignore: [ledger]
)yaml";

const char* kRetention = R"yaml(
periods:
  billing-dispute: {length: 6 months, basis: "Tw 11.5"}
  fiscal: {length: 7 years, basis: "AWR 52"}
rules:
  - {name: cdr, table: calls, keep: billing-dispute, from: started_at, action: delete}
  - {name: invoices, table: invoices, keep: fiscal, from: issued_on, action: delete}
  - {name: payments, table: payments, keep: fiscal, from: paid_on, action: delete}
  - name: contact
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns:
      email: pseudonym
      name: {strategy: fixed, value: "(removed)"}
      phone: {strategy: partial, keep: 4}
      birth: {strategy: generalise, to: year}
holds:
  - {name: flag, table: customers, column: hold}
  - {name: open dispute, table: disputes, until: resolved_on}
pseudonym_key: {env: TELCOMPLY_TEST_SCRUB_KEY}
mass_delete_limit: 100%
)yaml";

struct Fixture {
  test::TempDir dir;
  std::filesystem::path path = dir / "op.db";
  DataMap map;
  RetentionPolicy policy;

  explicit Fixture(const std::string& retention = kRetention, const std::string& extra_sql = "") {
    test::create_database(path, std::string(kSchema) + extra_sql);
    map = load_data_map({YamlSource{"datamap.yaml", kDataMap}});
    policy = load_retention({YamlSource{"retention.yaml", retention}});
    setenv("TELCOMPLY_TEST_SCRUB_KEY", kKey, 1);
  }

  ScrubResult run(ScrubOptions options) {
    if (options.as_of == Date::today()) options.as_of = Date{2026, 11, 23};
    return scrub_database(path.string(), policy, map, options);
  }
  ScrubResult apply(ScrubOptions options = {}) {
    options.apply = true;
    return run(options);
  }

  std::unique_ptr<Store> open(OpenMode mode = OpenMode::read_only) {
    StoreOptions options;
    options.mode = mode;
    return open_store(path.string(), options);
  }
  std::int64_t count(const std::string& sql) {
    auto store = open();
    auto q = store->prepare(sql);
    REQUIRE(q->step());
    return q->row().integer(0);
  }
  std::string text(const std::string& sql) {
    auto store = open();
    auto q = store->prepare(sql);
    if (!q->step() || q->row().is_null(0)) return "<null>";
    return std::string(q->row().text(0));
  }
};

const ScrubAction& action(const ScrubResult& r, const std::string& rule) {
  for (const ScrubAction& a : r.actions) {
    if (a.rule == rule) return a;
  }
  FAIL("no action for rule " << rule);
  return r.actions.front();
}

// Customers: 1 active, 2 closed long ago, 3 closed long ago under a hold, 4 closed long ago
// with an open dispute, 5 closed recently.
const char* kPeople = R"sql(
INSERT INTO customers VALUES
  (1, 'C-1', 'one@example.test', 'One', '+31201234567', '1980-05-17', NULL, 0),
  (2, 'C-2', 'two@example.test', 'Two', '+31207654321', '1975-02-03', '2017-06-30', 0),
  (3, 'C-3', 'three@example.test', 'Three', '+31209999999', '1990-01-01', '2017-06-30', 1),
  (4, 'C-4', 'four@example.test', 'Four', '+31208888888', '1991-01-01', '2017-06-30', 0),
  (5, 'C-5', 'five@example.test', 'Five', '+31207777777', '1992-01-01', '2026-06-01', 0);
INSERT INTO subscriptions VALUES (1, 1, '+31201234567'), (2, 2, '+31207654321'),
  (3, 3, '+31209999999'), (4, 4, '+31208888888'), (5, 5, '+31207777777');
INSERT INTO calls (subscription_id, started_at, callee) VALUES
  (1, '2025-01-10T10:00:00', '+31611111111'), (1, '2026-05-23T23:59:59', '+31611111112'),
  (1, '2026-05-24T00:00:00', '+31611111113'), (1, '2026-11-20T08:00:00', '+31611111114'),
  (2, '2017-01-01T09:00:00', '+31622222222'), (3, '2017-01-01T09:00:00', '+31633333333'),
  (4, '2017-01-01T09:00:00', '+31644444444');
INSERT INTO disputes VALUES (1, 4, NULL), (2, 1, '2025-01-01');
)sql";

}  // namespace

TEST_CASE("retention_cutoff is the last start date that has run out") {
  const Duration six_months{Duration::Unit::months, 6};
  const Duration one_month{Duration::Unit::months, 1};
  const Duration seven_years{Duration::Unit::years, 7};
  CHECK(retention_cutoff(six_months, Date{2026, 11, 23}) == Date{2026, 5, 23});
  CHECK(retention_cutoff(seven_years, Date{2026, 11, 23}) == Date{2019, 11, 23});
  CHECK(retention_cutoff(one_month, Date{2026, 3, 31}) == Date{2026, 2, 28});
  CHECK(retention_cutoff(Duration{Duration::Unit::days, 0}, Date{2026, 3, 31}) ==
        Date{2026, 3, 31});
  // Against the definition, for a spread of dates and lengths.
  for (const Duration& d : {six_months, one_month, seven_years, Duration{Duration::Unit::days, 30},
                            Duration{Duration::Unit::years, 1}}) {
    for (std::int64_t day = 0; day < 800; day += 7) {
      const Date as_of = Date{2023, 12, 1}.add_days(day);
      const Date cut = retention_cutoff(d, as_of);
      CHECK(d.after(cut) <= as_of);
      CHECK(d.after(cut.add_days(1)) > as_of);
    }
  }
}

TEST_CASE("masks: every strategy, constraints, and masking twice changes nothing") {
  const std::string key = kKey;
  auto mask = [&](MaskSpec spec, std::optional<std::string> v, const std::string& row = "7") {
    std::optional<std::string> once = mask_value(spec, v, row, key);
    CHECK(mask_value(spec, once, row, key) == once);  // idempotent
    return once;
  };
  MaskSpec null_spec;
  CHECK(mask(null_spec, std::string("x")) == std::nullopt);
  CHECK(mask(null_spec, std::nullopt) == std::nullopt);
  MaskSpec not_null = null_spec;
  not_null.not_null = true;
  CHECK(mask(not_null, std::string("x")) == std::string());
  not_null.numeric = true;
  CHECK(mask(not_null, std::string("12")) == std::string("0"));
  not_null.unique = true;
  CHECK(mask(not_null, std::string("12")) == std::string("#7"));

  MaskSpec fixed{MaskStrategy::fixed, "(removed)", 0, false, false, false};
  CHECK(mask(fixed, std::string("Jan")) == std::string("(removed)"));
  CHECK(mask(fixed, std::nullopt) == std::nullopt);
  fixed.unique = true;
  CHECK(mask(fixed, std::string("Jan"), "7") == std::string("(removed)#7"));
  CHECK(mask(fixed, std::string("Piet"), "8") == std::string("(removed)#8"));

  MaskSpec partial{MaskStrategy::partial, "", 4, false, false, false};
  CHECK(mask(partial, std::string("+31 20 123 4567")) == std::string("+31 ** *** ****"));
  CHECK(mask(partial, std::string("2161 BG")) == std::string("2161 **"));
  CHECK(mask(partial, std::string("NL91ABNA0417164300")) == std::string("NL91**************"));
  partial.unique = true;
  CHECK(mask(partial, std::string("+31201234567")) == std::string("+312********#7"));
  partial.keep = 99;
  CHECK(mask(partial, std::string("short")) == std::string("short#7"));

  MaskSpec month{MaskStrategy::generalise_month, "", 0, false, false, false};
  MaskSpec year{MaskStrategy::generalise_year, "", 0, false, false, false};
  CHECK(mask(month, std::string("1980-05-17")) == std::string("1980-05-01"));
  CHECK(mask(year, std::string("1980-05-17T10:11:12")) == std::string("1980-01-01"));
  CHECK(mask(year, std::string("not a date")) == std::nullopt);
  year.not_null = true;
  CHECK(mask(year, std::string("not a date")) == std::string());

  MaskSpec pseudo{MaskStrategy::pseudonym, "", 0, false, false, false};
  const auto p1 = mask(pseudo, std::string("jan@example.test"));
  REQUIRE(p1);
  CHECK(is_pseudonym(*p1));
  CHECK(*p1 == "anon:" + hmac_sha256_hex(key, "jan@example.test").substr(0, 32));
  CHECK(mask(pseudo, std::string("jan@example.test"), "99") == p1);  // links stay intact
  CHECK(mask(pseudo, std::string("piet@example.test")) != p1);
  CHECK(mask_value(pseudo, std::string("jan@example.test"), "7", "another key of 32 bytes!!") !=
        p1);
  CHECK_FALSE(is_pseudonym("anon:xyz"));
  CHECK_FALSE(is_pseudonym("jan@example.test"));
}

TEST_CASE("the pseudonym key comes from --key-file, the environment or a file, never short") {
  test::TempDir dir;
  KeySource env;
  env.env = "TELCOMPLY_TEST_KEY_SOURCE";
  setenv("TELCOMPLY_TEST_KEY_SOURCE", "from-the-environment-123\n", 1);
  CHECK(load_pseudonym_key(env, {}) == "from-the-environment-123");
  const auto file = dir.write("key", "from-a-file-0123456789\n");
  CHECK(load_pseudonym_key(env, file) == "from-a-file-0123456789");
  KeySource from_file;
  from_file.file = file;
  CHECK(load_pseudonym_key(from_file, {}) == "from-a-file-0123456789");
  unsetenv("TELCOMPLY_TEST_KEY_SOURCE");
  CHECK(error_of([&] { load_pseudonym_key(env, {}); }).find("TELCOMPLY_TEST_KEY_SOURCE") !=
        std::string::npos);
  CHECK(error_of([&] { load_pseudonym_key(KeySource{}, {}); }).find("--key-file") !=
        std::string::npos);
  const auto short_key = dir.write("short", "abc");
  CHECK(error_of([&] { load_pseudonym_key(KeySource{}, short_key); }).find("shorter") !=
        std::string::npos);
  CHECK(error_of([&] { load_pseudonym_key(KeySource{}, dir / "absent"); }).find("cannot read") !=
        std::string::npos);
}

TEST_CASE("scrub refuses a policy that does not fit the database, pointing at the rule") {
  // Every fault and its message: tests/datamap/resolved_test.cpp.
  Fixture f(R"yaml(
rules:
  - {name: bad-date, table: calls, keep: 1 year, from: begun_at, action: delete}
)yaml");
  const std::string message = error_of([&] { f.run({}); });
  CHECK(message.find("retention.yaml:3:5: date column 'calls.begun_at' of retention rule "
                     "'bad-date' is not in the database") == 0);
}

TEST_CASE("calls past the billing window go; newer ones and held ones stay") {
  Fixture f(kRetention, kPeople);
  const std::string before = sha256_file_hex(f.path);
  const ScrubResult plan = f.run({});
  CHECK_FALSE(plan.applied);
  CHECK(sha256_file_hex(f.path) == before);  // a dry run changes no byte
  const ScrubAction& cdr = action(plan, "cdr");
  CHECK(cdr.cutoff == Date{2026, 5, 23});
  CHECK(cdr.due == 5);       // two of customer 1, one each of 2, 3, 4
  CHECK(cdr.held == 2);      // 3 (flag) and 4 (open dispute)
  CHECK(cdr.affected == 3);  // 1's two old calls and 2's

  const ScrubResult done = f.apply();
  CHECK(done.applied);
  CHECK(action(done, "cdr").affected == 3);
  CHECK(f.count("SELECT count(*) FROM calls WHERE subscription_id = 1") == 2);
  CHECK(f.count("SELECT count(*) FROM calls WHERE started_at < '2026-05-24'") == 2);
  CHECK(f.count("SELECT count(*) FROM calls WHERE subscription_id IN (3, 4)") == 2);
  // Customer 2 is anonymised; the held ones and the recent one are not.
  CHECK(f.text("SELECT name FROM customers WHERE id = 2") == "(removed)");
  CHECK(f.text("SELECT phone FROM customers WHERE id = 2") == "+312********");
  CHECK(f.text("SELECT birth FROM customers WHERE id = 2") == "1975-01-01");
  CHECK(f.text("SELECT email FROM customers WHERE id = 2") == pseudonym("two@example.test", kKey));
  CHECK(f.text("SELECT name FROM customers WHERE id = 3") == "Three");
  CHECK(f.text("SELECT name FROM customers WHERE id = 4") == "Four");
  CHECK(f.text("SELECT name FROM customers WHERE id = 5") == "Five");
  CHECK(f.text("PRAGMA integrity_check") == "ok");

  // A second run changes nothing.
  const std::string after = sha256_file_hex(f.path);
  const ScrubResult again = f.apply();
  CHECK(again.changes == 0);
  for (const ScrubAction& a : again.actions) CHECK(a.affected == 0);
  CHECK(sha256_file_hex(f.path) == after);
}

TEST_CASE("deleted and overwritten values leave no trace in the file") {
  Fixture f(kRetention, kPeople);
  f.apply();
  const std::string bytes = test::read_file(f.path);
  // (Customer 2's line number stays in subscriptions: no rule of this policy covers it.)
  for (const std::string gone :
       {"two@example.test", "Two", "+31622222222", "1975-02-03", "+31611111111"}) {
    CHECK_MESSAGE(bytes.find(gone) == std::string::npos, gone);
  }
  CHECK(bytes.find("three@example.test") != std::string::npos);  // held: untouched
  CHECK_FALSE(std::filesystem::exists(f.path.string() + "-journal"));
}

TEST_CASE("payments keep their invoice; rows outside the data map that reference one too") {
  Fixture f(kRetention, R"sql(
INSERT INTO customers VALUES (1, 'C-1', 'a@x.test', 'A', NULL, NULL, '2010-01-01', 0);
INSERT INTO invoices VALUES (1, 1, '2018-12-01', 'A'), (2, 1, '2018-12-02', 'A'),
  (3, 1, '2018-12-03', 'A'), (4, 1, '2018-12-04', 'A');
INSERT INTO payments VALUES (1, 1, '2018-12-20', 'NL1'), (2, 2, '2020-01-05', 'NL2');
INSERT INTO ledger VALUES (1, 3, 'kept for the books');
)sql");
  const ScrubResult plan = f.run({});
  const ScrubAction& inv = action(plan, "invoices");
  CHECK(inv.due == 4);
  CHECK(inv.affected == 2);  // 1 (its payment goes too) and 4
  bool by_payments = false;
  bool by_ledger = false;
  for (const KeptReason& r : inv.kept) {
    if (r.rule == "payments" && r.table == "payments" && r.rows == 1) by_payments = true;
    if (r.referenced_by == "ledger" && r.rows == 1) by_ledger = true;
  }
  CHECK(by_payments);
  CHECK(by_ledger);
  CHECK(action(plan, "payments").affected == 1);

  f.apply();
  CHECK(f.count("SELECT count(*) FROM invoices") == 2);
  CHECK(f.count("SELECT count(*) FROM invoices WHERE id IN (2, 3)") == 2);
  CHECK(f.count("SELECT count(*) FROM payments") == 1);
  CHECK(f.count("SELECT count(*) FROM ledger") == 1);
  CHECK(f.count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("after an applied run, what stays is told by the rows below it, looked up per row") {
  // Of 200 invoices two are past retention, one of which a newer payment keeps: after the
  // run one row is left past retention, few enough for its payments to be looked up through
  // their index rather than joined; the report says the same as the plan before.
  Fixture f(kRetention, R"sql(
CREATE INDEX payments_invoice ON payments(invoice_id);
INSERT INTO customers VALUES (1, 'C-1', 'a@x.test', 'A', NULL, NULL, NULL, 0);
INSERT INTO invoices VALUES (1, 1, '2018-12-01', 'A'), (2, 1, '2018-12-02', 'A');
INSERT INTO payments VALUES (1, 1, '2018-12-20', 'NL1'), (2, 1, '2020-01-05', 'NL2');
WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO invoices SELECT i, 1, '2025-01-01', 'A' FROM n;
INSERT INTO payments SELECT id, id, '2025-01-10', 'NL3' FROM invoices WHERE id > 2;
)sql");
  auto kept_by_payments = [](const ScrubAction& a) {
    std::int64_t rows = 0;
    for (const KeptReason& r : a.kept) {
      if (r.rule == "payments" && r.table == "payments") rows += r.rows;
    }
    return rows;
  };
  const ScrubResult plan = f.run({});
  CHECK(action(plan, "invoices").due == 2);
  CHECK(action(plan, "invoices").affected == 1);
  CHECK(kept_by_payments(action(plan, "invoices")) == 1);
  const ScrubResult done = f.apply();
  const ScrubAction& invoices = action(done, "invoices");
  CHECK(invoices.due == 2);
  CHECK(invoices.affected == 1);
  CHECK(kept_by_payments(invoices) == 1);
  CHECK(f.count("SELECT count(*) FROM invoices WHERE id IN (1, 2)") == 1);
}

TEST_CASE("a column kept by a rule of a referencing table stays until that rule runs out") {
  // The invoices rule keeps contact data (the customer's name on the invoice) for 7 years.
  std::string retention = kRetention;
  retention.replace(retention.find("action: delete}\n  - {name: payments"),
                    std::string("action: delete}\n  - {name: payments").size(),
                    "action: delete, categories: [billing, contact]}\n  - {name: payments");
  Fixture f(retention, R"sql(
INSERT INTO customers VALUES
  (1, 'C-1', 'a@x.test', 'A', NULL, NULL, '2017-01-01', 0),
  (2, 'C-2', 'b@x.test', 'B', NULL, NULL, '2017-01-01', 0);
INSERT INTO invoices VALUES (1, 1, '2016-12-01', 'A'), (2, 2, '2022-01-01', 'B');
)sql");
  const ScrubResult plan = f.run({});
  const ScrubAction& contact = action(plan, "contact");
  CHECK(contact.due == 2);
  CHECK(contact.affected == 1);
  REQUIRE(contact.kept.size() == 1);
  CHECK(contact.kept[0].rule == "invoices");
  CHECK(contact.kept[0].table == "invoices");
  f.apply();
  CHECK(f.text("SELECT name FROM customers WHERE id = 1") == "(removed)");
  CHECK(f.text("SELECT name FROM customers WHERE id = 2") == "B");
}

TEST_CASE("a UNIQUE column masked with a fixed value stays unique") {
  std::string retention = kRetention;
  retention.replace(retention.find("email: pseudonym"), std::string("email: pseudonym").size(),
                    "email: {strategy: fixed, value: gone}");
  Fixture f(retention, kPeople);
  const ScrubResult done = f.apply();
  CHECK(action(done, "contact").affected == 1);
  CHECK(f.text("SELECT email FROM customers WHERE id = 2") == "gone#2");
  bool warned = false;
  for (const std::string& w : done.warnings) warned |= w.find("UNIQUE") != std::string::npos;
  CHECK(warned);
  CHECK(f.apply().changes == 0);
}

// kRetention with the contact rule masking every listed column with `mask` (YAML).
std::string contact_masked_with(const std::string& mask, const std::vector<std::string>& columns) {
  std::string retention = kRetention;
  const std::string old = R"yaml(      email: pseudonym
      name: {strategy: fixed, value: "(removed)"}
      phone: {strategy: partial, keep: 4}
      birth: {strategy: generalise, to: year}
)yaml";
  std::string block;
  for (const std::string& c : columns) block += "      " + c + ": " + mask + "\n";
  retention.replace(retention.find(old), old.size(), block);
  return retention;
}

// The values of `columns` of customer `id`, as text (nullopt for NULL).
std::vector<std::optional<std::string>> customer_values(Store& store, std::int64_t id,
                                                        const std::vector<std::string>& columns) {
  std::string sql;
  for (const std::string& c : columns) sql += (sql.empty() ? "" : ", ") + c;
  auto q = store.prepare("SELECT " + sql + " FROM customers WHERE id = :id");
  q->bind(":id", id);
  REQUIRE(q->step());
  std::vector<std::optional<std::string>> out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (q->row().is_null(i)) {
      out.emplace_back();
    } else {
      out.emplace_back(std::string(q->row().text(i)));
    }
  }
  return out;
}

TEST_CASE("anonymise: the plan counts what apply changes, for every mask strategy") {
  // Customers 2, 6, 7 and 8 are past the contact rule and not held; 7 has nothing left to
  // mask under most strategies, 6 and 7 have values that are no dates or empty.
  const std::string rows = std::string(kPeople) + R"sql(
ALTER TABLE customers ADD COLUMN score REAL NOT NULL DEFAULT 1.5;
INSERT INTO customers (id, number, email, name, phone, birth, closed_on, hold, score) VALUES
  (6, 'C-6', 'six@example.test', 'Six', NULL, 'not a date', '2017-06-30', 0, 0.0),
  (7, 'C-7', 'seven@example.test', '', '', NULL, '2017-06-30', 0, 3),
  (8, 'C-8', 'eight@example.test', 'Eight', '+31 20 111', '1999-12-31T23:00:00', '2016-01-01', 0,
   2.25);
)sql";
  const std::vector<std::string> columns{"email", "name", "phone", "birth", "score"};
  // The constraints scrub reads from the schema: email NOT NULL UNIQUE, name NOT NULL, score
  // NOT NULL and numeric.
  std::vector<MaskSpec> specs(columns.size());
  specs[0].not_null = specs[0].unique = true;
  specs[1].not_null = true;
  specs[4].not_null = specs[4].numeric = true;
  struct Strategy {
    std::string yaml;
    MaskStrategy strategy;
    std::string value;
    int keep;
  };
  for (const Strategy& m : std::vector<Strategy>{
           {"null", MaskStrategy::null, "", 0},
           {"{strategy: fixed, value: \"(removed)\"}", MaskStrategy::fixed, "(removed)", 0},
           {"pseudonym", MaskStrategy::pseudonym, "", 0},
           {"{strategy: partial, keep: 2}", MaskStrategy::partial, "", 2},
           {"{strategy: generalise, to: month}", MaskStrategy::generalise_month, "", 0},
           {"{strategy: generalise, to: year}", MaskStrategy::generalise_year, "", 0}}) {
    CAPTURE(m.yaml);
    Fixture f(contact_masked_with(m.yaml, columns), rows);
    // What each column of each due row becomes, masked here.
    std::map<std::int64_t, std::vector<std::optional<std::string>>> expected;
    std::int64_t changing = 0;
    {
      auto store = f.open();
      for (std::int64_t id : {2, 6, 7, 8}) {
        const auto before = customer_values(*store, id, columns);
        auto& after = expected[id];
        for (std::size_t i = 0; i < columns.size(); ++i) {
          MaskSpec spec = specs[i];
          spec.strategy = m.strategy;
          spec.value = m.value;
          spec.keep = m.keep;
          after.push_back(mask_value(spec, before[i], std::to_string(id), kKey));
        }
        // (score aside: a REAL column reads "0.0" for the "0" written to it.)
        bool changes = false;
        for (std::size_t i = 0; i + 1 < columns.size(); ++i) changes |= after[i] != before[i];
        changes |= after[4] != before[4] && !(after[4] == "0" && before[4] == "0.0");
        changing += changes ? 1 : 0;
      }
    }
    const ScrubResult plan = f.run({});
    CHECK(action(plan, "contact").due == 6);
    CHECK(action(plan, "contact").held == 2);
    CHECK(action(plan, "contact").affected == changing);
    const ScrubResult done = f.apply();
    CHECK(action(done, "contact").affected == changing);
    {
      auto store = f.open();
      for (const auto& [id, after] : expected) {
        CAPTURE(id);
        const auto now = customer_values(*store, id, columns);
        for (std::size_t i = 0; i + 1 < columns.size(); ++i) CHECK(now[i] == after[i]);
      }
      for (std::int64_t id : {3, 4, 5}) {
        const auto now = customer_values(*store, id, {"name", "score"});
        CHECK(now[0] != std::optional<std::string>("(removed)"));
        CHECK(now[1] == std::optional<std::string>("1.5"));
      }
    }
    if (m.strategy == MaskStrategy::null) {
      CHECK(f.count("SELECT count(*) FROM customers WHERE score = 0 AND typeof(score) = 'real'") ==
            4);
    }
    // A second run, and a plan after it, find nothing left to change.
    const std::string after = sha256_file_hex(f.path);
    CHECK(action(f.run({}), "contact").affected == 0);
    CHECK(action(f.apply(), "contact").affected == 0);
    CHECK(sha256_file_hex(f.path) == after);
  }
}

// A store that passes everything on to another and records each statement run while another
// statement still has a result open: a server backend cannot run one then (MySQL cannot
// update a table while an unbuffered result on the same connection is open). It also runs
// code just before and just after each commit, given the commit's number (from 1).
class CursorCheck final : public Store {
 public:
  explicit CursorCheck(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
  std::set<const Statement*> open;
  std::vector<std::string> overlaps;  // what ran while another result was open
  std::int64_t statements = 0;
  int commits = 0;
  std::function<void(int)> before_commit;
  std::function<void(int)> after_commit;

  void running(const Statement* self, std::string_view what) {
    ++statements;
    for (const Statement* s : open) {
      if (s != self) {
        overlaps.emplace_back(what);
        return;
      }
    }
  }

  const std::string& name() const override { return inner_->name(); }
  const Dialect& dialect() const override { return inner_->dialect(); }
  const DbSchema& schema() override { return inner_->schema(); }
  std::unique_ptr<Statement> prepare(std::string_view sql) override;
  void execute(std::string_view sql) override {
    running(nullptr, sql);
    inner_->execute(sql);
  }
  void begin_snapshot() override {
    running(nullptr, "BEGIN");
    inner_->begin_snapshot();
  }
  void begin_write() override {
    running(nullptr, "BEGIN");
    inner_->begin_write();
  }
  void commit() override {
    running(nullptr, "COMMIT");
    ++commits;
    if (before_commit) before_commit(commits);
    inner_->commit();
    if (after_commit) after_commit(commits);
  }
  void rollback() noexcept override { inner_->rollback(); }
  bool in_transaction() const override { return inner_->in_transaction(); }
  void prepare_erasure() override {
    running(nullptr, "prepare_erasure");
    inner_->prepare_erasure();
  }
  ResidueReport erase_residue(const std::vector<std::string>& tables, int wait_ms) override {
    running(nullptr, "erase_residue");
    return inner_->erase_residue(tables, wait_ms);
  }
  void check_integrity() override {
    running(nullptr, "check_integrity");
    inner_->check_integrity();
  }
  const std::vector<std::string>& open_notes() const override { return inner_->open_notes(); }

 private:
  std::unique_ptr<Store> inner_;
};

class CheckedStatement final : public Statement {
 public:
  CheckedStatement(CursorCheck& store, std::unique_ptr<Statement> inner, std::string_view sql)
      : store_(store), inner_(std::move(inner)), sql_(sql) {}
  ~CheckedStatement() override { store_.open.erase(this); }
  CheckedStatement(const CheckedStatement&) = delete;
  CheckedStatement& operator=(const CheckedStatement&) = delete;
  bool bind(std::string_view name, const Param& value) override {
    return inner_->bind(name, value);
  }
  bool step() override {
    store_.running(this, sql_);
    const bool row = inner_->step();
    if (row) {
      store_.open.insert(this);
    } else {
      store_.open.erase(this);
    }
    return row;
  }
  const Row& row() const override { return inner_->row(); }
  std::int64_t run() override {
    store_.running(this, sql_);
    store_.open.erase(this);
    return inner_->run();
  }
  void reset() override {
    store_.open.erase(this);
    inner_->reset();
  }

 private:
  CursorCheck& store_;
  std::unique_ptr<Statement> inner_;
  std::string sql_;
};

std::unique_ptr<Statement> CursorCheck::prepare(std::string_view sql) {
  return std::make_unique<CheckedStatement>(*this, inner_->prepare(sql), sql);
}

TEST_CASE("anonymising thousands of rows in chunks keeps a UNIQUE column unique") {
  // 40000 closed accounts whose emails a partial mask would make equal by the hundreds.
  const std::string rows = R"sql(
WITH RECURSIVE n(v) AS (SELECT 100 UNION ALL SELECT v + 1 FROM n WHERE v < 40099)
INSERT INTO customers (id, number, email, name, phone, birth, closed_on, hold)
  SELECT v, 'C-' || v, 'same' || (v % 7) || '.' || v || '@example.test', 'N' || v,
         '+3120' || v, '1980-01-01', '2015-01-01', 0 FROM n;
)sql";
  std::string retention = kRetention;
  retention.replace(retention.find("email: pseudonym"), std::string("email: pseudonym").size(),
                    "email: {strategy: partial, keep: 4}");
  auto apply = [&](Fixture& f, std::int64_t batch) {
    ScrubOptions options;
    options.as_of = Date{2026, 11, 23};
    options.apply = true;
    options.batch_rows = batch;
    StoreOptions write;
    write.mode = OpenMode::read_write;
    CursorCheck store(open_store(f.path.string(), write));
    const ScrubResult done = scrub(store, f.policy, f.map, options);
    CHECK(store.statements > 0);
    CHECK_MESSAGE(store.overlaps.empty(), "ran while a result was open: "
                                              << (store.overlaps.empty() ? "" : store.overlaps[0]));
    CHECK(store.open.empty());
    return done;
  };
  Fixture one(retention, rows);      // one transaction, two chunks (32768 and the rest)
  Fixture windows(retention, rows);  // windows of about 15000 rows, one chunk each
  Fixture wide(retention, rows);     // a window of 36000 rows: two chunks
  CHECK(action(one.run({}), "contact").affected == 40000);
  CHECK(action(apply(one, 0), "contact").affected == 40000);
  CHECK(action(apply(windows, 15000), "contact").affected == 40000);
  CHECK(action(apply(wide, 36000), "contact").affected == 40000);
  CHECK(one.count("SELECT count(DISTINCT email) FROM customers") == 40000);
  CHECK(one.count("SELECT count(*) FROM customers WHERE email LIKE 'same*%#' || id") == 40000);
  CHECK(one.text("SELECT email FROM customers WHERE id = 100") == "same*.***@*******.****#100");
  const std::string all =
      "SELECT group_concat(email || name || phone || birth, ',') FROM customers";
  CHECK(one.text(all) == windows.text(all));
  CHECK(one.text(all) == wide.text(all));
  CHECK(action(apply(one, 0), "contact").affected == 0);
}

TEST_CASE("an erasure request runs no statement while another has a result open") {
  Fixture f(kRetention, std::string(kPeople) + R"sql(
WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 50)
INSERT INTO calls (subscription_id, started_at, callee)
  SELECT 1, '2025-01-01T10:00:00', '+316' || value FROM n;
)sql");
  ScrubOptions options;
  options.as_of = Date{2026, 11, 23};
  options.apply = true;
  options.customer = "C-1";
  options.batch_rows = 7;
  StoreOptions write;
  write.mode = OpenMode::read_write;
  CursorCheck store(open_store(f.path.string(), write));
  const ScrubResult done = scrub(store, f.policy, f.map, options);
  CHECK(done.applied);
  CHECK(done.changes > 50);
  CHECK_MESSAGE(store.overlaps.empty(), "ran while a result was open: "
                                            << (store.overlaps.empty() ? "" : store.overlaps[0]));
  CHECK(store.open.empty());
  CHECK(f.text("SELECT name FROM customers WHERE id = 1") == "(removed)");
}

TEST_CASE("small transactions give the same outcome as one") {
  Fixture big(kRetention, kPeople);
  Fixture small(kRetention, kPeople);
  ScrubOptions one;
  ScrubOptions many;
  many.batch_rows = 1;
  const ScrubResult a = big.apply(one);
  const ScrubResult b = small.apply(many);
  REQUIRE(a.actions.size() == b.actions.size());
  for (std::size_t i = 0; i < a.actions.size(); ++i) {
    CHECK(a.actions[i].affected == b.actions[i].affected);
  }
  for (const char* q :
       {"SELECT group_concat(id) FROM calls", "SELECT group_concat(email) FROM customers",
        "SELECT group_concat(phone) FROM customers"}) {
    CHECK(big.text(q) == small.text(q));
  }
}

TEST_CASE("the mass-delete guard refuses a plan that removes most of a table") {
  std::string retention = kRetention;
  retention.replace(retention.find("mass_delete_limit: 100%"),
                    std::string("mass_delete_limit: 100%").size(), "mass_delete_limit: 30%");
  Fixture f(retention, kPeople);
  const std::string before = sha256_file_hex(f.path);
  ScrubOptions logged;
  logged.audit_log = f.dir / "audit.jsonl";
  const ScrubResult refused = f.apply(logged);
  CHECK(refused.refused);
  CHECK_FALSE(refused.applied);
  CHECK(scrub_status(refused) == Exit::findings);
  CHECK(sha256_file_hex(f.path) == before);
  CHECK(test::read_file(f.dir / "audit.jsonl").find("\"outcome\":\"refused\"") !=
        std::string::npos);
  bool calls_over = false;
  for (const TableShare& s : refused.shares) {
    if (s.table == "calls") calls_over = s.over_limit && s.rows == 7 && s.touched == 3;
  }
  CHECK(calls_over);
  ScrubOptions allow;
  allow.allow_mass_delete = true;
  const ScrubResult done = f.apply(allow);
  CHECK(done.applied);
  CHECK(f.count("SELECT count(*) FROM calls") == 4);
}

TEST_CASE("apply needs the pseudonym key; a dry run only warns") {
  Fixture f(kRetention, kPeople);
  unsetenv("TELCOMPLY_TEST_SCRUB_KEY");
  const ScrubResult plan = f.run({});
  bool warned = false;
  for (const std::string& w : plan.warnings)
    warned |= w.find("--apply needs it") != std::string::npos;
  CHECK(warned);
  const std::string before = sha256_file_hex(f.path);
  CHECK(error_of([&] { f.apply(); }).find("TELCOMPLY_TEST_SCRUB_KEY") != std::string::npos);
  CHECK(sha256_file_hex(f.path) == before);
  const auto key = f.dir.write("key", std::string(kKey) + "\n");
  ScrubOptions with_file;
  with_file.key_file = key;
  f.apply(with_file);
  CHECK(f.text("SELECT email FROM customers WHERE id = 2") == pseudonym("two@example.test", kKey));
}

TEST_CASE("an erasure request removes what no statutory rule keeps and says what stays") {
  Fixture f(kRetention, std::string(kPeople) + R"sql(
INSERT INTO invoices VALUES (1, 1, '2024-01-01', 'One'), (2, 1, '2015-01-01', 'One');
INSERT INTO payments VALUES (1, 1, '2024-01-20', 'NL11'), (2, 2, '2015-01-20', 'NL22');
)sql");
  ScrubOptions erase;
  erase.customer = "C-1";
  const ScrubResult plan = f.run(erase);
  CHECK(plan.customer == "C-1");
  CHECK(plan.holds.empty());  // the dispute of C-1 is resolved
  const ScrubResult done = f.apply(erase);
  // Statutory: calls inside the billing window, invoices and payments inside 7 years.
  CHECK(f.count("SELECT count(*) FROM calls WHERE subscription_id = 1") == 2);
  CHECK(f.count("SELECT count(*) FROM invoices WHERE customer_id = 1") == 1);
  CHECK(f.count("SELECT count(*) FROM payments") == 1);
  // Not statutory: the resolved dispute goes; the subscription stays (its calls reference it)
  // and the customer row stays (referenced) but is anonymised now, not a year after closing.
  CHECK(f.count("SELECT count(*) FROM disputes WHERE customer_id = 1") == 0);
  CHECK(f.count("SELECT count(*) FROM subscriptions WHERE customer_id = 1") == 1);
  CHECK(f.text("SELECT name FROM customers WHERE id = 1") == "(removed)");
  // Others are untouched.
  CHECK(f.count("SELECT count(*) FROM calls WHERE subscription_id = 2") == 1);
  CHECK(f.text("SELECT name FROM customers WHERE id = 2") == "Two");
  bool kept_calls = false;
  for (const ScrubAction& a : done.actions) {
    if (a.table != "calls" || a.action != RetentionAction::delete_row) continue;
    CHECK(a.due == 4);
    CHECK(a.affected == 2);
    for (const KeptReason& r : a.kept) kept_calls |= r.rule == "cdr" && r.rows == 2;
  }
  CHECK(kept_calls);
  CHECK(f.apply(erase).changes == 0);
}

TEST_CASE("an erasure request in small transactions ends where one transaction ends") {
  const std::string extra = std::string(kPeople) + R"sql(
WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 200)
INSERT INTO calls (subscription_id, started_at, callee)
  SELECT 1, printf('2025-%02d-%02dT10:00:00', 1 + value % 12, 1 + value % 28), '+316' || value
  FROM n;
)sql";
  Fixture one(kRetention, extra);
  Fixture many(kRetention, extra);
  ScrubOptions erase;
  erase.customer = "C-1";
  const ScrubResult a = one.apply(erase);
  erase.batch_rows = 7;
  const ScrubResult b = many.apply(erase);
  REQUIRE(a.actions.size() == b.actions.size());
  for (std::size_t i = 0; i < a.actions.size(); ++i) {
    CHECK(a.actions[i].affected == b.actions[i].affected);
  }
  CHECK(one.count("SELECT count(*) FROM calls WHERE subscription_id = 1") == 2);
  for (const char* q :
       {"SELECT group_concat(id) FROM calls", "SELECT group_concat(email) FROM customers"}) {
    CHECK(one.text(q) == many.text(q));
  }
}

TEST_CASE("an erasure request for a held customer changes nothing; an unknown one is exit 3") {
  Fixture f(kRetention, kPeople);
  ScrubOptions erase;
  erase.customer = "C-4";  // open dispute
  const std::string before = sha256_file_hex(f.path);
  const ScrubResult done = f.apply(erase);
  REQUIRE(done.holds.size() == 1);
  CHECK(done.holds[0] == "open dispute");
  CHECK(done.changes == 0);
  // Nothing was written but the transactions that found nothing to do.
  CHECK(f.text("SELECT name FROM customers WHERE id = 4") == "Four");
  CHECK(f.count("SELECT count(*) FROM calls WHERE subscription_id = 4") == 1);
  (void)before;
  erase.customer = "C-404";
  error_of([&] { f.run(erase); }, Exit::no_subject);
}

TEST_CASE("an applied run appends an audit record without personal data") {
  Fixture f(kRetention, kPeople);
  ScrubOptions options;
  options.audit_log = f.dir / "audit.jsonl";
  options.operator_name = "tester";
  f.apply(options);
  const std::string log = test::read_file(options.audit_log);
  const auto first = nlohmann::json::parse(log.substr(0, log.find('\n')));
  CHECK(first["event"] == "start");
  const auto record = nlohmann::json::parse(log.substr(log.rfind('\n', log.size() - 2) + 1));
  CHECK(record["event"] == "end");
  CHECK(record["run"] == first["run"]);
  CHECK(record["command"] == "scrub");
  CHECK(record["operator"] == "tester");
  CHECK(record["as_of"] == "2026-11-23");
  CHECK(record["complete"] == true);
  CHECK(record["outcome"] == "applied");
  CHECK(record.contains("time"));
  bool cdr = false;
  for (const auto& r : record["rules"]) cdr |= r["rule"] == "cdr" && r["rows"] == 3;
  CHECK(cdr);
  CHECK(log.find("@example.test") == std::string::npos);
  CHECK(log.find("+3120") == std::string::npos);
  f.run({});  // a dry run writes no record
  CHECK(test::read_file(options.audit_log) == log);
}

TEST_CASE("text and JSON output carry the plan per rule") {
  Fixture f(kRetention, kPeople);
  const ScrubResult plan = f.run({});
  std::ostringstream text;
  write_scrub_text(text, plan);
  CHECK(text.str().find("dry run") != std::string::npos);
  CHECK(text.str().find("rule cdr: delete from calls") != std::string::npos);
  CHECK(text.str().find("kept by a hold 2") != std::string::npos);
  CHECK(text.str().find("total: 4 rows to change") != std::string::npos);
  const nlohmann::json j = scrub_to_json(plan);
  CHECK(j["format"] == "telcomply-scrub/1");
  CHECK(j["applied"] == false);
  CHECK(j["actions"][0]["rule"] == "cdr");
  CHECK(j["actions"][0]["rows"] == 3);
  CHECK(j["actions"][0]["held"] == 2);
  CHECK(j["actions"][0]["cutoff"] == "2026-05-23");
  CHECK(j["changes"] == 4);
}

TEST_CASE("scrub waits for another writer instead of failing") {
  Fixture f(kRetention, kPeople);
  auto other = f.open(OpenMode::read_write);
  other->begin_write();
  other->execute(
      "INSERT INTO calls (subscription_id, started_at) VALUES (1, '2026-11-22T10:00:00')");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other->commit();
  });
  const ScrubResult done = f.apply();
  release.join();
  CHECK(done.applied);
  CHECK(f.count("SELECT count(*) FROM calls WHERE started_at = '2026-11-22T10:00:00'") == 1);
  CHECK(f.count("SELECT count(*) FROM calls") == 5);
}

namespace {

std::vector<nlohmann::json> audit_lines(const std::filesystem::path& log) {
  std::vector<nlohmann::json> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

// Rows the committed batches of the log changed, each batch counted once.
std::int64_t committed_rows(const std::vector<nlohmann::json>& log) {
  std::set<std::pair<std::string, std::int64_t>> seen;
  std::int64_t rows = 0;
  for (const auto& r : log) {
    if (r.value("event", "") != "batch" || r.value("state", "") != "committed") continue;
    if (!seen.insert({r["run"].get<std::string>(), r["batch"].get<std::int64_t>()}).second)
      continue;
    rows += r["deleted"].get<std::int64_t>() + r["anonymised"].get<std::int64_t>();
  }
  return rows;
}

// A hundred calls past the billing window for customers 1 and 2: runs of many transactions.
const std::string kManyCalls = std::string(kPeople) + R"sql(
WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 100)
INSERT INTO calls (subscription_id, started_at, callee)
  SELECT 1 + value % 2, '2025-01-01T10:00:00', '+316' || value FROM n;
)sql";

const char* kTables[] = {"customers", "subscriptions", "calls", "invoices", "payments", "disputes"};

// Rows deleted from every table and customers anonymised since `before` (row counts).
std::int64_t rows_changed(Fixture& f, const std::map<std::string, std::int64_t>& before) {
  std::int64_t changed = f.count("SELECT count(*) FROM customers WHERE name = '(removed)'");
  for (const char* t : kTables)
    changed += before.at(t) - f.count(std::string("SELECT count(*) FROM ") + t);
  return changed;
}

std::map<std::string, std::int64_t> row_counts(Fixture& f) {
  std::map<std::string, std::int64_t> counts;
  for (const char* t : kTables) counts[t] = f.count(std::string("SELECT count(*) FROM ") + t);
  return counts;
}

// Everything of customer `id` in every table, as text.
std::string rows_of(Fixture& f, int id) {
  const std::string c = std::to_string(id);
  return f.text(
      "SELECT (SELECT group_concat(number || email || name || phone || birth || hold) "
      "FROM customers WHERE id = " +
      c +
      ") || '|' || (SELECT group_concat(id || callee) FROM calls WHERE subscription_id "
      "IN (SELECT id FROM subscriptions WHERE customer_id = " +
      c +
      ")) || '|' || (SELECT group_concat(id || line) FROM subscriptions WHERE "
      "customer_id = " +
      c +
      ") || '|' || coalesce((SELECT group_concat(id) FROM "
      "disputes WHERE customer_id = " +
      c + "), '')");
}

// Options of an applied run as of 2026-11-23, in transactions of about `batch` rows.
ScrubOptions applying(std::int64_t batch) {
  ScrubOptions options;
  options.as_of = Date{2026, 11, 23};
  options.apply = true;
  options.batch_rows = batch;
  return options;
}

CursorCheck writable(Fixture& f) {
  StoreOptions write;
  write.mode = OpenMode::read_write;
  return CursorCheck(open_store(f.path.string(), write));
}

// Right after commit number `commit` of `store`, another connection sets the hold flag of
// customer `id` and commits; `at_hold` gets everything of the customer as it is then.
void place_hold(CursorCheck& store, Fixture& f, int commit, int id, std::string& at_hold) {
  store.after_commit = [&f, commit, id, &at_hold](int n) {
    if (n != commit) return;
    f.open(OpenMode::read_write)
        ->execute("UPDATE customers SET hold = 1 WHERE id = " + std::to_string(id));
    at_hold = rows_of(f, id);
  };
}

bool last_is_prepared(const std::filesystem::path& log) {
  const auto lines = audit_lines(log);
  return !lines.empty() && lines.back().value("state", "") == "prepared";
}

}  // namespace

TEST_CASE("transactions in windows reach every row past retention, wherever it lies") {
  // Old calls at both ends of the table and between new ones: the windows walk the stretch
  // between the first and the last row past retention, as the plan's count found them.
  const std::string rows = std::string(kPeople) + R"sql(
INSERT INTO calls (id, subscription_id, started_at, callee) VALUES
  (500, 1, '2026-11-01T10:00:00', '+31611111115'), (501, 2, '2016-03-01T10:00:00', NULL),
  (502, 5, '2026-11-02T10:00:00', NULL), (900, 1, '2024-02-29T12:00:00', NULL),
  (901, 3, '2016-01-01T00:00:00', NULL);
)sql";
  Fixture one(kRetention, rows);
  Fixture windows(kRetention, rows);
  ScrubOptions whole = applying(0);
  const ScrubResult a = one.apply(whole);
  const ScrubResult b = windows.apply(applying(1));
  CHECK(action(a, "cdr").affected == 5);
  CHECK(action(b, "cdr").affected == 5);
  CHECK(action(b, "cdr").held == 3);
  const char* left = "SELECT group_concat(id) FROM (SELECT id FROM calls ORDER BY id)";
  CHECK(one.text(left) == "3,4,6,7,500,502,901");
  CHECK(windows.text(left) == one.text(left));
}

TEST_CASE("a hold placed while an erasure runs stops it: nothing of the customer changes after") {
  Fixture f(kRetention, kManyCalls);
  ScrubOptions options = applying(5);
  options.customer = "C-1";
  options.audit_log = f.dir / "audit.jsonl";
  CursorCheck store = writable(f);
  std::string at_hold;
  place_hold(store, f, 3, 1, at_hold);  // between two transactions
  const ScrubResult done = scrub(store, f.policy, f.map, options);
  REQUIRE_FALSE(at_hold.empty());
  CHECK(rows_of(f, 1) == at_hold);
  CHECK(done.applied);
  CHECK(done.holds_placed == std::vector<std::string>{"flag"});
  CHECK(done.holds == std::vector<std::string>{"flag"});
  CHECK(done.kept_by_placed_holds > 0);
  std::int64_t held = 0;
  std::int64_t deleted_calls = 0;
  for (const ScrubAction& a : done.actions) {
    held += a.held;
    if (a.table == "calls") deleted_calls = a.affected;
  }
  CHECK(held == done.kept_by_placed_holds);
  CHECK(deleted_calls > 0);
  CHECK(deleted_calls == 54 - f.count("SELECT count(*) FROM calls WHERE subscription_id = 1"));
  CHECK(f.text("SELECT name FROM customers WHERE id = 1") == "One");
  std::ostringstream text;
  write_scrub_text(text, done);
  CHECK(text.str().find("legal holds: flag") != std::string::npos);
  CHECK(text.str().find("placed while the erasure ran: flag") != std::string::npos);
  CHECK(text.str().find("legal holds: none") == std::string::npos);
  const nlohmann::json j = scrub_to_json(done);
  CHECK(j["holds_placed"] == nlohmann::json::array({"flag"}));
  CHECK(j["kept_by_placed_holds"] == done.kept_by_placed_holds);
  const auto log = audit_lines(options.audit_log);
  CHECK(log.back()["outcome"] == "stopped");
  CHECK(log.back()["holds_placed"] == nlohmann::json::array({"flag"}));
  CHECK(committed_rows(log) == deleted_calls);
}

TEST_CASE("a hold placed while a retention run is under way is honoured from its commit on") {
  Fixture f(kRetention, kManyCalls);
  CursorCheck store = writable(f);
  std::string at_hold;
  place_hold(store, f, 2, 2, at_hold);
  const ScrubResult done = scrub(store, f.policy, f.map, applying(5));
  REQUIRE_FALSE(at_hold.empty());
  CHECK(rows_of(f, 2) == at_hold);
  CHECK(f.text("SELECT name FROM customers WHERE id = 2") == "Two");
  CHECK(action(done, "cdr").held > 2);  // customer 2's calls left at the hold, and 3's and 4's
}

TEST_CASE(
    "an applied run records its intent, each batch before and after it commits, and the end") {
  Fixture f(kRetention, kManyCalls);
  const auto before = row_counts(f);
  ScrubOptions options;
  options.audit_log = f.dir / "audit.jsonl";
  options.batch_rows = 10;
  const ScrubResult done = f.apply(options);
  const auto log = audit_lines(options.audit_log);
  REQUIRE(log.size() > 4);
  CHECK(log.front()["event"] == "start");
  CHECK(log.front()["database"] == f.path.string());
  CHECK(log.back()["event"] == "end");
  CHECK(log.back()["outcome"] == "applied");
  CHECK(log.back()["changes"] == done.changes);
  int prepared = 0;
  for (std::size_t i = 1; i + 1 < log.size(); ++i) {
    CHECK(log[i]["run"] == log.front()["run"]);
    CHECK(log[i]["event"] == "batch");
    if (log[i]["state"] == "prepared") {
      ++prepared;
      REQUIRE(i + 2 < log.size());
      CHECK(log[i + 1]["state"] == "committed");
      CHECK(log[i + 1]["batch"] == log[i]["batch"]);
      CHECK(log[i + 1]["deleted"] == log[i]["deleted"]);
    }
  }
  CHECK(prepared > 3);
  CHECK(committed_rows(log) == done.changes);
  CHECK(committed_rows(log) == rows_changed(f, before));
  const std::string text = test::read_file(options.audit_log);
  CHECK(text.find("@example.test") == std::string::npos);
  CHECK(text.find("+316") == std::string::npos);
}

TEST_CASE("an audit log that cannot be written, or is not the user's own file, changes nothing") {
  Fixture f(kRetention, kPeople);
  const std::string before = sha256_file_hex(f.path);
  ScrubOptions options;
  options.audit_log = f.dir / "missing" / "audit.jsonl";
  CHECK(error_of([&] { f.apply(options); }, Exit::operational).find("cannot open audit log") !=
        std::string::npos);
  CHECK(sha256_file_hex(f.path) == before);
  const auto target = f.dir.write("elsewhere", "");
  std::filesystem::create_symlink(target, f.dir / "link.jsonl");
  options.audit_log = f.dir / "link.jsonl";
  CHECK(error_of([&] { f.apply(options); }).find("symbolic link") != std::string::npos);
  CHECK(sha256_file_hex(f.path) == before);
  CHECK(test::read_file(target).empty());
}

TEST_CASE("a failed run's records claim only what committed transactions changed") {
  Fixture f(kRetention, kManyCalls);
  const auto before = row_counts(f);
  ScrubOptions options = applying(10);
  options.audit_log = f.dir / "audit.jsonl";
  CursorCheck store = writable(f);
  int seen = 0;
  store.before_commit = [&](int) {
    if (last_is_prepared(options.audit_log) && ++seen == 3)
      throw StoreError(StoreFailure::other, "disk I/O error");
  };
  CHECK(error_of([&] { scrub(store, f.policy, f.map, options); }, Exit::operational)
            .find("disk I/O error") != std::string::npos);
  const auto log = audit_lines(options.audit_log);
  REQUIRE(log.size() > 3);
  const auto& settled = log[log.size() - 2];
  CHECK(settled["state"] == "rolled_back");
  CHECK_FALSE(settled.contains("checked_by"));
  CHECK(log.back()["outcome"] == "failed");
  std::int64_t claimed = 0;
  for (const auto& r : log.back()["rules"]) {
    if (r["action"] == "delete") claimed += r["rows"].get<std::int64_t>();
  }
  CHECK(claimed == committed_rows(log));
  CHECK(committed_rows(log) == rows_changed(f, before));
  CHECK(committed_rows(log) > 0);
}

TEST_CASE("a batch a killed run left prepared is settled by the next run, as it ended") {
  // The next run names the database by another path to the same file.
  for (const bool after_commit : {false, true}) {
    CAPTURE(after_commit);
    Fixture f(kRetention, kManyCalls);
    const auto before = row_counts(f);
    ScrubOptions options = applying(10);
    options.audit_log = f.dir / "audit.jsonl";
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // Killed with its second batch recorded as prepared: just before, or just after, its
      // commit.
      CursorCheck store = writable(f);
      int seen = 0;
      auto kill = [&](int) {
        if (last_is_prepared(options.audit_log) && ++seen == 2) ::raise(SIGKILL);
      };
      (after_commit ? store.after_commit : store.before_commit) = kill;
      try {
        scrub(store, f.policy, f.map, options);
      } catch (...) {
      }
      ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    const auto killed = audit_lines(options.audit_log);
    REQUIRE(killed.back()["state"] == "prepared");
    CHECK(committed_rows(killed) +
              (after_commit ? killed.back()["deleted"].get<std::int64_t>() : 0) ==
          rows_changed(f, before));
    std::filesystem::create_directory(f.dir / "sub");
    f.path = f.dir / "sub" / ".." / "." / "op.db";
    const ScrubResult rerun = f.apply(options);
    const auto log = audit_lines(options.audit_log);
    const auto& settled = log[killed.size() + 0];
    CHECK(settled["event"] == "batch");
    CHECK(settled["run"] == killed.back()["run"]);
    CHECK(settled["batch"] == killed.back()["batch"]);
    CHECK(settled["state"] == (after_commit ? "committed" : "rolled_back"));
    CHECK(settled["checked_by"] == log.back()["run"]);
    CHECK(log[killed.size() + 1]["event"] == "start");
    CHECK(log[killed.size() + 1]["database"] == killed.back()["database"]);
    CHECK(committed_rows(log) == rows_changed(f, before));
    CHECK(rerun.changes > 0);
  }
}

TEST_CASE("a damaged file is refused before anything changes, also where no rule reads") {
  Fixture f(kRetention, std::string(kPeople) + R"sql(
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE INDEX notes_body ON notes(body);
WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 2000)
INSERT INTO notes (body) SELECT printf('note %06d', v) FROM n;
)sql");
  test::damage_index(f.path, "notes_body");
  CHECK(f.run({}).changes > 0);  // a dry run reads nothing of it
  const std::string before = sha256_file_hex(f.path);
  ScrubOptions options;
  options.audit_log = f.dir / "audit.jsonl";
  CHECK(error_of([&] { f.apply(options); }, Exit::operational).find("corrupt") !=
        std::string::npos);
  CHECK(sha256_file_hex(f.path) == before);
  CHECK(test::read_file(options.audit_log).empty());
}

TEST_CASE(
    "an applied erasure writes the ledger ahead: its subject as a keyed hash, never the number") {
  Fixture f(kRetention, kPeople);
  ScrubOptions options = applying(100);
  options.customer = "C-1";
  options.ledger = f.dir / "ledger.jsonl";
  const ScrubResult done = scrub_database(f.path.string(), f.policy, f.map, options);
  REQUIRE(done.changes > 0);
  const auto ledger = audit_lines(options.ledger);
  REQUIRE(ledger.size() == 2);
  CHECK(ledger[0]["event"] == "start");
  CHECK(ledger[1]["event"] == "end");
  CHECK(ledger[1]["outcome"] == "applied");
  for (const auto& r : ledger) {
    CHECK(r["kind"] == "erasure");
    CHECK(r["subject"] == hmac_sha256_hex(kKey, "C-1"));
    CHECK(r["key_id"] == ledger_key_id(kKey));
    CHECK(r["as_of"] == "2026-11-23");
    CHECK(r["prev"].is_string());
    CHECK_FALSE(r.contains("operator"));
  }
  std::int64_t rows = 0;
  for (const auto& rule : ledger[1]["rules"]) rows += rule["rows"].get<std::int64_t>();
  CHECK(rows == done.changes);
  const std::string text = test::read_file(options.ledger);
  for (const char* personal : {"C-1", "one@example.test", "+31201234567", "One"})
    CHECK(text.find(personal) == std::string::npos);
  struct stat st {};
  REQUIRE(::stat(options.ledger.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(verify_audit_chain(options.ledger).broken_line == 0);

  // A retention run records its rules, no subject.
  options.customer.clear();
  scrub_database(f.path.string(), f.policy, f.map, options);
  const auto all = audit_lines(options.ledger);
  REQUIRE(all.size() == 4);
  CHECK(all[3]["kind"] == "retention");
  CHECK_FALSE(all[3].contains("subject"));
}

TEST_CASE("an erasure changes nothing when its ledger record cannot be written") {
  Fixture f(kRetention, kPeople);
  const std::string before = sha256_file_hex(f.path);
  ScrubOptions options = applying(100);
  options.customer = "C-1";
  options.ledger = f.dir / "missing" / "ledger.jsonl";
  CHECK(error_of([&] { scrub_database(f.path.string(), f.policy, f.map, options); },
                 Exit::operational)
            .find("cannot open erasure ledger") != std::string::npos);
  CHECK(sha256_file_hex(f.path) == before);
  // Nor without the pseudonym key its subject is recorded by.
  options.ledger = f.dir / "ledger.jsonl";
  unsetenv("TELCOMPLY_TEST_SCRUB_KEY");
  CHECK(error_of([&] {
          scrub_database(f.path.string(), f.policy, f.map, options);
        }).find("TELCOMPLY_TEST_SCRUB_KEY") != std::string::npos);
  setenv("TELCOMPLY_TEST_SCRUB_KEY", kKey, 1);
  CHECK(sha256_file_hex(f.path) == before);
}

TEST_CASE("a replay erases the ledger's subjects again in a restored database, once") {
  Fixture f(kRetention, kPeople);
  ScrubOptions options = applying(100);
  f.apply(options);  // retention first: the backup holds nothing a retention run changes
  const auto backup = f.dir / "backup.db";
  std::filesystem::copy_file(f.path, backup);
  options.ledger = f.dir / "ledger.jsonl";
  options.audit_log = f.dir / "audit.jsonl";
  options.customer = "C-1";
  scrub_database(f.path.string(), f.policy, f.map, options);
  const std::string c1_erased = rows_of(f, 1);
  std::filesystem::copy_file(backup, f.path, std::filesystem::copy_options::overwrite_existing);
  const std::string c1_before = rows_of(f, 1);
  REQUIRE(c1_before != c1_erased);
  const std::string c2 = rows_of(f, 2), c5 = rows_of(f, 5);

  ScrubOptions dry = options;
  dry.apply = false;
  const ReplayResult plan =
      replay_ledger(f.path.string(), f.policy, f.map, dry, options.ledger, {});
  CHECK(plan.records == 2);
  CHECK(plan.subjects == 1);
  REQUIRE(plan.erasures.size() == 1);
  CHECK(plan.erasures[0].customer == "C-1");
  CHECK(plan.erasures[0].changes > 0);
  CHECK(rows_of(f, 1) == c1_before);

  const ReplayResult done =
      replay_ledger(f.path.string(), f.policy, f.map, options, options.ledger, {});
  REQUIRE(done.erasures.size() == 1);
  CHECK(done.erasures[0].applied);
  CHECK(rows_of(f, 1) == c1_erased);
  CHECK(rows_of(f, 2) == c2);
  CHECK(rows_of(f, 5) == c5);
  CHECK(done.retention.changes == 0);
  CHECK(audit_lines(options.ledger).size() == 2);  // a replay adds nothing to the ledger
  bool replay_recorded = false;
  for (const auto& r : audit_lines(options.audit_log))
    replay_recorded |= r.value("replay", false) && r.value("customer", "") == "C-1";
  CHECK(replay_recorded);
  const std::string after = sha256_file_hex(f.path);
  const ReplayResult again =
      replay_ledger(f.path.string(), f.policy, f.map, options, options.ledger, {});
  REQUIRE(again.erasures.size() == 1);
  CHECK(again.erasures[0].changes == 0);
  CHECK(again.retention.changes == 0);
  CHECK(sha256_file_hex(f.path) == after);

  // Erasures before --since are left out.
  const ReplayResult later =
      replay_ledger(f.path.string(), f.policy, f.map, dry, options.ledger, Date{2999, 1, 1});
  CHECK(later.records == 0);
  CHECK(later.erasures.empty());
}

TEST_CASE("a ledger of another key, or with hostile lines, is refused naming its line") {
  test::TempDir dir;
  const std::string good = nlohmann::json{
      {"kind", "erasure"},
      {"time", "2026-11-23T10:00:00Z"},
      {"subject", hmac_sha256_hex(kKey, "C-1")},
      {"key_id",
       ledger_key_id(kKey)}}.dump();
  const auto ok = dir.write("ok.jsonl", good + "\n" + good + "\n");
  const LedgerSubjects read = read_ledger(ok, {}, kKey);
  CHECK(read.records == 2);
  CHECK(read.subjects.size() == 1);
  CHECK(read.subjects.count(ledger_subject("C-1", kKey)) == 1);
  CHECK(read_ledger(ok, Date{2026, 11, 24}, kKey).records == 0);
  CHECK(error_of([&] {
          read_ledger(ok, {}, "another-key-0123456789");
        }).find("ok.jsonl:1: recorded with another pseudonym key") != std::string::npos);
  for (const std::string& bad :
       {std::string("{\"kind\":"), std::string("7"), std::string("{\"kind\":\"erasure\"}"),
        std::string("{\"kind\":\"erasure\",\"time\":\"2026-01-01\",\"subject\":[1]}"),
        std::string("{\"kind\":\"erasure\",\"time\":\"2026-01-01\",\"subject\":\"zz\"}"),
        std::string(kMaxAuditLine + 1, '{')}) {
    const auto path = dir.write("bad.jsonl", good + "\n" + bad + "\n");
    CHECK(error_of([&] { read_ledger(path, {}, kKey); }).find("bad.jsonl:2: ") !=
          std::string::npos);
  }
  CHECK(error_of([&] { read_ledger(dir / "none.jsonl", {}, kKey); }).find("does not exist") !=
        std::string::npos);
}
