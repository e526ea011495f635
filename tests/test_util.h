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

// Transfer lists (kind `transfers`): the EEA, and an adequacy decision of every scope: CH
// (all), US (dpf-certified), CA (commercial), JP (private-sector), BR (all, adopted
// 2026-01-26) and GB (all, expired 2025-12-27).
extern const char* const kTransferLists;

// A small data map without mistakes (category `contact`, subject table `customers`); tests
// append columns and tables.
extern const char* const kSmallDataMap;

// The source tree (for examples/ and policies/).
inline std::filesystem::path source_dir() { return TELCOMPLY_SOURCE_DIR; }

}  // namespace telcomply::test
