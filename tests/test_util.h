// Helpers shared by the unit tests.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/error.h"

namespace telcomply::test {

// Runs `f`, which must throw telcomply::Error; returns its message and checks its status.
template <typename F>
std::string error_of(F&& f, Exit expected = Exit::invalid) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(static_cast<int>(e.status()) == static_cast<int>(expected));
    return e.what();
  }
  FAIL("expected an error");
  return {};
}

// A fresh empty folder under the system's temporary folder, removed at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Writes `text` to `name` inside the folder and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

// Creates the SQLite database file `path` (which must not exist yet) and runs `sql` in it
// through the store interface (open_store, Store::execute).
void create_database(const std::filesystem::path& path, const std::string& sql);

// The source tree (for examples/ and policies/).
inline std::filesystem::path source_dir() { return TELCOMPLY_SOURCE_DIR; }

}  // namespace telcomply::test
