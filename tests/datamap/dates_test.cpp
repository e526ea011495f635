#include "datamap/dates.h"

#include <functional>

#include "lint/lint.h"
#include "policy/load.h"
#include "postgres_server.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

// Customers and their events, with a date column of every kind.
const char* kMap = R"(categories:
  contact: {purposes: x, legal_basis: y}
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      closed_on: none
  events:
    link: {column: customer_id, parent: customers}
    columns:
      iso: none
      zoned: none
      secs: none
      secs_text: none
      millis: none
      julian: none
      amount: none
      mixed: none
      stated: {category: none, format: unix-milliseconds}
      note: none
)";

const char* kSchema = R"(
CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT, closed_on TEXT);
CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id INTEGER, iso TEXT, zoned TEXT,
  secs INTEGER, secs_text TEXT, millis INTEGER, julian REAL, amount INTEGER, mixed,
  stated INTEGER, note TEXT);
INSERT INTO customers VALUES (1, 'C-1', '2024-03-01'), (2, 'C-2', NULL);
)";

// A retention policy with one delete rule per column of `columns` ("name: column"), each
// keeping a year, the rule's `format` given by "column=format".
std::string rules(const std::vector<std::string>& columns) {
  std::string out = "rules:\n";
  for (const std::string& c : columns) {
    const auto eq = c.find('=');
    const std::string column = c.substr(0, eq);
    out += "  - {name: r-" + column + ", table: events, keep: 1 year, from: " + column +
           (eq == std::string::npos ? "" : ", format: " + c.substr(eq + 1)) + ", action: delete}\n";
  }
  return out;
}

struct Db {
  test::TempDir dir;
  std::unique_ptr<Store> store;
  DataMap map;
  RetentionPolicy policy;
  std::optional<ResolvedMap> resolved;

  Db(const std::string& retention, const std::string& rows, const std::string& map_text = kMap)
      : store(test::create_database(dir / "op.db", std::string(kSchema) + rows)),
        map(load_data_map({YamlSource{"datamap.yaml", map_text}})),
        policy(load_retention({YamlSource{"retention.yaml", retention}})) {}

  DateColumns read() {
    resolved.emplace(resolve_data_map(map, &policy, store->schema()));
    return read_date_columns(*resolved, *store);
  }
};

const DateColumn& column(const DateColumns& dates, const std::string& name) {
  const DateColumn* c = dates.find("events", name);
  REQUIRE(c != nullptr);
  return *c;
}

std::vector<std::string> messages(const DateColumns& dates) {
  std::vector<std::string> out;
  for (const Finding& f : dates.findings()) out.push_back(f.rule + " " + f.message);
  return out;
}

}  // namespace

TEST_CASE("a date column's representation is told from its values") {
  Db db(rules({"iso", "zoned", "secs", "secs_text", "millis", "julian", "stated"}),
        "INSERT INTO events VALUES (1, 1, '2025-01-10', '2025-01-10T23:30:00-05:00', 1736500000,"
        " '1736500000', 1736500000123, 2460685.5, 0, NULL, 1736500000123, 'x'),"
        " (2, 1, '2025-01-10 10:00:00', '2025-01-10T10:00:00', 1736400000, '1736400000',"
        " 1736400000000, 2460686.25, 0, NULL, 1736400000000, 'y'),"
        " (3, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);");
  const DateColumns dates = db.read();
  CHECK(dates.findings().empty());
  using R = DateRepresentation;
  CHECK(column(dates, "iso").representation == R{DateFormat::iso8601, DateStorage::text, false});
  CHECK(column(dates, "zoned").representation == R{DateFormat::iso8601, DateStorage::text, true});
  CHECK(column(dates, "secs").representation ==
        R{DateFormat::unix_seconds, DateStorage::number, false});
  CHECK(column(dates, "secs_text").representation ==
        R{DateFormat::unix_seconds, DateStorage::text, false});
  CHECK(column(dates, "millis").representation ==
        R{DateFormat::unix_milliseconds, DateStorage::number, false});
  CHECK(column(dates, "julian").representation ==
        R{DateFormat::julian_day, DateStorage::number, false});
  CHECK(column(dates, "stated").stated == DateFormat::unix_milliseconds);
  CHECK(column(dates, "iso").values == 2);  // NULL is no date and no fault
  // The subject's closing date is a date column too; the note is not.
  CHECK(dates.find("customers", "closed_on") != nullptr);
  CHECK(dates.find("events", "note") == nullptr);
  CHECK(describe(column(dates, "secs_text").representation) == "unix-seconds text");
}

TEST_CASE("a date column without values takes its stated format, else its declared type's") {
  Db db(rules({"secs", "iso", "millis=unix-milliseconds", "secs_text=unix-seconds"}), "");
  const DateColumns dates = db.read();
  CHECK(dates.findings().empty());
  CHECK(column(dates, "secs").representation.format == DateFormat::unix_seconds);
  CHECK(column(dates, "secs").representation.storage == DateStorage::number);
  CHECK(column(dates, "iso").representation.format == DateFormat::iso8601);
  CHECK(column(dates, "millis").representation.format == DateFormat::unix_milliseconds);
  CHECK(column(dates, "secs_text").representation.storage == DateStorage::text);
}

TEST_CASE("values that are not dates are counted and refused where the rule is") {
  Db db(rules({"iso", "secs_text"}),
        "INSERT INTO events (customer_id, iso, secs_text) VALUES (1, '2025-01-10', '1736500000'),"
        " (1, '2025-02-30', '01736500000'), (1, '10/01/2025', '1736500000'),"
        " (1, '2025-01-10T10:00:00+0200', '-5'), (1, '2025-01-11', 'soon');");
  const DateColumns dates = db.read();
  const std::vector<std::string> found = messages(dates);
  REQUIRE(found.size() == 2);
  CHECK(found[0] ==
        "date-unreadable retention rule 'r-iso': column 'events.iso' holds 3 values of 5 that are "
        "not a date; name the column's representation with 'format'");
  CHECK(found[1].find("column 'events.secs_text' holds 3 values of 5") != std::string::npos);
  CHECK(dates.findings()[0].loc.str() == "retention.yaml:2:5");
  CHECK(error_of([&] { ensure_dates(dates); }) ==
        "retention.yaml:2:5: retention rule 'r-iso': column 'events.iso' holds 3 values of 5 that "
        "are not a date; name the column's representation with 'format'");
}

TEST_CASE("a server's date and timestamp columns are not read, but what is no moment is refused") {
  // kMap's tables, with dates in PostgreSQL's types.
  const std::string url = test::postgres().create_database(
      "dates_native",
      "CREATE TABLE customers (id integer PRIMARY KEY, number text, closed_on date);"
      "CREATE TABLE events (id integer PRIMARY KEY, customer_id integer, iso timestamp,"
      " zoned timestamptz, secs bigint, secs_text text, millis bigint, julian float8,"
      " amount integer, mixed timestamp, stated bigint, note text);"
      "INSERT INTO customers VALUES (1, 'C-1', '2024-03-01');"
      "INSERT INTO events (id, customer_id, iso, zoned, mixed, note) VALUES"
      " (1, 1, '2025-01-10 10:00', '2025-01-10 23:30-05', '2025-01-10', '2025-01-10'),"
      " (2, 1, NULL, NULL, NULL, NULL);");
  auto store = open_store(url, StoreOptions{});
  const DataMap map = load_data_map({YamlSource{"datamap.yaml", kMap}});
  const RetentionPolicy policy = load_retention(
      {YamlSource{"retention.yaml", rules({"iso", "zoned", "mixed=unix-seconds", "note"})}});
  const ResolvedMap resolved = resolve_data_map(map, &policy, store->schema());
  auto read = [&] { return read_date_columns(resolved, *store); };
  {
    const DateColumns dates = read();
    // A stated format other than ISO 8601 is checked against the values, which are not that.
    REQUIRE(messages(dates).size() == 1);
    CHECK(messages(dates)[0].find("column 'events.mixed' is not a date column") !=
          std::string::npos);
    for (const char* name : {"iso", "zoned"}) {
      CAPTURE(name);
      CHECK(column(dates, name).representation.native);
      CHECK(column(dates, name).values == 0);  // not read to the client
    }
    CHECK(dates.find("customers", "closed_on")->representation.native);
    // Text is read as on SQLite.
    CHECK_FALSE(column(dates, "note").representation.native);
    CHECK(column(dates, "note").values == 1);
  }
  test::postgres().psql("dates_native",
                        "UPDATE events SET zoned = '-infinity' WHERE id = 1;"
                        "INSERT INTO events (id, customer_id, zoned) VALUES (3, 1, 'infinity');");
  const std::vector<std::string> found = messages(read());
  REQUIRE(found.size() == 2);
  CHECK(found[0] ==
        "date-unreadable retention rule 'r-zoned': column 'events.zoned' holds 2 values that are "
        "not a date");
}

TEST_CASE("an amount is not a date column, and a stated format does not make it one") {
  Db db(rules({"amount", "secs=julian-day"}),
        "INSERT INTO events (customer_id, amount, secs) VALUES (1, 1250, 1736500000),"
        " (1, 99, 1736400000), (1, 0, 1736300000);");
  const std::vector<std::string> found = messages(db.read());
  REQUIRE(found.size() == 2);
  CHECK(found[0] ==
        "date-unreadable retention rule 'r-amount': column 'events.amount' is not a date column: "
        "none of its 3 values is a date");
  CHECK(found[1] ==
        "date-unreadable retention rule 'r-secs': column 'events.secs' is not a date column: none "
        "of its 3 values is a date in its format julian-day");
}

TEST_CASE("a column mixing representations is refused with the count of the odd values") {
  Db db(rules({"mixed"}),
        "INSERT INTO events (customer_id, mixed) VALUES (1, '2025-01-10'), (1, '2025-01-11'),"
        " (1, 1736500000), (1, '1736500000'), (1, NULL);");
  const std::vector<std::string> found = messages(db.read());
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "date-mixed retention rule 'r-mixed': column 'events.mixed' mixes date representations "
        "(2 iso-8601 text, 1 unix-seconds text, 1 unix-seconds numbers): 2 values are not "
        "iso-8601 text like the rest");
}

TEST_CASE("a stated format reads the values: the data map's, or the rule's") {
  // The data map says milliseconds: 1736500000 is then January 1970, which is a date.
  Db db(rules({"stated", "secs=unix-milliseconds"}),
        "INSERT INTO events (customer_id, stated, secs) VALUES (1, 1736500000, 1736500000123);");
  const DateColumns dates = db.read();
  CHECK(dates.findings().empty());
  CHECK(column(dates, "stated").representation.format == DateFormat::unix_milliseconds);
  CHECK(column(dates, "secs").representation.format == DateFormat::unix_milliseconds);
}

TEST_CASE("a rule's format that contradicts the data map's or another rule's is an error") {
  const RetentionPolicy policy = load_retention({YamlSource{"retention.yaml", R"(rules:
  - {name: a, table: events, keep: 1 year, from: stated, format: unix-seconds, action: delete}
  - {name: b, table: events, keep: 1 year, from: secs, format: unix-seconds, action: delete}
  - {name: c, table: events, keep: 2 years, from: secs, format: julian-day, action: delete}
  - {name: d, table: events, keep: 3 years, from: secs, action: delete}
  - {name: e, table: events, keep: 1 year, from: stated, format: unix-milliseconds, action: delete}
)"}});
  const DataMap map = load_data_map({YamlSource{"datamap.yaml", kMap}});
  std::vector<std::string> found;
  for (const Finding& f : check_data_map_structure(map, &policy))
    found.push_back(f.rule + " " + f.loc.str() + " " + f.message);
  REQUIRE(found.size() == 2);
  CHECK(found[0] ==
        "date-format-conflict retention.yaml:2:66 rule 'a' reads 'events.stated' as unix-seconds, "
        "but the data map says unix-milliseconds at datamap.yaml:20:7");
  CHECK(found[1] ==
        "date-format-conflict retention.yaml:4:65 rule 'c' reads 'events.secs' as julian-day, "
        "but rule 'b' reads it as unix-seconds");
}

TEST_CASE("date_before compares every representation as its values read, at every boundary") {
  struct Case {
    const char* type;
    DateRepresentation representation;
    std::vector<const char*> values;  // SQL literals
  };
  const std::vector<Case> cases = {
      {"TEXT",
       {DateFormat::iso8601, DateStorage::text, false},
       {"'2025-01-09'", "'2025-01-10'", "'2025-01-10T23:59:59'", "'2025-01-11 00:00:00'",
        "'2001-09-09'", "'9999-12-31'"}},
      {"TEXT",
       {DateFormat::iso8601, DateStorage::text, true},
       {"'2025-01-10T23:30:00-05:00'", "'2025-01-11T01:00:00+02:00'", "'2025-01-10T12:00+14:00'",
        "'2025-01-10T12:00:00-14:00'", "'2025-01-10'", "'2025-01-10T23:59:59'",
        "'2025-01-11T00:00:00Z'", "'2025-01-09T20:00:00-04:00'", "'2025-01-12T09:00:00+10:00'"}},
      {"INTEGER",
       {DateFormat::unix_seconds, DateStorage::number, false},
       {"1736467199", "1736467200", "1736553599", "1736553600", "999999999", "-86400",
        "1736467199.5"}},
      {"TEXT",
       {DateFormat::unix_seconds, DateStorage::text, false},
       {"'1736467199'", "'1736467200'", "'1736553600'", "'999999999'", "'10000000000'", "'0'"}},
      {"INTEGER",
       {DateFormat::unix_milliseconds, DateStorage::number, false},
       {"1736467199999", "1736467200000", "1736553600000", "999999999999"}},
      {"TEXT",
       {DateFormat::unix_milliseconds, DateStorage::text, false},
       {"'1736467199999'", "'1736467200000'", "'999999999999'", "'17364672000000'"}},
      {"REAL",
       {DateFormat::julian_day, DateStorage::number, false},
       {"2460685.4999", "2460685.5", "2460686.0", "2460686.5", "2452161.5"}},
  };
  const std::vector<Date> days = {Date{2025, 1, 10}, Date{2025, 1, 11}, Date{2025, 1, 12},
                                  Date{2001, 9, 9},  Date{2001, 9, 10}, Date{1969, 12, 31},
                                  Date{2300, 1, 1}};
  for (const Case& c : cases) {
    CAPTURE(describe(c.representation));
    CAPTURE(c.representation.offsets);
    test::TempDir dir;
    std::string sql = std::string("CREATE TABLE t (v ") + c.type + ");";
    for (const char* v : c.values) sql += std::string("INSERT INTO t VALUES (") + v + ");";
    auto store = test::create_database(dir / "t.db", sql);
    const std::string before = date_before(store->dialect(), "v", c.representation, ":d");
    auto select = store->prepare("SELECT v, " + before + " FROM t");
    for (const Date& day : days) {
      CAPTURE(day.iso());
      Params params;
      bind_date_before(params, c.representation, ":d", day);
      select->reset();
      select->bind_all(params);
      while (select->step()) {
        const Row& row = select->row();
        std::string shown;
        REQUIRE(read_date(row, 0, c.representation.format, shown));
        CAPTURE(shown);
        std::int64_t moment = 0;
        if (c.representation.format == DateFormat::iso8601) {
          moment = parse_iso_moment(row.text(0)).value().seconds;
        } else if (row.type(0) == ValueType::real) {
          moment = moment_of_number(c.representation.format, row.real(0)).value();
        } else {
          const std::int64_t n = row.type(0) == ValueType::integer
                                     ? row.integer(0)
                                     : std::stoll(std::string(row.text(0)));
          moment = moment_of_number(c.representation.format, n).value();
        }
        CHECK(row.integer(1) == (moment < start_of_day(day) ? 1 : 0));
      }
    }
  }
}

TEST_CASE("date_before is never true for NULL, and not for values of another storage") {
  test::TempDir dir;
  auto store = test::create_database(
      dir / "t.db", "CREATE TABLE t (v); INSERT INTO t VALUES (NULL), (5), ('5'), ('x');");
  for (const DateRepresentation& r :
       {DateRepresentation{DateFormat::iso8601, DateStorage::text, false},
        DateRepresentation{DateFormat::iso8601, DateStorage::text, true},
        DateRepresentation{DateFormat::unix_seconds, DateStorage::text, false}}) {
    Params params;
    bind_date_before(params, r, ":d", Date{2025, 1, 10});
    auto q = store->prepare("SELECT count(*) FROM t WHERE " +
                            date_before(store->dialect(), "v", r, ":d") + " OR NOT " +
                            date_before(store->dialect(), "v", r, ":d"));
    q->bind_all(params);
    REQUIRE(q->step());
    CHECK(q->row().integer(0) == 4);  // 0 or 1, never NULL
    auto due = store->prepare("SELECT count(*) FROM t WHERE " +
                              date_before(store->dialect(), "v", r, ":d"));
    due->bind_all(params);
    REQUIRE(due->step());
    // Text digits: '5' is 1970; the number 5 and 'x' are not text digits.
    CHECK(due->row().integer(0) == (r.format == DateFormat::unix_seconds ? 1 : 0));
  }
}

TEST_CASE("read_date shows dates as ISO 8601 in the column's format, or as each value tells") {
  test::TempDir dir;
  auto store = test::create_database(dir / "t.db", "CREATE TABLE t (v);");
  auto select = store->prepare(
      "SELECT 1736500000, '1736500000', 1736500000123, 2460685.5, '2025-01-10 10:00:00',"
      " '2025-01-10T10:00+02:00', 'soon', 1250, NULL, 1736500000");
  REQUIRE(select->step());
  const Row& row = select->row();
  auto shown = [&](std::size_t i, std::optional<DateFormat> format = std::nullopt) {
    std::string out = "<kept>";
    return read_date(row, i, format, out) ? out : "<not a date>";
  };
  CHECK(shown(0) == "2025-01-10T09:06:40Z");
  CHECK(shown(1) == "2025-01-10T09:06:40Z");
  CHECK(shown(2) == "2025-01-10T09:06:40Z");
  CHECK(shown(3) == "2025-01-10T00:00:00Z");
  CHECK(shown(4) == "2025-01-10T10:00:00");
  CHECK(shown(5) == "2025-01-10T10:00+02:00");
  CHECK(shown(6) == "<not a date>");
  CHECK(shown(7) == "<not a date>");  // an amount: 1970 is not taken for a date
  CHECK(shown(8) == "<not a date>");
  CHECK(shown(9, DateFormat::unix_milliseconds) == "1970-01-21T02:21:40Z");
  CHECK(shown(4, DateFormat::unix_seconds) == "<not a date>");
}

TEST_CASE("lint --db reports date columns whose values are not dates") {
  test::TempDir dir;
  test::create_database(dir / "op.db",
                        std::string(kSchema) +
                            "INSERT INTO events (customer_id, secs) VALUES (1, 1736500000), "
                            "(1, '2025-01-10');");
  const std::filesystem::path data_map = dir.write("datamap.yaml", kMap);
  const std::filesystem::path retention = dir.write("retention.yaml", rules({"secs"}));
  LintOptions options;
  options.files = {data_map, retention};
  options.database = dir / "op.db";
  bool found = false;
  for (const Finding& f : lint(std::nullopt, options)) {
    if (f.rule != "date-mixed") continue;
    found = true;
    CHECK(f.loc.str() == retention.string() + ":2:5");
    CHECK(f.message.find("'events.secs' mixes date representations") != std::string::npos);
  }
  CHECK(found);
}

TEST_CASE("the policy states a date format on a data map column or a retention rule") {
  const DataMap map = load_data_map({YamlSource{"datamap.yaml", kMap}});
  CHECK(map.find_table("events")->find_column("stated")->format == DateFormat::unix_milliseconds);
  CHECK_FALSE(map.find_table("events")->find_column("secs")->format);
  const RetentionPolicy policy =
      load_retention({YamlSource{"retention.yaml", rules({"secs=julian-day", "iso"})}});
  CHECK(policy.rules[0].format == DateFormat::julian_day);
  CHECK(policy.rules[0].format_loc.str() == "retention.yaml:2:69");
  CHECK_FALSE(policy.rules[1].format);
  // Every name the policy may use loads.
  for (const std::string& name : date_format_names()) {
    CHECK(load_retention({YamlSource{"r.yaml", rules({"secs=" + name})}}).rules[0].format ==
          parse_date_format(name));
  }
  CHECK(error_of([] {
          load_retention({YamlSource{"r.yaml", rules({"secs=unix-second"})}});
        }) ==
        "r.yaml:2:69: 'format' must be one of iso-8601, unix-seconds, unix-milliseconds, "
        "julian-day, not 'unix-second'; did you mean 'unix-seconds'?");
  CHECK(error_of([] {
          load_data_map({YamlSource{"m.yaml",
                                    "subject: {table: t, number: n}\ntables:\n  t:\n"
                                    "    columns:\n      d: {category: none, "
                                    "format: epoch}\n"}});
        }).rfind("m.yaml:5:35: 'format' must be one of", 0) == 0);
}

TEST_CASE("date_reading: a column holds dates when stated, read as dates, or declared so") {
  Db db(rules({"secs"}), "");
  const ResolvedMap with_rules = resolve_data_map(db.map, &db.policy, db.store->schema());
  const ResolvedMap without = resolve_data_map(db.map, nullptr, db.store->schema());
  const std::vector<DateColumn> dates = policy_date_columns(with_rules);
  auto reading = [&](const char* table, const char* column) {
    const ResolvedTable& t = *without.find(table);
    return date_reading(dates, t, *t.find_column(column));
  };
  CHECK(reading("events", "secs").date);  // a rule counts from it
  CHECK_FALSE(reading("events", "secs").format);
  CHECK(reading("events", "stated").date);
  CHECK(reading("events", "stated").format == DateFormat::unix_milliseconds);
  CHECK(reading("customers", "closed_on").date);  // the closing date
  CHECK_FALSE(reading("events", "note").date);
  CHECK_FALSE(reading("events", "amount").date);
}
