#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "core/input.h"

namespace telcomply {

namespace {

StoreFailure failure_of(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StoreFailure::busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StoreFailure::corrupt;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
      return StoreFailure::permission;
    default:
      return StoreFailure::other;
  }
}

std::string reason_of(int code) {
  switch (failure_of(code)) {
    case StoreFailure::busy:
      return "database is locked by another process";
    case StoreFailure::corrupt:
      return "database file is corrupt or not a database";
    default:
      break;
  }
  const char* text = sqlite3_errstr(code);
  return text != nullptr ? text : "database error";
}

[[noreturn]] void fail(int code) { throw StoreError(failure_of(code), reason_of(code)); }

// SQLiteCpp's exceptions, and anything else thrown while talking to SQLite, as StoreError.
[[noreturn]] void rethrow_sqlite() {
  try {
    throw;
  } catch (const SQLite::Exception& e) {
    fail(e.getErrorCode());
  }
}

class SqliteRow final : public Row {
 public:
  sqlite3_stmt* stmt = nullptr;
  std::size_t size() const override { return static_cast<std::size_t>(sqlite3_column_count(stmt)); }
  ValueType type(std::size_t column) const override {
    switch (sqlite3_column_type(stmt, static_cast<int>(column))) {
      case SQLITE_NULL:
        return ValueType::null;
      case SQLITE_INTEGER:
        return ValueType::integer;
      case SQLITE_FLOAT:
        return ValueType::real;
      case SQLITE_BLOB:
        return ValueType::blob;
      default:
        return ValueType::text;
    }
  }
  std::int64_t integer(std::size_t column) const override {
    return sqlite3_column_int64(stmt, static_cast<int>(column));
  }
  double real(std::size_t column) const override {
    return sqlite3_column_double(stmt, static_cast<int>(column));
  }
  std::string_view text(std::size_t column) const override {
    const int i = static_cast<int>(column);
    const auto* data = sqlite3_column_type(stmt, i) == SQLITE_BLOB
                           ? static_cast<const char*>(sqlite3_column_blob(stmt, i))
                           : reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
    if (data == nullptr) return {};
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))};
  }
};

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt_);
      fail(rc);
    }
    row_.stmt = stmt_;
    // The parameters' names, without their ':', so that binding looks up no C string.
    const int count = sqlite3_bind_parameter_count(stmt_);
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt_, i);
      if (name != nullptr && name[0] == ':') parameters_.emplace_back(name + 1, i);
    }
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool bind(std::string_view name, const Param& value) override {
    if (!name.empty() && name.front() == ':') name.remove_prefix(1);
    int index = 0;
    for (const auto& [parameter, i] : parameters_)
      if (parameter == name) index = i;
    if (index == 0) return false;
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      rc = sqlite3_bind_null(stmt_, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(stmt_, index, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(stmt_, index, *d);
    } else {
      const std::string& text = std::get<std::string>(value);
      rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) fail(rc);
    return true;
  }

  bool step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    fail(sqlite3_extended_errcode(db_));
  }

  const Row& row() const override { return row_; }

  std::int64_t run() override {
    while (step()) {
    }
    const std::int64_t changes = sqlite3_changes64(db_);
    sqlite3_reset(stmt_);
    return changes;
  }

  void reset() override { sqlite3_reset(stmt_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  SqliteRow row_;
  std::vector<std::pair<std::string, int>> parameters_;
};

class SqliteDialect final : public Dialect {
 public:
  std::string equals_nocase(const std::string& a, const std::string& b) const override {
    return a + " = " + b + " COLLATE NOCASE";
  }
  std::string differs(const std::string& a, const std::string& b) const override {
    return "(" + a + " IS NOT " + b + ")";
  }
  std::string as_text(const std::string& expr) const override {
    return "CAST(" + expr + " AS TEXT)";
  }
  std::string is_text(const std::string& expr) const override {
    return "(typeof(" + expr + ") = 'text')";
  }
  std::string is_integer(const std::string& expr) const override {
    return "(typeof(" + expr + ") = 'integer')";
  }
  std::string iso_unix_seconds(const std::string& expr) const override {
    return "CAST(strftime('%s', " + expr + ") AS INTEGER)";
  }
  std::string row_id() const override { return "rowid"; }
  std::string walk_table_hint() const override { return " NOT INDEXED"; }
};

class SqliteStore final : public Store {
 public:
  // One thread at a time uses a store (store.h): no mutex around every SQLite call.
  SqliteStore(const std::string& path, int flags, int busy_timeout_ms)
      : name_(path),
        busy_timeout_ms_(busy_timeout_ms),
        db_(path, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, busy_timeout_ms) {
    std::error_code error;
    const std::filesystem::path canonical = std::filesystem::canonical(path, error);
    identity_ = error ? std::filesystem::absolute(path, error).string() : canonical.string();
    file_ = file_of(path);
  }

  const std::string& name() const override { return name_; }
  const std::string& identity() const override { return identity_; }
  const Dialect& dialect() const override { return dialect_; }
  const DbSchema& schema() override {
    if (!schema_) schema_ = read_schema();
    return *schema_;
  }

  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    return std::make_unique<SqliteStatement>(db_.getHandle(), sql);
  }

  void execute(std::string_view sql) override {
    try {
      db_.exec(std::string(sql));
    } catch (...) {
      rethrow_sqlite();
    }
  }

  // The span of the row ids, from the two ends of the table's b-tree: exact for a table
  // filled in order, more than the rows after deletions in the middle.
  std::optional<std::int64_t> estimated_rows(std::string_view table) override {
    const DbTable* found = schema().find(table);
    if (found == nullptr || !found->has_row_id) return std::nullopt;
    const std::string name = quote_identifier(found->name);
    // One max() and one min() per SELECT: SQLite then reads one end of the b-tree for each.
    auto span = prepare("SELECT (SELECT max(rowid) FROM " + name + ") - (SELECT min(rowid) FROM " +
                        name + ") + 1");
    return span->step() ? span->row().integer_or_zero(0) : 0;
  }

  void begin_snapshot() override { execute("BEGIN"); }
  void begin_write() override { execute("BEGIN IMMEDIATE"); }
  void commit() override { execute("COMMIT"); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_.getHandle()) != 0) return;
    sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_.getHandle()) == 0; }

  void prepare_erasure() override {
    execute("PRAGMA secure_delete = ON");
    execute("PRAGMA cache_size = -65536");  // 64 MiB: fewer spilled and reread pages
    execute("PRAGMA foreign_keys = OFF");
    if (journal_mode() != "wal") execute("PRAGMA journal_mode = DELETE");
  }

  ResidueReport erase_residue(const std::vector<std::string>& /*changed_tables*/,
                              int wait_ms) override {
    ResidueReport report;
    report.done.push_back("secure_delete overwrote the deleted and replaced content in the file");
    if (journal_mode() != "wal") return report;
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(wait_ms);
    while (true) {
      try {
        auto checkpoint = prepare("PRAGMA wal_checkpoint(TRUNCATE)");
        if (checkpoint->step() && checkpoint->row().integer(0) == 0) {
          report.done.push_back("the write-ahead log was truncated");
          return report;
        }
      } catch (const StoreError& e) {
        if (e.failure() != StoreFailure::busy)
          rethrow_database_error("checkpointing the write-ahead log");
      }
      if (Clock::now() > deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    report.warnings.push_back(
        "the write-ahead log could not be truncated while other processes use the database; "
        "old content stays in it until the next checkpoint: run scrub again");
    return report;
  }

  void check_integrity() override {
    // A file too damaged to check fails here as corrupt.
    auto check = prepare("PRAGMA quick_check(1)");
    std::string fault = check->step() ? std::string(check->row().text(0)) : "no result";
    check.reset();
    if (fault == "ok") return;
    // One line, and short: SQLite names pages, tables and indexes, never values.
    for (char& c : fault) c = c == '\n' || c == '\r' ? ' ' : c;
    if (fault.size() > 200) fault = fault.substr(0, 200) + "...";
    throw StoreError(StoreFailure::corrupt,
                     "database file is corrupt (SQLite's quick check: " + fault + ")");
  }

  std::function<void()> start_integrity_check() override {
    // The check reads every page once (about 0.4 s of CPU for 160 MB): on a second core it
    // overlaps the date columns' reading and the planning. Its connection is read-only and
    // keeps SQLite's default page cache (prepare_erasure() has not enlarged this one's yet).
    struct Check {
      std::exception_ptr error;
      std::thread thread;
      ~Check() {
        if (thread.joinable()) thread.join();
      }
    };
    auto check = std::make_shared<Check>();
    Check* state = check.get();  // outlives the thread: ~Check joins it
    check->thread = std::thread([state, path = name_, file = file_, timeout = busy_timeout_ms_] {
      try {
        SqliteStore checker(path, SQLite::OPEN_READONLY, timeout);
        // The file this store has open, not one put in its place since.
        if (!file || checker.file_ != file)
          throw StoreError(StoreFailure::other,
                           "the database file was replaced while telcomply had it open");
        checker.check_integrity();
      } catch (...) {
        state->error = std::current_exception();
      }
    });
    return [check] {
      if (check->thread.joinable()) check->thread.join();
      if (check->error) std::rethrow_exception(check->error);
    };
  }

  const std::vector<std::string>& open_notes() const override { return notes_; }
  std::vector<std::string>& notes() { return notes_; }

  // Touches the schema so that "not a database" surfaces at open, not mid-command.
  void check_readable() { execute("SELECT count(*) FROM sqlite_schema"); }

 private:
  std::string journal_mode() {
    auto mode = prepare("PRAGMA journal_mode");
    return mode->step() ? std::string(mode->row().text(0)) : std::string();
  }

  DbSchema read_schema();

  // The device and inode of a file, as the path names it now.
  static std::optional<std::pair<dev_t, ino_t>> file_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return std::pair{st.st_dev, st.st_ino};
  }

  std::string name_;
  std::string identity_;
  std::optional<std::pair<dev_t, ino_t>> file_;  // the file opened (file_of, right after)
  int busy_timeout_ms_;
  SQLite::Database db_;
  SqliteDialect dialect_;
  std::optional<DbSchema> schema_;
  std::vector<std::string> notes_;
};

DbSchema SqliteStore::read_schema() {
  DbSchema schema;
  try {
    // Views and SQLite's own tables are not tables of the data; `wr` marks WITHOUT ROWID.
    auto tables = prepare(
        "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    // Prepared once and run again for each table: preparing is most of the cost here.
    auto info =
        prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(:table)");
    auto indexes = prepare("SELECT name, \"unique\" FROM pragma_index_list(:table)");
    auto index_columns = prepare("SELECT name FROM pragma_index_info(:index) ORDER BY seqno");
    auto fks = prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(:table)");
    while (tables->step()) {
      DbTable table;
      table.name = std::string(tables->row().text(0));
      table.quoted = quote_identifier(table.name);
      table.has_row_id = tables->row().integer(1) == 0;
      info->bind("table", table.name);
      std::size_t pk_columns = 0;
      while (info->step()) {
        const Row& r = info->row();
        DbColumn column;
        column.name = std::string(r.text(0));
        column.type = std::string(r.text(1));
        column.kind = normalise_type(column.type);
        column.not_null = r.integer(2) != 0;
        if (!r.is_null(3)) column.default_value = std::string(r.text(3));
        column.primary_key = r.integer(4) != 0;
        pk_columns += column.primary_key ? 1 : 0;
        table.columns.push_back(std::move(column));
      }
      info->reset();
      for (auto& c : table.columns) {
        if (pk_columns == 1 && c.primary_key) {
          c.unique = true;
          // INTEGER PRIMARY KEY is the rowid itself: indexed by the table's own b-tree.
          if (c.kind == ColumnType::integer && table.has_row_id) table.indexed.insert(c.name);
        }
      }
      // Unique single-column indexes (UNIQUE constraints and CREATE UNIQUE INDEX), and the
      // columns that lead any index.
      indexes->bind("table", table.name);
      while (indexes->step()) {
        const std::string index(indexes->row().text(0));
        const bool unique = indexes->row().integer(1) != 0;
        index_columns->bind("index", index);
        std::vector<std::string> names;
        while (index_columns->step())
          names.emplace_back(index_columns->row().is_null(0) ? "" : index_columns->row().text(0));
        index_columns->reset();
        if (!names.empty() && !names.front().empty()) table.indexed.insert(names.front());
        if (unique && names.size() == 1)
          for (auto& c : table.columns)
            if (c.name == names.front()) c.unique = true;
      }
      indexes->reset();
      fks->bind("table", table.name);
      while (fks->step()) {
        const Row& r = fks->row();
        table.foreign_keys.push_back(DbForeignKey{std::string(r.text(0)), std::string(r.text(1)),
                                                  r.is_null(2) ? "" : std::string(r.text(2))});
      }
      fks->reset();
      schema.tables.emplace(table.name, std::move(table));
    }
  } catch (...) {
    rethrow_database_error("cannot read the database schema");
  }
  return schema;
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Never opened unless a regular file: a FIFO would block the open, a device misbehave.
  require_regular_file(path, "database");
  // No statistics of SQLite's memory use: they take a global mutex on every allocation, which
  // the integrity check's thread and this store's would contend for. Only possible before
  // SQLite's first use in the process (later calls change nothing).
  static const int memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memory_statistics;
  try {
    bool recovered = false;
    const fs::path journal = path + "-journal";
    if (options.mode == OpenMode::read_only && fs::file_size(journal, ec) > 0 && !ec) {
      // A hot journal left by an interrupted writer can only be rolled back by a read-write
      // connection; do that first, so a read-only reader sees the last committed state.
      SqliteStore recover(path, SQLite::OPEN_READWRITE, options.busy_timeout_ms);
      recover.check_readable();
      recovered = !fs::exists(journal, ec);
    }
    const int flags =
        options.mode == OpenMode::read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
    auto store = std::make_unique<SqliteStore>(path, flags, options.busy_timeout_ms);
    store->check_readable();
    if (options.mode == OpenMode::read_write) store->execute("PRAGMA foreign_keys = ON");
    if (recovered)
      store->notes().push_back(
          "an interrupted transaction was rolled back first (its journal was left by a run "
          "that did not finish)");
    return store;
  } catch (...) {
    try {
      rethrow_sqlite();
    } catch (...) {
      rethrow_database_error("cannot open database '" + path + "'");
    }
  }
}

}  // namespace telcomply
