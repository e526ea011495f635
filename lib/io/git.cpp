// `git show REV:./file`, run without a shell, its output read with a size limit.
#include "io/git.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace telcomply {

namespace {

constexpr std::size_t kMaxBytes = 16u << 20;  // as read_yaml_source
constexpr std::size_t kMaxErrorBytes = 64u << 10;

bool valid_revision(std::string_view rev) {
  if (rev.empty() || rev.size() > 256 || rev.front() == '-') return false;
  return std::all_of(rev.begin(), rev.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("._/~^@{}-").find(c) != std::string_view::npos;
  });
}

// A pipe whose ends close themselves.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fd, O_CLOEXEC) != 0)
      throw_operational(std::string("cannot run git: ") + std::strerror(errno));
  }
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

struct Spawned {
  pid_t pid = -1;
  std::string out, err;
  bool too_large = false;
  int status = 0;
};

Spawned run(const std::vector<std::string>& args) {
  Pipe out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], STDERR_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Spawned result;
  const int rc = posix_spawnp(&result.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw_operational(std::string("cannot run git: ") + std::strerror(rc));
  out.close_end(1);
  err.close_end(1);

  std::array<pollfd, 2> fds{pollfd{out.fd[0], POLLIN, 0}, pollfd{err.fd[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  const std::array<std::size_t, 2> limits{kMaxBytes, kMaxErrorBytes};
  int open = 2;
  char buffer[65536];
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open;
        continue;
      }
      if (sinks[i]->size() + static_cast<std::size_t>(n) > limits[i]) {
        if (i == 0) {
          result.too_large = true;
          ::kill(result.pid, SIGTERM);
          fds[i].fd = -1;
          --open;
        }
        continue;
      }
      sinks[i]->append(buffer, static_cast<std::size_t>(n));
    }
  }
  while (::waitpid(result.pid, &result.status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

// git's first line of complaint, trimmed, without a full stop.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '.' || line.back() == ' ' || line.back() == '\r'))
    line.pop_back();
  std::replace_if(
      line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, '?');
  if (line.size() > 300) line.resize(300);
  return line;
}

}  // namespace

YamlSource read_yaml_at_revision(const std::filesystem::path& file, std::string_view revision) {
  if (!valid_revision(revision))
    throw_invalid("invalid git revision '" + std::string(revision.substr(0, 64)) +
                  "': expected a name such as HEAD~1, main or a commit id");
  const std::string name = file.filename().string();
  if (name.empty() || name == "." || name == "..")
    throw_invalid("cannot read '" + file.string() + "' from git: not a file name");
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  const std::string source_name = std::string(revision) + ":" + file.string();

  Spawned git = run({"git", "--no-pager", "-C", dir.string(), "show", "--no-textconv",
                     std::string(revision) + ":./" + name});
  if (git.too_large)
    throw_invalid("cannot read '" + source_name + "': larger than 16 MiB, not a policy file");
  if (WIFEXITED(git.status) && WEXITSTATUS(git.status) == 127)
    throw_operational("cannot run git: not found");
  if (!WIFEXITED(git.status) || WEXITSTATUS(git.status) != 0) {
    std::string why = first_line(git.err);
    if (why.empty()) why = "git failed";
    throw_invalid("cannot read '" + source_name + "': " + why);
  }
  return YamlSource{source_name, std::move(git.out)};
}

}  // namespace telcomply
