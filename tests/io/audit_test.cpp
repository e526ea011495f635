#include "io/audit.h"

#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "core/crypto.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::vector<nlohmann::json> records(const AuditLog& log, std::string_view containing = "") {
  std::vector<nlohmann::json> out;
  log.for_each_record(containing, [&](const nlohmann::json& r) { out.push_back(r); });
  return out;
}

}  // namespace

TEST_CASE("the audit log is created 0600, and an existing one is made 0600") {
  test::TempDir dir;
  const auto created = dir / "new.jsonl";
  AuditLog(created).append({{"command", "test"}});
  CHECK(mode_of(created) == 0600);
  const std::string line = test::read_file(created);
  CHECK(line.back() == '\n');
  CHECK(nlohmann::json::parse(line).contains("time"));

  const auto existing = dir.write("old.jsonl", "{\"command\":\"old\"}\n");
  REQUIRE(::chmod(existing.c_str(), 0644) == 0);
  AuditLog log(existing);
  CHECK(mode_of(existing) == 0600);
  log.append({{"command", "new"}});
  const auto all = records(log);
  REQUIRE(all.size() == 2);
  CHECK(all[0]["command"] == "old");
  CHECK(all[1]["command"] == "new");
}

TEST_CASE("an audit log that is a symbolic link is refused and its target left alone") {
  test::TempDir dir;
  const auto target = dir.write("target", "precious\n");
  REQUIRE(::chmod(target.c_str(), 0644) == 0);
  std::filesystem::create_symlink(target, dir / "audit.jsonl");
  CHECK(error_of([&] { AuditLog log(dir / "audit.jsonl"); }).find("symbolic link") !=
        std::string::npos);
  CHECK(error_of([&] {
          append_audit_record(dir / "audit.jsonl", {{"command", "x"}});
        }).find("symbolic link") != std::string::npos);
  CHECK(test::read_file(target) == "precious\n");
  CHECK(mode_of(target) == 0644);
}

TEST_CASE("a FIFO, a device or a folder as audit log is refused at once") {
  test::TempDir dir;
  const auto fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Nothing reads the FIFO: opening it for writing would wait for ever.
  CHECK(error_of([&] { AuditLog log(fifo); }).find("not a regular file") != std::string::npos);
  CHECK(error_of([&] { AuditLog log("/dev/null"); }).find("not a regular file") !=
        std::string::npos);
  CHECK(error_of([&] { AuditLog log(dir.path()); }).find("not a regular file") !=
        std::string::npos);
}

TEST_CASE("an audit log of another user is refused") {
  test::TempDir dir;
  std::filesystem::path theirs = "/etc/passwd";  // root's, when not running as root
  if (::geteuid() == 0) {
    theirs = dir.write("theirs.jsonl", "");
    REQUIRE(::chown(theirs.c_str(), 65534, 65534) == 0);
  }
  const std::string before = test::read_file(theirs);
  CHECK(error_of([&] { AuditLog log(theirs); }).find("owned by another user") != std::string::npos);
  CHECK(test::read_file(theirs) == before);
}

TEST_CASE("an audit log that cannot be opened is an operational error") {
  test::TempDir dir;
  const std::string message =
      error_of([&] { AuditLog log(dir / "no-such-folder" / "audit.jsonl"); }, Exit::operational);
  CHECK(message.find("cannot open audit log") != std::string::npos);
}

TEST_CASE("a line left incomplete is ended before the next record; other lines are skipped") {
  test::TempDir dir;
  const auto path = dir.write("audit.jsonl", "{\"command\":\"a\"}\nnot json\n{\"command\":\"cut");
  AuditLog log(path);
  log.append({{"command", "b"}});
  CHECK(test::read_file(path).find("\"cut\n{") != std::string::npos);
  const auto all = records(log);
  REQUIRE(all.size() == 2);
  CHECK(all[0]["command"] == "a");
  CHECK(all[1]["command"] == "b");
  const auto only_b = records(log, "\"b\"");
  REQUIRE(only_b.size() == 1);
  CHECK(only_b[0]["command"] == "b");
}

TEST_CASE(
    "the audit operator: --operator, else SUDO_USER as root, else the login name, never $USER") {
  const std::string login = getpwuid(getuid())->pw_name;
  setenv("USER", "someone-else", 1);
  setenv("LOGNAME", "someone-else", 1);
  unsetenv("SUDO_USER");
  CHECK(audit_operator("alice") == "alice");
  CHECK(audit_operator("") == login);
  setenv("SUDO_USER", "admin-via-sudo", 1);
  CHECK(audit_operator("") == (geteuid() == 0 ? "admin-via-sudo" : login));
  CHECK(audit_operator("alice") == "alice");
  unsetenv("SUDO_USER");
}

namespace {

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::vector<std::string> out;
  std::string text = test::read_file(path);
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

void write_lines(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A log of `n` records, "command" r1 ... rn.
std::filesystem::path chained_log(const test::TempDir& dir, int n) {
  const auto path = dir / "chain.jsonl";
  AuditLog log(path);
  for (int i = 1; i <= n; ++i) log.append({{"command", "r" + std::to_string(i)}});
  return path;
}

}  // namespace

TEST_CASE("each audit record carries the SHA-256 of the line before it, the first the genesis") {
  test::TempDir dir;
  const auto path = chained_log(dir, 3);
  const auto lines = lines_of(path);
  REQUIRE(lines.size() == 3);
  CHECK(nlohmann::json::parse(lines[0])["prev"] == std::string(kAuditGenesis));
  CHECK(nlohmann::json::parse(lines[1])["prev"] == sha256_hex(lines[0]));
  CHECK(nlohmann::json::parse(lines[2])["prev"] == sha256_hex(lines[1]));
  const AuditChain chain = verify_audit_chain(path);
  CHECK(chain.broken_line == 0);
  CHECK(chain.lines == 3);
  CHECK(chain.chain_start == 1);
  CHECK(chain.head == sha256_hex(lines[2]));
}

TEST_CASE("an edited, deleted, swapped or inserted audit line breaks the chain at that place") {
  test::TempDir dir;
  const auto path = chained_log(dir, 5);
  const auto lines = lines_of(path);
  auto broken_at = [&](std::vector<std::string> changed) {
    write_lines(path, changed);
    return verify_audit_chain(path).broken_line;
  };
  auto edited = lines;
  edited[2].replace(edited[2].find("r3"), 2, "r9");
  CHECK(broken_at(edited) == 4);
  auto deleted = lines;
  deleted.erase(deleted.begin() + 2);
  CHECK(broken_at(deleted) == 3);
  auto swapped = lines;
  std::swap(swapped[1], swapped[2]);
  CHECK(broken_at(swapped) == 2);
  auto inserted = lines;
  inserted.insert(inserted.begin() + 3, lines[1]);
  CHECK(broken_at(inserted) == 4);
  auto first_removed = lines;
  first_removed.erase(first_removed.begin());
  CHECK(broken_at(first_removed) == 1);
  auto unchained = lines;
  unchained[3] = R"({"command":"forged"})";
  CHECK(broken_at(unchained) == 4);
  CHECK(broken_at(lines) == 0);
}

TEST_CASE("a log older than the chain: the chain starts at its first record with 'prev'") {
  test::TempDir dir;
  const auto path = dir.write("old.jsonl", "{\"command\":\"a\"}\n{\"command\":\"b\"}\n");
  AuditLog(path).append({{"command", "c"}});
  AuditLog(path).append({{"command", "d"}});
  const AuditChain chain = verify_audit_chain(path);
  CHECK(chain.broken_line == 0);
  CHECK(chain.chain_start == 3);
  CHECK(chain.lines == 4);
}

TEST_CASE("hostile audit lines are reported by line, never a crash") {
  test::TempDir dir;
  const std::string good = "{\"command\":\"a\",\"prev\":\"" + std::string(kAuditGenesis) + "\"}";
  const std::string huge(kMaxAuditLine + 10, 'x');
  for (const std::string& bad : {std::string("{not json"), std::string("[1,2]"), huge,
                                 std::string("{\"prev\":17}"), std::string("")}) {
    const auto path = dir.write("hostile.jsonl", good + "\n" + bad + "\n");
    const AuditChain chain = verify_audit_chain(path);
    CHECK(chain.broken_line == 2);
    CHECK(!chain.broken.empty());
    if (bad != std::string("{\"prev\":17}"))
      CHECK(error_of([&] { audit_records(path, {}); }).find("hostile.jsonl:2: ") !=
            std::string::npos);
  }
  const auto cut = dir.write("cut.jsonl", good + "\n{\"command\":");
  CHECK(verify_audit_chain(cut).broken_line == 2);
  // A huge last line is hashed in pieces when the next record chains to it.
  const auto tail = dir.write("tail.jsonl", good + "\n" + huge + "\n");
  AuditLog(tail).append({{"command", "b"}});
  CHECK(nlohmann::json::parse(lines_of(tail)[2])["prev"] == sha256_hex(huge));
  CHECK(verify_audit_chain(dir.write("empty.jsonl", "")).broken_line == 0);
}

TEST_CASE("records appended by many processes at once still form one chain") {
  test::TempDir dir;
  const auto path = dir / "busy.jsonl";
  std::vector<pid_t> children;
  for (int c = 0; c < 4; ++c) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      AuditLog log(path);
      for (int i = 0; i < 50; ++i) log.append({{"command", "c" + std::to_string(c)}});
      std::_Exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(status == 0);
  }
  const AuditChain chain = verify_audit_chain(path);
  CHECK(chain.lines == 200);
  CHECK(chain.broken_line == 0);
}

TEST_CASE("a package's SHA-256 is found in the delivered export record that names it") {
  test::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append({{"command", "export"}, {"outcome", "interrupted"}, {"sha256", "abc"}});
  log.append({{"command", "scrub"}, {"sha256", "abc"}});
  log.append({{"command", "export"}, {"outcome", "delivered"}, {"sha256", "abc"}});
  const AuditChain chain = verify_audit_chain(path, "abc");
  CHECK(chain.package_line == 3);
  CHECK(verify_audit_chain(path, "def").package_line == 0);
}

TEST_CASE("audit show selects records by command, date and ticket") {
  test::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append({{"time", "2026-01-05T10:00:00Z"}, {"command", "export"}, {"ticket", "T-1"}});
  log.append({{"time", "2026-02-05T10:00:00Z"}, {"command", "scrub"}});
  log.append({{"time", "2026-03-05T10:00:00Z"}, {"command", "export"}, {"ticket", "T-2"}});
  CHECK(audit_records(path, {}).size() == 3);
  // command, since, until, ticket
  CHECK(audit_records(path, {"export", "", "", ""}).size() == 2);
  CHECK(audit_records(path, {"", "2026-02-05", "", ""}).size() == 2);
  CHECK(audit_records(path, {"", "", "2026-02-04", ""}).size() == 1);
  CHECK(audit_records(path, {"export", "2026-02-01", "", ""}).size() == 1);
  const auto t2 = audit_records(path, {"", "", "", "T-2"});
  REQUIRE(t2.size() == 1);
  CHECK(t2[0]["line"] == 3);
  std::ostringstream en, nl;
  write_audit_text(en, t2, Language::en);
  write_audit_text(nl, t2, Language::nl);
  CHECK(en.str().find("2026-03-05 10:00:00Z  export") != std::string::npos);
  CHECK(en.str().find("ticket=T-2") != std::string::npos);
  CHECK(en.str().find("prev") == std::string::npos);
  CHECK(nl.str().find("opdracht") != std::string::npos);
}
