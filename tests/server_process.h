// What the throw-away database servers of the tests (postgres_server.h, mariadb_server.h) share:
// a new folder under $TMPDIR (or /tmp) that belongs to the server's user, commands run with a
// time limit and their output kept, the server itself a child process that gets a signal when
// the thread that started it ends, stopped with a signal (SIGKILL after 30 s), and the folder
// removed at the end, also when a test fails. Only POSIX and the standard library.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace telcomply::test {

// What differs from one server to the next.
struct ServerSetup {
  std::string name;           // in messages: "PostgreSQL"
  std::string folder_prefix;  // the folder's name under $TMPDIR, before a random suffix
  std::string user;           // the system user the server runs as when the tests run as root
  std::string socket;         // the socket's file name in the folder (its path is checked)
  std::vector<std::string> env_dropped;  // no command gets a variable named with these prefixes
  std::vector<std::string> env_added;    // every command gets these NAME=VALUE
  int stop_signal = 0;                   // asks the server to shut down
  int death_signal = 0;                  // what the server gets when its starter thread ends
};

// One server's folder and process. Not thread-safe: one thread uses it at a time.
class ServerProcess {
 public:
  struct Result {
    int status = -1;  // the exit status, or -1 when killed by a signal
    std::string out, err;
  };

  // Creates the folder (mode 0700) and, when the tests run as root, gives it to `setup.user`;
  // throws std::runtime_error when that user is missing or the socket path would be too long.
  explicit ServerProcess(ServerSetup setup);
  // Stops the server and removes the folder. Does nothing in a child process forked after the
  // start: the server belongs to the process that started it.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::filesystem::path& directory() const { return dir_; }
  std::filesystem::path socket() const { return dir_ / setup_.socket; }
  // The server runs as setup.user, not as the tests' own user (who is root).
  bool switches_user() const { return switch_user_; }

  // Runs `args` (args[0] a path) in the folder with `input` on its standard input, as the
  // server's user when `as_server`, killing it after `limit`.
  Result run(const std::vector<std::string>& args, const std::string& input, bool as_server,
             std::chrono::seconds limit);
  // Starts the server `args` as its user, its output appended to server.log in the folder
  // (which the server's user owns), and returns once `ready()` says it accepts connections;
  // throws with the log's tail when the server exits first or is not ready after 30 s.
  void start(std::vector<std::string> args, const std::function<bool()>& ready);
  // Sends the stop signal and waits for the server to exit (SIGKILL after 30 s).
  void stop() noexcept;
  // The last lines of server.log.
  std::string log_tail() const;

 private:
  pid_t spawn(std::vector<std::string> args, int in, int out, int err, bool as_server,
              int death_signal);

  ServerSetup setup_;
  std::filesystem::path dir_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool switch_user_ = false;
  pid_t owner_ = -1;
  pid_t pid_ = -1;
  std::vector<std::string> env_;
};

// The last `lines` lines of `text`.
std::string tail(const std::string& text, int lines = 20);
// `text` with every byte but letters, digits and -._~ written %XX, for a URL's query.
std::string percent_encoded(std::string_view text);
// Throws std::invalid_argument unless `name` is a plain database name: lowercase letters,
// digits and _, not starting with a digit, at most `longest` characters.
void require_plain_name(const std::string& name, std::size_t longest);

// For the tests of the servers themselves.
// The process is gone, or a zombie nobody has reaped yet.
bool process_gone(pid_t pid);
// process_gone() within `limit`.
bool process_gone_within(pid_t pid, std::chrono::seconds limit);
// A server's folder and process id.
struct StartedServer {
  std::filesystem::path directory;
  pid_t pid = -1;
};
// Runs `start` in a forked child process that keeps the server it starts, kills that child
// (SIGKILL) as soon as the server is up, and returns what `start` said; throws when the child
// did not get that far.
StartedServer start_in_killed_process(const std::function<StartedServer()>& start);

}  // namespace telcomply::test
