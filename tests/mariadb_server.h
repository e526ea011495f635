// A throw-away MariaDB server for the tests: Debian's server binaries, a temporary folder, a
// Unix socket in that folder only (no TCP), stopped and removed at the end, also when a test
// fails (server_process.h). The tests drive it with the server's own `mariadb` client.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "server_process.h"

namespace telcomply::test {

// One server: `mariadb-install-db` into a new folder under $TMPDIR (or /tmp) and `mariadbd`
// started as a child process, InnoDB with utf8mb4 and its log flushed once a second, no binary
// log. When the tests run as root the folder belongs to the `mysql` user and the server runs as
// it; otherwise it runs as the tests' own user. It is killed when the thread that started it
// dies, so even a killed test process leaves no server behind. The MariaDB user `root` has no
// password. Every failure throws std::runtime_error saying what failed, with the tail of the
// server's log where it helps. Not thread-safe: one thread uses it at a time.
class MariadbServer {
 public:
  // Finds mariadbd and its tools, runs mariadb-install-db (no test database) and starts the
  // server; returns once it accepts connections (30 s at most).
  MariadbServer();
  // Stops the server (SIGTERM, a clean shutdown; SIGKILL after 30 s) and removes the folder.
  // Does nothing in a child process forked after the start: the server belongs to the process
  // that started it.
  ~MariadbServer() = default;
  MariadbServer(const MariadbServer&) = delete;
  MariadbServer& operator=(const MariadbServer&) = delete;

  // Creates database `name` (lowercase letters, digits and _, at most 64) with CHARACTER SET
  // utf8mb4 COLLATE utf8mb4_unicode_ci, dropping one of that name first (and cutting the
  // connections that use it), and loads `sql` into it with the client (through its standard
  // input, stopping at the first error). Returns its url().
  std::string create_database(const std::string& name, const std::string& sql);
  // `mariadb://root@localhost/NAME?socket=SOCKET`, the socket's path percent-encoded.
  std::string url(const std::string& name) const;
  // Runs `sql` in database `db` (none when empty) with the client and returns its output in
  // batch mode without column names (`mariadb --batch --skip-column-names`: one line a row,
  // columns separated by tabs, NULL written NULL, tabs, newlines and backslashes escaped);
  // throws when the client fails.
  std::string sql(const std::string& db, const std::string& sql);
  // Stops the server and starts it again on the same data, as an operator's restart: open
  // connections are cut.
  void restart();
  // The folder holding the socket (mysqld.sock), the data, mysqld.pid and server.log.
  const std::filesystem::path& directory() const { return process_.directory(); }

 private:
  // The client on `db` (none when empty) with `options`, `sql` on its standard input; throws
  // when it fails and `must_succeed`.
  std::string run_client(const std::string& db, const std::vector<std::string>& options,
                         const std::string& sql, bool must_succeed = true);
  void start();

  std::filesystem::path server_, install_db_, client_, admin_;
  ServerProcess process_;
};

// The server of this test process, started on first use and stopped when the process exits.
MariadbServer& mariadb();

}  // namespace telcomply::test
