// telcomply export: the access and portability package for one data subject (GDPR art. 15
// and 20). The subject is found by an identifier the data map marks with `identifies`; the
// data map is walked from the subject table along its links, and every row is streamed to
// the output (JSON or one self-contained HTML file) with the art. 15(1) information taken
// from the same policy files. telcomply-export(1) documents the package format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/phone.h"
#include "core/progress.h"
#include "datamap/resolved.h"
#include "policy/policy.h"
#include "store/store.h"

namespace telcomply {

// The version marker of the package format; bumped on any incompatible change.
inline constexpr std::string_view kExportFormat = "telcomply-export/1";

enum class ExportFormat { json, html };
// "json" or "html"; anything else is Error(invalid).
ExportFormat parse_export_format(std::string_view name);

// What support staff were given to find the customer by.
struct SubjectQuery {
  IdentifierKind kind = IdentifierKind::customer_number;
  std::string value;
  std::string phone_region = "NL";  // where a national phone notation is read (core/phone.h)
};

// The value of the subject table's key column for the subject's row.
using KeyValue = std::variant<std::int64_t, std::string>;

struct Subject {
  KeyValue key;
  std::string customer_number;
  IdentifierKind found_by = IdentifierKind::customer_number;
};

// The normalised form a query value is compared in: E.164 for a phone number, digits for a
// KvK number, trimmed text otherwise. Throws Error(invalid) when the value cannot be one of
// its kind (a phone number with letters, an email address without '@', a KvK number that is
// not 8 digits); the message never repeats the value.
std::string normalise_query(const SubjectQuery& query);

// Finds the one subject `query` identifies, through every column the data map marks as
// identifying that kind (in any table linked to the subject table) and, for customer
// numbers, the subject table's number column. Phone numbers match whatever notation the
// database stores them in (each distinct stored value is normalised in C++); email addresses
// and customer numbers match regardless of case. Throws Error(no_subject) when nothing
// matches, Error(invalid) listing the customer numbers when several customers match,
// Error(invalid) with the first fault of a data map that does not fit the database
// (ensure_fits).
Subject find_subject(Store& store, const ResolvedMap& resolved, const SubjectQuery& query);

struct ExportOptions {
  ExportFormat format = ExportFormat::json;
  bool unmask = false;       // include other people's data (art. 15(4)) in full
  std::string generated_at;  // ISO 8601; empty: the current time
  // What people read: the phrases and labels in `language` (the JSON keeps its keys and raw
  // values), moments in the HTML in `timezone` (an IANA name; Error(invalid) when unknown),
  // the operator's `templates` folder for export.html.mustache and page.html.mustache.
  Language language = Language::en;
  std::string timezone = "UTC";
  std::filesystem::path templates;
  // Called now and then while records are written ("exporting", the category, records
  // written in all categories of the total the package holds); may be empty.
  ProgressSink progress;
  // Every table is read once. The records of a table whose columns belong to several
  // categories are written in the first of them and held for the others: up to this many
  // bytes in memory, the rest in a temporary file in `temp_dir` (empty: $TMPDIR, else /tmp)
  // that has no name and mode 0600.
  std::size_t spool_memory = 16 << 20;
  std::filesystem::path temp_dir;
  // A table whose rows are the subject's for at least this share of its rows
  // (Store::estimated_rows) is read sequentially, with the subject condition, rather than
  // row by row through an index. Past about one row per page (call records: 2.5%), reading
  // each page once costs less than an index lookup per row and a sort (bench/RESULTS.md
  // measures where). The package is the same either way: a table's records come in the
  // order of its key.
  double sequential_share = 0.025;
};

struct ExportResult {
  std::string customer_number;
  // Records per exported category, in package order.
  std::vector<std::pair<std::string, std::int64_t>> counts;
  std::string sha256;  // of the bytes written
  std::int64_t bytes = 0;
  // The package was cut off (its output or the database failed) after `bytes` bytes had
  // reached a reader: no hash, no counts.
  bool interrupted = false;
  // Gaps in the policy the package had to leave open (e.g. a category without a
  // retention rule); for the operator, never personal data.
  std::vector<std::string> warnings;
};

// Writes the package for `subject` to `out`, reading inside one read transaction so that
// the summary and the records agree, and every table once, its records in the order of its
// key. Categories for which the organisation is
// processor or sub-processor are described but not exported. Other parties' columns are masked
// unless `options.unmask`. Throws Error(invalid) for a data map that does not fit the database and
// Error(operational) for database or I/O failures.
ExportResult write_export(Store& store, const ResolvedMap& resolved, const Policy& policy,
                          const Subject& subject, const ExportOptions& options, std::ostream& out);

// Masks a value from another party's column: a telephone number keeps all but its last
// four digits ("+31 20 123 ****"), an email address its first character ("p***@***"),
// other text the first character of each word ("Jan de Vries" becomes "J*** d*** V***").
// Short numbers of up to five digits (112, 14020) reach services, not people: kept.
// `phones` decides what is a telephone number, in its region.
std::string mask_other_party(std::string_view value, PhoneMasks& phones);

// The audit record of a package (io/audit.h's schema, command "export"): who, for which
// ticket, the customer number, and the outcome: "delivered" with the counts, the package's
// SHA-256 and size, or "interrupted" with the bytes that reached a reader before it was cut
// off. Never personal data beyond the customer number.
nlohmann::json export_audit_record(const ExportResult& result, const ExportOptions& options,
                                   const std::string& operator_name, const std::string& ticket);

}  // namespace telcomply
