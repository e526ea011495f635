// The MariaDB (and MySQL) backend of the store, through MariaDB Connector/C.
//
// - A location is a mariadb:// or mysql:// URL (core/location.h):
//   mariadb://user@host:port/database?setting=value&..., with the settings socket (a Unix
//   socket's path), ssl-mode (DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY),
//   ssl-ca, ssl-capath, ssl-cert, ssl-key, ssl-crl, tls-version, option-file and group. The
//   client library reads its option files ([client], [client-server], [client-mariadb] and
//   the group, `telcomply` unless the URL names another) and MYSQL_PWD for the password; one
//   in the location is refused.
// - Every session speaks utf8mb4 (the server converts columns in other character sets, and
//   a session that does not end up in utf8mb4 is refused), runs in UTC with ANSI quoting and
//   strict SQL modes, and has innodb_lock_wait_timeout and lock_wait_timeout (the busy
//   timeout) and max_statement_time (MySQL: max_execution_time) set, so nothing waits forever.
// - Statements go over the text protocol with their values written in as escaped literals;
//   a query's rows stream from the server one at a time (an unbuffered result). When another
//   statement needs the connection before a query has read its last row, the rest of that
//   query's rows are read into memory first.
// - begin_snapshot() is START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY at REPEATABLE
//   READ; begin_write() a READ COMMITTED transaction that first takes telcomply's write lock
//   for the database (GET_LOCK), waiting up to the busy timeout.
// - A read-only store's sessions are read-only (SET SESSION TRANSACTION READ ONLY).
// - Tables are those of the URL's database. A partition drop is DDL, which MariaDB commits on
//   its own: drop_partition() keeps it for commit(), which runs it once the transaction's
//   other changes are committed, so that the audit trail records it first.
// - scrub --apply refuses a table whose engine cannot roll back (MyISAM, Aria, ...) in
//   require_privilege(), before anything changes.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace telcomply {

std::unique_ptr<Store> open_mariadb_store(const std::string& location, const StoreOptions& options);

}  // namespace telcomply
