// Helpers shared by the unit tests.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/store.h"

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

// A new SQLite database at `path` (which must not exist) made by running `sql`, opened
// read-write through the store.
std::unique_ptr<Store> create_database(const std::filesystem::path& path, const std::string& sql);

// Overwrites the first bytes of the root page of SQLite index `index` in the database at
// `path`: damage that only a query through that index, or an integrity check, meets.
void damage_index(const std::filesystem::path& path, const std::string& index);

// A store that passes everything to another and remembers the SQL of every statement it
// prepares: for tests of what a command asks the database.
class StatementLog final : public Store {
 public:
  explicit StatementLog(Store& inner) : inner_(inner) {}
  std::vector<std::string> statements;
  // How many times the rows of `table` were read (counting them aside).
  int reads_of(const std::string& table) const;

  const std::string& name() const override { return inner_.name(); }
  const Dialect& dialect() const override { return inner_.dialect(); }
  const DbSchema& schema() override { return inner_.schema(); }
  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    statements.emplace_back(sql);
    return inner_.prepare(sql);
  }
  void execute(std::string_view sql) override {
    statements.emplace_back(sql);
    inner_.execute(sql);
  }
  std::optional<std::int64_t> estimated_rows(std::string_view table) override {
    return inner_.estimated_rows(table);
  }
  void begin_snapshot() override { inner_.begin_snapshot(); }
  void begin_write() override { inner_.begin_write(); }
  void commit() override { inner_.commit(); }
  void rollback() noexcept override { inner_.rollback(); }
  bool in_transaction() const override { return inner_.in_transaction(); }
  void prepare_erasure() override { inner_.prepare_erasure(); }
  ResidueReport erase_residue(const std::vector<std::string>& tables, int wait_ms) override {
    return inner_.erase_residue(tables, wait_ms);
  }
  void check_integrity() override { inner_.check_integrity(); }
  const std::vector<std::string>& open_notes() const override { return inner_.open_notes(); }

 private:
  Store& inner_;
};

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
