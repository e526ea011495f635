// The throw-away PostgreSQL cluster the tests of the PostgreSQL backend run against.
#include "postgres_server.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

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

// The process is gone, or a zombie nobody has reaped yet.
bool gone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return true;
  const auto state = line.rfind(") ");
  return state != std::string::npos && line.compare(state + 2, 1, "Z") == 0;
}

bool gone_within(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!gone(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
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
  CHECK(gone(before));
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
  fs::path dir;
  pid_t pid = -1;
  {
    test::PostgresServer server;
    dir = server.directory();
    pid = server_pid(server);
    REQUIRE(pid > 0);
    CHECK(server.psql("postgres", "SELECT 1") == "1\n");
  }
  CHECK(gone(pid));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("postgres server: quits when the process that started it is killed") {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    try {
      test::PostgresServer server;
      const std::string dir = server.directory().string() + "\n";
      const std::string pid = std::to_string(server_pid(server)) + "\n";
      if (::write(pipe_fds[1], dir.data(), dir.size()) < 0 ||
          ::write(pipe_fds[1], pid.data(), pid.size()) < 0)
        ::_exit(1);
      ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(pipe_fds[1]);
  std::string said;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
    said.append(buffer, static_cast<std::size_t>(n));
    if (std::count(said.begin(), said.end(), '\n') == 2) break;
  }
  ::close(pipe_fds[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  const auto newline = said.find('\n');
  REQUIRE(newline != std::string::npos);
  const fs::path dir = said.substr(0, newline);
  const pid_t pid = std::stoi(said.substr(newline + 1));
  CHECK(gone_within(pid, std::chrono::seconds(10)));
  std::error_code ec;
  fs::remove_all(dir, ec);  // a killed process cannot remove it
}

}  // namespace
}  // namespace telcomply
