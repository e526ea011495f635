#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/location.h"
#include "store/named_sql.h"
#include "store/server_common.h"

namespace telcomply {

namespace {

// Built-in type OIDs: fixed by PostgreSQL (src/include/catalog/pg_type.dat), the same on
// every server.
enum : Oid {
  kBool = 16,
  kBytea = 17,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kOid = 26,
  kJson = 114,
  kFloat4 = 700,
  kFloat8 = 701,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kNumeric = 1700,
  kJsonb = 3802,
};

// Statements a pipeline holds before their results are read: the results wait in the socket
// while more statements are sent, and must not fill it.
constexpr int kPipelineDepth = 256;
// Rows fetched from a cursor at first, and at most; a statement holds one such batch. A cursor
// whose batches stay small (narrow rows) fetches twice as many rows each time, up to
// kBatchMaxRows, so that a long read of a narrow column costs few round trips.
constexpr int kBatch = 2000;
constexpr int kBatchMaxRows = 64 * 1024;
constexpr std::size_t kBatchGrowBytes = 1024 * 1024;
// The key of telcomply's write lock (pg_advisory_xact_lock): "telcompl" in ASCII.
constexpr const char* kWriteLock = "8387222252568375404";

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

Result wrap(PGresult* result) { return Result(result, &PQclear); }

StoreFailure failure_of(std::string_view state) {
  if (state == "55P03" || state == "40001" || state == "40P01" || state == "57014")
    return StoreFailure::busy;
  if (state == "42501" || state == "25006" || state.starts_with("28"))
    return StoreFailure::permission;
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return StoreFailure::connection_lost;
  if (state == "XX001" || state == "XX002") return StoreFailure::corrupt;
  return StoreFailure::other;
}

// The failure of `result` (null when libpq could not even send the command) as StoreError.
// Only the server's primary message is used: its DETAIL may quote values (a duplicate key).
[[noreturn]] void fail(PGconn* conn, const PGresult* result) {
  if (PQstatus(conn) == CONNECTION_BAD)
    throw StoreError(StoreFailure::connection_lost,
                     "the connection to the database server was lost (" +
                         first_line(PQerrorMessage(conn)) + ")");
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const StoreFailure failure = failure_of(state != nullptr ? state : "");
  std::string message = first_line(primary != nullptr ? primary : PQerrorMessage(conn));
  if (state != nullptr && std::string_view(state) == "55P03")
    message = "database is locked by another process (" + message + ")";
  throw StoreError(failure, message);
}

// The rows an INSERT, UPDATE or DELETE changed; 0 for any other statement.
std::int64_t rows_changed(PGresult* result) {
  const char* changed = PQcmdTuples(result);
  return changed != nullptr && *changed != '\0' ? std::strtoll(changed, nullptr, 10) : 0;
}

// Checks that `result` succeeded; throws StoreError otherwise.
Result checked(PGconn* conn, PGresult* raw) {
  Result result = wrap(raw);
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn, result.get());
  return result;
}

// A field of COPY's text format (one column: the line without its newline) as the value it
// stands for: the field itself, or its unescaped copy in `out`. A backslash escapes the next
// character, or starts \b \f \n \r \t \v, up to three octal digits, or x and up to two hex
// digits.
std::string_view copy_field(std::string_view field, std::string& out) {
  if (!field.empty() && field.back() == '\n') field.remove_suffix(1);
  if (field.find('\\') == std::string_view::npos) return field;  // nothing escaped
  out.clear();
  // The value of digit `d` in `base` (8 or 16), or -1.
  auto digit = [](char d, int base) {
    const int v = d >= '0' && d <= '9'   ? d - '0'
                  : d >= 'a' && d <= 'f' ? d - 'a' + 10
                  : d >= 'A' && d <= 'F' ? d - 'A' + 10
                                         : -1;
    return v < base ? v : -1;
  };
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out += field[i];
      continue;
    }
    const char c = field[++i];
    // Octal digits start at the escaped character, hex ones after its x.
    const int base = digit(c, 8) >= 0                                                   ? 8
                     : c == 'x' && i + 1 < field.size() && digit(field[i + 1], 16) >= 0 ? 16
                                                                                        : 0;
    if (base != 0) {
      std::size_t at = base == 8 ? i : i + 1;
      const std::size_t end = at + (base == 8 ? 3 : 2);
      int value = 0;
      for (; at < end && at < field.size() && digit(field[at], base) >= 0; ++at)
        value = value * base + digit(field[at], base);
      out += static_cast<char>(value);
      i = at - 1;
      continue;
    }
    constexpr std::string_view kLetters = "bfnrtv";
    const std::size_t k = kLetters.find(c);
    out += k == std::string_view::npos ? c : "\b\f\n\r\t\v"[k];
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Values

// How a result column's values are read, by its type.
enum class Reading {
  integer,
  real,
  decimal,
  boolean,
  text,
  timestamp,
  timestamptz,
  bytea,
  json,
  array
};

struct ArrayElement {
  bool number = false, boolean = false, json = false;
};

// PostgreSQL's text form of an array ({1,2,"a b",NULL,{3}}) as a JSON array.
std::string array_json(std::string_view text, const ArrayElement& element) {
  // A lower bound other than 1 comes first: [0:1]={1,2}.
  if (!text.empty() && text.front() == '[') {
    const std::size_t eq = text.find('=');
    if (eq != std::string_view::npos) text.remove_prefix(eq + 1);
  }
  std::string out;
  std::size_t i = 0;
  const auto scalar = [&](std::string value, bool quoted) {
    if (!quoted && value == "NULL") {
      out += "null";
    } else if (element.boolean) {
      out += value == "t" ? "true" : "false";
    } else if (element.json) {
      out += value;
    } else if (element.number && value.find_first_not_of("0123456789+-.eE") == std::string::npos) {
      out += value;
    } else {
      out += json_string(value);
    }
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '{') {
      out += '[';
      ++i;
    } else if (c == '}') {
      out += ']';
      ++i;
    } else if (c == ',') {
      out += ',';
      ++i;
    } else if (c == '"') {
      std::string value;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
      ++i;
      scalar(std::move(value), true);
    } else {
      std::string value;
      while (i < text.size() && text[i] != ',' && text[i] != '}') value += text[i++];
      scalar(std::move(value), false);
    }
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

class PgRow final : public Row {
 public:
  std::size_t size() const override { return readings.size(); }
  ValueType type(std::size_t column) const override {
    if (PQgetisnull(result, index, static_cast<int>(column)) != 0) return ValueType::null;
    switch (readings[column]) {
      case Reading::integer:
        return ValueType::integer;
      case Reading::real:
        return ValueType::real;
      case Reading::decimal: {
        // NaN and the infinities are not numbers JSON can hold.
        const char* v = PQgetvalue(result, index, static_cast<int>(column));
        return std::isdigit(static_cast<unsigned char>(v[v[0] == '-' ? 1 : 0])) != 0
                   ? ValueType::decimal
                   : ValueType::text;
      }
      case Reading::boolean:
        return ValueType::boolean;
      case Reading::bytea:
        return ValueType::blob;
      case Reading::json:
      case Reading::array:
        return ValueType::json;
      case Reading::text:
      case Reading::timestamp:
      case Reading::timestamptz:
        return ValueType::text;
    }
    return ValueType::text;
  }
  std::int64_t integer(std::size_t column) const override {
    if (readings[column] == Reading::boolean) return raw(column) == "t" ? 1 : 0;
    const std::string_view text = raw(column);
    std::int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  double real(std::size_t column) const override {
    return std::strtod(PQgetvalue(result, index, static_cast<int>(column)), nullptr);
  }
  std::string_view text(std::size_t column) const override {
    if (PQgetisnull(result, index, static_cast<int>(column)) != 0) return {};
    switch (readings[column]) {
      case Reading::boolean:
        return raw(column) == "t" ? "true" : "false";
      case Reading::timestamp:
      case Reading::timestamptz:
      case Reading::bytea:
      case Reading::array:
        return converted[column];
      default:
        return raw(column);
    }
  }

  // Makes row `row` of `result` current, converting what text() shows differently.
  void load(const PGresult* batch, int row, const std::vector<ArrayElement>& elements) {
    result = batch;
    index = row;
    converted.resize(readings.size());
    for (std::size_t c = 0; c < readings.size(); ++c) {
      const Reading reading = readings[c];
      if (reading != Reading::timestamp && reading != Reading::timestamptz &&
          reading != Reading::bytea && reading != Reading::array)
        continue;
      std::string& out = converted[c];
      out.clear();
      if (PQgetisnull(result, index, static_cast<int>(c)) != 0) continue;
      const std::string_view value = raw(c);
      if (reading == Reading::bytea) {
        // The hex form: \x0a1b...
        for (std::size_t i = 2; i + 1 < value.size(); i += 2)
          out += static_cast<char>(hex_digit(value[i]) * 16 + hex_digit(value[i + 1]));
      } else if (reading == Reading::array) {
        out = array_json(value, elements[c]);
      } else {
        out.assign(value);
        // ISO 8601: 2026-05-23 10:00:00+00 (the session is in UTC) as 2026-05-23T10:00:00Z.
        if (out.size() >= 19 && out[10] == ' ') out[10] = 'T';
        if (reading == Reading::timestamptz && out.size() > 3 &&
            out.compare(out.size() - 3, 3, "+00") == 0)
          out.replace(out.size() - 3, 3, "Z");
      }
    }
  }

  const PGresult* result = nullptr;
  int index = 0;
  std::vector<Reading> readings;

 private:
  std::string_view raw(std::size_t column) const {
    const int c = static_cast<int>(column);
    return {PQgetvalue(result, index, c), static_cast<std::size_t>(PQgetlength(result, index, c))};
  }
  std::vector<std::string> converted;
};

class PgDialect final : public Dialect {
 public:
  std::string differs(const std::string& a, const std::string& b) const override {
    return "(" + a + " IS DISTINCT FROM " + b + ")";
  }
  std::string as_text(const std::string& expr) const override {
    return "CAST(" + expr + " AS TEXT)";
  }
  bool typed_columns() const override { return true; }
  std::string is_text(const std::string& expr) const override {
    return "(pg_typeof(" + expr +
           ") IN (CAST('text' AS regtype), CAST('character varying' AS regtype), "
           "CAST('character' AS regtype)))";
  }
  std::string length(const std::string& expr) const override {
    return "length(CAST(" + expr + " AS TEXT))";
  }
  // The forms parse_iso_moment reads; what does not match is NULL. A time without an offset
  // is read in the session's time zone, UTC.
  std::string iso_unix_seconds(const std::string& expr) const override {
    const std::string text = "CAST(" + expr + " AS TEXT)";
    return "(CASE WHEN " + text +
           " ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
           "(Z|[+-][0-9]{2}:[0-9]{2})?)?$' THEN CAST(floor(extract(epoch FROM CAST(" +
           text + " AS timestamptz))) AS bigint) END)";
  }
  std::string row_id() const override { return ""; }
  std::string walk_table_hint() const override { return ""; }
  bool native_dates() const override { return true; }
  std::string not_a_moment(const std::string& expr) const override {
    return "(" + expr + " = 'infinity' OR " + expr + " = '-infinity')";
  }
};

class PgStore;

class PgStatement final : public Statement {
 public:
  PgStatement(PgStore& store, std::string_view sql);
  ~PgStatement() override;
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  bool bind(std::string_view name, const Param& value) override;
  bool step() override;
  const Row& row() const override { return row_; }
  std::int64_t run() override;
  void reset() override;
  // Sends the prepared statement with its bound values in the connection's pipeline.
  void send();

 private:
  // The bound values as libpq takes them (text form; NULL for NULL).
  std::vector<const char*> values() const;
  void start();
  void fetch();
  void take(Result batch);

  PgStore& store_;
  NamedSql sql_;
  std::string text_;      // the SQL with $1, $2, ... for the parameters
  std::string prepared_;  // the server-side name of a statement that is not a query
  std::vector<std::optional<std::string>> bound_;
  enum class State { idle, streaming, done } state_ = State::idle;
  std::string cursor_;  // the open cursor, if any
  bool hold_ = false;
  std::uint64_t epoch_ = 0;  // the transaction a cursor without hold lives in
  Result batch_ = wrap(nullptr);
  int next_ = 0;
  bool last_batch_ = false;
  int fetch_rows_ = kBatch;
  std::vector<ArrayElement> elements_;
  PgRow row_;
};

class PgStore final : public Store {
 public:
  PgStore(const std::string& location, const StoreOptions& options)
      : name_(shown_location(location)), options_(options) {
    const std::string timeout = "10";
    const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), "telcomply", location.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr) throw std::bad_alloc();
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string reason = first_line(PQerrorMessage(conn_));
      const bool refused = reason.find("authentication") != std::string::npos ||
                           reason.find("password") != std::string::npos ||
                           reason.find("permission denied") != std::string::npos;
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError(refused ? StoreFailure::permission : StoreFailure::connection_lost, reason);
    }
    PQsetNoticeReceiver(conn_, &PgStore::receive_notice, this);
    // No JIT compilation: the server compiles a statement's expressions again on every
    // execution whose estimated cost passes jit_above_cost, and after a mass delete the
    // estimates count the dead rows. The classification of what a scrub left took 5.3 s,
    // 5.1 s of it compiling, for 76 rows (EXPLAIN ANALYZE); a whole run of the call records'
    // rule went from 7.2 s to 1.6 s without it.
    // Constraint exclusion for a partition read on its own: a condition its bounds rule out
    // reads nothing (scrub asks whether a partition holds a row that is not yet past
    // retention; without it, a partition that goes whole is read to its end).
    std::string setup =
        "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; "
        "SET extra_float_digits = 3; SET client_encoding = 'UTF8'; SET jit = off; "
        "SET constraint_exclusion = on; "
        "SET lock_timeout = " +
        std::to_string(options.busy_timeout_ms) +
        "; SET statement_timeout = " + std::to_string(options.statement_timeout_ms) + ";";
    if (options.mode == OpenMode::read_only) setup += " SET default_transaction_read_only = on;";
    execute(setup);
  }
  ~PgStore() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  const std::string& name() const override { return name_; }
  const Dialect& dialect() const override { return dialect_; }
  const DbSchema& schema() override {
    if (!schema_) schema_ = read_schema();
    return *schema_;
  }
  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    return std::make_unique<PgStatement>(*this, sql);
  }
  void execute(std::string_view sql) override {
    checked(conn_, PQexec(conn_, std::string(sql).c_str()));
  }

  // In libpq's pipeline mode: one round trip per kPipelineDepth statements, not per statement.
  void queue(Statement& statement) override {
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
      fail(conn_, nullptr);
    try {
      static_cast<PgStatement&>(statement).send();  // this store prepared it
      ++sent_;
      if (sent_ == kPipelineDepth) drain();
    } catch (...) {
      run_queued_after_failure();
      throw;
    }
  }
  std::vector<std::int64_t> run_queued() override {
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return {};
    std::exception_ptr error;
    try {
      drain();
    } catch (...) {
      error = std::current_exception();
    }
    if (PQexitPipelineMode(conn_) != 1 && !error) fail(conn_, nullptr);
    std::vector<std::int64_t> changed = std::exchange(changed_, {});
    if (error) std::rethrow_exception(error);
    return changed;
  }
  // Ends the pipeline after a failure that is being thrown already.
  void run_queued_after_failure() noexcept {
    try {
      run_queued();
    } catch (...) {
    }
  }

  // The planner's statistics (pg_class.reltuples), summed over a partitioned table's
  // partitions; nothing for a table never analysed.
  std::optional<std::int64_t> estimated_rows(std::string_view table) override {
    const DbTable* found = schema().find(table);
    if (found == nullptr) return std::nullopt;
    auto rows = prepare(
        "SELECT CAST(sum(greatest(c.reltuples, 0)) AS bigint), bool_or(c.reltuples < 0) "
        "FROM pg_class c WHERE c.relkind = 'r' AND (c.oid = CAST(:t AS regclass) OR c.oid IN "
        "(SELECT relid FROM pg_partition_tree(CAST(:t AS regclass))))");
    rows->bind("t", found->quoted);
    if (!rows->step() || rows->row().is_null(0) || rows->row().integer(1) != 0) return std::nullopt;
    return rows->row().integer(0);
  }

  void begin_snapshot() override { execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  void begin_write() override {
    execute("BEGIN ISOLATION LEVEL READ COMMITTED");
    try {
      execute(std::string("SELECT pg_advisory_xact_lock(") + kWriteLock + ")");
    } catch (const StoreError& e) {
      rollback();
      if (e.failure() != StoreFailure::busy) throw;
      throw StoreError(StoreFailure::busy,
                       "database is locked by another process (another telcomply run is "
                       "changing it)");
    }
  }
  void commit() override {
    ++epoch_;
    execute("COMMIT");
  }
  void rollback() noexcept override {
    run_queued_after_failure();  // what was queued ends first, and is rolled back with the rest
    if (!in_transaction()) return;
    ++epoch_;
    PQclear(PQexec(conn_, "ROLLBACK"));
  }
  bool in_transaction() const override {
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
  }

  void require_privilege(std::string_view table, std::string_view privilege) override {
    const DbTable* found = schema().find(table);
    if (found == nullptr) return;
    auto has = prepare("SELECT has_table_privilege(CAST(:t AS regclass), :p)");
    has->bind("t", found->quoted);
    has->bind("p", std::string(privilege));
    if (has->step() && has->row().integer(0) == 0)
      throw StoreError(StoreFailure::permission,
                       "the database role may not " + std::string(privilege) + " in table '" +
                           std::string(table) + "' (no " + std::string(privilege) + " privilege)");
  }

  // ALTER TABLE ... DETACH PARTITION needs the table's owner (a member of its owning role),
  // which no GRANT gives.
  void require_partition_drop(std::string_view table) override {
    const DbTable* found = schema().find(table);
    if (found == nullptr) return;
    auto owns = prepare(
        "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = CAST(:t AS regclass)");
    owns->bind("t", found->quoted);
    if (owns->step() && owns->row().integer(0) == 0)
      throw StoreError(StoreFailure::permission,
                       "the database role does not own table '" + std::string(table) + "'");
  }

  bool each_text(const DbTable& table, const DbColumn& column,
                 const std::function<void(std::string_view)>& each) override {
    const std::string c = quote_identifier(column.name);
    Result started = wrap(PQexec(conn_, ("COPY (SELECT " + c + " FROM " + table.quoted + " WHERE " +
                                         c + " IS NOT NULL) TO STDOUT")
                                            .c_str()));
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_OUT) fail(conn_, started.get());
    std::string value;
    while (true) {
      char* line = nullptr;
      const int n = PQgetCopyData(conn_, &line, 0);
      if (n < 0) break;  // -1: the end; -2: a failure, which the result below tells
      const std::unique_ptr<char, decltype(&PQfreemem)> owned(line, &PQfreemem);
      each(copy_field(std::string_view(line, static_cast<std::size_t>(n)), value));
    }
    Result ended = wrap(PQgetResult(conn_));
    while (Result more = wrap(PQgetResult(conn_))) {
    }
    if (!ended || PQresultStatus(ended.get()) != PGRES_COMMAND_OK) fail(conn_, ended.get());
    return true;
  }

  std::vector<DbPartition> partitions(std::string_view table) override {
    std::vector<DbPartition> out;
    const DbTable* found = schema().find(table);
    if (found == nullptr) return out;
    auto parts = prepare(
        "SELECT c.relname, CAST(CAST(c.oid AS regclass) AS text), "
        "CAST(CAST(p.parentrelid AS regclass) AS text) FROM pg_partition_tree(CAST(:t AS "
        "regclass)) p JOIN pg_class c ON c.oid = p.relid WHERE p.isleaf AND c.relkind = 'r' "
        "AND p.level > 0 AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT' ORDER BY "
        "c.relname");
    parts->bind("t", found->quoted);
    while (parts->step()) {
      const Row& r = parts->row();
      out.push_back(
          DbPartition{std::string(r.text(0)), std::string(r.text(1)), std::string(r.text(2))});
    }
    return out;
  }
  void lock_partition(const DbPartition& partition) override {
    execute("LOCK TABLE " + partition.quoted + " IN ACCESS EXCLUSIVE MODE");
  }
  void drop_partition(const DbPartition& partition) override {
    execute("ALTER TABLE " + partition.parent + " DETACH PARTITION " + partition.quoted);
    execute("DROP TABLE " + partition.quoted);
  }

  // Foreign-key actions cannot be turned off without a superuser; scrub removes children
  // first, so that no action has anything to do.
  void prepare_erasure() override {}

  ResidueReport erase_residue(const std::vector<std::string>& changed_tables,
                              int /*wait_ms*/) override;

  std::vector<std::string> residue() const override {
    return {
        "PostgreSQL keeps the old values in its write-ahead log until the segments are "
        "recycled (after the next checkpoints), in WAL archives, on standbys and in base "
        "backups until they expire: see telcomply-scrub(1), WHAT REMAINS"};
  }

  // The server checks its pages as it reads them (with data checksums, where the cluster has
  // them): there is no cheap whole-database check to run here.
  void check_integrity() override {}

  const std::vector<std::string>& open_notes() const override { return notes_; }

  PGconn* connection() { return conn_; }
  std::uint64_t epoch() const { return epoch_; }
  std::string next_name(const char* prefix) { return prefix + std::to_string(++names_); }
  // For an array type (typcategory 'A'), what its elements are; nullopt for any other type.
  // Looked up once per type.
  std::optional<ArrayElement> array_type(Oid type) {
    auto found = arrays_.find(type);
    if (found != arrays_.end()) return found->second;
    const std::string sql =
        "SELECT e.oid, e.typcategory FROM pg_type a JOIN pg_type e ON e.oid = a.typelem "
        "WHERE a.typcategory = 'A' AND a.oid = " +
        std::to_string(type);
    Result result = checked(conn_, PQexec(conn_, sql.c_str()));
    std::optional<ArrayElement> element;
    if (PQntuples(result.get()) == 1) {
      const Oid elem = static_cast<Oid>(std::strtoul(PQgetvalue(result.get(), 0, 0), nullptr, 10));
      const char category = PQgetvalue(result.get(), 0, 1)[0];
      element = ArrayElement{.number = category == 'N',
                             .boolean = category == 'B',
                             .json = elem == kJson || elem == kJsonb};
    }
    arrays_.emplace(type, element);
    return element;
  }

 private:
  // Reads the results of the statements sent since the last sync; the first failure (those
  // after it are aborted by the server) is kept, and thrown once the pipeline is in sync.
  void drain() {
    const int sent = std::exchange(sent_, 0);
    std::exception_ptr failure;
    if (PQpipelineSync(conn_) != 1) fail(conn_, nullptr);
    for (int i = 0; i < sent; ++i) {
      Result result = wrap(PQgetResult(conn_));
      if (!result) fail(conn_, nullptr);  // the connection ended
      const ExecStatusType status = PQresultStatus(result.get());
      changed_.push_back(status == PGRES_COMMAND_OK ? rows_changed(result.get()) : 0);
      if (status != PGRES_COMMAND_OK && status != PGRES_PIPELINE_ABORTED && !failure) {
        try {
          fail(conn_, result.get());
        } catch (...) {
          failure = std::current_exception();
        }
      }
      while (Result rest = wrap(PQgetResult(conn_))) {  // up to the statement's end
      }
    }
    Result sync = wrap(PQgetResult(conn_));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) fail(conn_, sync.get());
    if (failure) std::rethrow_exception(failure);
  }

  static void receive_notice(void* self, const PGresult* result) {
    const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (severity != nullptr && primary != nullptr && std::string_view(severity) == "WARNING")
      static_cast<PgStore*>(self)->warnings_.push_back(first_line(primary));
  }

  DbSchema read_schema();

  std::string name_;
  StoreOptions options_;
  PGconn* conn_ = nullptr;
  PgDialect dialect_;
  std::optional<DbSchema> schema_;
  std::vector<std::string> notes_;
  std::vector<std::string> warnings_;  // the server's warnings, as they come
  std::uint64_t epoch_ = 0;
  std::uint64_t names_ = 0;
  std::map<Oid, std::optional<ArrayElement>> arrays_;
  int sent_ = 0;                       // statements sent in the pipeline since its last sync
  std::vector<std::int64_t> changed_;  // the rows each queued statement changed, so far
};

// ---------------------------------------------------------------------------------------

PgStatement::PgStatement(PgStore& store, std::string_view sql)
    : store_(store),
      sql_(split_named_sql(sql)),
      text_(sql_.join([](std::size_t i) { return "$" + std::to_string(i + 1); })),
      bound_(sql_.names.size()) {
  PGconn* conn = store_.connection();
  // Parsed now, so that a mistake in the SQL is reported where it is prepared. A query is
  // run through a cursor later; anything else runs as this prepared statement.
  if (!sql_.query) prepared_ = store_.next_name("tc_s");
  checked(conn, PQprepare(conn, prepared_.c_str(), text_.c_str(), 0, nullptr));
}

PgStatement::~PgStatement() {
  reset();
  const PGTransactionStatusType status = PQtransactionStatus(store_.connection());
  if (!prepared_.empty() && (status == PQTRANS_IDLE || status == PQTRANS_INTRANS))
    PQclear(PQexec(store_.connection(), ("DEALLOCATE " + prepared_).c_str()));
}

bool PgStatement::bind(std::string_view name, const Param& value) {
  if (!name.empty() && name.front() == ':') name.remove_prefix(1);
  bool found = false;
  for (std::size_t i = 0; i < sql_.names.size(); ++i) {
    if (sql_.names[i] != name) continue;
    found = true;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      bound_[i].reset();
    } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
      bound_[i] = std::to_string(*n);
    } else if (const auto* d = std::get_if<double>(&value)) {
      char buffer[32];
      const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *d);
      bound_[i] = std::string(buffer, end);
    } else {
      const std::string& text = std::get<std::string>(value);
      if (text.find('\0') != std::string::npos)
        throw StoreError(StoreFailure::other,
                         "a value holds a NUL character, which PostgreSQL text cannot hold");
      bound_[i] = text;
    }
  }
  return found;
}

std::vector<const char*> PgStatement::values() const {
  std::vector<const char*> out;
  out.reserve(bound_.size());
  for (const auto& value : bound_) out.push_back(value ? value->c_str() : nullptr);
  return out;
}

void PgStatement::take(Result batch) {
  batch_ = std::move(batch);
  next_ = 0;
  if (row_.readings.empty() && PQnfields(batch_.get()) > 0) {
    const int fields = PQnfields(batch_.get());
    row_.readings.resize(static_cast<std::size_t>(fields));
    elements_.resize(static_cast<std::size_t>(fields));
    for (int c = 0; c < fields; ++c) {
      Reading& reading = row_.readings[static_cast<std::size_t>(c)];
      switch (const Oid type = PQftype(batch_.get(), c)) {
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid:
          reading = Reading::integer;
          break;
        case kFloat4:
        case kFloat8:
          reading = Reading::real;
          break;
        case kNumeric:
          reading = Reading::decimal;
          break;
        case kBool:
          reading = Reading::boolean;
          break;
        case kTimestamp:
          reading = Reading::timestamp;
          break;
        case kTimestampTz:
          reading = Reading::timestamptz;
          break;
        case kBytea:
          reading = Reading::bytea;
          break;
        case kJson:
        case kJsonb:
          reading = Reading::json;
          break;
        default:
          if (const std::optional<ArrayElement> element = store_.array_type(type)) {
            reading = Reading::array;
            elements_[static_cast<std::size_t>(c)] = *element;
          } else {
            reading = Reading::text;
          }
      }
    }
  }
}

void PgStatement::start() {
  PGconn* conn = store_.connection();
  const std::vector<const char*> params = values();
  const int count = static_cast<int>(params.size());
  if (!sql_.query) {
    take(checked(
        conn, PQexecPrepared(conn, prepared_.c_str(), count, params.data(), nullptr, nullptr, 0)));
    last_batch_ = true;
    state_ = State::streaming;
    return;
  }
  hold_ = !store_.in_transaction();
  epoch_ = store_.epoch();
  const std::string cursor = store_.next_name("tc_c");
  const std::string declare =
      "DECLARE " + cursor + " NO SCROLL CURSOR " + (hold_ ? "WITH HOLD " : "") + "FOR " + text_;
  checked(conn,
          PQexecParams(conn, declare.c_str(), count, nullptr, params.data(), nullptr, nullptr, 0));
  cursor_ = cursor;
  state_ = State::streaming;
  fetch();
}

void PgStatement::fetch() {
  PGconn* conn = store_.connection();
  const std::string sql = "FETCH FORWARD " + std::to_string(fetch_rows_) + " FROM " + cursor_;
  take(checked(conn, PQexec(conn, sql.c_str())));
  const int rows = PQntuples(batch_.get());
  last_batch_ = rows < fetch_rows_;
  if (last_batch_ || fetch_rows_ >= kBatchMaxRows) return;
  // The batch's size, told from its first row.
  std::size_t row_bytes = 0;
  for (int c = 0; c < PQnfields(batch_.get()); ++c)
    row_bytes += static_cast<std::size_t>(PQgetlength(batch_.get(), 0, c)) + sizeof(void*);
  if (row_bytes * static_cast<std::size_t>(rows) < kBatchGrowBytes)
    fetch_rows_ = std::min(fetch_rows_ * 2, kBatchMaxRows);
}

bool PgStatement::step() {
  if (state_ == State::done) return false;
  try {
    if (state_ == State::idle) start();
    if (next_ >= PQntuples(batch_.get()) && !last_batch_) fetch();
  } catch (...) {
    reset();
    throw;
  }
  if (next_ >= PQntuples(batch_.get())) {
    reset();
    state_ = State::done;
    return false;
  }
  row_.load(batch_.get(), next_++, elements_);
  return true;
}

std::int64_t PgStatement::run() {
  if (sql_.query) {
    while (step()) {
    }
    reset();
    return 0;
  }
  reset();
  PGconn* conn = store_.connection();
  const std::vector<const char*> params = values();
  Result result =
      checked(conn, PQexecPrepared(conn, prepared_.c_str(), static_cast<int>(params.size()),
                                   params.data(), nullptr, nullptr, 0));
  return rows_changed(result.get());
}

void PgStatement::send() {
  reset();
  const std::vector<const char*> params = values();
  if (PQsendQueryPrepared(store_.connection(), prepared_.c_str(), static_cast<int>(params.size()),
                          params.data(), nullptr, nullptr, 0) != 1)
    fail(store_.connection(), nullptr);
}

void PgStatement::reset() {
  if (!cursor_.empty()) {
    // A cursor without hold ended with its transaction; one in a failed transaction goes
    // with the rollback.
    const bool alive = hold_ || (store_.epoch() == epoch_ &&
                                 PQtransactionStatus(store_.connection()) == PQTRANS_INTRANS);
    if (alive) PQclear(PQexec(store_.connection(), ("CLOSE " + cursor_).c_str()));
    cursor_.clear();
  }
  batch_.reset();
  next_ = 0;
  last_batch_ = false;
  state_ = State::idle;
}

// ---------------------------------------------------------------------------------------
// The schema, from the catalog

// The user tables and views: not the system's, not partitions (their partitioned table is
// the table).
constexpr const char* kRelations =
    "WITH rel AS (SELECT c.oid, c.relkind, CASE WHEN pg_table_is_visible(c.oid) THEN c.relname "
    "ELSE n.nspname || '.' || c.relname END AS name, quote_ident(n.nspname) || '.' || "
    "quote_ident(c.relname) AS qualified, pg_table_is_visible(c.oid) AS visible FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm') AND "
    "NOT c.relispartition AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%') ";

ColumnType kind_of(std::string_view type, char category) {
  if (type == "int2" || type == "int4" || type == "int8" || type == "oid")
    return ColumnType::integer;
  if (type == "float4" || type == "float8") return ColumnType::real;
  if (type == "numeric") return ColumnType::decimal;
  if (type == "bool") return ColumnType::boolean;
  if (type == "date") return ColumnType::date;
  if (type == "timestamp" || type == "timestamptz") return ColumnType::timestamp;
  if (type == "bytea") return ColumnType::blob;
  if (category == 'S') return ColumnType::text;
  return ColumnType::other;
}

// A default as SQL writes it: a literal without the cast the catalog adds ('x'::text is 'x').
std::string literal(std::string_view expression) {
  const std::size_t cast = expression.rfind("'::");
  if (!expression.starts_with('\'') || cast == std::string_view::npos ||
      expression.find('\'', cast + 1) != std::string_view::npos)
    return std::string(expression);
  return std::string(expression.substr(0, cast + 1));
}

// "{1,2}" or "1 2": attribute numbers.
std::vector<int> numbers(std::string_view text) {
  std::vector<int> out;
  int value = 0;
  bool in = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      in = true;
    } else if (in) {
      out.push_back(value);
      value = 0;
      in = false;
    }
  }
  if (in) out.push_back(value);
  return out;
}

DbSchema PgStore::read_schema() {
  DbSchema schema;
  try {
    std::map<std::string, std::string> name_of;                    // oid -> name
    std::map<std::string, std::map<int, std::string>> columns_of;  // oid -> attnum -> name
    auto relations =
        prepare(std::string(kRelations) + "SELECT oid, relkind, name, qualified, visible FROM rel");
    while (relations->step()) {
      const Row& r = relations->row();
      const std::string oid(r.text(0));
      const std::string name(r.text(2));
      const char kind = r.text(1).front();
      if (kind == 'v' || kind == 'm') {
        schema.views.insert(name);
        continue;
      }
      name_of[oid] = name;
      DbTable& table = schema.tables[name];
      table.name = name;
      // A visible table is written as the search path finds it; others with their schema.
      table.quoted = r.integer(4) != 0 ? quote_identifier(name) : std::string(r.text(3));
    }
    auto columns = prepare(
        std::string(kRelations) +
        "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
        "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), coalesce(b.typname, t.typname), "
        "coalesce(b.typcategory, t.typcategory) FROM pg_attribute a JOIN rel ON rel.oid = "
        "a.attrelid AND rel.relkind IN ('r', 'p') JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN "
        "pg_type b ON b.oid = t.typbasetype AND t.typtype = 'd' LEFT JOIN pg_attrdef d ON "
        "d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attnum > 0 AND NOT "
        "a.attisdropped ORDER BY a.attrelid, a.attnum");
    while (columns->step()) {
      const Row& r = columns->row();
      const std::string oid(r.text(0));
      DbTable& table = schema.tables[name_of[oid]];
      DbColumn column;
      column.name = std::string(r.text(2));
      column.type = std::string(r.text(3));
      column.kind = kind_of(r.text(6), r.text(7).empty() ? ' ' : r.text(7).front());
      column.not_null = r.integer(4) != 0;
      if (!r.is_null(5)) column.default_value = literal(r.text(5));
      columns_of[oid][static_cast<int>(r.integer(1))] = column.name;
      table.columns.push_back(std::move(column));
    }
    const auto column_name = [&](const std::string& oid, int number) -> std::string {
      auto table = columns_of.find(oid);
      if (table == columns_of.end()) return {};
      auto found = table->second.find(number);
      return found == table->second.end() ? std::string() : found->second;
    };
    auto constraints = prepare(std::string(kRelations) +
                               "SELECT con.conrelid, con.contype, con.conkey, con.confrelid, "
                               "con.confkey FROM pg_constraint con JOIN rel ON rel.oid = "
                               "con.conrelid AND rel.relkind IN ('r', 'p') WHERE con.contype IN "
                               "('p', 'u', 'f') ORDER BY con.conrelid, con.conname");
    while (constraints->step()) {
      const Row& r = constraints->row();
      const std::string oid(r.text(0));
      DbTable& table = schema.tables[name_of[oid]];
      const char type = r.text(1).front();
      const std::vector<int> keys = numbers(r.text(2));
      if (type == 'f') {
        const std::string parent(r.text(3));
        const std::vector<int> parent_keys = numbers(r.text(4));
        auto parent_name = name_of.find(parent);
        if (parent_name == name_of.end()) continue;
        for (std::size_t i = 0; i < keys.size() && i < parent_keys.size(); ++i)
          table.foreign_keys.push_back(DbForeignKey{column_name(oid, keys[i]), parent_name->second,
                                                    column_name(parent, parent_keys[i])});
        continue;
      }
      for (int key : keys) {
        for (DbColumn& c : table.columns) {
          if (c.name != column_name(oid, key)) continue;
          if (type == 'p') c.primary_key = true;
          if (keys.size() == 1) c.unique = true;
        }
      }
    }
    auto indexes = prepare(std::string(kRelations) +
                           "SELECT i.indrelid, i.indisunique AND i.indpred IS NULL, "
                           "CAST(i.indkey AS text) FROM pg_index i JOIN rel ON rel.oid = "
                           "i.indrelid AND rel.relkind IN ('r', 'p')");
    while (indexes->step()) {
      const Row& r = indexes->row();
      const std::string oid(r.text(0));
      DbTable& table = schema.tables[name_of[oid]];
      const std::vector<int> keys = numbers(r.text(2));
      if (keys.empty() || keys.front() == 0) continue;  // an expression leads it
      const std::string first = column_name(oid, keys.front());
      table.indexed.insert(first);
      if (r.integer(1) != 0 && keys.size() == 1)
        for (DbColumn& c : table.columns)
          if (c.name == first) c.unique = true;
    }
  } catch (...) {
    rethrow_database_error("cannot read the database schema");
  }
  return schema;
}

ResidueReport PgStore::erase_residue(const std::vector<std::string>& changed_tables,
                                     int /*wait_ms*/) {
  ResidueReport report;
  if (!options_.vacuum) {
    report.warnings.push_back(
        "VACUUM was not run (--no-vacuum): the old versions of the changed rows stay in the "
        "table files until autovacuum or a scheduled VACUUM removes them");
  } else {
    std::vector<std::string> vacuumed;
    for (const std::string& name : changed_tables) {
      const DbTable* table = schema().find(name);
      if (table == nullptr) continue;
      warnings_.clear();
      try {
        // One statement each: VACUUM cannot run in the implicit transaction of several.
        execute("SET statement_timeout = 0");
        // A partitioned table's partitions one after the other without parallel workers:
        // launching them for the index cleanup of each partition cost more than the whole
        // VACUUM of partitions that lost no rows (1.3 s against 10 ms for 100 of them).
        execute(std::string(partitions(name).empty() ? "VACUUM " : "VACUUM (PARALLEL 0) ") +
                table->quoted);
        execute("SET statement_timeout = " + std::to_string(options_.statement_timeout_ms));
      } catch (const StoreError& e) {
        report.warnings.push_back("VACUUM of " + name + " failed: " + e.what());
        continue;
      }
      bool skipped = false;
      for (const std::string& warning : warnings_)
        skipped = skipped || warning.find("skipping") != std::string::npos;
      if (skipped)
        report.warnings.push_back(
            "VACUUM of " + name +
            " was skipped: only the table's owner may vacuum it (from PostgreSQL 17 on, also "
            "a role with the MAINTAIN privilege); the old versions of its changed rows stay in "
            "its files until autovacuum removes them");
      else
        vacuumed.push_back(name);
    }
    if (!vacuumed.empty())
      report.done.push_back("VACUUM removed the old versions of the changed rows from " +
                            std::to_string(vacuumed.size()) + " table(s)");
  }
  for (std::string& w : residue()) report.warnings.push_back(std::move(w));
  return report;
}

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& location,
                                           const StoreOptions& options) {
  if (location_has_password(location))
    throw Error(Exit::invalid, password_refusal(LocationKind::postgresql));
  try {
    return std::make_unique<PgStore>(location, options);
  } catch (...) {
    rethrow_database_error("cannot open database '" + shown_location(location) + "'");
  }
}

}  // namespace telcomply
