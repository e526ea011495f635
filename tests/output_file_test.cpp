#include "output_file.h"

#include <sys/stat.h>

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

TEST_CASE("sync writes the file out under its temporary name; only commit puts it in place") {
  test::TempDir dir;
  const auto target = dir.write("out.json", "original");
  {
    OutputFile out(target, true);
    out.stream() << "new";
    out.sync();
    CHECK(test::read_file(target) == "original");
    CHECK(entries(dir.path()) == 2);
  }
  // Not committed: the temporary file is gone, the target as it was.
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
