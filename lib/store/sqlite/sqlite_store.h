// The SQLite backend of the store: the embedded default, a database in one file.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace telcomply {

// Opens the SQLite database file at `path` (never creating one). A read-only store first
// lets a read-write connection roll back a hot journal left by a writer that was killed
// mid-transaction, so that it reads the last committed state (noted in open_notes()).
// Read-write stores enforce foreign keys until prepare_erasure().
std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options);

}  // namespace telcomply
