#include "io/audit.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

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
