#include "io/output_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {
std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}
}  // namespace

TEST_CASE("a committed file appears whole with mode 0600") {
  test::TempDir dir;
  const auto target = dir / "out.json";
  {
    OutputFile out(target, false);
    out.stream() << "{}\n";
    CHECK_FALSE(std::filesystem::exists(target));
    out.commit();
  }
  CHECK(test::read_file(target) == "{}\n");
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("an uncommitted file leaves nothing behind") {
  test::TempDir dir;
  {
    OutputFile out(dir / "out.json", false);
    out.stream() << "partial";
  }
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("an existing file is kept unless forced") {
  test::TempDir dir;
  const auto target = dir.write("out.json", "original");
  CHECK(error_of([&] { OutputFile out(target, false); }).find("use --force") != std::string::npos);
  CHECK(test::read_file(target) == "original");
  {
    OutputFile out(target, true);
    out.stream() << "new";
    out.commit();
  }
  CHECK(test::read_file(target) == "new");
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a file created meanwhile is not replaced") {
  test::TempDir dir;
  const auto target = dir / "out.json";
  OutputFile out(target, false);
  out.stream() << "mine";
  dir.write("out.json", "theirs");
  CHECK(error_of([&] { out.commit(); }).find("exists") != std::string::npos);
  CHECK(test::read_file(target) == "theirs");
}

TEST_CASE("a missing folder is an operational error") {
  test::TempDir dir;
  error_of([&] { OutputFile out(dir / "no" / "such" / "out.json", false); }, Exit::operational);
}

TEST_CASE("nothing is visible in the folder before commit") {
  test::TempDir dir;
  const auto target = dir / "out.json";
  OutputFile out(target, false);
  out.stream() << std::string(200000, 'x');  // past the buffer: written to the file already
  CHECK(entries(dir.path()) == 0);
  out.commit();
  CHECK(entries(dir.path()) == 1);
  CHECK(std::filesystem::file_size(target) == 200000);
}

TEST_CASE("a write error is kept and reported with its cause") {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  FdStreamBuf buffer(fd);
  std::ostream stream(&buffer);
  stream << std::string(100000, 'x');
  stream.flush();
  CHECK_FALSE(stream.good());
  CHECK(buffer.error() == ENOSPC);
  ::close(fd);
}

TEST_CASE("small and large writes arrive in order") {
  test::TempDir dir;
  const auto target = dir / "out.txt";
  std::string expected;
  {
    OutputFile out(target, false);
    for (int i = 0; i < 50; ++i) {
      const std::string piece(static_cast<std::size_t>(i * 7919 % 150000), static_cast<char>('a' + i % 26));
      out.stream() << piece << i;
      expected += piece + std::to_string(i);
    }
    out.commit();
  }
  CHECK(test::read_file(target) == expected);
}

TEST_CASE("sync writes the file out; only commit puts it in place") {
  test::TempDir dir;
  const auto target = dir.write("out.json", "original");
  {
    OutputFile out(target, true);
    out.stream() << "new";
    out.sync();
    CHECK(test::read_file(target) == "original");
  }
  // Not committed: nothing but the target, as it was.
  CHECK(test::read_file(target) == "original");
  CHECK(entries(dir.path()) == 1);
  {
    OutputFile out(target, true);
    out.stream() << "new";
    out.sync();
    out.commit();
  }
  CHECK(test::read_file(target) == "new");
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a FIFO is written as a stream and stays a FIFO, with or without --force") {
  test::TempDir dir;
  const auto fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const bool force : {false, true}) {
    std::string received;
    std::thread reader([&] {
      const int fd = ::open(fifo.c_str(), O_RDONLY | O_CLOEXEC);
      char buffer[4096];
      for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
        received.append(buffer, static_cast<std::size_t>(n));
      ::close(fd);
    });
    {
      OutputFile out(fifo, force);
      CHECK(out.streamed());
      out.stream() << std::string(100000, 'x');
      out.commit();
      CHECK(out.delivered() == 100000);
    }
    reader.join();
    CHECK(received == std::string(100000, 'x'));
    struct stat st {};
    REQUIRE(::lstat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    CHECK(entries(dir.path()) == 1);
  }
}

TEST_CASE("a stream gets nothing of an output abandoned before it was complete") {
  test::TempDir dir;
  const auto fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received = "not read";
  std::thread reader([&] {
    const int fd = ::open(fifo.c_str(), O_RDONLY | O_CLOEXEC);
    received.clear();
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
      received.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
  });
  {
    OutputFile out(fifo, false);
    out.stream() << std::string(1 << 20, 'x');  // more than any buffer and any pipe holds
    out.stream().flush();
    CHECK(out.delivered() == 0);
  }  // the maker failed: no sync(), no commit()
  reader.join();
  CHECK(received.empty());
}

TEST_CASE("a character device is written into, not replaced") {
  {
    OutputFile out("/dev/null", false);  // exists, but nothing to replace: no --force needed
    CHECK(out.streamed());
    out.stream() << "gone";
    out.commit();
  }
  struct stat st {};
  REQUIRE(::lstat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  // A full device: the cause is kept, and check() reports it.
  OutputFile full("/dev/full", true);
  full.stream() << std::string(100000, 'x');
  CHECK(error_of([&] { full.sync(); }, Exit::operational) ==
        "cannot write '/dev/full': No space left on device");
  CHECK(error_of([&] { full.check(); }, Exit::operational).find("No space left") !=
        std::string::npos);
  CHECK(full.delivered() == 0);
}

TEST_CASE("/dev/stdout is standard output") {
  for (const char* name : {"-", "", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
    OutputFile out(name, false);
    CHECK(out.to_stdout());
    CHECK(out.streamed());
  }
}

TEST_CASE("an output that is one of the inputs is refused, even with --force") {
  test::TempDir dir;
  const auto db = dir.write("operator.db", "data");
  const auto log = dir / "audit.jsonl";  // not written yet
  const std::vector<ProtectedFile> inputs{{"the database", db}, {"the audit log", log}};
  CHECK(error_of([&] { OutputFile out(db, true, inputs); }) ==
        "cannot write '" + db.string() + "': it is the database");
  // Another name for the same file: a hard link, a symbolic link, a path with '..'.
  REQUIRE(::link(db.c_str(), (dir / "hard.db").c_str()) == 0);
  std::filesystem::create_symlink(db, dir / "soft.db");
  std::filesystem::create_directory(dir / "sub");
  for (const auto& alias : {dir / "hard.db", dir / "soft.db", dir / "sub" / ".." / "operator.db"})
    CHECK(error_of([&] { OutputFile out(alias, true, inputs); }).find("it is the database") !=
          std::string::npos);
  // A file that does not exist yet is compared by its path.
  CHECK(error_of([&] { OutputFile out(dir / "sub" / ".." / "audit.jsonl", true, inputs); }) ==
        "cannot write '" + (dir / "sub" / ".." / "audit.jsonl").string() +
            "': it is the audit log");
  CHECK(test::read_file(db) == "data");
  CHECK_FALSE(std::filesystem::exists(log));
  OutputFile other(dir / "report.json", false, inputs);
  other.commit();
  CHECK(std::filesystem::exists(dir / "report.json"));
}

TEST_CASE("named temporary files that killed runs left are removed; live ones are kept") {
  test::TempDir dir;
  const auto stale = dir.write(".c1.json.tmp-0a1b2c3d", "personal data");
  const auto live = dir.write(".c2.json.tmp-zz99yy88", "being written");
  const auto mine = dir.write(".notes.tmp-keep", "not a temporary name");
  const int held = ::open(live.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(held >= 0);
  REQUIRE(::flock(held, LOCK_EX) == 0);  // as the writer of a running export holds it
  {
    OutputFile out(dir / "out.json", false);
    out.commit();
  }
  ::close(held);
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK(std::filesystem::exists(live));
  CHECK(std::filesystem::exists(mine));
  CHECK(std::filesystem::exists(dir / "out.json"));
}
