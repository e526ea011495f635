// Transitional: the SQLiteCpp connection the commands used before the store interface.
// Removed once every command opens its database through open_store().
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "store/store.h"

namespace telcomply {

SQLite::Database open_database(const std::filesystem::path& path, OpenMode mode,
                               int busy_timeout_ms = 10000);
DbSchema read_schema(SQLite::Database& db);

}  // namespace telcomply
