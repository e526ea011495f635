// Date columns: how each date column stores its dates, told once from the policy's `format`
// and from the column's values, and the one place that reads them, in SQL (scrub compares
// them with cut-off dates) and value by value (export shows them). telcomply-policy(5),
// DATE COLUMNS, is the user's side of it:
// - a column keeps its dates in one DateFormat (core/date.h), stored as text or as numbers,
//   never both;
// - without a stated `format`, each value tells its own: ISO 8601 text is iso-8601; a number,
//   or decimal digits stored as text, is Unix seconds, Unix milliseconds or a Julian day by
//   its size, and is read as a date only between 1980 and 2199, so that an amount or a count
//   is not taken for a date;
// - a column holding values that are not dates (in its stated format, or at all), or whose
//   values disagree on the representation, is refused: date-unreadable, date-mixed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "datamap/resolved.h"
#include "report/findings.h"
#include "store/store.h"

namespace telcomply {

enum class DateStorage { text, number };

// How one column stores its dates.
struct DateRepresentation {
  DateFormat format = DateFormat::iso8601;
  DateStorage storage = DateStorage::text;
  // iso8601: some values name a UTC offset, so the order of the text is not the order in time
  // near a day's boundary.
  bool offsets = false;
  // A date or timestamp column of a backend with typed dates (Dialect::native_dates): SQL
  // compares its values with ISO 8601 text as moments.
  bool native = false;
  bool operator==(const DateRepresentation&) const = default;
};

// "iso-8601 text", "unix-seconds numbers", "unix-seconds text".
std::string describe(const DateRepresentation& representation);

// A date column the policy uses: the `from` column of a retention rule, the subject's closing
// date, the `until` column of a legal hold, or a data map column with a `format`.
struct DateColumn {
  const ResolvedTable* table = nullptr;
  const DbColumn* column = nullptr;
  std::optional<DateFormat> stated;  // the policy's `format` (the rule's or the data map's)
  SourceLocation loc{};              // where the policy first names it as a date
  std::string owner{};               // who names it there: "retention rule 'cdr'", ...
  DateRepresentation representation{};
  std::int64_t values = 0;      // values read (NULL is no date and is not counted)
  bool read = false;            // every value was read (not only checked on the server)
  std::int64_t unreadable = 0;  // of those, values that are not dates in any representation
                                // the column may have (its stated format, if any)
  std::map<std::pair<DateFormat, DateStorage>, std::int64_t> readings{};  // the dates, by kind

  std::string name() const;  // "table.column"
};

// The date columns of a resolved policy, after reading their values (read_date_columns).
class DateColumns {
 public:
  const std::vector<DateColumn>& columns() const { return columns_; }
  // The column `table`.`column`; null when the policy does not use it as a date.
  const DateColumn* find(std::string_view table, std::string_view column) const;
  // date-unreadable and date-mixed, one of each at most per column, in policy order.
  const std::vector<Finding>& findings() const { return findings_; }

 private:
  friend DateColumns read_date_columns(const ResolvedMap& resolved, Store& store);
  std::vector<DateColumn> columns_;
  std::vector<Finding> findings_;
};

// The date columns `resolved` names, in policy order (rules' `from` columns, the closing date,
// holds' `until` columns, then data map columns with a `format`), each once, with its stated
// format; columns the database lacks are left out (resolve_data_map reports them). Nothing
// is read: representations are not told yet.
std::vector<DateColumn> policy_date_columns(const ResolvedMap& resolved);

// policy_date_columns, each column's values read from `store` to tell its representation
// and to find values that are not dates. A column without values takes its stated format,
// else what its declared type suggests (numbers: unix-seconds; anything else: iso-8601). A
// date or timestamp column of a backend with typed dates (Dialect::native_dates) is not read:
// it is `native`, unless its stated format is not iso-8601.
DateColumns read_date_columns(const ResolvedMap& resolved, Store& store);

// Throws Error(invalid) with the location and message of the first of dates.findings().
void ensure_dates(const DateColumns& dates);

// Every rule read_date_columns reports, for SARIF and JUnit.
const std::vector<RuleInfo>& date_rules();

// ---------------------------------------------------------------------------------------
// Reading dates in SQL

// An SQL expression, 0 or 1 and never NULL, that is 1 when `expr` (a value of a column in
// `representation`) is a date or moment before the first moment (00:00 UTC) of a day given
// by the parameters named from `param` (bind_date_before). NULL is never before. It compares
// the column itself with the day in the column's representation, so an index on the column
// serves it, except for text digits (Unix time stored as text), compared by length first.
std::string date_before(const Dialect& dialect, const std::string& expr,
                        const DateRepresentation& representation, const std::string& param);

// Sets the parameters date_before(..., param) reads, for `day`.
void bind_date_before(Params& params, const DateRepresentation& representation,
                      const std::string& param, const Date& day);

// ---------------------------------------------------------------------------------------
// Reading dates one by one

// Whether a column of the data map holds dates, and in which stated format.
struct DateReading {
  bool date = false;
  std::optional<DateFormat> format;
};

// A column holds dates when the data map gives it a `format`, the policy uses it as a date
// (`dates`: policy_date_columns, of this resolved map or another of the same data map), or
// its declared type is a date or time.
DateReading date_reading(const std::vector<DateColumn>& dates, const ResolvedTable& table,
                         const ResolvedColumn& column);

// The value in `column` of `row` as ISO 8601 text, into `out`: ISO 8601 text as written
// (with 'T' between date and time), numbers as UTC ("2026-05-23T09:15:00Z"). Read in
// `format`, or without one as the value tells. False (and `out` unchanged) when the value is
// NULL or not a date.
bool read_date(const Row& row, std::size_t column, std::optional<DateFormat> format,
               std::string& out);

}  // namespace telcomply
