// The store: the one interface through which every command reads and changes the operator's
// database. A backend (store/sqlite/ today) implements it; nothing outside a backend's folder
// knows which database it talks to. SQL is built only from identifiers checked against the
// real schema (schema()) and quoted (Dialect::quote); values are always bound parameters.
//
// The contract every backend keeps (tests/store/store_contract_test.cpp runs it against each):
// - open_store() refuses a location it cannot open with a one-line error naming it (never a
//   password), Error(invalid) for a location that does not exist or is not a database file,
//   StoreError(operational) for a database that is busy, corrupt or unreachable;
// - a read-only store never writes; a store opened read-only after a writer was killed
//   mid-transaction sees the last committed state;
// - schema() is read once per store and lists user tables only;
// - statements take named parameters written `:name` (letters, digits, underscore); the same
//   name may appear several times; a row's text stays valid until the next step();
// - reads stream: a statement holds one row at a time, whatever the result's size;
// - begin_snapshot() gives reads that agree with each other until commit() or rollback();
//   begin_write() takes the write lock at once (waiting up to the busy timeout), and a
//   transaction is all or nothing;
// - every failure is a StoreError with its kind (busy, corrupt, permission, connection lost,
//   other), so callers retry what can be retried and report the rest;
// - a store and its statements are used by one thread at a time (the SQLite backend opens
//   its connection without SQLite's per-call mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"

namespace telcomply {

// ---------------------------------------------------------------------------------------
// Schema

// A column's declared type, normalised across backends.
enum class ColumnType { integer, real, decimal, text, blob, boolean, date, timestamp, other };

struct DbColumn {
  std::string name;
  std::string type;  // declared type, as written
  ColumnType kind = ColumnType::other;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;  // a single-column UNIQUE constraint or unique index (or a one-column key)
  std::optional<std::string> default_value;
  // Numeric storage: a placeholder for NULL in a NOT NULL column is 0 rather than "".
  bool numeric() const {
    return kind == ColumnType::integer || kind == ColumnType::real || kind == ColumnType::decimal ||
           kind == ColumnType::boolean;
  }
  bool dated() const { return kind == ColumnType::date || kind == ColumnType::timestamp; }
};

struct DbForeignKey {
  std::string column;
  std::string parent_table;
  std::string parent_column;  // empty: the parent's primary key
};

struct DbTable {
  std::string name;    // as the data map names it: "calls", or "crm.klanten" outside the
                       // search path of a server's connection
  std::string quoted;  // the table in SQL: "calls", "crm"."klanten"
  std::vector<DbColumn> columns;
  std::vector<DbForeignKey> foreign_keys;
  std::set<std::string> indexed;  // columns that lead an index (the key included)
  // The backend's own row address is usable for walking the table in windows (SQLite's
  // rowid); false for tables without one.
  bool has_row_id = false;
  const DbColumn* find(std::string_view column) const;
};

// A leaf partition of a partitioned table that holds a bounded range of rows (a server's;
// SQLite has none).
struct DbPartition {
  std::string name;    // as the database shows it ("call_records_2025_01")
  std::string quoted;  // the partition in SQL
  std::string parent;  // the table it is attached to, in SQL
};

struct DbSchema {
  std::map<std::string, DbTable> tables;  // user tables only (a partitioned table is one)
  std::set<std::string> views;            // views, by the same naming: not tables of the data
  const DbTable* find(std::string_view table) const;
};

// Normalises a declared type ("VARCHAR(40)", "DATETIME", "INTEGER") by the rules SQLite and
// SQL use for type names: integer, real, decimal, text, blob, boolean, date, timestamp.
ColumnType normalise_type(std::string_view declared);

// ---------------------------------------------------------------------------------------
// Values

// A bound parameter.
using Param = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::map<std::string, Param>;

// decimal: an exact number, text() its digits; boolean: integer() 1 or 0, text() "true" or
// "false"; json: text() is JSON (a server's json or jsonb value, or an array as a JSON array).
// SQLite values are null, integer, real, text or blob only.
enum class ValueType { null, integer, real, text, blob, decimal, boolean, json };

// The current row of a statement. Text and blob views stay valid until the statement steps
// again, is reset or is destroyed.
class Row {
 public:
  virtual ~Row() = default;
  virtual std::size_t size() const = 0;
  virtual ValueType type(std::size_t column) const = 0;
  virtual std::int64_t integer(std::size_t column) const = 0;
  virtual double real(std::size_t column) const = 0;
  // Text (UTF-8) or blob bytes; the decimal form of a number; dates and times in ISO 8601
  // (a server's times with a time zone in UTC: 2026-05-23T10:00:00Z).
  virtual std::string_view text(std::size_t column) const = 0;

  bool is_null(std::size_t column) const { return type(column) == ValueType::null; }
  // The value as a parameter (a copy): for keys read in one statement and bound in another.
  Param value(std::size_t column) const;
  // integer(), or 0 for NULL.
  std::int64_t integer_or_zero(std::size_t column) const {
    return is_null(column) ? 0 : integer(column);
  }
};

// A prepared statement with `:name` parameters.
class Statement {
 public:
  virtual ~Statement() = default;
  // Binds `:name`; returns false (and binds nothing) when the statement has no such parameter.
  virtual bool bind(std::string_view name, const Param& value) = 0;
  // Advances to the next result row; false when there is none (the statement is done).
  virtual bool step() = 0;
  virtual const Row& row() const = 0;
  // Runs the statement to completion and returns the number of rows it changed.
  virtual std::int64_t run() = 0;
  // Makes the statement ready to run again; bindings are kept.
  virtual void reset() = 0;

  // Binds every parameter of `params` the statement uses.
  void bind_all(const Params& params) {
    for (const auto& [name, value] : params) bind(name, value);
  }
};

// ---------------------------------------------------------------------------------------
// The SQL dialect: the few places where backends spell the same thing differently.

class Dialect {
 public:
  virtual ~Dialect() = default;
  // "name", embedded quotes doubled: safe to splice into SQL as an identifier.
  virtual std::string quote(std::string_view identifier) const;
  // a and b are equal ignoring ASCII case (b is usually a parameter): lower(a) = lower(b).
  virtual std::string equals_nocase(const std::string& a, const std::string& b) const;
  // a and b differ, NULL-safe: 1 when exactly one is NULL, never NULL itself.
  virtual std::string differs(const std::string& a, const std::string& b) const = 0;
  // The value as text, for comparing flags written as text, numbers or booleans.
  virtual std::string as_text(const std::string& expr) const = 0;
  // True when the flag `expr`, a column of type `kind`, is set: not NULL, not zero, not empty
  // and not a word for no ('false', 'no', 'nee', 'n', 'f', in any case, blanks around it), as
  // text in any column (SQLite keeps a column's values in any type). A backend with strict
  // types (typed_columns()) compares a number or boolean column as its type, which its planner
  // can estimate from the column's statistics (a few held rows, not most of the table).
  std::string flag_set(const std::string& expr, ColumnType kind) const;
  // A column's values are all of its declared type (a server's), rather than of any (SQLite).
  virtual bool typed_columns() const { return false; }
  // 1 when the value is stored as text (SQLite keeps a column's values in any type).
  virtual std::string is_text(const std::string& expr) const = 0;
  // 1 when the value is stored as an integer, for a backend whose columns keep values of any
  // type (SQLite: typeof); empty when the backend has no such test (a typed column's values
  // are of its type).
  virtual std::string is_integer(const std::string& /*expr*/) const { return ""; }
  // The length of a text value in characters.
  virtual std::string length(const std::string& expr) const { return "length(" + expr + ")"; }
  // Unix time (an integer) of ISO 8601 text in the forms parse_iso_moment (core/date.h) reads,
  // a time without an offset taken as UTC; NULL for text it cannot read.
  virtual std::string iso_unix_seconds(const std::string& expr) const = 0;
  // The pseudo-column addressing a row, for walking a table in windows ("rowid"); empty when
  // the backend has none.
  virtual std::string row_id() const = 0;
  // Whether every index entry holds the row's primary key (InnoDB's secondary indexes point at
  // rows by it), so that a read of an index finds the key of each row at no extra cost, as it
  // finds SQLite's row_id(). False by default.
  virtual bool indexes_hold_key() const { return false; }
  // Appended to "FROM table [alias]" to make a statement read the table itself, in its
  // stored order, rather than find rows through an index: for windows over row_id(), and
  // for reads that keep a large share of a table's rows, which a sequential read serves with
  // far fewer page reads than one index lookup per row (export: see Store::estimated_rows).
  // Empty when the backend has no such hint or its planner chooses well by itself (SQLite:
  // " NOT INDEXED"; MariaDB could say " USE INDEX ()"; PostgreSQL, which has no hints but
  // plans from statistics, leaves it empty or turns index scans off for the statement).
  // A hint changes the plan, never the rows or, with an ORDER BY, their order.
  virtual std::string walk_table_hint() const = 0;
  // `select`, an uncorrelated subquery of one column for `expr IN (...)`, written so that the
  // planner reads it once per statement: as it is (the default), or, where a DELETE or
  // UPDATE of one table runs such a subquery again for every row (MariaDB before 11.1, which
  // has no semi-joins there), its distinct rows as a derived table, materialised once.
  virtual std::string in_subquery(const std::string& select) const { return select; }
  // The name by which the conditions of a DELETE of `table` (quoted) refer to it:
  // "DELETE FROM table AS a WHERE a.id ..." (the default, "a"). A backend whose DELETE of one
  // table takes no alias (MariaDB before 11.6) returns `table` itself, and the statement is
  // "DELETE FROM table WHERE table.id ...".
  virtual std::string delete_alias(const std::string& /*table*/) const { return "a"; }
  // Columns declared as dates or timestamps hold typed values that compare with ISO 8601 text
  // in SQL as moments (a server's date and timestamp types), rather than text of any form
  // (SQLite).
  virtual bool native_dates() const { return false; }
  // For such a column: a condition true for a stored value that is no moment (PostgreSQL's
  // infinity and -infinity), which an index on the column serves; empty when the types hold
  // only moments.
  virtual std::string not_a_moment(const std::string& /*expr*/) const { return ""; }
};

// "name" with embedded quotes doubled (the ANSI quoting every backend is set up to accept).
std::string quote_identifier(std::string_view name);

// ---------------------------------------------------------------------------------------
// Errors

enum class StoreFailure { busy, corrupt, permission, connection_lost, other };

// A database failure: Exit::operational, with its kind for callers that retry.
class StoreError : public Error {
 public:
  // `in_context`: the message already says what was being done (see rethrow_database_error).
  StoreError(StoreFailure failure, const std::string& message, bool in_context = false)
      : Error(Exit::operational, message), failure_(failure), in_context_(in_context) {}
  StoreFailure failure() const { return failure_; }
  bool in_context() const { return in_context_; }

 private:
  StoreFailure failure_;
  bool in_context_;
};

// Converts the exception being handled into an Error: a StoreError from the backend gets
// `what` in front ("reading call_records: database is locked by another process"), once;
// any other Error passes as it is; anything else becomes Error(operational) naming `what`.
// Call only inside a catch block.
[[noreturn]] void rethrow_database_error(const std::string& what);

// ---------------------------------------------------------------------------------------
// The connection

enum class OpenMode { read_only, read_write };

struct StoreOptions {
  OpenMode mode = OpenMode::read_only;
  // How long a statement waits for a lock another process holds before failing as busy.
  int busy_timeout_ms = 10000;
  // A server: how long one statement may run before it is cancelled (0: no bound).
  int statement_timeout_ms = 3600000;
  // A server that keeps old row versions until they are vacuumed (PostgreSQL): vacuum the
  // changed tables in erase_residue(). Off for operators who schedule VACUUM themselves.
  bool vacuum = true;
  // A server whose tables keep deleted rows in their files until pages are reused (MariaDB's
  // InnoDB): rebuild the changed tables in erase_residue() (ALTER TABLE ... FORCE), which
  // copies the live rows into new files. Off by default: a rebuild rewrites the whole table.
  bool rebuild = false;
};

// What stays of deleted or overwritten values after a change, and what was done about it.
struct ResidueReport {
  std::vector<std::string> done;      // e.g. "secure_delete overwrote freed pages"
  std::vector<std::string> warnings;  // what could not be done now, and what to do
};

class Store {
 public:
  virtual ~Store() = default;
  // The location as it may be shown in messages (never a password).
  virtual const std::string& name() const = 0;
  // The same database by whatever name it was opened (never a password), for records that
  // a later run must match to it: a database file's canonical path.
  virtual const std::string& identity() const { return name(); }
  virtual const Dialect& dialect() const = 0;
  // The user tables, read once.
  virtual const DbSchema& schema() = 0;
  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  // Runs SQL that returns no rows (several statements may be separated by ';').
  virtual void execute(std::string_view sql) = 0;
  // Runs `statement` (not a query, prepared by this store) with the values bound now, or
  // queues it: run_queued() returns the rows each queued statement changed, in order. A
  // server runs queued statements without a round trip each (PostgreSQL's pipeline); the
  // default runs it at once. Nothing else may use the store until run_queued().
  virtual void queue(Statement& statement) { queued_.push_back(statement.run()); }
  // Runs what is queued; throws the first failure once every queued statement has ended.
  virtual std::vector<std::int64_t> run_queued() { return std::exchange(queued_, {}); }
  // About how many rows `table` holds, found without reading them (SQLite: the span of its
  // row ids; a server: its planner's statistics), or nullopt when the backend cannot tell
  // cheaply (the default). For choosing how to read a table, never for counting.
  virtual std::optional<std::int64_t> estimated_rows(std::string_view /*table*/) {
    return std::nullopt;
  }

  virtual void begin_snapshot() = 0;
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const = 0;

  // Calls `each` (which must not throw) with every value of `column` of `table` that is not
  // NULL, as text, in the fastest stream the backend has, and returns true; false when it
  // has none beyond prepare() (SQLite, in-process). PostgreSQL: COPY ... TO STDOUT, which
  // costs the server about half of what a cursor's rows do; MariaDB: the rows of a secondary
  // index the column leads. For the date check of a text column of millions of rows
  // (read_date_columns).
  virtual bool each_text(const DbTable& /*table*/, const DbColumn& /*column*/,
                         const std::function<void(std::string_view)>& /*each*/) {
    return false;
  }

  // The partitions of `table` that each hold a bounded range of its rows, in the order of
  // their names; never a default partition (it takes rows of any range). Empty for a table
  // that is not partitioned, and on SQLite (the default).
  virtual std::vector<DbPartition> partitions(std::string_view /*table*/) { return {}; }
  // Inside a write transaction: keeps every other session from `partition` until the
  // transaction ends (waiting up to the busy timeout), so that what is read of it stays true.
  virtual void lock_partition(const DbPartition& partition);
  // Inside a write transaction: detaches `partition` from its table and drops it, rows and
  // all. Needs the table's owner: StoreError(permission) otherwise.
  virtual void drop_partition(const DbPartition& partition);
  // Throws StoreError(permission) when the connection's role may not drop the partitions of
  // `table` (PostgreSQL: it does not own the table), so that scrub deletes their rows without
  // checking them first. A backend that cannot tell without trying lets drop_partition()
  // refuse instead (the default).
  virtual void require_partition_drop(std::string_view /*table*/) {}
  // Throws StoreError(permission) naming `table` and `privilege` (SELECT, UPDATE or DELETE)
  // when the connection's role lacks it: a server checks before anything changes. SQLite
  // has no privileges beyond the file's, which opening read-write checked (the default).
  virtual void require_privilege(std::string_view /*table*/, std::string_view /*privilege*/) {}
  // Before bulk changes that erase personal data: overwrite freed space where the backend can
  // (SQLite: secure_delete, a rollback journal deleted after each transaction, a larger page
  // cache). The backend's own foreign-key actions are off: the caller removes rows only when
  // nothing references them, children first.
  virtual void prepare_erasure() = 0;
  // After such changes: remove what is left of old values where the backend can (SQLite:
  // truncate the write-ahead log, retrying for up to `wait_ms` while readers hold it), and
  // say what stays and where.
  virtual ResidueReport erase_residue(const std::vector<std::string>& changed_tables,
                                      int wait_ms) = 0;
  // What stays of deleted or overwritten values wherever the backend keeps copies of them,
  // whatever is done here (erase_residue says it too): for a dry run to say beforehand.
  virtual std::vector<std::string> residue() const { return {}; }
  // Checks the structure of the whole database, also the parts no command reads (SQLite:
  // PRAGMA quick_check), and throws StoreError(corrupt) naming the first fault it finds: a
  // damaged file is refused before anything in it changes.
  virtual void check_integrity() = 0;
  // check_integrity() beside this store's own reads where the backend can (SQLite: on a
  // read-only connection of its own, in a thread of its own): returns what waits for it and
  // throws what it found. Nothing may change the database before that has returned; until
  // then the store may be used as usual. The default checks at once.
  virtual std::function<void()> start_integrity_check() {
    check_integrity();
    return [] {};
  }
  // Notes from opening: e.g. an interrupted transaction that was rolled back first.
  virtual const std::vector<std::string>& open_notes() const = 0;

 private:
  std::vector<std::int64_t> queued_;  // the default queue's rows changed
};

// Opens the database at `location` (core/location.h): a postgresql:// URL or a service=
// string means PostgreSQL, a mariadb:// or mysql:// URL MariaDB (or MySQL), a file path SQLite.
// Throws Error(invalid) for a location that does not exist or cannot be a database (no file is
// created) and for a connection string holding a password, StoreError for a database that cannot be
// opened or reached.
std::unique_ptr<Store> open_store(const std::string& location, const StoreOptions& options);

// RAII for a write or snapshot transaction: rolled back unless committed.
class Transaction {
 public:
  enum class Kind { snapshot, write };
  Transaction(Store& store, Kind kind);
  ~Transaction();
  void commit();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  Store& store_;
  bool open_ = true;
};

}  // namespace telcomply
