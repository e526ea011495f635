// Retention counted from dates in every representation (datamap/dates.h): what is due is the
// same whichever way the column stores its dates, and a column that is not a date is refused
// before anything changes.
#include <map>

#include "policy/load.h"
#include "scrub/scrub.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

const char* kDataMap = R"yaml(
categories:
  contact: {name: Contact, purposes: [contract], legal_basis: contract}
  traffic: {name: Traffic, purposes: [billing], legal_basis: contract}
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      closed_on: none
      held_until: none
  calls:
    link: {column: customer_id, parent: customers}
    columns: {started_at: traffic, amount: none}
)yaml";

// As of 2026-11-23, six months back: calls on or before 2026-05-23 (UTC) are due; the first
// moment that is not is 2026-05-24T00:00:00Z, Unix time 1779580800.
const char* kRetention = R"yaml(rules:
  - {name: cdr, table: calls, keep: 6 months, from: started_at, action: delete}
mass_delete_limit: 100%
)yaml";

struct Operator {
  test::TempDir dir;
  std::filesystem::path path = dir / "op.db";
  DataMap map = load_data_map({YamlSource{"datamap.yaml", kDataMap}});
  RetentionPolicy policy;

  // `type`: the declared type of calls.started_at; `calls`: "(id, started_at)" rows, all of
  // customer 1.
  Operator(const std::string& type, const std::string& calls,
           const std::string& retention = kRetention, const std::string& closed_type = "TEXT")
      : policy(load_retention({YamlSource{"retention.yaml", retention}})) {
    test::create_database(
        path,
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT NOT NULL, closed_on " +
            closed_type +
            ", held_until INTEGER);"
            "CREATE TABLE calls (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL DEFAULT 1 "
            "REFERENCES customers(id), started_at " +
            type +
            ", amount INTEGER);"
            "INSERT INTO customers VALUES (1, 'C-1', NULL, NULL), (2, 'C-2', NULL, NULL);" +
            (calls.empty() ? "" : "INSERT INTO calls (id, started_at) VALUES " + calls + ";"));
  }

  ScrubResult run(bool apply) {
    ScrubOptions options;
    options.as_of = Date{2026, 11, 23};
    options.apply = apply;
    return scrub_database(path.string(), policy, map, options);
  }
  std::string ids(const std::string& table = "calls") {
    auto store = open_store(path.string(), StoreOptions{});
    auto q = store->prepare("SELECT group_concat(id, ',') FROM (SELECT id FROM " + table +
                            " ORDER BY id)");
    REQUIRE(q->step());
    return q->row().is_null(0) ? "" : std::string(q->row().text(0));
  }
  void sql(const std::string& statement) {
    auto store = open_store(path.string(), StoreOptions{OpenMode::read_write});
    store->execute(statement);
  }
};

std::int64_t due(const ScrubResult& result, const std::string& rule = "cdr") {
  for (const ScrubAction& a : result.actions)
    if (a.rule == rule) return a.due;
  FAIL("no action " << rule);
  return -1;
}

}  // namespace

TEST_CASE("retention counts from dates in every representation, to the second") {
  struct Case {
    const char* type;
    const char* calls;  // ids 1 and 3 are due, 2 and 4 are not
  };
  const std::map<std::string, Case> cases = {
      {"ISO 8601 text",
       {"TEXT",
        "(1, '2026-05-23T23:59:59'), (2, '2026-05-24'), (3, '2019-01-01'),"
        " (4, '2026-11-20 08:00:00')"}},
      {"ISO 8601 with offsets, compared in UTC",
       {"TEXT",
        "(1, '2026-05-24T01:00:00+02:00'), (2, '2026-05-23T20:00:00-05:00'),"
        " (3, '2026-05-23T10:00:00Z'), (4, '2026-05-24T00:00:00Z')"}},
      {"Unix seconds in an INTEGER column",
       {"INTEGER", "(1, 1779580799), (2, 1779580800), (3, 1700000000), (4, 1790000000)"}},
      {"Unix seconds in a DATETIME column",
       {"DATETIME", "(1, 1779580799), (2, 1779580800), (3, 1700000000), (4, 1790000000)"}},
      {"Unix seconds as text",
       {"TEXT", "(1, '1779580799'), (2, '1779580800'), (3, '999999999'), (4, '1790000000')"}},
      {"Unix milliseconds",
       {"TIMESTAMP",
        "(1, 1779580799999), (2, 1779580800000), (3, 1700000000000),"
        " (4, 1790000000000)"}},
      {"Julian days",
       {"REAL", "(1, 2461184.4999), (2, 2461184.5), (3, 2460000.5), (4, 2461300.25)"}},
  };
  for (const auto& [name, c] : cases) {
    CAPTURE(name);
    Operator op(c.type, c.calls);
    CHECK(due(op.run(false)) == 2);
    CHECK(op.ids() == "1,2,3,4");  // a dry run changes nothing
    const ScrubResult applied = op.run(true);
    CHECK(applied.changes == 2);
    CHECK(op.ids() == "2,4");
  }
}

TEST_CASE("a stated format reads the dates: milliseconds stored as text") {
  Operator op("TEXT", "(1, '1779580799999'), (2, '1779580800000'), (3, '999999999999')",
              R"yaml(rules:
  - {name: cdr, table: calls, keep: 6 months, from: started_at, format: unix-milliseconds,
     action: delete}
mass_delete_limit: 100%
)yaml");
  CHECK(due(op.run(false)) == 2);
  op.run(true);
  CHECK(op.ids() == "2");
}

TEST_CASE("the closing date and the end of a hold are read in their representations too") {
  Operator op("INTEGER", "(1, 1700000000), (2, 1700000000)", R"yaml(rules:
  - {name: closed, table: calls, keep: 1 year, from: account_closed, action: delete}
holds:
  - {name: until, table: customers, until: held_until}
mass_delete_limit: 100%
)yaml",
              "INTEGER");
  // Customer 1 closed in 2023 and its hold ended in 2023; customer 2 closed in 2023, held
  // until 2027. Customer 2's call is held; customer 1's goes.
  op.sql(
      "UPDATE customers SET closed_on = 1700000000, held_until = 1700000000 WHERE id = 1;"
      "UPDATE customers SET closed_on = 1700000000, held_until = 1800000000 WHERE id = 2;"
      "UPDATE calls SET customer_id = 2 WHERE id = 2;");
  const ScrubResult plan = op.run(false);
  CHECK(due(plan, "closed") == 2);
  CHECK(plan.actions.front().held == 1);
  op.run(true);
  CHECK(op.ids() == "2");
}

TEST_CASE("a date column with values that are not dates is refused before anything changes") {
  Operator op("TEXT", "(1, '2019-01-01'), (2, '1779580800'), (3, '2019-02-30'), (4, 'gisteren')");
  for (bool apply : {false, true}) {
    CAPTURE(apply);
    CHECK(error_of([&] { op.run(apply); }) ==
          "retention.yaml:2:5: retention rule 'cdr': column 'calls.started_at' holds 2 values of "
          "4 that are not a date; name the column's representation with 'format'");
  }
  op.sql("DELETE FROM calls WHERE id IN (3, 4)");
  CHECK(error_of([&] { op.run(true); }) ==
        "retention.yaml:2:5: retention rule 'cdr': column 'calls.started_at' mixes date "
        "representations (1 iso-8601 text, 1 unix-seconds text): 1 value is not iso-8601 text "
        "like the rest");
  CHECK(op.ids() == "1,2");
}

TEST_CASE("a rule counting from an amount is refused, not matched against nothing") {
  Operator op("TEXT", "(1, '2019-01-01')", R"yaml(rules:
  - {name: cdr, table: calls, keep: 6 months, from: amount, action: delete}
mass_delete_limit: 100%
)yaml");
  op.sql("UPDATE calls SET amount = 1250");
  CHECK(error_of([&] { op.run(true); }) ==
        "retention.yaml:2:5: retention rule 'cdr': column 'calls.amount' is not a date column: "
        "its value is not a date");
  CHECK(op.ids() == "1");
}
