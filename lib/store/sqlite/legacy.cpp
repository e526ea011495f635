#include "store/sqlite/legacy.h"

#include <sqlite3.h>

#include <system_error>

namespace telcomply {

namespace {
[[noreturn]] void legacy_rethrow(const std::string& what) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xff;
    std::string reason = e.getErrorStr() ? e.getErrorStr() : "database error";
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      reason = "database is locked by another process";
    else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
      reason = "database file is corrupt or not a database";
    throw StoreError(
        code == SQLITE_BUSY || code == SQLITE_LOCKED ? StoreFailure::busy : StoreFailure::other,
        what + ": " + reason, true);
  } catch (const std::exception& e) {
    throw Error(Exit::operational, what + ": " + e.what());
  }
}
}  // namespace

SQLite::Database open_database(const std::filesystem::path& path, OpenMode mode,
                               int busy_timeout_ms) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw_invalid("cannot open database '" + path.string() + "': no such file");
  if (std::filesystem::is_directory(path, ec))
    throw_invalid("cannot open database '" + path.string() + "': is a directory");
  try {
    // A hot journal left by an interrupted writer can only be rolled back by a read-write
    // connection; do that first, so a read-only reader sees the last committed state.
    if (mode == OpenMode::read_only && std::filesystem::exists(path.string() + "-journal", ec)) {
      SQLite::Database recover(path.string(), SQLite::OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                               busy_timeout_ms);
      recover.exec("SELECT count(*) FROM sqlite_schema");
    }
    const int flags = mode == OpenMode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
    SQLite::Database db(path.string(), flags | SQLITE_OPEN_NOFOLLOW, busy_timeout_ms);
    // Touch the schema now so that "not a database" surfaces here, not mid-command.
    db.exec("SELECT count(*) FROM sqlite_schema");
    if (mode == OpenMode::read_write) db.exec("PRAGMA foreign_keys = ON");
    return db;
  } catch (...) {
    legacy_rethrow("cannot open database '" + path.string() + "'");
  }
}

DbSchema read_schema(SQLite::Database& db) {
  DbSchema schema;
  try {
    SQLite::Statement tables(db,
                             "SELECT name FROM sqlite_schema WHERE type = 'table' "
                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    // Prepared once and run again for each table: preparing is most of the cost here.
    SQLite::Statement info(
        db, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)");
    SQLite::Statement indexes(db, "SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1");
    SQLite::Statement cols(db, "SELECT name FROM pragma_index_info(?)");
    SQLite::Statement fks(db, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)");
    while (tables.executeStep()) {
      DbTable table;
      table.name = tables.getColumn(0).getString();
      info.reset();
      info.bind(1, table.name);
      while (info.executeStep()) {
        DbColumn column;
        column.name = info.getColumn(0).getString();
        column.type = info.getColumn(1).getString();
        column.not_null = info.getColumn(2).getInt() != 0;
        if (!info.getColumn(3).isNull()) column.default_value = info.getColumn(3).getString();
        column.primary_key = info.getColumn(4).getInt() != 0;
        table.columns.push_back(std::move(column));
      }
      // Single-column unique indexes (UNIQUE constraints and CREATE UNIQUE INDEX).
      indexes.reset();
      indexes.bind(1, table.name);
      while (indexes.executeStep()) {
        cols.reset();
        cols.bind(1, indexes.getColumn(0).getString());
        std::vector<std::string> names;
        while (cols.executeStep())
          names.push_back(cols.getColumn(0).isNull() ? "" : cols.getColumn(0).getString());
        if (names.size() == 1)
          for (auto& c : table.columns)
            if (c.name == names.front()) c.unique = true;
      }
      std::size_t pk_columns = 0;
      for (const auto& c : table.columns) pk_columns += c.primary_key ? 1 : 0;
      if (pk_columns == 1)
        for (auto& c : table.columns)
          if (c.primary_key) c.unique = true;
      fks.reset();
      fks.bind(1, table.name);
      while (fks.executeStep())
        table.foreign_keys.push_back(
            DbForeignKey{fks.getColumn(0).getString(), fks.getColumn(1).getString(),
                         fks.getColumn(2).isNull() ? "" : fks.getColumn(2).getString()});
      schema.tables.emplace(table.name, std::move(table));
    }
  } catch (...) {
    legacy_rethrow("cannot read the database schema");
  }
  return schema;
}

}  // namespace telcomply
