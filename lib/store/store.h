// The operator's SQLite database: opening it safely and reading its real schema, so that
// SQL is only ever built from identifiers that exist, quoted.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telcomply {

struct DbColumn {
  std::string name;
  std::string type;        // declared type, as written
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;     // a single-column UNIQUE constraint or unique index
  std::optional<std::string> default_value;
};

struct DbForeignKey {
  std::string column;
  std::string parent_table;
  std::string parent_column;
};

struct DbTable {
  std::string name;
  std::vector<DbColumn> columns;
  std::vector<DbForeignKey> foreign_keys;
  const DbColumn* find(std::string_view column) const;
};

struct DbSchema {
  std::map<std::string, DbTable> tables;  // user tables, sqlite_* excluded
  const DbTable* find(std::string_view table) const;
};

enum class OpenMode { read_only, read_write };

// Opens the database. A missing file is invalid input (Exit::invalid, no file is created);
// a file that is not a database, or is corrupt or locked beyond `busy_timeout_ms`, is an
// operational failure (Exit::operational). Read-write connections get foreign keys on and
// a busy timeout.
SQLite::Database open_database(const std::filesystem::path& path, OpenMode mode,
                               int busy_timeout_ms = 10000);

// Reads tables, columns, constraints and foreign keys. Throws Error(operational) on failure.
DbSchema read_schema(SQLite::Database& db);

// "name" with embedded quotes doubled: safe to splice into SQL as an identifier.
std::string quote_identifier(std::string_view name);

// Converts SQLite::Exception (and other std::exception) raised while talking to the
// database into Error(operational) naming `what` (e.g. "reading call_records").
[[noreturn]] void rethrow_database_error(const std::string& what);

}  // namespace telcomply
