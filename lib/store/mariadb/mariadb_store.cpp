#include "store/mariadb/mariadb_store.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/input.h"
#include "core/location.h"
#include "store/named_sql.h"
#include "store/server_common.h"

namespace telcomply {

namespace {

// Queued statements sent in one multi-statement round trip, at most.
constexpr std::size_t kQueueStatements = 256;
constexpr std::size_t kQueueBytes = 1024 * 1024;
// Engines that roll a transaction back; scrub --apply changes tables in no other.
constexpr std::string_view kTransactional[] = {"InnoDB", "RocksDB"};
// The binary character set's number (a BLOB, BINARY or VARBINARY column, or bytes).
constexpr unsigned int kBinaryCharset = 63;

StoreFailure failure_of(unsigned int code) {
  switch (code) {
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_DEADLOCK:
    case ER_STATEMENT_TIMEOUT:
    case ER_QUERY_INTERRUPTED:
    case 3024:  // MySQL: max_execution_time exceeded
      return StoreFailure::busy;
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
    case ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:
    case ER_OPTION_PREVENTS_STATEMENT:
      return StoreFailure::permission;
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_LOST_EXTENDED:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
      return StoreFailure::connection_lost;
    case ER_NOT_KEYFILE:
    case ER_CRASHED_ON_USAGE:
    case ER_CRASHED_ON_REPAIR:
    case ER_INDEX_CORRUPT:
      return StoreFailure::corrupt;
    default:
      return StoreFailure::other;
  }
}

// The server's message, without the values some of them quote (a duplicate key's, a value
// that does not fit its column): messages never hold personal data.
std::string message_of(MYSQL* conn) {
  const unsigned int code = mysql_errno(conn);
  switch (code) {
    case ER_DUP_ENTRY:
      return "a value would be in a unique key of its table twice (duplicate entry)";
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case ER_WRONG_VALUE_FOR_TYPE:
      return "a value does not fit its column's type";
    case ER_LOCK_WAIT_TIMEOUT:
      return "database is locked by another process (lock wait timeout exceeded)";
    case ER_LOCK_DEADLOCK:
      return "database is locked by another process (a deadlock; the transaction was rolled "
             "back)";
    default:
      break;
  }
  const StoreFailure failure = failure_of(code);
  if (failure == StoreFailure::connection_lost)
    return "the connection to the database server was lost (" + first_line(mysql_error(conn)) + ")";
  return first_line(mysql_error(conn));
}

[[noreturn]] void fail(MYSQL* conn) {
  throw StoreError(failure_of(mysql_errno(conn)), message_of(conn));
}

std::string sql_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// ---------------------------------------------------------------------------------------
// Values

// How a result column's values are read, by its type.
enum class Reading {
  integer,
  unsigned_integer,
  real,
  decimal,
  boolean,
  bit,
  text,
  datetime,
  timestamp,
  blob,
  json,
  set
};

Reading reading_of(const MYSQL_FIELD& field) {
  switch (field.type) {
    case MYSQL_TYPE_TINY:
      if (field.length == 1) return Reading::boolean;  // TINYINT(1), MariaDB's BOOLEAN
      [[fallthrough]];
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_YEAR:
      return Reading::integer;
    case MYSQL_TYPE_LONGLONG:
      return (field.flags & UNSIGNED_FLAG) != 0 ? Reading::unsigned_integer : Reading::integer;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
      return Reading::real;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return Reading::decimal;
    case MYSQL_TYPE_BIT:
      return Reading::bit;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2:
      return Reading::datetime;
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2:
      return Reading::timestamp;
    case MYSQL_TYPE_JSON:  // MySQL's
      return Reading::json;
    case MYSQL_TYPE_GEOMETRY:
      return Reading::blob;
    case MYSQL_TYPE_NULL:
      return Reading::text;
    default:
      break;
  }
  if ((field.flags & SET_FLAG) != 0) return Reading::set;
  if ((field.flags & ENUM_FLAG) != 0) return Reading::text;
  // MariaDB's JSON is LONGTEXT that says so in the result's extended metadata.
  MARIADB_CONST_STRING format{};
  if (mariadb_field_attr(&format, &field, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 &&
      std::string_view(format.str, format.length) == "json")
    return Reading::json;
  if (field.charsetnr == kBinaryCharset &&
      (field.type == MYSQL_TYPE_STRING || field.type == MYSQL_TYPE_VAR_STRING ||
       field.type == MYSQL_TYPE_VARCHAR || field.type == MYSQL_TYPE_BLOB ||
       field.type == MYSQL_TYPE_TINY_BLOB || field.type == MYSQL_TYPE_MEDIUM_BLOB ||
       field.type == MYSQL_TYPE_LONG_BLOB))
    return Reading::blob;
  return Reading::text;
}

class MyRow final : public Row {
 public:
  std::size_t size() const override { return readings.size(); }
  ValueType type(std::size_t column) const override {
    if (cells[column] == nullptr) return ValueType::null;
    switch (readings[column]) {
      case Reading::integer:
      case Reading::bit:
        return ValueType::integer;
      case Reading::unsigned_integer: {
        std::int64_t value = 0;
        const std::string_view v = raw(column);
        const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
        return error == std::errc() ? ValueType::integer : ValueType::decimal;
      }
      case Reading::real:
        return ValueType::real;
      case Reading::decimal:
        return ValueType::decimal;
      case Reading::boolean:
        return ValueType::boolean;
      case Reading::blob:
        return ValueType::blob;
      case Reading::json:
      case Reading::set:
        return ValueType::json;
      case Reading::text:
      case Reading::datetime:
      case Reading::timestamp:
        return ValueType::text;
    }
    return ValueType::text;
  }
  std::int64_t integer(std::size_t column) const override {
    if (cells[column] == nullptr) return 0;
    if (readings[column] == Reading::bit) {
      std::uint64_t value = 0;
      for (const char c : raw(column)) value = value << 8 | static_cast<unsigned char>(c);
      return static_cast<std::int64_t>(value);
    }
    if (readings[column] == Reading::boolean) return raw(column) == "0" ? 0 : 1;
    const std::string_view text = raw(column);
    std::int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  double real(std::size_t column) const override {
    return cells[column] == nullptr ? 0.0 : std::strtod(cells[column], nullptr);
  }
  std::string_view text(std::size_t column) const override {
    if (cells[column] == nullptr) return {};
    switch (readings[column]) {
      case Reading::boolean:
        return raw(column) == "0" ? "false" : "true";
      case Reading::bit:
      case Reading::datetime:
      case Reading::timestamp:
      case Reading::set:
        return converted[column];
      default:
        return raw(column);
    }
  }

  // Makes `row` (its cells and their lengths) current, converting what text() shows
  // differently.
  void load(const char* const* row, const unsigned long* row_lengths) {
    cells = row;
    lengths = row_lengths;
    converted.resize(readings.size());
    for (std::size_t c = 0; c < readings.size(); ++c) {
      const Reading reading = readings[c];
      if (cells[c] == nullptr || (reading != Reading::datetime && reading != Reading::timestamp &&
                                  reading != Reading::set && reading != Reading::bit))
        continue;
      std::string& out = converted[c];
      const std::string_view value = raw(c);
      if (reading == Reading::bit) {
        out = std::to_string(integer(c));
      } else if (reading == Reading::set) {
        // 'a,b' as ["a","b"]: a SET's members hold no comma.
        out = "[";
        std::size_t at = 0;
        while (at < value.size()) {
          const std::size_t comma = std::min(value.find(',', at), value.size());
          out += (at == 0 ? "" : ",") + json_string(value.substr(at, comma - at));
          at = comma + 1;
        }
        out += "]";
      } else {
        out.assign(value);
        // ISO 8601: 2026-05-23 10:00:00 as 2026-05-23T10:00:00; a TIMESTAMP, which the
        // session shows in UTC, with Z. A zero date ("0000-00-00 00:00:00") stays as it is.
        if (out.size() >= 19 && out[10] == ' ' && value.substr(0, 4) != "0000") {
          out[10] = 'T';
          if (reading == Reading::timestamp) out += 'Z';
        }
      }
    }
  }

  std::vector<Reading> readings;

 private:
  std::string_view raw(std::size_t column) const { return {cells[column], lengths[column]}; }
  const char* const* cells = nullptr;
  const unsigned long* lengths = nullptr;
  std::vector<std::string> converted;
};

class MyDialect final : public Dialect {
 public:
  std::string differs(const std::string& a, const std::string& b) const override {
    return "(NOT (" + a + " <=> " + b + "))";
  }
  std::string as_text(const std::string& expr) const override {
    return "CAST(" + expr + " AS CHAR)";
  }
  bool typed_columns() const override { return true; }
  // Numbers, dates and bytes are of the binary character set.
  std::string is_text(const std::string& expr) const override {
    return "(CHARSET(" + expr + ") <> 'binary')";
  }
  std::string length(const std::string& expr) const override { return "CHAR_LENGTH(" + expr + ")"; }
  // The forms parse_iso_moment reads; what does not match is NULL. The date and time are read
  // as UTC, then the offset is taken off; TIMESTAMPDIFF also counts before 1970.
  std::string iso_unix_seconds(const std::string& expr) const override {
    const std::string text = "CAST(" + expr + " AS CHAR)";
    const std::string moment =
        "CAST(replace(REGEXP_SUBSTR(" + text +
        ", '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?'), 'T', ' ') AS "
        "DATETIME)";
    const std::string offset = "REGEXP_SUBSTR(" + text + ", '[+-][0-9]{2}:[0-9]{2}$')";
    return "(CASE WHEN " + text +
           " REGEXP '(?-i)^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?"
           "(Z|[+-][0-9]{2}:[0-9]{2})?)?$' THEN TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', " +
           moment + ") - coalesce((CASE WHEN left(" + offset +
           ", 1) = '-' THEN -1 ELSE 1 END) * (" + "CAST(substr(" + offset +
           ", 2, 2) AS SIGNED) * 3600 + CAST(substr(" + offset +
           ", 5, 2) AS SIGNED) * 60), 0) END)";
  }
  std::string row_id() const override { return ""; }
  bool indexes_hold_key() const override { return true; }
  // InnoDB keeps a table in the order of its primary key: a window over the key reads it in
  // that order already.
  std::string walk_table_hint() const override { return ""; }
  std::string delete_alias(const std::string& table) const override { return table; }
  std::string in_subquery(const std::string& select) const override {
    // DISTINCT keeps the derived table from being merged back into the statement.
    return "SELECT * FROM (SELECT DISTINCT " + select.substr(select.find(' ') + 1) + ") AS tc_in";
  }
  bool native_dates() const override { return true; }
  // The zero date and dates with a zero month or day, which MariaDB stores unless its SQL
  // mode forbids them.
  std::string not_a_moment(const std::string& expr) const override {
    return "(" + expr + " < '0001-01-01' OR MONTH(" + expr + ") = 0 OR DAYOFMONTH(" + expr +
           ") = 0)";
  }
};

class MyStore;

class MyStatement final : public Statement {
 public:
  MyStatement(MyStore& store, std::string_view sql)
      : store_(store), sql_(split_named_sql(sql)), bound_(sql_.names.size(), nullptr) {}
  ~MyStatement() override;
  MyStatement(const MyStatement&) = delete;
  MyStatement& operator=(const MyStatement&) = delete;

  bool bind(std::string_view name, const Param& value) override {
    bool found = false;
    for (std::size_t i = 0; i < sql_.names.size(); ++i) {
      if (sql_.names[i] != name && ":" + sql_.names[i] != name) continue;
      bound_[i] = value;
      found = true;
    }
    return found;
  }
  bool step() override;
  const Row& row() const override { return row_; }
  std::int64_t run() override;
  void reset() override;
  // The SQL with the bound values written in.
  std::string text() const;
  // Has the server parse the statement (as a prepared statement, closed at once), so that a
  // mistake in it is reported where it is prepared.
  void check();
  // Reads the rest of the result into memory: another statement needs the connection.
  void buffer_rest();
  // Ends the statement as if it had read its last row (its transaction was rolled back).
  void abandon() noexcept {
    finish();
    state_ = State::done;
  }

 private:
  void start();
  void finish() noexcept;

  MyStore& store_;
  NamedSql sql_;
  std::vector<Param> bound_;
  enum class State { idle, streaming, buffered, done } state_ = State::idle;
  MYSQL_RES* result_ = nullptr;
  // The rest of the rows, read ahead by buffer_rest(): cells and lengths per row.
  std::vector<std::vector<std::optional<std::string>>> rest_;
  std::size_t next_ = 0;
  std::vector<const char*> cells_;
  std::vector<unsigned long> lengths_;
  MyRow row_;
};

class MyStore final : public Store {
 public:
  MyStore(const std::string& location, const StoreOptions& options)
      : name_(shown_location(location)), options_(options) {
    const std::optional<ServerUrl> url = parse_server_url(location);
    if (!url) throw Error(Exit::invalid, "cannot read the database location '" + name_ + "'");
    conn_ = mysql_init(nullptr);
    if (conn_ == nullptr) throw std::bad_alloc();
    try {
      connect(*url);
    } catch (...) {
      mysql_close(conn_);
      conn_ = nullptr;
      throw;
    }
  }
  ~MyStore() override {
    if (conn_ != nullptr) mysql_close(conn_);
  }
  MyStore(const MyStore&) = delete;
  MyStore& operator=(const MyStore&) = delete;

  const std::string& name() const override { return name_; }
  const Dialect& dialect() const override { return dialect_; }
  const DbSchema& schema() override {
    if (!schema_) schema_ = read_schema();
    return *schema_;
  }
  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    auto statement = std::make_unique<MyStatement>(*this, sql);
    statement->check();
    return statement;
  }
  void execute(std::string_view sql) override {
    send(sql, nullptr);
    end_results(nullptr);
  }

  // Queued statements go to the server together, as one multi-statement text.
  void queue(Statement& statement) override {
    std::string sql = static_cast<MyStatement&>(statement).text();  // this store prepared it
    queued_bytes_ += sql.size();
    queued_.push_back(std::move(sql));
    if (queued_.size() >= kQueueStatements || queued_bytes_ >= kQueueBytes) send_queued();
  }
  std::vector<std::int64_t> run_queued() override {
    send_queued();
    return std::exchange(changed_, {});
  }

  // InnoDB's estimate (information_schema.TABLES.TABLE_ROWS).
  std::optional<std::int64_t> estimated_rows(std::string_view table) override {
    if (schema().find(table) == nullptr) return std::nullopt;
    auto rows = prepare(
        "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
        "TABLE_NAME = :t");
    rows->bind("t", std::string(table));
    if (!rows->step() || rows->row().is_null(0)) return std::nullopt;
    return rows->row().integer(0);
  }

  void begin_snapshot() override {
    execute(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT "
        "SNAPSHOT, READ ONLY");
  }
  void begin_write() override {
    execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION");
    try {
      if (!locked_) {
        auto lock = prepare("SELECT GET_LOCK(:name, :wait)");
        lock->bind("name", lock_name_);
        lock->bind("wait", static_cast<double>(options_.busy_timeout_ms) / 1000.0);
        const bool got = lock->step() && !lock->row().is_null(0) && lock->row().integer(0) == 1;
        lock->reset();
        if (!got)
          throw StoreError(StoreFailure::busy,
                           "database is locked by another process (another telcomply run is "
                           "changing it)");
        locked_ = true;
      }
    } catch (...) {
      rollback();
      throw;
    }
  }
  void commit() override {
    execute("COMMIT");
    // DDL commits on its own: run only now, after the transaction's own changes, one ALTER
    // TABLE for all the partitions of a table (each statement costs the table's definition
    // rewritten and synced, however many partitions go). Drops that fail stay for a retry of
    // commit(), or go with rollback().
    while (!drops_.empty()) {
      const std::string parent = drops_.front().parent;
      std::string names;
      for (const DbPartition& drop : drops_) {
        if (drop.parent == parent)
          names += (names.empty() ? "" : ", ") + quote_identifier(drop.name);
      }
      execute("ALTER TABLE " + parent + " DROP PARTITION " + names);
      std::erase_if(drops_, [&](const DbPartition& drop) { return drop.parent == parent; });
    }
    release_lock();
  }
  void rollback() noexcept override {
    drops_.clear();
    queued_.clear();
    queued_bytes_ = 0;
    changed_.clear();
    // A query still streaming ends with the transaction, as a cursor does on PostgreSQL.
    if (MyStatement* reader = std::exchange(streaming_, nullptr)) reader->abandon();
    if (in_transaction()) {
      if (mysql_real_query(conn_, "ROLLBACK", 8) == 0) discard_results();
    }
    release_lock();
  }
  bool in_transaction() const override {
    unsigned int status = 0;
    if (mariadb_get_infov(conn_, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0) return false;
    return (status & SERVER_STATUS_IN_TRANS) != 0;
  }

  void require_privilege(std::string_view table, std::string_view privilege) override {
    const DbTable* found = schema().find(table);
    if (found == nullptr) return;
    const std::string& engine = engines_[found->name];
    if (privilege != "SELECT" && std::find(std::begin(kTransactional), std::end(kTransactional),
                                           engine) == std::end(kTransactional))
      throw StoreError(StoreFailure::other,
                       "table '" + std::string(table) + "' is stored in " +
                           (engine.empty() ? std::string("an unknown engine") : engine) +
                           ", which cannot roll a change back: scrub changes only tables of a "
                           "transactional engine (ALTER TABLE " +
                           found->quoted + " ENGINE = InnoDB)");
    // EXPLAIN needs the privileges of the statement it explains, and changes nothing.
    std::string sql = "EXPLAIN SELECT 1 FROM " + found->quoted;
    if (privilege == "DELETE") sql = "EXPLAIN DELETE FROM " + found->quoted + " WHERE 1 = 0";
    if (privilege == "UPDATE" && !found->columns.empty()) {
      const std::string c = quote_identifier(found->columns.front().name);
      sql = "EXPLAIN UPDATE " + found->quoted + " SET " + c + " = " + c + " WHERE 1 = 0";
    }
    try {
      execute(sql);
    } catch (const StoreError& e) {
      if (e.failure() != StoreFailure::permission) throw;
      throw StoreError(StoreFailure::permission,
                       "the database role may not " + std::string(privilege) + " in table '" +
                           std::string(table) + "' (no " + std::string(privilege) + " privilege)");
    }
  }

  // Through a secondary index the column leads, where there is one: InnoDB keeps the rows in
  // the primary key's pages, and a secondary index holds the column's values (and the key) in
  // far fewer, which the planner does not always choose for a read of every value (when the
  // primary key holds the column too, as a partitioned table's must). No faster stream than
  // the rows otherwise.
  bool each_text(const DbTable& table, const DbColumn& column,
                 const std::function<void(std::string_view)>& each) override {
    const auto index = column_index_.find({table.name, column.name});
    if (index == column_index_.end()) return false;
    const std::string c = quote_identifier(column.name);
    auto values = prepare("SELECT " + c + " FROM " + table.quoted + " FORCE INDEX (" +
                          quote_identifier(index->second) + ") WHERE " + c + " IS NOT NULL");
    while (values->step()) each(values->row().text(0));
    return true;
  }

  std::vector<DbPartition> partitions(std::string_view table) override {
    std::vector<DbPartition> out;
    const DbTable* found = schema().find(table);
    if (found == nullptr) return out;
    auto parts = prepare(
        "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = "
        "DATABASE() AND TABLE_NAME = :t AND PARTITION_METHOD IN ('RANGE', 'RANGE COLUMNS') AND "
        "SUBPARTITION_NAME IS NULL AND PARTITION_DESCRIPTION NOT LIKE '%MAXVALUE%' ORDER BY "
        "PARTITION_NAME");
    parts->bind("t", found->name);
    while (parts->step()) {
      const std::string name(parts->row().text(0));
      out.push_back(DbPartition{name, found->quoted + " PARTITION (" + quote_identifier(name) + ")",
                                found->quoted});
    }
    return out;
  }
  // The partition's rows stay locked until the transaction ends (a row lock each); a row
  // added to its range meanwhile is not (READ COMMITTED takes no gap locks).
  void lock_partition(const DbPartition& partition) override {
    auto lock = prepare("SELECT count(*) FROM " + partition.quoted + " FOR UPDATE");
    lock->run();
  }
  // Kept for commit(): the drop needs ALTER and DROP on the table, StoreError(permission)
  // from commit() otherwise.
  void drop_partition(const DbPartition& partition) override { drops_.push_back(partition); }

  // Foreign-key actions stay on: scrub removes children first, so that no action has
  // anything to do.
  void prepare_erasure() override {}

  ResidueReport erase_residue(const std::vector<std::string>& changed_tables,
                              int /*wait_ms*/) override {
    ResidueReport report;
    if (!options_.rebuild) {
      report.warnings.push_back(
          "the changed tables were not rebuilt: InnoDB's purge frees the deleted rows, but "
          "their bytes stay in the table files until the pages are reused (scrub --rebuild "
          "rebuilds the changed tables)");
    } else {
      std::size_t rebuilt = 0;
      for (const std::string& name : changed_tables) {
        const DbTable* table = schema().find(name);
        if (table == nullptr) continue;
        try {
          execute("SET SESSION max_statement_time = 0");
          execute("ALTER TABLE " + table->quoted + " FORCE");
          set_statement_timeout();
          ++rebuilt;
        } catch (const StoreError& e) {
          report.warnings.push_back("the rebuild of " + name + " failed: " + e.what());
        }
      }
      if (rebuilt > 0)
        report.done.push_back("ALTER TABLE ... FORCE rebuilt " + std::to_string(rebuilt) +
                              " changed table(s) into new files without the deleted rows");
    }
    for (std::string& w : residue()) report.warnings.push_back(std::move(w));
    return report;
  }

  std::vector<std::string> residue() const override {
    return {
        "MariaDB keeps the old values in InnoDB's undo logs until purge, in the binary log "
        "until it expires, on replicas and in backups until they expire: see "
        "telcomply-scrub(1), WHAT REMAINS"};
  }

  // InnoDB checks its pages' checksums as it reads them: there is no cheap whole-database
  // check to run here.
  void check_integrity() override {}

  const std::vector<std::string>& open_notes() const override { return notes_; }

  MYSQL* connection() { return conn_; }

  // Makes the connection free for `by` (nullptr: for the store itself): a query still
  // streaming reads its rest first.
  void claim(MyStatement* by) {
    if (streaming_ != nullptr && streaming_ != by) {
      MyStatement* reader = std::exchange(streaming_, nullptr);
      reader->buffer_rest();
    }
  }
  void streaming(MyStatement* by) { streaming_ = by; }
  void done_streaming(const MyStatement* by) {
    if (streaming_ == by) streaming_ = nullptr;
  }
  // Sends `sql` for `by` (see claim()).
  void send(std::string_view sql, MyStatement* by) {
    claim(by);
    if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail(conn_);
  }
  // Reads the results of what was sent (several for several statements); returns the rows
  // the first one changed. Throws the first failure once the server has ended them all.
  std::int64_t end_results(std::vector<std::int64_t>* changed) {
    std::int64_t first = -1;
    while (true) {
      if (MYSQL_RES* result = mysql_store_result(conn_); result != nullptr) {
        mysql_free_result(result);
      } else if (mysql_field_count(conn_) != 0) {
        fail(conn_);
      }
      const auto rows = static_cast<std::int64_t>(mysql_affected_rows(conn_));
      const std::int64_t counted = rows < 0 ? 0 : rows;  // (my_ulonglong)-1 for a query
      if (first < 0) first = counted;
      if (changed != nullptr) changed->push_back(counted);
      const int more = mysql_next_result(conn_);
      if (more > 0) fail(conn_);
      if (more < 0) break;
    }
    return first < 0 ? 0 : first;
  }

  // `value` as an SQL literal: bytes that are not UTF-8 as a hexadecimal literal.
  std::string literal(const Param& value) const {
    if (std::holds_alternative<std::nullptr_t>(value)) return "NULL";
    if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
    if (const auto* real = std::get_if<double>(&value)) {
      if (!std::isfinite(*real))
        throw StoreError(StoreFailure::other, "a value is not a finite number");
      char buffer[32];
      const auto end = std::to_chars(buffer, buffer + sizeof buffer, *real).ptr;
      std::string text(buffer, end);
      if (text.find_first_of("eE") == std::string::npos) text += "e0";  // a DOUBLE
      return text;
    }
    const std::string& text = std::get<std::string>(value);
    if (first_invalid_utf8(text)) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      std::string out = "X'";
      for (const char c : text) {
        out += kHex[static_cast<unsigned char>(c) >> 4];
        out += kHex[static_cast<unsigned char>(c) & 15];
      }
      return out + "'";
    }
    std::string out(text.size() * 2 + 2, '\0');
    out[0] = '\'';
    const unsigned long n = mysql_real_escape_string(conn_, out.data() + 1, text.data(),
                                                     static_cast<unsigned long>(text.size()));
    out.resize(n + 1);
    return out + "'";
  }

 private:
  void connect(const ServerUrl& url);
  void set_statement_timeout() {
    const long seconds = (options_.statement_timeout_ms + 999) / 1000;
    execute(mariadb_ ? "SET SESSION max_statement_time = " + std::to_string(seconds)
                     : "SET SESSION max_execution_time = " +
                           std::to_string(options_.statement_timeout_ms));
  }
  // Drops the results of what was sent, after a failure being thrown already.
  void discard_results() noexcept {
    do {
      if (MYSQL_RES* result = mysql_store_result(conn_)) mysql_free_result(result);
    } while (mysql_next_result(conn_) == 0);
  }

 public:
  // After a query's result has been read to its end: drops the results of statements sent
  // after it, if any.
  void skip_more_results() noexcept {
    while (mysql_next_result(conn_) == 0)
      if (MYSQL_RES* more = mysql_store_result(conn_)) mysql_free_result(more);
  }

 private:
  void send_queued() {
    if (queued_.empty()) return;
    std::string text;
    text.reserve(queued_bytes_ + queued_.size() * 2);
    for (const std::string& sql : queued_) (text += sql) += ";\n";
    queued_.clear();
    queued_bytes_ = 0;
    send(text, nullptr);
    end_results(&changed_);
  }
  void release_lock() noexcept {
    if (!locked_) return;
    locked_ = false;
    const std::string sql = "DO RELEASE_LOCK(" + sql_string(lock_name_) + ")";
    if (mysql_real_query(conn_, sql.data(), sql.size()) == 0) discard_results();
  }
  DbSchema read_schema();

  MYSQL* conn_ = nullptr;
  std::string name_;
  StoreOptions options_;
  MyDialect dialect_;
  std::optional<DbSchema> schema_;
  std::map<std::string, std::string> engines_;  // table -> its engine
  bool mariadb_ = true;                         // false: a MySQL server
  std::string lock_name_;
  bool locked_ = false;
  MyStatement* streaming_ = nullptr;  // the query whose rows the connection is sending
  std::vector<std::string> queued_;
  std::size_t queued_bytes_ = 0;
  std::vector<std::int64_t> changed_;
  std::vector<DbPartition> drops_;  // partitions to drop when the transaction commits
  // (table, column) -> a secondary index the column leads, from read_schema().
  std::map<std::pair<std::string, std::string>, std::string> column_index_;
  std::vector<std::string> notes_;
};

// ---------------------------------------------------------------------------------------

void MyStore::connect(const ServerUrl& url) {
  std::string socket, group = "telcomply", option_file;
  std::optional<std::string> ssl_mode;
  std::map<std::string, std::string> tls;
  for (const auto& [key, value] : url.settings) {
    if (key == "socket") {
      socket = value;
    } else if (key == "ssl-mode" || key == "sslmode") {
      std::string mode;
      for (char c : value) mode += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::replace(mode.begin(), mode.end(), '-', '_');
      if (mode != "DISABLED" && mode != "PREFERRED" && mode != "REQUIRED" && mode != "VERIFY_CA" &&
          mode != "VERIFY_IDENTITY")
        throw Error(Exit::invalid,
                    "unknown ssl-mode '" + value +
                        "' in the database location (expected DISABLED, PREFERRED, REQUIRED, "
                        "VERIFY_CA or VERIFY_IDENTITY)");
      ssl_mode = mode;
    } else if (key == "ssl-ca" || key == "ssl-capath" || key == "ssl-cert" || key == "ssl-key" ||
               key == "ssl-crl" || key == "tls-version") {
      tls[key] = value;
    } else if (key == "option-file") {
      option_file = value;
    } else if (key == "group") {
      group = value;
    } else {
      throw Error(Exit::invalid, "unknown setting '" + key +
                                     "' in the database location (expected socket, ssl-mode, "
                                     "ssl-ca, ssl-capath, ssl-cert, ssl-key, ssl-crl, "
                                     "tls-version, option-file or group)");
    }
  }
  const unsigned int timeout = 10;
  mysql_optionsv(conn_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  if (options_.statement_timeout_ms > 0) {
    // A read waits for a statement's first row at most as long as the statement may run.
    const unsigned int read = static_cast<unsigned int>(options_.statement_timeout_ms / 1000 + 60);
    mysql_optionsv(conn_, MYSQL_OPT_READ_TIMEOUT, &read);
  }
  const my_bool off = 0;
  mysql_optionsv(conn_, MYSQL_OPT_RECONNECT, &off);  // never a new session mid-transaction
  mysql_optionsv(conn_, MYSQL_OPT_LOCAL_INFILE, &off);
  mysql_optionsv(conn_, MYSQL_READ_DEFAULT_GROUP, group.c_str());
  if (!option_file.empty()) mysql_optionsv(conn_, MYSQL_READ_DEFAULT_FILE, option_file.c_str());
  // After the option files, which may name another character set.
  mysql_optionsv(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const auto tls_option = [&](const char* key, mysql_option option) {
    if (auto it = tls.find(key); it != tls.end()) mysql_optionsv(conn_, option, it->second.c_str());
  };
  tls_option("ssl-ca", MYSQL_OPT_SSL_CA);
  tls_option("ssl-capath", MYSQL_OPT_SSL_CAPATH);
  tls_option("ssl-cert", MYSQL_OPT_SSL_CERT);
  tls_option("ssl-key", MYSQL_OPT_SSL_KEY);
  tls_option("ssl-crl", MYSQL_OPT_SSL_CRL);
  tls_option("tls-version", MARIADB_OPT_TLS_VERSION);
  if (ssl_mode) {
    const my_bool enforce = *ssl_mode != "DISABLED" && *ssl_mode != "PREFERRED";
    const my_bool verify = *ssl_mode == "VERIFY_CA" || *ssl_mode == "VERIFY_IDENTITY";
    mysql_optionsv(conn_, MYSQL_OPT_SSL_ENFORCE, &enforce);
    mysql_optionsv(conn_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  const char* host = url.host.empty() ? nullptr : url.host.c_str();
  if (!socket.empty() && host == nullptr) host = "localhost";
  if (mysql_real_connect(conn_, host, url.user.empty() ? nullptr : url.user.c_str(), nullptr,
                         url.database.empty() ? nullptr : url.database.c_str(),
                         static_cast<unsigned int>(url.port.value_or(0)),
                         socket.empty() ? nullptr : socket.c_str(),
                         CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS) == nullptr) {
    const unsigned int code = mysql_errno(conn_);
    const bool refused = code == ER_ACCESS_DENIED_ERROR || code == ER_DBACCESS_DENIED_ERROR ||
                         code == ER_BAD_DB_ERROR;
    throw StoreError(refused ? StoreFailure::permission : StoreFailure::connection_lost,
                     first_line(mysql_error(conn_)));
  }
  // The client library may settle for a connection without TLS: what ssl-mode asks for is
  // checked here (over a Unix socket too).
  if (ssl_mode && *ssl_mode != "DISABLED" && *ssl_mode != "PREFERRED" &&
      mysql_get_ssl_cipher(conn_) == nullptr)
    throw StoreError(StoreFailure::permission,
                     "the connection is not encrypted, but ssl-mode=" + *ssl_mode +
                         " asks for TLS (the server offers none)");
  mariadb_ = std::string_view(mysql_get_server_info(conn_)).find("MariaDB") != std::string::npos;
  // The session: ANSI quoting (identifiers in double quotes, as on the other backends), no
  // backslash escapes in literals, strict writes, UTC, and bounded waits.
  const long lock_seconds = std::max(1, (options_.busy_timeout_ms + 999) / 1000);
  execute(
      "SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,STRICT_ALL_TABLES,"
      "NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', "
      "innodb_lock_wait_timeout = " +
      std::to_string(lock_seconds) + ", lock_wait_timeout = " + std::to_string(lock_seconds));
  set_statement_timeout();
  if (options_.mode == OpenMode::read_only) execute("SET SESSION TRANSACTION READ ONLY");
  // The connection's character set, whatever the option files said: utf8mb4 throughout, or
  // no session at all (text in another set would be mangled).
  auto sets = prepare(
      "SELECT @@character_set_client, @@character_set_connection, @@character_set_results, "
      "DATABASE()");
  if (!sets->step()) fail(conn_);
  for (std::size_t i = 0; i < 3; ++i)
    if (sets->row().text(i) != "utf8mb4")
      throw StoreError(StoreFailure::other, "the database session's character set is " +
                                                std::string(sets->row().text(i)) + ", not utf8mb4");
  if (sets->row().is_null(3))
    throw Error(Exit::invalid, "the database location names no database (mariadb://host/NAME)");
  // GET_LOCK's names hold 64 characters at most.
  lock_name_ = ("telcomply:" + std::string(sets->row().text(3))).substr(0, 64);
}

// The user tables and views of the connection's database, from information_schema.
DbSchema MyStore::read_schema() {
  DbSchema schema;
  try {
    auto tables = prepare(
        "SELECT TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES WHERE "
        "TABLE_SCHEMA = DATABASE()");
    while (tables->step()) {
      const Row& r = tables->row();
      const std::string name(r.text(0));
      const std::string_view type = r.text(1);
      if (type == "VIEW") {
        schema.views.insert(name);
      } else if (type == "BASE TABLE" || type == "SYSTEM VERSIONED") {
        DbTable& table = schema.tables[name];
        table.name = name;
        table.quoted = quote_identifier(name);
        engines_[name] = std::string(r.text(2));
      }
    }
    // Columns that MariaDB's JSON type checks with json_valid().
    std::set<std::pair<std::string, std::string>> json;
    auto checks = prepare(
        "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE "
        "CONSTRAINT_SCHEMA = DATABASE() AND CHECK_CLAUSE LIKE 'json_valid(%)'");
    while (checks->step()) {
      // json_valid("name"): the session's ANSI_QUOTES quotes it so.
      std::string clause(checks->row().text(1));
      if (clause.size() > 14 && clause[11] == '"' && clause[clause.size() - 2] == '"')
        json.emplace(std::string(checks->row().text(0)), clause.substr(12, clause.size() - 14));
    }
    auto columns = prepare(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, "
        "ORDINAL_POSITION");
    while (columns->step()) {
      const Row& r = columns->row();
      auto table = schema.tables.find(std::string(r.text(0)));
      if (table == schema.tables.end()) continue;  // a view's
      DbColumn column;
      column.name = std::string(r.text(1));
      column.type = std::string(r.text(2));
      const std::string data(r.text(3));
      if (data == "tinyint" && column.type.starts_with("tinyint(1)"))
        column.kind = ColumnType::boolean;
      else if (json.contains({table->first, column.name}) || data == "json")
        column.type = "json";  // other
      else if (data == "tinyint" || data == "smallint" || data == "mediumint" || data == "int" ||
               data == "bigint" || data == "year")
        column.kind = ColumnType::integer;
      else if (data == "decimal")
        column.kind = ColumnType::decimal;
      else if (data == "float" || data == "double")
        column.kind = ColumnType::real;
      else if (data == "date")
        column.kind = ColumnType::date;
      else if (data == "datetime" || data == "timestamp")
        column.kind = ColumnType::timestamp;
      else if (data.ends_with("char") || data.ends_with("text") || data == "enum" || data == "set")
        column.kind = ColumnType::text;
      else if (data.ends_with("binary") || data.ends_with("blob"))
        column.kind = ColumnType::blob;
      column.not_null = r.text(4) == "NO";
      if (!r.is_null(5) && r.text(5) != "NULL") column.default_value = std::string(r.text(5));
      table->second.columns.push_back(std::move(column));
    }
    auto indexes = prepare(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM "
        "information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, "
        "INDEX_NAME, SEQ_IN_INDEX");
    // table -> index -> (unique, columns)
    std::map<std::string, std::map<std::string, std::pair<bool, std::vector<std::string>>>> found;
    while (indexes->step()) {
      const Row& r = indexes->row();
      if (r.is_null(4)) continue;  // an expression
      auto& index = found[std::string(r.text(0))][std::string(r.text(1))];
      index.first = r.integer(2) == 0;
      index.second.emplace_back(r.text(4));
    }
    for (auto& [name, table_indexes] : found) {
      auto table = schema.tables.find(name);
      if (table == schema.tables.end()) continue;
      for (const auto& [index, shape] : table_indexes) {
        const auto& [unique, keys] = shape;
        table->second.indexed.insert(keys.front());
        if (index != "PRIMARY") {
          // The narrowest secondary index each column leads, for each_text().
          auto [narrowest, added] = column_index_.try_emplace({name, keys.front()}, index);
          if (!added && keys.size() < table_indexes.at(narrowest->second).second.size())
            narrowest->second = index;
        }
        for (DbColumn& c : table->second.columns) {
          const bool in = std::find(keys.begin(), keys.end(), c.name) != keys.end();
          if (in && index == "PRIMARY") c.primary_key = true;
          if (unique && keys.size() == 1 && keys.front() == c.name) c.unique = true;
        }
      }
    }
    auto keys = prepare(
        "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM "
        "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND "
        "REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY "
        "TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION");
    while (keys->step()) {
      const Row& r = keys->row();
      auto table = schema.tables.find(std::string(r.text(0)));
      if (table == schema.tables.end() || schema.find(r.text(2)) == nullptr) continue;
      table->second.foreign_keys.push_back(
          DbForeignKey{std::string(r.text(1)), std::string(r.text(2)), std::string(r.text(3))});
    }
  } catch (...) {
    rethrow_database_error("cannot read the database schema");
  }
  return schema;
}

// ---------------------------------------------------------------------------------------

MyStatement::~MyStatement() { finish(); }

std::string MyStatement::text() const {
  return sql_.join([&](std::size_t i) { return store_.literal(bound_[i]); });
}

void MyStatement::check() {
  const std::string sql = sql_.join([](std::size_t) { return std::string("?"); });
  store_.claim(nullptr);
  MYSQL* conn = store_.connection();
  MYSQL_STMT* parsed = mysql_stmt_init(conn);
  if (parsed == nullptr) throw std::bad_alloc();
  if (mysql_stmt_prepare(parsed, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    const unsigned int code = mysql_stmt_errno(parsed);
    const std::string message = first_line(mysql_stmt_error(parsed));
    mysql_stmt_close(parsed);
    // A statement the binary protocol does not take runs as text all the same.
    if (code != ER_UNSUPPORTED_PS) throw StoreError(failure_of(code), message);
    return;
  }
  mysql_stmt_close(parsed);
}

void MyStatement::start() {
  store_.send(text(), this);
  result_ = mysql_use_result(store_.connection());
  if (result_ == nullptr) {
    if (mysql_field_count(store_.connection()) != 0) fail(store_.connection());
    store_.end_results(nullptr);  // not a query: no rows
    state_ = State::done;
    return;
  }
  store_.streaming(this);
  state_ = State::streaming;
  if (row_.readings.empty()) {
    const unsigned int n = mysql_num_fields(result_);
    const MYSQL_FIELD* fields = mysql_fetch_fields(result_);
    for (unsigned int c = 0; c < n; ++c) row_.readings.push_back(reading_of(fields[c]));
  }
}

void MyStatement::buffer_rest() {
  if (state_ != State::streaming) return;
  MYSQL* conn = store_.connection();
  const std::size_t n = row_.readings.size();
  // The current row first: its values live in the result's buffer, which the next fetch
  // overwrites, and stay valid until the next step().
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (!cells_.empty()) {
    std::vector<std::optional<std::string>> current(n);
    for (std::size_t c = 0; c < n; ++c)
      if (cells_[c] != nullptr) current[c].emplace(cells_[c], lengths_[c]);
    rows.push_back(std::move(current));
  }
  while (MYSQL_ROW row = mysql_fetch_row(result_)) {
    const unsigned long* lengths = mysql_fetch_lengths(result_);
    std::vector<std::optional<std::string>> cells(n);
    for (std::size_t c = 0; c < n; ++c)
      if (row[c] != nullptr) cells[c].emplace(row[c], lengths[c]);
    rows.push_back(std::move(cells));
  }
  const bool failed = mysql_errno(conn) != 0;
  const StoreFailure failure = failure_of(mysql_errno(conn));
  const std::string message = failed ? message_of(conn) : std::string();
  mysql_free_result(result_);
  result_ = nullptr;
  rest_ = std::move(rows);
  state_ = State::buffered;
  if (!cells_.empty()) {
    // The current row again, from its copy.
    for (std::size_t c = 0; c < n; ++c) {
      cells_[c] = rest_[0][c] ? rest_[0][c]->c_str() : nullptr;
      lengths_[c] = rest_[0][c] ? rest_[0][c]->size() : 0;
    }
    row_.load(cells_.data(), lengths_.data());
    next_ = 1;
  }
  if (failed) throw StoreError(failure, message);
  store_.skip_more_results();
}

bool MyStatement::step() {
  if (state_ == State::done) return false;
  try {
    if (state_ == State::idle) start();
    if (state_ == State::done) return false;
    const std::size_t n = row_.readings.size();
    cells_.resize(n);
    lengths_.resize(n);
    if (state_ == State::buffered) {
      if (next_ >= rest_.size()) {
        reset();
        state_ = State::done;
        return false;
      }
      const auto& row = rest_[next_++];
      for (std::size_t c = 0; c < n; ++c) {
        cells_[c] = row[c] ? row[c]->c_str() : nullptr;
        lengths_[c] = row[c] ? row[c]->size() : 0;
      }
      row_.load(cells_.data(), lengths_.data());
      return true;
    }
    MYSQL_ROW row = mysql_fetch_row(result_);
    if (row == nullptr) {
      if (mysql_errno(store_.connection()) != 0) fail(store_.connection());
      reset();
      state_ = State::done;
      return false;
    }
    const unsigned long* lengths = mysql_fetch_lengths(result_);
    for (std::size_t c = 0; c < n; ++c) {
      cells_[c] = row[c];
      lengths_[c] = lengths[c];
    }
    row_.load(cells_.data(), lengths_.data());
    return true;
  } catch (...) {
    reset();
    throw;
  }
}

std::int64_t MyStatement::run() {
  reset();
  store_.send(text(), this);
  return store_.end_results(nullptr);
}

void MyStatement::finish() noexcept {
  if (result_ != nullptr) {
    // Freeing an unbuffered result reads what is left of it.
    mysql_free_result(result_);
    result_ = nullptr;
    store_.skip_more_results();
  }
  store_.done_streaming(this);
  rest_.clear();
  next_ = 0;
  cells_.clear();
}

void MyStatement::reset() {
  finish();
  state_ = State::idle;
}

}  // namespace

std::unique_ptr<Store> open_mariadb_store(const std::string& location,
                                          const StoreOptions& options) {
  if (location_has_password(location))
    throw Error(Exit::invalid, password_refusal(LocationKind::mariadb));
  try {
    return std::make_unique<MyStore>(location, options);
  } catch (...) {
    rethrow_database_error("cannot open database '" + shown_location(location) + "'");
  }
}

}  // namespace telcomply
