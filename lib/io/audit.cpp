#include "io/audit.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "core/crypto.h"
#include "core/error.h"
#include "core/text.h"

namespace telcomply {

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string audit_operator(const std::string& explicit_operator) {
  if (!explicit_operator.empty()) return explicit_operator;
  // Run through sudo: the person who ran it. SUDO_USER only counts for root, which sudo makes
  // us; any other user could set it to anything.
  if (const char* sudo_user = std::getenv("SUDO_USER"); sudo_user && *sudo_user && ::geteuid() == 0)
    return sudo_user;
  // The login name of the process's owner, from the user database: $USER and $LOGNAME are
  // whatever the caller's environment says.
  const uid_t uid = ::getuid();
  std::string buffer(16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_name && *found->pw_name)
    return found->pw_name;
  return "uid " + std::to_string(uid);
}

nlohmann::json audit_record(std::string_view command, const std::string& explicit_operator) {
  nlohmann::json record;
  record["time"] = utc_timestamp();
  record["command"] = command;
  record["operator"] = audit_operator(explicit_operator);
  return record;
}

namespace {

// Refuses what cannot be an audit log: a symbolic link, anything but a regular file, a file
// of another user.
void check_kind(const std::string& what, const std::filesystem::path& path, const struct stat& st) {
  if (S_ISLNK(st.st_mode))
    throw_invalid(what + " '" + path.string() + "' is a symbolic link; name the file itself");
  if (!S_ISREG(st.st_mode)) throw_invalid(what + " '" + path.string() + "' is not a regular file");
  if (st.st_uid != ::geteuid())
    throw_invalid(what + " '" + path.string() + "' is owned by another user");
}

// pread that retries an interrupted call; throws Error(operational) naming the file `name`
// ("audit log 'x'") on failure.
std::size_t read_at(int fd, char* buf, std::size_t size, off_t at, const std::string& name) {
  while (true) {
    const ssize_t n = ::pread(fd, buf, size, at);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw_operational("cannot read " + name + ": " + std::strerror(errno));
  }
}

// The SHA-256 of the last line of the file `fd` of `size` bytes (without its newline), or
// kAuditGenesis when it is empty. Reads backwards to the line's start, then hashes it in
// pieces: a huge last line costs time, not memory.
std::string last_line_sha256(int fd, off_t size, const std::string& name) {
  if (size == 0) return std::string(kAuditGenesis);
  char buf[1 << 16];
  off_t end = size;
  if (char last = 0; read_at(fd, &last, 1, size - 1, name) == 1 && last == '\n') --end;
  off_t start = end;
  while (start > 0) {
    const off_t from = std::max<off_t>(0, start - static_cast<off_t>(sizeof buf));
    const std::size_t n = read_at(fd, buf, static_cast<std::size_t>(start - from), from, name);
    const std::string_view piece(buf, n);
    if (const std::size_t nl = piece.rfind('\n'); nl != std::string_view::npos) {
      start = from + static_cast<off_t>(nl) + 1;
      break;
    }
    start = from;
  }
  Sha256 hash;
  for (off_t at = start; at < end;) {
    const std::size_t n = read_at(fd, buf, std::min<std::size_t>(sizeof buf, end - at), at, name);
    if (n == 0) break;
    hash.update(std::string_view(buf, n));
    at += static_cast<off_t>(n);
  }
  return hash.hex_digest();
}

// Holds flock(LOCK_EX) on a file while it lives.
class FileLock {
 public:
  FileLock(int fd, const std::string& name) : fd_(fd) {
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) throw_operational("cannot lock " + name + ": " + std::strerror(errno));
    }
  }
  ~FileLock() { ::flock(fd_, LOCK_UN); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// A file to read, opened without blocking; refused unless it is a regular file.
class ReadFile {
 public:
  ReadFile(const std::filesystem::path& path, const std::string& what) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0)
      throw_operational("cannot open " + what + " '" + path.string() +
                        "': " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw_invalid(what + " '" + path.string() + "' is not a regular file");
    }
  }
  ~ReadFile() { ::close(fd_); }
  ReadFile(const ReadFile&) = delete;
  ReadFile& operator=(const ReadFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

}  // namespace

AuditLog::AuditLog(std::filesystem::path path, std::string what)
    : path_(std::move(path)), what_(std::move(what)) {
  // Looked at before it is opened, so that a FIFO or a device is never opened; checked
  // again on the open file, which is what counts.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) check_kind(what_, path_, st);
  fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
               0600);
  if (fd_ < 0) {
    const int saved = errno;
    if (saved == ELOOP)
      throw_invalid(what_ + " '" + path_.string() + "' is a symbolic link; name the file itself");
    throw_operational("cannot open " + what_ + " '" + path_.string() +
                      "': " + std::strerror(saved));
  }
  try {
    if (::fstat(fd_, &st) != 0)
      throw_operational("cannot open " + what_ + " '" + path_.string() +
                        "': " + std::strerror(errno));
    check_kind(what_, path_, st);
    if ((st.st_mode & 07777) != 0600 && ::fchmod(fd_, 0600) != 0) {
      throw_operational("cannot make " + what_ + " '" + path_.string() +
                        "' mode 0600: " + std::strerror(errno));
    }
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

void AuditLog::append(nlohmann::json record) {
  if (!record.contains("time")) record["time"] = utc_timestamp();
  auto failed = [&](int error) {
    throw_operational("cannot write " + what_ + " '" + path_.string() +
                      "': " + std::strerror(error));
  };
  // The last line is read, hashed and followed under one lock: no other writer appends in
  // between.
  const std::string name = what_ + " '" + path_.string() + "'";
  const FileLock lock(fd_, name);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) failed(errno);
  record["prev"] = last_line_sha256(fd_, st.st_size, name);
  std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (st.st_size > 0) {
    char last = '\n';
    if (::pread(fd_, &last, 1, st.st_size - 1) != 1) failed(errno);
    if (last != '\n') line.insert(line.begin(), '\n');
  }
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failed(n < 0 ? errno : ENOSPC);
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) failed(errno);
}

void for_each_line(int fd, const std::string& name,
                   const std::function<void(const LogLine&)>& visit) {
  std::string pending;  // the current line's text, up to kMaxAuditLine
  std::optional<Sha256> hash;
  LogLine line;
  char buf[1 << 16];
  off_t at = 0;
  auto end_line = [&](bool complete) {
    line.number++;
    line.sha256 = hash ? hash->hex_digest() : sha256_hex("");
    line.text = line.too_long ? std::string_view() : std::string_view(pending);
    line.complete = complete;
    visit(line);
    pending.clear();
    hash.reset();
    line.too_long = false;
  };
  auto add = [&](std::string_view piece) {
    if (!hash) hash.emplace();
    hash->update(piece);
    if (line.too_long) return;
    if (pending.size() + piece.size() > kMaxAuditLine) {
      line.too_long = true;
      pending.clear();
      pending.shrink_to_fit();
      return;
    }
    pending.append(piece);
  };
  while (true) {
    const std::size_t n = read_at(fd, buf, sizeof buf, at, name);
    if (n == 0) break;
    at += static_cast<off_t>(n);
    std::string_view rest(buf, n);
    for (std::size_t nl; (nl = rest.find('\n')) != std::string_view::npos;
         rest.remove_prefix(nl + 1)) {
      add(rest.substr(0, nl));
      end_line(true);
    }
    if (!rest.empty()) add(rest);
  }
  if (hash) end_line(false);
}

void AuditLog::for_each_record(std::string_view containing,
                               const std::function<void(const nlohmann::json&)>& visit) const {
  for_each_line(fd_, what_ + " '" + path_.string() + "'", [&](const LogLine& line) {
    if (line.too_long || line.text.find(containing) == std::string_view::npos) return;
    nlohmann::json record = nlohmann::json::parse(line.text, nullptr, false);
    if (record.is_object()) visit(record);
  });
}

namespace {

// What is wrong with a line as a record: empty when it is a JSON object (put in `record`).
std::string record_fault(const LogLine& line, nlohmann::json& record) {
  if (line.too_long) return "a line longer than 1 MiB is no record";
  if (!line.complete) return "the last line is cut short (no newline)";
  record = nlohmann::json::parse(line.text, nullptr, false);
  if (!record.is_object()) return "not a JSON object";
  return "";
}

}  // namespace

void read_json_lines(const std::filesystem::path& path, const std::string& what,
                     const std::function<void(std::int64_t, const nlohmann::json&)>& visit) {
  ReadFile file(path, what);
  for_each_line(file.fd(), what + " '" + path.string() + "'", [&](const LogLine& line) {
    nlohmann::json record;
    if (const std::string fault = record_fault(line, record); !fault.empty())
      throw_invalid(path.string() + ":" + std::to_string(line.number) + ": " + fault);
    visit(line.number, record);
  });
}

AuditChain verify_audit_chain(const std::filesystem::path& path,
                              const std::string& package_sha256) {
  ReadFile file(path, "audit log");
  AuditChain chain;
  std::string previous(kAuditGenesis);
  for_each_line(file.fd(), "audit log '" + path.string() + "'", [&](const LogLine& line) {
    chain.lines = line.number;
    const std::string expected = previous;
    previous = line.sha256;
    chain.head = line.sha256;
    if (chain.broken_line != 0) return;
    auto broken = [&](const std::string& why) {
      chain.broken_line = line.number;
      chain.broken = why;
    };
    nlohmann::json record;
    if (const std::string fault = record_fault(line, record); !fault.empty()) return broken(fault);
    const auto prev = record.find("prev");
    if (prev == record.end()) {
      if (chain.chain_start != 0)
        broken("a record without 'prev' inside the chain (inserted, or its 'prev' removed)");
    } else if (!prev->is_string()) {
      broken("'prev' is not a string");
    } else {
      if (chain.chain_start == 0) chain.chain_start = line.number;
      if (prev->get_ref<const std::string&>() != expected)
        broken(line.number == 1
                   ? "'prev' is not the genesis value: lines before it were removed"
                   : "'prev' is not the SHA-256 of line " + std::to_string(line.number - 1) +
                         ": that line was changed, or lines were removed, inserted or moved here");
    }
    if (!package_sha256.empty() && chain.package_line == 0) {
      const auto sha = record.find("sha256");
      if (sha != record.end() && sha->is_string() && *sha == package_sha256 &&
          record.value("command", nlohmann::json()) == "export" &&
          record.value("outcome", nlohmann::json()) == "delivered") {
        chain.package_line = line.number;
        chain.package_record = record;
      }
    }
  });
  return chain;
}

std::vector<nlohmann::json> audit_records(const std::filesystem::path& path,
                                          const AuditFilter& filter) {
  std::vector<nlohmann::json> out;
  auto text = [](const nlohmann::json& record, const char* field) {
    const auto it = record.find(field);
    return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  read_json_lines(path, "audit log", [&](std::int64_t line, const nlohmann::json& record) {
    if (!filter.command.empty() && text(record, "command") != filter.command) return;
    if (!filter.ticket.empty() && text(record, "ticket") != filter.ticket) return;
    const std::string day = text(record, "time").substr(0, 10);
    if (!filter.since.empty() && day < filter.since) return;
    if (!filter.until.empty() && day > filter.until) return;
    nlohmann::json shown = record;
    shown["line"] = line;
    out.push_back(std::move(shown));
  });
  return out;
}

void write_audit_text(std::ostream& out, const std::vector<nlohmann::json>& records,
                      Language language) {
  const bool nl = language == Language::nl;
  out << (nl ? "regel  tijd (UTC)            opdracht  uitvoerder  gegevens\n"
             : "line   time (UTC)            command   operator    details\n");
  auto shown = [](const nlohmann::json& value) {
    return value.is_string()
               ? visible(value.get_ref<const std::string&>())
               : visible(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  auto padded = [](std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text + " ";
  };
  for (const nlohmann::json& record : records) {
    std::string line = padded(shown(record.value("line", nlohmann::json())), 6);
    std::string time = record.contains("time") ? shown(record["time"]) : "";
    std::replace(time.begin(), time.end(), 'T', ' ');
    line +=
        padded(time, 21) + padded(record.contains("command") ? shown(record["command"]) : "-", 9);
    line += padded(record.contains("operator") ? shown(record["operator"]) : "-", 11);
    std::vector<std::string> details;
    for (const auto& [name, value] : record.items()) {
      if (name == "line" || name == "time" || name == "command" || name == "operator" ||
          name == "prev")
        continue;
      details.push_back(visible(name) + "=" + shown(value));
    }
    out << line << join(details, " ") << "\n";
  }
  const bool one = records.size() == 1;
  out << records.size()
      << (nl ? (one ? " vermelding\n" : " vermeldingen\n") : (one ? " record\n" : " records\n"));
}

void append_audit_record(const std::filesystem::path& log, nlohmann::json record) {
  AuditLog(log).append(std::move(record));
}

}  // namespace telcomply
