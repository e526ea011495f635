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

void create_database(const std::filesystem::path& path, const std::string& sql) {
  if (std::filesystem::exists(path)) throw std::runtime_error(path.string() + " exists already");
  // open_store never creates a database: an empty file is an empty SQLite database.
  std::ofstream(path, std::ios::binary).close();
  StoreOptions options;
  options.mode = OpenMode::read_write;
  open_store(path.string(), options)->execute(sql);
}

}  // namespace telcomply::test
