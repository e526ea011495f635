#include "server_process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace telcomply::test {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto kStartLimit = 30s;
constexpr auto kStopLimit = 30s;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

[[noreturn]] void fail_errno(const std::string& what) { fail(what + ": " + std::strerror(errno)); }

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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

bool has_prefix(std::string_view text, const std::vector<std::string>& prefixes) {
  for (const auto& prefix : prefixes)
    if (text.substr(0, prefix.size()) == prefix) return true;
  return false;
}

}  // namespace

std::string tail(const std::string& text, int lines) {
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

void require_plain_name(const std::string& name, std::size_t longest) {
  const bool valid =
      !name.empty() && name.size() <= longest &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos &&
      !(name[0] >= '0' && name[0] <= '9');
  if (!valid)
    throw std::invalid_argument("database name '" + name +
                                "': expected lowercase letters, digits and _");
}

bool process_gone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return true;
  const auto state = line.rfind(") ");
  return state != std::string::npos && line.compare(state + 2, 1, "Z") == 0;
}

bool process_gone_within(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!process_gone(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

StartedServer start_in_killed_process(const std::function<StartedServer()>& start) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) fail_errno("cannot make a pipe");
  const pid_t child = ::fork();
  if (child < 0) fail_errno("cannot fork");
  if (child == 0) {
    ::close(pipe_fds[0]);
    try {
      const StartedServer server = start();
      const std::string said = server.directory.string() + "\n" + std::to_string(server.pid) + "\n";
      if (::write(pipe_fds[1], said.data(), said.size()) < 0) ::_exit(1);
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
  if (newline == std::string::npos || std::count(said.begin(), said.end(), '\n') != 2)
    fail("the process that was to start a server ended first");
  return {said.substr(0, newline), std::stoi(said.substr(newline + 1))};
}

ServerProcess::ServerProcess(ServerSetup setup) : setup_(std::move(setup)), owner_(::getpid()) {
  // Servers refuse root, or should not run as it: as root they run as the user of Debian's
  // package.
  switch_user_ = ::geteuid() == 0;
  if (switch_user_) {
    const passwd* user = ::getpwnam(setup_.user.c_str());
    if (!user)
      fail("there is no `" + setup_.user + "` user to run the " + setup_.name + " server as");
    uid_ = user->pw_uid;
    gid_ = user->pw_gid;
  }
  // The environment of every command, without the caller's variables that would send a client
  // elsewhere or change the server.
  for (char** e = environ; *e; ++e)
    if (!has_prefix(*e, setup_.env_dropped)) env_.emplace_back(*e);
  env_.insert(env_.end(), setup_.env_added.begin(), setup_.env_added.end());

  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      (fs::path(tmp && *tmp ? tmp : "/tmp") / (setup_.folder_prefix + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data()))
    fail_errno("cannot create a folder for " + setup_.name + ": " + pattern);
  dir_ = pattern;
  try {
    const std::string path = socket().string();
    if (path.size() >= sizeof(sockaddr_un::sun_path))
      fail("cannot start " + setup_.name + ": the socket path " + path + " is too long ($TMPDIR)");
    if (switch_user_ && ::chown(dir_.c_str(), uid_, gid_) != 0)
      fail_errno("cannot give " + dir_.string() + " to the " + setup_.user + " user");
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    throw;
  }
}

ServerProcess::~ServerProcess() {
  if (::getpid() != owner_) return;
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

ServerProcess::Result ServerProcess::run(const std::vector<std::string>& args,
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

pid_t ServerProcess::spawn(std::vector<std::string> args, int in, int out, int err, bool as_server,
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
    say("cannot switch to the server's user\n");
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

void ServerProcess::start(std::vector<std::string> args, const std::function<bool()>& ready) {
  {
    const Fd none("/dev/null", O_RDONLY);
    const Fd log(dir_ / "server.log", O_WRONLY | O_CREAT | O_APPEND);
    // The server may open its log itself (MariaDB's --log-error).
    if (switch_user_ && ::fchown(log.get(), uid_, gid_) != 0)
      fail_errno("cannot give server.log to the " + setup_.user + " user");
    pid_ = spawn(std::move(args), none.get(), log.get(), log.get(), true, setup_.death_signal);
  }
  const auto deadline = std::chrono::steady_clock::now() + kStartLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (wait_for(pid_, 0ms)) {
      pid_ = -1;
      fail("the " + setup_.name + " server in " + dir_.string() + " exited while starting:\n" +
           log_tail());
    }
    if (ready()) return;
    std::this_thread::sleep_for(50ms);
  }
  const std::string log = log_tail();
  stop();
  fail("the " + setup_.name + " server in " + dir_.string() + " is not ready after 30 s:\n" + log);
}

void ServerProcess::stop() noexcept {
  if (pid_ <= 0) return;
  ::kill(pid_, setup_.stop_signal);
  if (!wait_for(pid_, kStopLimit)) {
    ::kill(pid_, SIGKILL);
    wait_for(pid_, kStopLimit);
  }
  pid_ = -1;
}

std::string ServerProcess::log_tail() const { return tail(read_all(dir_ / "server.log")); }

}  // namespace telcomply::test
