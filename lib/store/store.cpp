#include "store/store.h"

#include <algorithm>
#include <cctype>

#include "core/location.h"
#include "store/mariadb/mariadb_store.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace telcomply {

const DbColumn* DbTable::find(std::string_view column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

const DbTable* DbSchema::find(std::string_view table) const {
  auto it = tables.find(std::string(table));
  return it == tables.end() ? nullptr : &it->second;
}

ColumnType normalise_type(std::string_view declared) {
  std::string t;
  for (char c : declared) t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto has = [&](std::string_view part) { return t.find(part) != std::string::npos; };
  // The order follows SQLite's affinity rules, with dates and booleans told apart first.
  if (has("TIMESTAMP") || has("DATETIME")) return ColumnType::timestamp;
  if (has("DATE")) return ColumnType::date;
  if (has("BOOL")) return ColumnType::boolean;
  if (has("INT")) return ColumnType::integer;
  if (has("CHAR") || has("CLOB") || has("TEXT")) return ColumnType::text;
  if (has("BLOB") || has("BYTEA") || has("BINARY")) return ColumnType::blob;
  if (has("REAL") || has("FLOA") || has("DOUB")) return ColumnType::real;
  if (has("NUM") || has("DEC")) return ColumnType::decimal;
  if (has("TIME")) return ColumnType::timestamp;
  return t.empty() ? ColumnType::blob : ColumnType::other;
}

Param Row::value(std::size_t column) const {
  switch (type(column)) {
    case ValueType::null:
      return nullptr;
    case ValueType::integer:
    case ValueType::boolean:
      return integer(column);
    case ValueType::real:
      return real(column);
    case ValueType::text:
    case ValueType::blob:
    case ValueType::decimal:
    case ValueType::json:
      return std::string(text(column));
  }
  return nullptr;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string Dialect::equals_nocase(const std::string& a, const std::string& b) const {
  return "lower(" + a + ") = lower(" + b + ")";
}

std::string Dialect::flag_set(const std::string& expr, ColumnType kind) const {
  if (typed_columns()) {
    switch (kind) {
      case ColumnType::integer:
      case ColumnType::real:
      case ColumnType::decimal:
        return "(" + expr + " IS NOT NULL AND " + expr + " <> 0)";
      case ColumnType::boolean:
        return "(" + expr + " IS TRUE)";
      default:
        break;
    }
  }
  const std::string word =
      "lower(trim(" + as_text(expr) + ")) NOT IN ('', '0', '0.0', 'false', 'no', 'nee', 'n', 'f')";
  const std::string integer = is_integer(expr);
  if (integer.empty()) return "(" + expr + " IS NOT NULL AND " + word + ")";
  // An integer's text is "0" only when it is zero: the common case is decided without
  // converting the value to text (three quarters of a pass over customers.legal_hold).
  return "(" + expr + " IS NOT NULL AND CASE WHEN " + integer + " THEN " + expr + " <> 0 ELSE " +
         word + " END)";
}

std::string Dialect::quote(std::string_view identifier) const {
  return quote_identifier(identifier);
}

void Store::lock_partition(const DbPartition& partition) {
  throw StoreError(StoreFailure::other, "the database has no partition " + partition.name);
}

void Store::drop_partition(const DbPartition& partition) {
  throw StoreError(StoreFailure::other, "the database has no partition " + partition.name);
}

void rethrow_database_error(const std::string& what) {
  try {
    throw;
  } catch (const StoreError& e) {
    if (e.in_context()) throw;
    throw StoreError(e.failure(), what + ": " + e.what(), true);
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(Exit::operational, what + ": " + e.what());
  }
}

std::unique_ptr<Store> open_store(const std::string& location, const StoreOptions& options) {
  switch (location_kind(location)) {
    case LocationKind::postgresql:
      return open_postgres_store(location, options);
    case LocationKind::mariadb:
      return open_mariadb_store(location, options);
    case LocationKind::file:
      break;
  }
  return open_sqlite_store(location, options);
}

Transaction::Transaction(Store& store, Kind kind) : store_(store) {
  if (kind == Kind::snapshot)
    store_.begin_snapshot();
  else
    store_.begin_write();
}

Transaction::~Transaction() {
  if (open_) store_.rollback();
}

void Transaction::commit() {
  store_.commit();
  open_ = false;
}

}  // namespace telcomply
