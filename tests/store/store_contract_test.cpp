// The store contract (lib/store/store.h): what every backend must do, run against each.
// A backend is added to kBackends with a function that makes a fresh database from SQL and
// one that opens it again. The schema and data are written in SQL both backends read.
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <set>

#include "core/date.h"
#include "mariadb_server.h"
#include "postgres_server.h"
#include "store/store.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

struct Backend {
  const char* name;
  std::function<std::unique_ptr<Store>(const test::TempDir&, const std::string& sql)> create;
  std::function<std::unique_ptr<Store>(const test::TempDir&, OpenMode, int busy_timeout_ms)> open;
};

// A server's database per test folder, named after it: tests never share one.
std::string server_database(const test::TempDir& dir) {
  std::string name = "contract_";
  for (char c : dir.path().filename().string())
    name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return name;
}

const Backend kBackends[] = {
    {"sqlite",
     [](const test::TempDir& dir, const std::string& sql) {
       return test::create_database(dir / "contract.db", sql);
     },
     [](const test::TempDir& dir, OpenMode mode, int busy_timeout_ms) {
       return open_store((dir / "contract.db").string(), StoreOptions{mode, busy_timeout_ms});
     }},
    {"postgresql",
     [](const test::TempDir& dir, const std::string& sql) {
       const std::string url = test::postgres().create_database(server_database(dir), sql);
       return open_store(url, StoreOptions{OpenMode::read_write});
     },
     [](const test::TempDir& dir, OpenMode mode, int busy_timeout_ms) {
       return open_store(test::postgres().url(server_database(dir)),
                         StoreOptions{mode, busy_timeout_ms});
     }},
    {"mariadb",
     [](const test::TempDir& dir, const std::string& sql) {
       const std::string url = test::mariadb().create_database(server_database(dir), sql);
       return open_store(url, StoreOptions{OpenMode::read_write});
     },
     [](const test::TempDir& dir, OpenMode mode, int busy_timeout_ms) {
       return open_store(test::mariadb().url(server_database(dir)),
                         StoreOptions{mode, busy_timeout_ms});
     }},
};

constexpr const char* kSchema =
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, number VARCHAR(40) NOT NULL UNIQUE,"
    " email TEXT, born DATE, seen TIMESTAMP, balance DECIMAL(10,2), vip BOOLEAN);"
    "CREATE TABLE subs (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES "
    "customers(id), phone TEXT DEFAULT 'x', started TIMESTAMP);"
    "CREATE UNIQUE INDEX subs_phone ON subs(phone);"
    "CREATE INDEX subs_started ON subs(started, id);"
    "CREATE VIEW active AS SELECT * FROM customers;"
    "INSERT INTO customers VALUES (1, 'C-1', 'a@example.nl', '1980-01-02', '2026-01-01 10:00:00',"
    " 12.5, TRUE);"
    "INSERT INTO customers VALUES (2, 'C-2', NULL, NULL, NULL, NULL, FALSE);"
    "INSERT INTO subs VALUES (10, 1, '+31201234567', '2026-02-01');";

template <typename F>
void for_each_backend(F&& f) {
  for (const Backend& backend : kBackends) {
    const std::string name = backend.name;
    CAPTURE(name);
    f(backend);
  }
}

std::int64_t count(Store& store, const std::string& sql) {
  auto statement = store.prepare(sql);
  REQUIRE(statement->step());
  return statement->row().integer(0);
}

}  // namespace

TEST_CASE("store contract: the schema has tables, types, constraints, indexes and keys") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store = b.create(dir, kSchema);
    const DbSchema& schema = store->schema();
    CHECK(schema.tables.size() == 2);  // the view is not a table
    CHECK_FALSE(schema.find("active"));
    const DbTable* customers = schema.find("customers");
    REQUIRE(customers);
    CHECK(customers->find("id")->primary_key);
    CHECK(customers->find("id")->unique);
    CHECK(customers->find("id")->kind == ColumnType::integer);
    CHECK(customers->find("number")->not_null);
    CHECK(customers->find("number")->unique);
    CHECK(customers->find("number")->kind == ColumnType::text);
    CHECK_FALSE(customers->find("email")->unique);
    CHECK(customers->find("born")->kind == ColumnType::date);
    CHECK(customers->find("born")->dated());
    CHECK(customers->find("seen")->kind == ColumnType::timestamp);
    CHECK(customers->find("balance")->kind == ColumnType::decimal);
    CHECK(customers->find("balance")->numeric());
    CHECK(customers->find("vip")->kind == ColumnType::boolean);
    CHECK(customers->indexed.count("id") == 1);
    CHECK(customers->indexed.count("number") == 1);
    const DbTable* subs = schema.find("subs");
    REQUIRE(subs);
    CHECK(subs->find("phone")->unique);
    CHECK(subs->find("phone")->default_value == "'x'");
    CHECK(subs->find("started")->kind == ColumnType::timestamp);
    CHECK(subs->indexed.count("started") == 1);
    // InnoDB indexes every foreign key; SQLite and PostgreSQL only what is asked for.
    CHECK(subs->indexed.count("customer_id") == (std::string(b.name) == "mariadb" ? 1 : 0));
    REQUIRE(subs->foreign_keys.size() == 1);
    CHECK(subs->foreign_keys[0].column == "customer_id");
    CHECK(subs->foreign_keys[0].parent_table == "customers");
    CHECK(subs->foreign_keys[0].parent_column == "id");
    CHECK_FALSE(schema.find("nope"));
    CHECK(&store->schema() == &schema);  // read once
  });
}

TEST_CASE("store contract: named parameters, typed values and streamed rows") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store = b.create(dir, kSchema);
    auto select = store->prepare(
        "SELECT id, number, balance, email FROM customers WHERE id >= :low AND :low = :low "
        "ORDER BY id");
    CHECK(select->bind("low", std::int64_t{1}));
    CHECK(select->bind(":low", std::int64_t{1}));  // with or without the colon
    CHECK_FALSE(select->bind("unused", std::string("x")));
    REQUIRE(select->step());
    const Row& row = select->row();
    CHECK(row.size() == 4);
    CHECK(row.type(0) == ValueType::integer);
    CHECK(row.integer(0) == 1);
    CHECK(row.type(1) == ValueType::text);
    CHECK(row.text(1) == "C-1");
    // A DECIMAL is exact where the backend keeps it so (a server), a real number in SQLite.
    CHECK((row.type(2) == ValueType::real || row.type(2) == ValueType::decimal));
    CHECK(row.real(2) == doctest::Approx(12.5));
    CHECK(row.value(1) == Param(std::string("C-1")));
    REQUIRE(select->step());
    CHECK(row.is_null(3));
    CHECK(row.value(3) == Param(nullptr));
    CHECK(row.integer_or_zero(2) == 0);
    CHECK_FALSE(select->step());
    // Reset keeps the bindings.
    select->reset();
    CHECK(select->step());
    select->reset();

    auto update = store->prepare("UPDATE customers SET email = :email WHERE id = :id");
    update->bind("email", nullptr);
    update->bind("id", std::int64_t{1});
    CHECK(update->run() == 1);
    update->bind("id", std::int64_t{99});
    CHECK(update->run() == 0);
    CHECK(count(*store, "SELECT count(*) FROM customers WHERE email IS NULL") == 2);

    // Values are never SQL: a quote in a bound string is data.
    auto insert = store->prepare("INSERT INTO customers (id, number) VALUES (:id, :number)");
    insert->bind_all(
        Params{{":id", std::int64_t{3}}, {":number", std::string("C-3'; DROP TABLE subs; --")}});
    CHECK(insert->run() == 1);
    CHECK(count(*store, "SELECT count(*) FROM subs") == 1);
  });
}

TEST_CASE("store contract: a text column streamed whole gives what its rows give") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store = b.create(dir, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);");
    // What COPY's text format escapes, and what it does not.
    const std::vector<std::string> values = {"2026-05-23T23:30:00",
                                             "back\\slash \\N \\x41 \\101",
                                             "tab\tnew\nline\rcr",
                                             "\b\f\v and \x7f",
                                             "Ærø 電話 ☎",
                                             "",
                                             "N",
                                             "\\",
                                             "trailing\\"};
    auto insert = store->prepare("INSERT INTO t (id, v) VALUES (:id, :v)");
    for (std::size_t i = 0; i < values.size(); ++i) {
      insert->bind("id", static_cast<std::int64_t>(i));
      insert->bind("v", values[i]);
      insert->run();
    }
    insert->bind("id", std::int64_t{99});
    insert->bind("v", nullptr);
    insert->run();
    const DbTable* t = store->schema().find("t");
    REQUIRE(t != nullptr);
    std::multiset<std::string> streamed;
    if (store->each_text(*t, *t->find("v"),
                         [&](std::string_view text) { streamed.emplace(text); })) {
      CHECK(std::string(b.name) == "postgresql");
      CHECK(streamed == std::multiset<std::string>(values.begin(), values.end()));
    } else {
      CHECK(std::string(b.name) != "postgresql");  // read with prepare() instead
    }
    // The store is usable after the stream.
    CHECK(count(*store, "SELECT count(*) FROM t") == 10);
  });
}

TEST_CASE("store contract: the dialect reads ISO 8601 text as parse_iso_moment does") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store = b.create(dir, "CREATE TABLE t (v TEXT);");
    const Dialect& d = store->dialect();
    auto select = store->prepare("SELECT " + d.iso_unix_seconds(":v") + ", " + d.length(":v"));
    for (const char* text :
         {"2026-05-23", "2026-05-23T23:30", "2026-05-23 23:30:59", "2026-05-23T23:30:00.123456",
          "2026-05-23T23:30:00Z", "2026-05-23T23:30:00+02:00", "2026-05-23T01:30:00.5-05:30",
          "2026-05-23T23:30+14:00", "1969-12-31T23:59:59Z", "2024-02-29T12:00:00-14:00",
          "0001-01-01"}) {
      CAPTURE(text);
      const std::optional<IsoMoment> moment = parse_iso_moment(text);
      REQUIRE(moment);
      select->reset();
      select->bind("v", std::string(text));
      REQUIRE(select->step());
      CHECK(select->row().integer(0) == moment->seconds);
      CHECK(select->row().integer(1) == static_cast<std::int64_t>(std::string_view(text).size()));
    }
  });
}

TEST_CASE("store contract: a flag is set when not NULL, zero, empty or a word for no") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store =
        b.create(dir,
                 "CREATE TABLE f (id INTEGER PRIMARY KEY, n INTEGER, r REAL, d DECIMAL(6,2),"
                 " b BOOLEAN, t TEXT);"
                 "INSERT INTO f VALUES (1, 1, 0.5, 1.00, TRUE, 'ja');"
                 "INSERT INTO f VALUES (2, 0, 0.0, 0.00, FALSE, ' Nee ');"
                 "INSERT INTO f VALUES (3, NULL, NULL, NULL, NULL, NULL);"
                 "INSERT INTO f VALUES (4, -2, -0.0, -0.01, NULL, 'FALSE');"
                 "INSERT INTO f VALUES (5, 7, 2.5, 0.10, TRUE, '');"
                 "INSERT INTO f VALUES (6, 0, 1e-9, 0, FALSE, 'yes');");
    const Dialect& d = store->dialect();
    const DbTable* f = store->schema().find("f");
    REQUIRE(f != nullptr);
    // The ids of the rows of `table` whose flag `column`, of type `kind`, is set, in order.
    auto set_in = [&](const std::string& table, const std::string& column, ColumnType kind) {
      auto q = store->prepare("SELECT id FROM " + table + " WHERE " +
                              d.flag_set(d.quote(column), kind) + " ORDER BY id");
      std::string ids;
      while (q->step()) ids += std::to_string(q->row().integer(0));
      return ids;
    };
    auto set = [&](const char* column) { return set_in("f", column, f->find(column)->kind); };
    CHECK(set("n") == "145");
    CHECK(set("r") == "156");
    CHECK(set("d") == "145");
    CHECK(set("b") == "15");
    CHECK(set("t") == "16");
    if (d.typed_columns()) return;
    // A column of no declared type keeps each value in the type it was given: integers are
    // told apart from zero, reals and text by the words above, a blob by its bytes as text.
    store->execute(
        "CREATE TABLE g (id INTEGER PRIMARY KEY, v);"
        "INSERT INTO g VALUES (1, 0), (2, -3), (3, '0'), (4, ' no '), (5, 0.0), (6, -0.0),"
        " (7, 1e300), (8, X'30'), (9, X'31'), (10, ''), (11, 'N'), (12, 2), (13, NULL);");
    CHECK(set_in("g", "v", ColumnType::integer) == "27912");  // 2, 7, 9 and 12
  });
}

TEST_CASE("store contract: a write transaction is all or nothing") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store = b.create(dir, kSchema);
    {
      Transaction write(*store, Transaction::Kind::write);
      CHECK(store->in_transaction());
      store->execute("DELETE FROM subs");
      CHECK(count(*store, "SELECT count(*) FROM subs") == 0);
    }  // not committed: rolled back
    CHECK_FALSE(store->in_transaction());
    CHECK(count(*store, "SELECT count(*) FROM subs") == 1);
    {
      Transaction write(*store, Transaction::Kind::write);
      store->execute("DELETE FROM subs");
      write.commit();
    }
    CHECK(count(*store, "SELECT count(*) FROM subs") == 0);
    Transaction snapshot(*store, Transaction::Kind::snapshot);
    CHECK(count(*store, "SELECT count(*) FROM customers") == 2);
    snapshot.commit();
  });
}

TEST_CASE("store contract: a second writer is refused as busy, and the reason says so") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto first = b.create(dir, kSchema);
    auto second = b.open(dir, OpenMode::read_write, 100);
    first->begin_write();
    try {
      second->begin_write();
      FAIL("a second writer got the lock");
    } catch (const StoreError& e) {
      CHECK(e.failure() == StoreFailure::busy);
      CHECK(e.status() == Exit::operational);
      CHECK(std::string(e.what()).find("locked") != std::string::npos);
    }
    first->rollback();
    second->begin_write();
    second->commit();
  });
}

TEST_CASE("store contract: a read-only store does not write") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    b.create(dir, kSchema);
    auto store = b.open(dir, OpenMode::read_only, 1000);
    error_of([&] { store->execute("DELETE FROM subs"); }, Exit::operational);
    CHECK(count(*store, "SELECT count(*) FROM subs") == 1);
  });
}

TEST_CASE("store contract: failures carry what was being done, once") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    auto store = b.create(dir, kSchema);
    const std::string message = error_of(
        [&] {
          try {
            try {
              store->prepare("SELECT nope FROM customers");
            } catch (...) {
              rethrow_database_error("reading customers");
            }
          } catch (...) {
            rethrow_database_error("exporting");
          }
        },
        Exit::operational);
    CHECK(message.starts_with("reading customers: "));
  });
}

TEST_CASE("store contract: a sound database passes the integrity check") {
  for_each_backend([](const Backend& b) {
    test::TempDir dir;
    b.create(dir, kSchema);
    auto store = b.open(dir, OpenMode::read_only, 1000);
    CHECK_NOTHROW(store->check_integrity());
  });
}

TEST_CASE("quote_identifier doubles quotes") {
  CHECK(quote_identifier("calls") == "\"calls\"");
  CHECK(quote_identifier("a\"; DROP TABLE x; --") == "\"a\"\"; DROP TABLE x; --\"");
}

TEST_CASE("normalise_type reads declared types as SQL and SQLite do") {
  CHECK(normalise_type("INTEGER") == ColumnType::integer);
  CHECK(normalise_type("bigint") == ColumnType::integer);
  CHECK(normalise_type("VARCHAR(40)") == ColumnType::text);
  CHECK(normalise_type("DATETIME") == ColumnType::timestamp);
  CHECK(normalise_type("timestamp with time zone") == ColumnType::timestamp);
  CHECK(normalise_type("DATE") == ColumnType::date);
  CHECK(normalise_type("NUMERIC(12,2)") == ColumnType::decimal);
  CHECK(normalise_type("DOUBLE PRECISION") == ColumnType::real);
  CHECK(normalise_type("BOOLEAN") == ColumnType::boolean);
  CHECK(normalise_type("bytea") == ColumnType::blob);
  CHECK(normalise_type("") == ColumnType::blob);
}

// SQLite's own cases: how a file path is refused, and a hot journal.

TEST_CASE("sqlite: missing, directory and non-database files fail with the right status") {
  test::TempDir dir;
  CHECK(error_of([&] { open_store((dir / "absent.db").string(), {}); }).find("no such file") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "absent.db"));
  CHECK(error_of([&] { open_store(dir.path().string(), {}); }).find("is a directory") !=
        std::string::npos);
  const auto junk = dir.write("junk.db", std::string(4096, 'x'));
  CHECK(error_of([&] { open_store(junk.string(), {}); }, Exit::operational)
            .find("corrupt or not a database") != std::string::npos);
}

TEST_CASE("sqlite: a read-only open first rolls back a hot journal left by a killed writer") {
  test::TempDir dir;
  const auto path = dir / "hot.db";
  test::create_database(path,
                        "CREATE TABLE t (x TEXT);"
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        "20000) INSERT INTO t SELECT 'committed' FROM n;");
  // A writer dies mid-transaction after its cache spilled into the file: a hot journal.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto store = open_store(path.string(), StoreOptions{OpenMode::read_write});
    store->execute("PRAGMA cache_size = 2; BEGIN; UPDATE t SET x = 'uncommitted';");
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(std::filesystem::exists(dir / "hot.db-journal"));
  auto store = open_store(path.string(), StoreOptions{OpenMode::read_only});
  CHECK(count(*store, "SELECT count(*) FROM t WHERE x = 'committed'") == 20000);
  REQUIRE(store->open_notes().size() == 1);
  CHECK(store->open_notes()[0].find("interrupted transaction was rolled back") !=
        std::string::npos);
}

TEST_CASE("sqlite: the integrity check finds damage that no query meets, also beside reads") {
  test::TempDir dir;
  const auto path = dir / "damaged.db";
  test::create_database(path, std::string(kSchema) +
                                  "CREATE TABLE notes (body TEXT); CREATE INDEX notes_body ON "
                                  "notes(body); INSERT INTO notes VALUES ('a'), ('b');");
  {
    // Started beside the store's own reads (on a connection of its own): the store is usable
    // meanwhile, and a sound file passes.
    auto store = open_store(path.string(), StoreOptions{OpenMode::read_write});
    std::function<void()> checked = store->start_integrity_check();
    CHECK(count(*store, "SELECT count(*) FROM customers") == 2);
    CHECK_NOTHROW(checked());
  }
  test::damage_index(path, "notes_body");
  const auto refused = [](const std::function<void()>& check) {
    try {
      check();
      FAIL("the damage went unnoticed");
    } catch (const StoreError& e) {
      CHECK(e.failure() == StoreFailure::corrupt);
      CHECK(e.status() == Exit::operational);
      CHECK(std::string(e.what()).find("corrupt") != std::string::npos);
    }
  };
  auto store = open_store(path.string(), StoreOptions{OpenMode::read_only});
  CHECK(count(*store, "SELECT count(*) FROM customers") == 2);
  refused([&] { store->check_integrity(); });
  auto writer = open_store(path.string(), StoreOptions{OpenMode::read_write});
  std::function<void()> checked = writer->start_integrity_check();
  CHECK(count(*writer, "SELECT count(*) FROM customers") == 2);
  refused(checked);
  // A check nobody waits for is waited for when it is dropped.
  CHECK_NOTHROW(writer->start_integrity_check());
  // The check reads the file the store has open: one put in its place is refused, sound or
  // not.
  const auto other = dir / "other.db";
  test::create_database(other, kSchema);
  std::filesystem::rename(other, path);
  const std::function<void()> replaced = writer->start_integrity_check();
  CHECK(error_of(replaced, Exit::operational).find("replaced") != std::string::npos);
}

TEST_CASE("sqlite: the estimated rows of a table are the span of its row ids") {
  test::TempDir dir;
  auto store = test::create_database(
      dir / "rows.db",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);"
      "CREATE TABLE empty (id INTEGER PRIMARY KEY);"
      "CREATE TABLE named (code TEXT PRIMARY KEY, x TEXT) WITHOUT ROWID;"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
      "INSERT INTO t SELECT i, 'x' FROM n;"
      "INSERT INTO named VALUES ('a', 'x');");
  CHECK(store->estimated_rows("t") == 1000);  // filled in order: exact
  store->execute("DELETE FROM t WHERE id <= 100");
  CHECK(store->estimated_rows("t") == 900);  // the oldest gone, as retention deletes
  store->execute("DELETE FROM t WHERE id BETWEEN 200 AND 299");
  CHECK(store->estimated_rows("t") == 900);  // a gap in the middle is not seen
  CHECK(store->estimated_rows("empty") == 0);
  CHECK(store->estimated_rows("named") == std::nullopt);  // no row ids to span
  CHECK(store->estimated_rows("absent") == std::nullopt);
}

// ---------------------------------------------------------------------------------------
// MariaDB

namespace {

std::unique_ptr<Store> mariadb_store(const test::TempDir& dir, const std::string& sql,
                                     OpenMode mode = OpenMode::read_write) {
  test::mariadb().create_database(server_database(dir), sql);
  return open_store(test::mariadb().url(server_database(dir)), StoreOptions{mode});
}

}  // namespace

TEST_CASE("mariadb: values keep their types") {
  test::TempDir dir;
  auto store = mariadb_store(
      dir,
      "CREATE TABLE t (id BIGINT UNSIGNED PRIMARY KEY, flag BOOLEAN, tiny TINYINT, "
      "amount DECIMAL(30,10), j JSON, s SET('sms','mail','call'), e ENUM('a','b'), "
      "moment DATETIME(3), stamp TIMESTAMP NULL, day DATE, photo BLOB, bits BIT(12), "
      "latin VARCHAR(20) CHARACTER SET latin1, x DOUBLE);"
      "INSERT INTO t VALUES (18446744073709551615, TRUE, 5, 12345678901234567890.0123456789, "
      "'{\"sms\": false}', 'sms,call', 'b', '2026-05-23 10:00:00.250', '2026-05-23 10:00:00', "
      "'1980-02-29', x'00ff41', b'101', 'Ærø', 0.1);"
      "INSERT INTO t (id) VALUES (1);");
  auto rows = store->prepare("SELECT * FROM t ORDER BY id DESC");
  REQUIRE(rows->step());
  const Row& r = rows->row();
  CHECK(r.type(0) == ValueType::decimal);  // past 2^63: exact digits
  CHECK(r.text(0) == "18446744073709551615");
  CHECK(r.type(1) == ValueType::boolean);
  CHECK(r.integer(1) == 1);
  CHECK(r.text(1) == "true");
  CHECK(r.type(2) == ValueType::integer);
  CHECK(r.type(3) == ValueType::decimal);
  CHECK(r.text(3) == "12345678901234567890.0123456789");
  CHECK(r.type(4) == ValueType::json);
  CHECK(r.text(4) == "{\"sms\": false}");
  CHECK(r.type(5) == ValueType::json);
  CHECK(r.text(5) == "[\"sms\",\"call\"]");
  CHECK(r.text(6) == "b");
  CHECK(r.text(7) == "2026-05-23T10:00:00.250");  // no zone: DATETIME has none
  CHECK(r.text(8) == "2026-05-23T10:00:00Z");     // TIMESTAMP, shown in UTC
  CHECK(r.text(9) == "1980-02-29");
  CHECK(r.type(10) == ValueType::blob);
  CHECK(r.text(10) == std::string("\0\xff"
                                  "A",
                                  3));
  CHECK(r.integer(11) == 5);
  CHECK(r.text(12) == "Ærø");  // latin1 in the table, UTF-8 on the wire
  CHECK(r.real(13) == doctest::Approx(0.1));
  REQUIRE(rows->step());
  CHECK(r.type(0) == ValueType::integer);
  for (std::size_t c = 1; c < r.size(); ++c) CHECK(r.is_null(c));
  CHECK_FALSE(rows->step());
  const DbTable* t = store->schema().find("t");
  REQUIRE(t != nullptr);
  CHECK(t->find("flag")->kind == ColumnType::boolean);
  CHECK(t->find("tiny")->kind == ColumnType::integer);
  CHECK(t->find("j")->type == "json");
  CHECK(t->find("j")->kind == ColumnType::other);
  CHECK(t->find("photo")->kind == ColumnType::blob);
  CHECK(t->find("stamp")->kind == ColumnType::timestamp);
  // Written back: bytes that are not UTF-8, quotes and backslashes are data.
  auto update = store->prepare("UPDATE t SET photo = :p, latin = :l WHERE id = 1");
  update->bind("p", std::string("\x80\x00'\\", 4));
  update->bind("l", std::string("it's \\ ø"));
  CHECK(update->run() == 1);
  CHECK(update->run() == 1);  // the rows matched, also when nothing changes
  auto back = store->prepare("SELECT photo, latin FROM t WHERE id = 1");
  REQUIRE(back->step());
  CHECK(back->row().text(0) == std::string("\x80\x00'\\", 4));
  CHECK(back->row().text(1) == "it's \\ ø");
}

TEST_CASE("mariadb: a query's rows survive other statements run before its end") {
  test::TempDir dir;
  auto store = mariadb_store(dir,
                             "CREATE TABLE t (id INT PRIMARY KEY, v TEXT);"
                             "INSERT INTO t SELECT seq, concat('v', seq) FROM seq_1_to_5000;");
  auto all = store->prepare("SELECT id, v FROM t ORDER BY id");
  auto one = store->prepare("SELECT count(*) FROM t WHERE id <= :n");
  std::int64_t seen = 0;
  while (all->step()) {
    ++seen;
    CHECK(all->row().integer(0) == seen);
    if (seen == 10 || seen == 4000) {
      const std::string before(all->row().text(1));
      one->bind("n", seen);
      REQUIRE(one->step());
      CHECK(one->row().integer(0) == seen);
      one->reset();
      CHECK(all->row().text(1) == before);  // the current row stays valid
    }
  }
  CHECK(seen == 5000);
  // Queued statements go together; each one's rows changed come back in order.
  auto update = store->prepare("UPDATE t SET v = 'x' WHERE id <= :n");
  for (std::int64_t n : {3, 0, 7}) {
    update->bind("n", n);
    store->queue(*update);
  }
  CHECK(store->run_queued() == std::vector<std::int64_t>{3, 0, 7});
}

TEST_CASE("mariadb: tables that cannot roll back and missing privileges are refused") {
  test::TempDir dir;
  auto store = mariadb_store(dir,
                             "CREATE TABLE kept (id INT PRIMARY KEY) ENGINE = InnoDB;"
                             "CREATE TABLE old (id INT PRIMARY KEY) ENGINE = MyISAM;"
                             "DROP USER IF EXISTS reader@localhost;"
                             "CREATE USER reader@localhost;"
                             "GRANT SELECT ON " +
                                 server_database(dir) + ".* TO reader@localhost;");
  CHECK_NOTHROW(store->require_privilege("kept", "DELETE"));
  const std::string refused =
      error_of([&] { store->require_privilege("old", "DELETE"); }, Exit::operational);
  CHECK(refused.find("MyISAM") != std::string::npos);
  CHECK_NOTHROW(store->require_privilege("old", "SELECT"));
  std::string url = test::mariadb().url(server_database(dir));
  url.replace(url.find("root@"), 5, "reader@");
  auto reader = open_store(url, StoreOptions{OpenMode::read_write});
  CHECK_NOTHROW(reader->require_privilege("kept", "SELECT"));
  try {
    reader->require_privilege("kept", "UPDATE");
    FAIL("UPDATE was allowed");
  } catch (const StoreError& e) {
    CHECK(e.failure() == StoreFailure::permission);
    CHECK(std::string(e.what()).find("'kept' (no UPDATE privilege)") != std::string::npos);
  }
}

TEST_CASE("mariadb: expired RANGE partitions are listed and dropped when the transaction commits") {
  test::TempDir dir;
  auto store = mariadb_store(
      dir,
      "CREATE TABLE calls (id INT NOT NULL, day DATE NOT NULL, PRIMARY KEY (id, day)) "
      "PARTITION BY RANGE COLUMNS(day) (PARTITION p2025 VALUES LESS THAN ('2026-01-01'), "
      "PARTITION p2026 VALUES LESS THAN ('2027-01-01'), PARTITION pmax VALUES LESS THAN "
      "(MAXVALUE));"
      "INSERT INTO calls VALUES (1, '2025-03-01'), (2, '2026-03-01'), (3, '2030-01-01');");
  const std::vector<DbPartition> parts = store->partitions("calls");
  REQUIRE(parts.size() == 2);  // never the MAXVALUE partition
  CHECK(parts[0].name == "p2025");
  CHECK(count(*store, "SELECT count(*) FROM " + parts[0].quoted) == 1);
  store->begin_write();
  store->lock_partition(parts[0]);
  store->drop_partition(parts[0]);
  store->rollback();
  CHECK(store->partitions("calls").size() == 2);  // rolled back: nothing dropped
  store->begin_write();
  store->lock_partition(parts[0]);
  store->drop_partition(parts[0]);
  CHECK(store->partitions("calls").size() == 2);  // not before the commit
  store->commit();
  CHECK(store->partitions("calls").size() == 1);
  CHECK(count(*store, "SELECT count(*) FROM calls") == 2);
}

TEST_CASE("mariadb: locations with a password or an unknown setting are refused") {
  CHECK(error_of([] { open_store("mariadb://root:secret@localhost/x", {}); }).find("secret") ==
        std::string::npos);
  CHECK(error_of([] {
          open_store("mysql://root@localhost/x?password=secret", {});
        }).find("MYSQL_PWD") != std::string::npos);
  CHECK(error_of([] {
          open_store("mariadb://root@localhost/x?frobnicate=1", {});
        }).find("unknown setting 'frobnicate'") != std::string::npos);
  const std::string url = test::mariadb().url("nowhere");
  try {
    open_store(url, {});
    FAIL("a database that does not exist was opened");
  } catch (const StoreError& e) {
    CHECK(std::string(e.what()).find("nowhere") != std::string::npos);
  }
}
