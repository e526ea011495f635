// A throw-away PostgreSQL cluster for the tests: Debian's server binaries, a temporary folder,
// a Unix socket in that folder only (no TCP), stopped and removed at the end, also when a test
// fails (server_process.h). The tests drive it with the server's own psql.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "server_process.h"

namespace telcomply::test {

// One cluster: `initdb` into a new folder under $TMPDIR (or /tmp) and `postgres` started as a
// child process in the foreground, with fsync off. The server refuses to run as root, so when
// the tests run as root the folder belongs to the `postgres` user and the server runs as it;
// otherwise it runs as the tests' own user. It quits (SIGQUIT) when the thread that started it
// dies, so even a killed test process leaves no server behind. Every failure throws
// std::runtime_error saying what failed, with the tail of the server's log where it helps.
// Not thread-safe: one thread uses it at a time.
class PostgresServer {
 public:
  // Finds the newest installed /usr/lib/postgresql/<version>/bin, runs initdb (trust
  // authentication, superuser `postgres`, UTF8, locale C) and starts the server; returns once
  // it accepts connections (30 s at most).
  PostgresServer();
  // Stops the server (fast shutdown, SIGKILL after 30 s) and removes the folder. Does nothing
  // in a child process forked after the start: the server belongs to the process that started
  // it.
  ~PostgresServer() = default;
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Creates database `name` (lowercase letters, digits and _, at most 63), dropping one of
  // that name first, and loads `sql` into it with psql (through its standard input, stopping
  // at the first error). Returns its url().
  std::string create_database(const std::string& name, const std::string& sql);
  // `postgresql://postgres@/NAME?host=FOLDER`, the folder percent-encoded.
  std::string url(const std::string& name) const;
  // Runs `sql` in database `db` with psql and returns its unaligned, tuples-only output
  // (`psql -XAtq`: one line a row, columns separated by '|'); throws when psql fails.
  std::string psql(const std::string& db, const std::string& sql);
  // Stops the server and starts it again on the same data, as an operator's restart: open
  // connections are cut.
  void restart();
  // The folder holding the socket (the `host` of the URLs), the data and server.log.
  const std::filesystem::path& directory() const { return process_.directory(); }

 private:
  // psql on `db` with `options`, `sql` on its standard input; throws when it fails.
  std::string run_psql(const std::string& db, std::vector<std::string> options,
                       const std::string& sql);
  void start();

  std::filesystem::path bin_;
  ServerProcess process_;
};

// The server of this test process, started on first use and stopped when the process exits.
PostgresServer& postgres();

}  // namespace telcomply::test
