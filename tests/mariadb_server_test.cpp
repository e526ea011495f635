// The throw-away MariaDB server the tests of the MariaDB backend run against.
#include "mariadb_server.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "server_checks.h"

namespace telcomply {
namespace {

namespace fs = std::filesystem;

// The server's process id, from its mysqld.pid.
pid_t server_pid(const test::MariadbServer& server) {
  std::ifstream in(server.directory() / "mysqld.pid");
  pid_t pid = -1;
  in >> pid;
  return pid;
}

std::string tables(test::MariadbServer& server, const std::string& db) {
  return server.sql("",
                    "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) "
                    "FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                        db + "'");
}

TEST_CASE("mariadb server: a database loaded with the client, queried, and kept over a restart") {
  test::MariadbServer& server = test::mariadb();
  const fs::path dir = server.directory();
  CHECK(fs::is_socket(dir / "mysqld.sock"));
  const std::string url =
      server.create_database("harness",
                             "CREATE TABLE t (id INT PRIMARY KEY, name TEXT NOT NULL);\n"
                             "INSERT INTO t VALUES (1, 'één'), (2, 'two|three');\n");
  CHECK(url == server.url("harness"));
  CHECK(url.rfind("mariadb://root@localhost/harness?socket=%2F", 0) == 0);
  CHECK(url.find("mysqld.sock") != std::string::npos);
  CHECK(url.find('/', url.find("socket=")) == std::string::npos);
  CHECK(server.sql("harness", "SELECT id, name FROM t ORDER BY id") == "1\téén\n2\ttwo|three\n");
  CHECK(server.sql("harness", "SELECT NULL, 'a\tb'") == "NULL\ta\\tb\n");
  CHECK(server.sql("",
                   "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                   "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'harness'") ==
        "utf8mb4\tutf8mb4_unicode_ci\n");
  CHECK(server.sql("harness",
                   "SELECT ENGINE FROM information_schema.TABLES "
                   "WHERE TABLE_SCHEMA = 'harness'") == "InnoDB\n");
  // The socket in the folder is the only way in, root has no password, and the server is not
  // root.
  CHECK(server.sql("", "SELECT @@skip_networking, CURRENT_USER()") == "1\troot@localhost\n");
  struct stat data {};
  REQUIRE(::stat((dir / "data").c_str(), &data) == 0);
  CHECK(data.st_uid != 0);
  std::ifstream status("/proc/" + std::to_string(server_pid(server)) + "/status");
  std::string line;
  while (std::getline(status, line) && line.rfind("Uid:", 0) != 0) {
  }
  CHECK(line.rfind("Uid:\t0\t", 0) != 0);

  const pid_t before = server_pid(server);
  server.sql("harness", "INSERT INTO t VALUES (3, 'written before the restart')");
  server.restart();
  CHECK(server_pid(server) != before);
  CHECK(test::process_gone(before));
  CHECK(server.sql("harness", "SELECT COUNT(*), MAX(name) FROM t WHERE id > 1") ==
        "2\twritten before the restart\n");

  // Creating it again replaces it.
  server.create_database("harness", "CREATE TABLE u (x INT);");
  CHECK(tables(server, "harness") == "u\n");
}

TEST_CASE("mariadb server: a database is replaced while a transaction reads it") {
  test::MariadbServer& server = test::mariadb();
  server.create_database("busy", "CREATE TABLE t (x INT); INSERT INTO t VALUES (1);");
  // A client that reads t in a transaction and then sleeps holds a lock that DROP DATABASE
  // waits for.
  const pid_t reader = ::fork();
  REQUIRE(reader >= 0);
  if (reader == 0) {
    const std::string socket = (server.directory() / "mysqld.sock").string();
    ::execlp("mariadb", "mariadb", "--no-defaults", "-S", socket.c_str(), "-u", "root", "busy",
             "-e", "BEGIN; SELECT x FROM t; SELECT SLEEP(600);", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto sleeping = [&] {
    return server.sql("",
                      "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                      "WHERE db = 'busy' AND INFO LIKE 'SELECT SLEEP%'") == "1\n";
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!sleeping() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(sleeping());
  server.create_database("busy", "CREATE TABLE v (x INT);");
  CHECK(tables(server, "busy") == "v\n");
  // The reader's connection was cut: it ends by itself, with an error.
  int status = 0;
  pid_t done = 0;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((done = ::waitpid(reader, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(done == reader);
  if (done == reader) {
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) != 0);
  } else {
    ::kill(reader, SIGKILL);
    ::waitpid(reader, &status, 0);
  }
}

TEST_CASE("mariadb server: a failing statement throws with what the client said") {
  test::MariadbServer& server = test::mariadb();
  CHECK_THROWS_WITH_AS(server.sql("mysql", "SELECT * FROM no_such_table"),
                       doctest::Contains("Table 'mysql.no_such_table' doesn't exist"),
                       std::runtime_error);
  // Loading stops at the first error.
  CHECK_THROWS_WITH_AS(server.create_database(
                           "broken", "CREATE TABLE a (x int);\nSELEC 1;\nCREATE TABLE b (x int);"),
                       doctest::Contains("You have an error in your SQL syntax"),
                       std::runtime_error);
  CHECK(tables(server, "broken") == "a\n");
  CHECK_THROWS_AS(server.create_database("Bad name", ""), std::invalid_argument);
  CHECK_THROWS_AS(server.create_database("x`; DROP DATABASE mysql", ""), std::invalid_argument);
}

TEST_CASE("mariadb server: stopped and its folder removed with the object") {
  test::check_stopped_with_object<test::MariadbServer>(
      server_pid, [](test::MariadbServer& server) { CHECK(server.sql("", "SELECT 1") == "1\n"); });
}

TEST_CASE("mariadb server: quits when the process that started it is killed") {
  test::check_quits_with_its_process<test::MariadbServer>(server_pid);
}

}  // namespace
}  // namespace telcomply
