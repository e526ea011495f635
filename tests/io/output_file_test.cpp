#include "io/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ostream>

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
