#include "test_util.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "store/store.h"

namespace telcomply::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "telcomply-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& text) const {
  const auto path = path_ / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::unique_ptr<Store> create_database(const std::filesystem::path& path, const std::string& sql) {
  REQUIRE_FALSE(std::filesystem::exists(path));
  { std::ofstream empty(path); }  // an empty file is an empty SQLite database
  std::unique_ptr<Store> store = open_store(path.string(), StoreOptions{OpenMode::read_write});
  store->execute(sql);
  return store;
}

int StatementLog::reads_of(const std::string& table) const {
  int reads = 0;
  for (const auto& sql : statements) {
    if (!sql.starts_with("SELECT ") || sql.starts_with("SELECT count(*)")) continue;
    const std::size_t from = sql.find(" FROM ");
    if (from != std::string::npos &&
        sql.compare(from + 6, table.size() + 3, "\"" + table + "\" ") == 0)
      ++reads;
  }
  return reads;
}

}  // namespace telcomply::test
