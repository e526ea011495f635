#include "mariadb_server.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace telcomply::test {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto kCommandLimit = 120s;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

// `name` in $PATH or, as Debian's mariadbd is in /usr/sbin, the system's program folders.
fs::path find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string folders = path ? path : "";
  folders += ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  std::istringstream in(folders);
  for (std::string folder; std::getline(in, folder, ':');) {
    if (folder.empty()) continue;
    const fs::path candidate = fs::path(folder) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  fail("MariaDB is not installed: no " + name + " (scripts/install-deps installs it)");
}

}  // namespace

MariadbServer::MariadbServer()
    : server_(find_program("mariadbd")),
      install_db_(find_program("mariadb-install-db")),
      client_(find_program("mariadb")),
      admin_(find_program("mariadb-admin")),
      process_({.name = "MariaDB",
                .folder_prefix = "telcomply-md",
                .user = "mysql",
                .socket = "mysqld.sock",
                // MYSQL_HOST, MYSQL_PWD, MYSQL_UNIX_PORT, ... would send the client elsewhere
                .env_dropped = {"MYSQL", "MARIADB"},
                .env_added = {},
                .stop_signal = SIGTERM,  // a clean shutdown
                .death_signal = SIGKILL}) {
  // As root, mariadb-install-db gives the data folder to the server's user itself.
  std::vector<std::string> args{
      install_db_.string(), "--no-defaults", "--datadir=" + (directory() / "data").string(),
      "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
      // its temporary tables in the folder, not in a shared /tmp
      "--tmpdir=" + directory().string(), "--innodb-log-file-size=16M"};
  if (process_.switches_user()) args.insert(args.begin() + 2, "--user=mysql");
  const ServerProcess::Result init = process_.run(args, "", false, kCommandLimit);
  if (init.status != 0) fail("mariadb-install-db failed:\n" + tail(init.out + init.err));
  start();
}

void MariadbServer::start() {
  const std::string dir = directory().string();
  const std::string socket = process_.socket().string();
  std::vector<std::string> args{
      server_.string(), "--no-defaults", "--datadir=" + dir + "/data", "--socket=" + socket,
      "--skip-networking", "--pid-file=" + dir + "/mysqld.pid",
      "--log-error=" + dir + "/server.log", "--tmpdir=" + dir, "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_unicode_ci", "--skip-log-bin",
      // small and fast: the data is thrown away
      "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=16M",
      "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
      "--innodb-buffer-pool-load-at-startup=0", "--innodb-buffer-pool-dump-at-shutdown=0",
      "--skip-sync-frm"};
  // The server is started as the mysql user already (so that it keeps its parent-death
  // signal); --user only says so.
  if (process_.switches_user()) args.insert(args.begin() + 2, "--user=mysql");
  process_.start(std::move(args), [&] {
    return fs::exists(socket) && process_.run({admin_.string(), "--no-defaults", "-S", socket, "-u",
                                               "root", "--connect-timeout=5", "ping"},
                                              "", false, 30s)
                                         .status == 0;
  });
}

void MariadbServer::restart() {
  process_.stop();
  start();
}

std::string MariadbServer::url(const std::string& name) const {
  return "mariadb://root@localhost/" + name +
         "?socket=" + percent_encoded(process_.socket().string());
}

std::string MariadbServer::run_client(const std::string& db,
                                      const std::vector<std::string>& options,
                                      const std::string& sql, bool must_succeed) {
  std::vector<std::string> args{client_.string(),
                                "--no-defaults",
                                "-S",
                                process_.socket().string(),
                                "-u",
                                "root",
                                "--default-character-set=utf8mb4"};
  args.insert(args.end(), options.begin(), options.end());
  if (!db.empty()) args.push_back("--database=" + db);
  ServerProcess::Result result = process_.run(args, sql, false, kCommandLimit);
  if (result.status != 0 && must_succeed)
    fail("mariadb on database " + (db.empty() ? std::string("(none)") : db) + " failed (exit " +
         std::to_string(result.status) + "):\n" + tail(result.err));
  return std::move(result.out);
}

std::string MariadbServer::sql(const std::string& db, const std::string& sql) {
  return run_client(db, {"--batch", "--skip-column-names"}, sql);
}

std::string MariadbServer::create_database(const std::string& name, const std::string& sql) {
  require_plain_name(name, 64);
  // As PostgreSQL's DROP DATABASE ... WITH (FORCE): a connection in a transaction on the
  // database would hold DROP DATABASE up.
  const std::string users =
      this->sql("", "SELECT id FROM information_schema.PROCESSLIST WHERE db = '" + name +
                        "' AND id <> CONNECTION_ID()");
  std::istringstream ids(users);
  std::string kills;
  for (std::string id; std::getline(ids, id);) kills += "KILL CONNECTION " + id + ";\n";
  if (!kills.empty()) run_client("", {"--force"}, kills, false);  // one may have ended by now
  this->sql("", "DROP DATABASE IF EXISTS `" + name + "`;\nCREATE DATABASE `" + name +
                    "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;");
  run_client(name, {}, sql);
  return url(name);
}

MariadbServer& mariadb() {
  static MariadbServer server;
  return server;
}

}  // namespace telcomply::test
