// The throw-away PostgreSQL cluster the tests of the PostgreSQL backend run against.
#include "postgres_server.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "server_checks.h"

namespace telcomply {
namespace {

namespace fs = std::filesystem;

// The server's process id, from the first line of its postmaster.pid.
pid_t server_pid(const test::PostgresServer& server) {
  std::ifstream in(server.directory() / "data/postmaster.pid");
  pid_t pid = -1;
  in >> pid;
  return pid;
}

TEST_CASE("postgres server: a database loaded with psql, queried, and kept over a restart") {
  test::PostgresServer& server = test::postgres();
  const fs::path dir = server.directory();
  CHECK(fs::is_socket(dir / ".s.PGSQL.5432"));
  const std::string url =
      server.create_database("harness",
                             "CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL);\n"
                             "INSERT INTO t VALUES (1, 'één'), (2, 'two|three');\n");
  CHECK(url == server.url("harness"));
  CHECK(url.rfind("postgresql://postgres@/harness?host=%2F", 0) == 0);
  CHECK(url.find('/', url.find("host=")) == std::string::npos);
  CHECK(server.psql("harness", "SELECT id, name FROM t ORDER BY id") == "1|één\n2|two|three\n");
  // The socket in the folder is the only way in, and the server is not root.
  CHECK(server.psql("postgres", "SHOW listen_addresses") == "\n");
  struct stat data {};
  REQUIRE(::stat((dir / "data").c_str(), &data) == 0);
  CHECK(data.st_uid != 0);

  const pid_t before = server_pid(server);
  server.psql("harness", "INSERT INTO t VALUES (3, 'written before the restart')");
  server.restart();
  CHECK(server_pid(server) != before);
  CHECK(test::process_gone(before));
  CHECK(server.psql("harness", "SELECT count(*), max(name) FROM t WHERE id > 1") ==
        "2|written before the restart\n");

  // Creating it again replaces it.
  server.create_database("harness", "CREATE TABLE u (x integer);");
  CHECK(server.psql("harness",
                    "SELECT string_agg(tablename, ',') FROM pg_tables "
                    "WHERE schemaname = 'public'") == "u\n");
}

TEST_CASE("postgres server: a failing statement throws with what psql said") {
  test::PostgresServer& server = test::postgres();
  CHECK_THROWS_WITH_AS(server.psql("postgres", "SELECT * FROM no_such_table"),
                       doctest::Contains("relation \"no_such_table\" does not exist"),
                       std::runtime_error);
  // Loading stops at the first error.
  CHECK_THROWS_WITH_AS(server.create_database(
                           "broken", "CREATE TABLE a (x int);\nSELEC 1;\nCREATE TABLE b (x int);"),
                       doctest::Contains("syntax error"), std::runtime_error);
  CHECK(server.psql("broken",
                    "SELECT string_agg(tablename, ',') FROM pg_tables "
                    "WHERE schemaname = 'public'") == "a\n");
  CHECK_THROWS_AS(server.create_database("Bad name", ""), std::invalid_argument);
  CHECK_THROWS_AS(server.create_database("x; DROP DATABASE postgres", ""), std::invalid_argument);
}

TEST_CASE("postgres server: stopped and its folder removed with the object") {
  test::check_stopped_with_object<test::PostgresServer>(
      server_pid,
      [](test::PostgresServer& server) { CHECK(server.psql("postgres", "SELECT 1") == "1\n"); });
}

TEST_CASE("postgres server: quits when the process that started it is killed") {
  test::check_quits_with_its_process<test::PostgresServer>(server_pid);
}

}  // namespace
}  // namespace telcomply
