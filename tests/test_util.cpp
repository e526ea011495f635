#include "test_util.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "store/store.h"

namespace telcomply::test {

const char* const kTransferLists = R"(checked: 2026-11-01
eea:
  source: https://example.eu
  countries: [AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, LT, LU, LV,
              MT, NL, PL, PT, RO, SE, SI, SK, IS, LI, NO]
adequacy:
  CH: {scope: all, decision: "2000/518/EC", adopted: 2000-07-26, source: https://e.eu/ch}
  US: {scope: dpf-certified, decision: "C(2023) 4745", adopted: 2023-07-10, source: https://e.eu/us}
  CA: {scope: commercial, decision: "2002/2/EC", adopted: 2001-12-20, source: https://e.eu/ca}
  JP: {scope: private-sector, decision: "2019/419", adopted: 2019-01-23, source: https://e.eu/jp}
  BR: {scope: all, decision: "2026/179", adopted: 2026-01-26, source: https://e.eu/br}
  GB: {scope: all, decision: "2021/1772", adopted: 2021-06-28, expires: 2025-12-27, source: https://e.eu/gb}
)";

const char* const kSmallDataMap = R"(categories:
  contact: {purposes: x, legal_basis: y}
subject: {table: customers, number: number}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
)";

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

void damage_index(const std::filesystem::path& path, const std::string& index) {
  std::int64_t page = 0;
  std::int64_t root = 0;
  {
    auto store = open_store(path.string(), StoreOptions{});
    auto q = store->prepare(
        "SELECT page_size, rootpage FROM pragma_page_size, sqlite_schema WHERE name = :index");
    q->bind(":index", index);
    REQUIRE(q->step());
    page = q->row().integer(0);
    root = q->row().integer(1);
  }
  std::fstream db(path, std::ios::in | std::ios::out | std::ios::binary);
  db.seekp((root - 1) * page);
  db.write("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
  REQUIRE(db.good());
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
