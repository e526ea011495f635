// Many retention rules on one table: planned in one pass per table, with SQL that grows
// linearly with the rules (model.h), and the same plan as rule by rule.
#include <string>
#include <vector>

#include "policy/load.h"
#include "scrub/scrub.h"
#include "test_util.h"

using namespace telcomply;

namespace {

// The small data map, with subscriptions and their calls.
const std::string kDataMap = std::string(test::kSmallDataMap) + R"yaml(  subscriptions:
    link: {column: customer_id, parent: customers}
    columns: {started_on: none}
  calls:
    link: {column: subscription_id, parent: subscriptions}
    columns: {started_at: contact, ended_at: contact}
)yaml";

const Date kAsOf{2026, 11, 23};

// A call `age` days before the as-of date, ending `length` days later.
struct Call {
  int age;
  int length;
};

}  // namespace

TEST_CASE("a thousand rules on one table plan as each rule alone would, and apply") {
  // Calls of the last 50 days and five over 1,000 days old; 1,000 delete rules keeping 1 to
  // 1,000 days, every third counted from the call's end instead of its start.
  std::vector<Call> calls;
  for (int age = 0; age < 50; ++age) calls.push_back(Call{age, age % 3});
  for (int age = 1000; age < 1005; ++age) calls.push_back(Call{age, 0});
  const int n = 1000;
  auto from_end = [](int rule) { return rule % 3 == 0; };
  std::string sql =
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT NOT NULL);"
      "CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL "
      "REFERENCES customers(id), started_on TEXT);"
      "CREATE TABLE calls (id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL REFERENCES "
      "subscriptions(id), started_at TEXT, ended_at TEXT);"
      "CREATE INDEX calls_started ON calls(started_at);"
      "INSERT INTO customers VALUES (1, 'C-1');"
      "INSERT INTO subscriptions VALUES (1, 1, '2020-01-01');";
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Date start = kAsOf.add_days(-calls[i].age);
    sql += "INSERT INTO calls VALUES (" + std::to_string(i + 1) + ", 1, '" + start.iso() +
           "T12:00:00', '" + start.add_days(calls[i].length).iso() + "T12:00:00');";
  }
  std::string retention =
      "rules:\n"
      "  - {name: subs, table: subscriptions, keep: 1 day, from: started_on, action: delete}\n";
  for (int r = 1; r <= n; ++r) {
    retention +=
        "  - {name: calls-" + std::to_string(r) + ", table: calls, keep: " + std::to_string(r) +
        " days, from: " + (from_end(r) ? "ended_at" : "started_at") + ", action: delete}\n";
  }
  retention += "mass_delete_limit: 100%\n";
  test::TempDir dir;
  const std::filesystem::path path = dir / "op.db";
  test::create_database(path, sql);
  const DataMap map = load_data_map({YamlSource{"datamap.yaml", kDataMap}});
  const RetentionPolicy policy = load_retention({YamlSource{"retention.yaml", retention}});
  ScrubOptions options;
  options.as_of = kAsOf;
  const ScrubResult plan = scrub_database(path.string(), policy, map, options);
  REQUIRE(plan.actions.size() == static_cast<std::size_t>(n) + 1);

  // What each rule alone finds, row by row: rule r keeps `keep` days from its date.
  auto date_of = [&](const Call& c, int rule) {
    return kAsOf.add_days(-c.age + (from_end(rule) ? c.length : 0));
  };
  auto expired = [&](const Call& c, int rule) { return date_of(c, rule) <= kAsOf.add_days(-rule); };
  auto deleted = [&](const Call& c) {
    for (int r = 1; r <= n; ++r)
      if (!expired(c, r)) return false;
    return true;
  };
  std::int64_t gone = 0;
  for (const Call& c : calls) gone += deleted(c) ? 1 : 0;
  CHECK(gone == 5);
  for (int r = 1; r <= n; ++r) {
    const ScrubAction& a = plan.actions[static_cast<std::size_t>(r)];
    REQUIRE(a.rule == "calls-" + std::to_string(r));
    CAPTURE(a.rule);
    std::int64_t due = 0;
    std::vector<std::int64_t> kept(static_cast<std::size_t>(n) + 1, 0);
    for (const Call& c : calls) {
      if (!expired(c, r)) continue;
      ++due;
      if (deleted(c)) continue;
      for (int other = 1; other <= n; ++other)
        if (other != r && !expired(c, other)) ++kept[static_cast<std::size_t>(other)];
    }
    CHECK(a.due == due);
    CHECK(a.affected == gone);
    CHECK(a.held == 0);
    std::vector<KeptReason> want;
    for (int other = 1; other <= n; ++other) {
      if (kept[static_cast<std::size_t>(other)] > 0)
        want.push_back(KeptReason{"calls-" + std::to_string(other), "", "",
                                  kept[static_cast<std::size_t>(other)]});
    }
    REQUIRE(a.kept.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CHECK(a.kept[i].rule == want[i].rule);
      CHECK(a.kept[i].table == "");
      CHECK(a.kept[i].rows == want[i].rows);
    }
  }
  // The subscription is due, and kept by every rule on its calls (a call of today is in all
  // of them) and by the calls that stay.
  const ScrubAction& subs = plan.actions.front();
  CHECK(subs.due == 1);
  CHECK(subs.affected == 0);
  REQUIRE(subs.kept.size() == static_cast<std::size_t>(n) + 1);
  CHECK(subs.kept[0].rule == "calls-1");
  CHECK(subs.kept[0].table == "calls");
  CHECK(subs.kept[0].rows == 1);
  CHECK(subs.kept[static_cast<std::size_t>(n) - 1].rule == "calls-" + std::to_string(n));
  CHECK(subs.kept.back().referenced_by == "calls");

  options.apply = true;
  const ScrubResult applied = scrub_database(path.string(), policy, map, options);
  CHECK(applied.changes == gone);
  auto store = open_store(path.string(), StoreOptions{});
  auto left = store->prepare("SELECT count(*), min(started_at) FROM calls");
  REQUIRE(left->step());
  CHECK(left->row().integer(0) == 50);
  CHECK(left->row().text(1) == kAsOf.add_days(-49).iso() + "T12:00:00");
}
