// The PostgreSQL backend of the store, through libpq.
//
// - A location is a postgresql:// URL or a libpq service= string (core/location.h); libpq's
//   own files and variables supply the password, and one in the location is refused.
// - Every session runs in UTC with ISO dates, and with lock_timeout (the busy timeout) and
//   statement_timeout set, so nothing waits forever.
// - Reads stream through server-side cursors fetched in batches: a statement holds one batch
//   at a time, and statements may interleave as on SQLite. A cursor opened outside a
//   transaction is a WITH HOLD cursor, which the server materialises at once.
// - begin_snapshot() is a READ ONLY REPEATABLE READ transaction; begin_write() a READ
//   COMMITTED transaction that first takes telcomply's write lock (a transaction-level
//   advisory lock), waiting up to the busy timeout: one writing telcomply run at a time.
// - A read-only store's sessions are read-only (default_transaction_read_only).
// - Tables visible through the connection's search_path are named as they are; others by
//   schema.table. Partitioned tables are one table each, their partitions none.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace telcomply {

std::unique_ptr<Store> open_postgres_store(const std::string& location,
                                           const StoreOptions& options);

}  // namespace telcomply
