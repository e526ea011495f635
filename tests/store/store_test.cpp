#include "store/sqlite/legacy.h"

#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

TEST_CASE("read_schema sees columns, constraints and foreign keys") {
  test::TempDir dir;
  const auto path = dir / "s.db";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, email TEXT);"
        "CREATE TABLE subs (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),"
        " phone TEXT DEFAULT 'x');"
        "CREATE UNIQUE INDEX subs_phone ON subs(phone);");
  }
  SQLite::Database db = open_database(path, OpenMode::read_only);
  const DbSchema schema = read_schema(db);
  REQUIRE(schema.tables.size() == 2);
  const DbTable* customers = schema.find("customers");
  REQUIRE(customers);
  CHECK(customers->find("id")->primary_key);
  CHECK(customers->find("number")->not_null);
  CHECK(customers->find("number")->unique);
  CHECK_FALSE(customers->find("email")->unique);
  const DbTable* subs = schema.find("subs");
  CHECK(subs->find("phone")->unique);
  CHECK(subs->find("phone")->default_value == "'x'");
  REQUIRE(subs->foreign_keys.size() == 1);
  CHECK(subs->foreign_keys[0].parent_table == "customers");
  CHECK_FALSE(schema.find("nope"));
}

TEST_CASE("quote_identifier doubles quotes") {
  CHECK(quote_identifier("calls") == "\"calls\"");
  CHECK(quote_identifier("a\"; DROP TABLE x; --") == "\"a\"\"; DROP TABLE x; --\"");
}

TEST_CASE("missing, directory and non-database files fail with the right status") {
  test::TempDir dir;
  CHECK(error_of([&] { open_database(dir / "absent.db", OpenMode::read_only); })
            .find("no such file") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "absent.db"));
  CHECK(error_of([&] { open_database(dir.path(), OpenMode::read_only); }).find("is a directory") !=
        std::string::npos);
  const auto junk = dir.write("junk.db", std::string(4096, 'x'));
  CHECK(error_of([&] { open_database(junk, OpenMode::read_only); }, Exit::operational)
            .find("corrupt or not a database") != std::string::npos);
}

TEST_CASE("a read-only open first rolls back a hot journal left by a killed writer") {
  test::TempDir dir;
  const auto path = dir / "hot.db";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x TEXT);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
            " INSERT INTO t SELECT 'committed' FROM n;");
  }
  // A writer dies mid-transaction after its cache spilled into the file: a hot journal.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA cache_size = 2; BEGIN; UPDATE t SET x = 'uncommitted';");
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(std::filesystem::exists(dir / "hot.db-journal"));
  SQLite::Database db = open_database(path, OpenMode::read_only);
  CHECK(db.execAndGet("SELECT count(*) FROM t WHERE x = 'committed'").getInt() == 20000);
}
