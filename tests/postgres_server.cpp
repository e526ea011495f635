#include "postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

extern char** environ;

namespace telcomply::test {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kPort = "5432";
constexpr auto kStartLimit = 30s;
constexpr auto kStopLimit = 30s;
constexpr auto kCommandLimit = 120s;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

[[noreturn]] void fail_errno(const std::string& what) { fail(what + ": " + std::strerror(errno)); }

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

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last `lines` lines of `text`.
std::string tail(const std::string& text, int lines = 20) {
  std::size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') --at;
  for (int i = 0; i < lines; ++i) {
    if (at == 0) return text;
    const std::size_t newline = text.rfind('\n', at - 1);
    if (newline == std::string::npos) return text;
    at = newline;
  }
  return text.substr(at + 1);
}

std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("-._~").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A file descriptor that closes itself.
class Fd {
 public:
  Fd(const fs::path& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC, 0600)) {
    if (fd_ < 0) fail_errno("cannot open " + path.string());
  }
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// Writes `text` to standard error: in a forked child only async-signal-safe calls are made.
void say(const char* text) {
  const ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  static_cast<void>(ignored);
}

// Waits for `pid` to end, `limit` at most; its wait status, or nothing when it still runs.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return 0;  // not our child any more: nothing to wait for
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

PostgresServer::PostgresServer() : bin_(find_bin()), owner_(::getpid()) {
  // The server refuses root: as root it runs as the `postgres` user of Debian's package.
  switch_user_ = ::geteuid() == 0;
  if (switch_user_) {
    const passwd* user = ::getpwnam("postgres");
    if (!user) fail("there is no `postgres` user to run the PostgreSQL server as");
    uid_ = user->pw_uid;
    gid_ = user->pw_gid;
  }
  // The environment of every command, without the PG* variables of the caller (PGPORT,
  // PGHOST, PGOPTIONS, ...) that would send psql elsewhere or change the server.
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).substr(0, 2) != "PG") env_.emplace_back(*e);
  env_.emplace_back("PGCLIENTENCODING=UTF8");

  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / "telcomply-pg-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) fail_errno("cannot create a folder for PostgreSQL: " + pattern);
  dir_ = pattern;
  try {
    const std::string socket = (dir_ / ".s.PGSQL.").string() + kPort;
    if (socket.size() >= sizeof(sockaddr_un::sun_path))
      fail("cannot start PostgreSQL: the socket path " + socket + " is too long ($TMPDIR)");
    if (switch_user_ && ::chown(dir_.c_str(), uid_, gid_) != 0)
      fail_errno("cannot give " + dir_.string() + " to the postgres user");
    const Result init = run({(bin_ / "initdb").string(), "-D", (dir_ / "data").string(), "-A",
                             "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"},
                            "", true, kCommandLimit);
    if (init.status != 0) fail("initdb failed:\n" + tail(init.out + init.err));
    start();
  } catch (...) {
    stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

PostgresServer::~PostgresServer() {
  if (::getpid() != owner_) return;
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

PostgresServer::Result PostgresServer::run(const std::vector<std::string>& args,
                                           const std::string& input, bool as_server,
                                           std::chrono::seconds limit) {
  const fs::path in_path = dir_ / "command.in";
  const fs::path out_path = dir_ / "command.out";
  const fs::path err_path = dir_ / "command.err";
  std::ofstream(in_path, std::ios::binary | std::ios::trunc) << input;
  const Fd in(in_path, O_RDONLY);
  const Fd out(out_path, O_WRONLY | O_CREAT | O_TRUNC);
  const Fd err(err_path, O_WRONLY | O_CREAT | O_TRUNC);
  const pid_t child = spawn(args, in.get(), out.get(), err.get(), as_server, SIGKILL);
  const std::optional<int> status = wait_for(child, limit);
  if (!status) {
    ::kill(child, SIGKILL);
    wait_for(child, kStopLimit);
    fail(args[0] + " did not finish within " + std::to_string(limit.count()) + " s");
  }
  Result result;
  result.status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  result.out = read_all(out_path);
  result.err = read_all(err_path);
  return result;
}

pid_t PostgresServer::spawn(std::vector<std::string> args, int in, int out, int err, bool as_server,
                            int death_signal) {
  // Everything the child needs is made before fork(): after it, only async-signal-safe calls.
  std::vector<char*> argv = pointers(args);
  std::vector<std::string> env = env_;
  std::vector<char*> envp = pointers(env);
  const std::string dir = dir_.string();
  const bool switch_user = as_server && switch_user_;
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) fail_errno("cannot fork to run " + args[0]);
  if (child > 0) return child;

  if (::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
      ::dup2(err, STDERR_FILENO) < 0)
    ::_exit(127);
  if (switch_user && (::setgroups(1, &gid_) != 0 || ::setgid(gid_) != 0 || ::setuid(uid_) != 0)) {
    say("cannot switch to the postgres user\n");
    ::_exit(127);
  }
  // After setuid(), which clears the parent-death signal.
  if (::prctl(PR_SET_PDEATHSIG, death_signal) != 0 || ::getppid() != parent) ::_exit(127);
  if (::chdir(dir.c_str()) != 0) ::_exit(127);
  ::execve(argv[0], argv.data(), envp.data());
  say("cannot run ");
  say(argv[0]);
  say("\n");
  ::_exit(127);
}

void PostgresServer::start() {
  {
    const Fd none("/dev/null", O_RDONLY);
    const Fd log(dir_ / "server.log", O_WRONLY | O_CREAT | O_APPEND);
    pid_ = spawn({(bin_ / "postgres").string(), "-D", (dir_ / "data").string(), "-k", dir_.string(),
                  "-p", kPort, "-c", "listen_addresses=", "-c", "fsync=off", "-c",
                  "full_page_writes=off", "-c", "synchronous_commit=off"},
                 none.get(), log.get(), log.get(), true, SIGQUIT);
  }
  const fs::path socket = dir_ / (std::string(".s.PGSQL.") + kPort);
  const auto deadline = std::chrono::steady_clock::now() + kStartLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (wait_for(pid_, 0ms)) {
      pid_ = -1;
      fail("the PostgreSQL server in " + dir_.string() + " exited while starting:\n" + log_tail());
    }
    if (fs::exists(socket) && run({(bin_ / "pg_isready").string(), "-q", "-h", dir_.string(), "-p",
                                   kPort, "-U", "postgres", "-d", "postgres"},
                                  "", false, kStartLimit)
                                      .status == 0)
      return;
    std::this_thread::sleep_for(50ms);
  }
  const std::string log = log_tail();
  stop();
  fail("the PostgreSQL server in " + dir_.string() + " is not ready after 30 s:\n" + log);
}

void PostgresServer::stop() noexcept {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGINT);  // fast shutdown: cuts the connections, writes a checkpoint
  if (!wait_for(pid_, kStopLimit)) {
    ::kill(pid_, SIGKILL);
    wait_for(pid_, kStopLimit);
  }
  pid_ = -1;
}

void PostgresServer::restart() {
  stop();
  start();
}

std::string PostgresServer::log_tail() const { return tail(read_all(dir_ / "server.log")); }

std::string PostgresServer::url(const std::string& name) const {
  return "postgresql://postgres@/" + name + "?host=" + percent_encoded(dir_.string());
}

std::string PostgresServer::run_psql(const std::string& db, std::vector<std::string> options,
                                     const std::string& sql) {
  std::vector<std::string> args{(bin_ / "psql").string(),
                                "-X",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "-h",
                                dir_.string(),
                                "-p",
                                kPort,
                                "-U",
                                "postgres",
                                "-d",
                                db};
  args.insert(args.end(), options.begin(), options.end());
  Result result = run(args, sql, false, kCommandLimit);
  if (result.status != 0)
    fail("psql on database " + db + " failed (exit " + std::to_string(result.status) + "):\n" +
         tail(result.err));
  return std::move(result.out);
}

std::string PostgresServer::psql(const std::string& db, const std::string& sql) {
  return run_psql(db, {"-Atq"}, sql);
}

std::string PostgresServer::create_database(const std::string& name, const std::string& sql) {
  const bool valid =
      !name.empty() && name.size() <= 63 &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos &&
      !(name[0] >= '0' && name[0] <= '9');
  if (!valid)
    throw std::invalid_argument("database name '" + name +
                                "': expected lowercase letters, digits and _");
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
