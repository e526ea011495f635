#include "postgres_server.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace telcomply::test {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kPort = "5432";
constexpr auto kCommandLimit = 120s;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

// The newest installed server: /usr/lib/postgresql/<version>/bin holding `postgres`.
fs::path find_bin() {
  std::optional<fs::path> best;
  double best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = entry.path().filename().string();
    char* end = nullptr;
    const double version = std::strtod(name.c_str(), &end);
    if (end == name.c_str() || *end != '\0') continue;
    if (version > best_version && ::access((entry.path() / "bin/postgres").c_str(), X_OK) == 0) {
      best_version = version;
      best = entry.path() / "bin";
    }
  }
  if (!best)
    fail(
        "PostgreSQL is not installed: no /usr/lib/postgresql/<version>/bin/postgres "
        "(scripts/install-deps installs it)");
  return *best;
}

}  // namespace

PostgresServer::PostgresServer()
    : bin_(find_bin()),
      process_({.name = "PostgreSQL",
                .folder_prefix = "telcomply-pg",
                .user = "postgres",
                .socket = std::string(".s.PGSQL.") + kPort,
                // PGPORT, PGHOST, PGOPTIONS, ... would send psql elsewhere or change the server
                .env_dropped = {"PG"},
                .env_added = {"PGCLIENTENCODING=UTF8"},
                .stop_signal = SIGINT,  // fast shutdown: cuts the connections, writes a checkpoint
                .death_signal = SIGQUIT}) {
  const fs::path& dir = process_.directory();
  const ServerProcess::Result init =
      process_.run({(bin_ / "initdb").string(), "-D", (dir / "data").string(), "-A", "trust", "-U",
                    "postgres", "-E", "UTF8", "--locale=C", "--no-sync"},
                   "", true, kCommandLimit);
  if (init.status != 0) fail("initdb failed:\n" + tail(init.out + init.err));
  start();
}

void PostgresServer::start() {
  const std::string dir = process_.directory().string();
  process_.start({(bin_ / "postgres").string(), "-D", dir + "/data", "-k", dir, "-p", kPort, "-c",
                  "listen_addresses=", "-c", "fsync=off", "-c", "full_page_writes=off", "-c",
                  "synchronous_commit=off"},
                 [&] {
                   return fs::exists(process_.socket()) &&
                          process_.run({(bin_ / "pg_isready").string(), "-q", "-h", dir, "-p",
                                        kPort, "-U", "postgres", "-d", "postgres"},
                                       "", false, 30s)
                                  .status == 0;
                 });
}

void PostgresServer::restart() {
  process_.stop();
  start();
}

std::string PostgresServer::url(const std::string& name) const {
  return "postgresql://postgres@/" + name + "?host=" + percent_encoded(directory().string());
}

std::string PostgresServer::run_psql(const std::string& db, std::vector<std::string> options,
                                     const std::string& sql) {
  std::vector<std::string> args{(bin_ / "psql").string(),
                                "-X",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "-h",
                                directory().string(),
                                "-p",
                                kPort,
                                "-U",
                                "postgres",
                                "-d",
                                db};
  args.insert(args.end(), options.begin(), options.end());
  ServerProcess::Result result = process_.run(args, sql, false, kCommandLimit);
  if (result.status != 0)
    fail("psql on database " + db + " failed (exit " + std::to_string(result.status) + "):\n" +
         tail(result.err));
  return std::move(result.out);
}

std::string PostgresServer::psql(const std::string& db, const std::string& sql) {
  return run_psql(db, {"-Atq"}, sql);
}

std::string PostgresServer::create_database(const std::string& name, const std::string& sql) {
  require_plain_name(name, 63);
  run_psql("postgres",
           {"-q", "-c", "SET client_min_messages = warning", "-c",
            "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "-c", "CREATE DATABASE " + name},
           "");
  run_psql(name, {"-q"}, sql);
  return url(name);
}

PostgresServer& postgres() {
  static PostgresServer server;
  return server;
}

}  // namespace telcomply::test
