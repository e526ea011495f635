// Date columns: their representations, read from the policy and the values (dates.h).
#include "datamap/dates.h"

#include <algorithm>

namespace telcomply {

namespace {

// Numbers without a stated format are dates only between these moments: 1980-01-01 and
// 2200-01-01 (UTC). An amount, a count or a flag is not.
constexpr std::int64_t kInferredFrom = 315532800;
constexpr std::int64_t kInferredUntil = 7258118400;

// What one stored value reads as.
struct Reading {
  DateFormat format = DateFormat::iso8601;
  DateStorage storage = DateStorage::text;
  bool offset = false;
  std::int64_t seconds = 0;
};

// A number read without a stated format: the one of Unix seconds, Unix milliseconds and (for
// numbers stored as numbers) Julian days that puts it between 1980 and 2199. The ranges do
// not overlap.
template <typename Number>
std::optional<Reading> infer_number(Number value, DateStorage storage) {
  for (DateFormat format :
       {DateFormat::unix_seconds, DateFormat::unix_milliseconds, DateFormat::julian_day}) {
    if (format == DateFormat::julian_day && storage == DateStorage::text) continue;
    const std::optional<std::int64_t> seconds = moment_of_number(format, value);
    if (seconds && *seconds >= kInferredFrom && *seconds < kInferredUntil)
      return Reading{format, storage, false, *seconds};
  }
  return std::nullopt;
}

template <typename Number>
std::optional<Reading> read_number(Number value, DateStorage storage,
                                   std::optional<DateFormat> format) {
  if (!format) return infer_number(value, storage);
  // Text digits are Unix time; a Julian day has a fraction, and is stored as a number.
  if (storage == DateStorage::text && *format == DateFormat::julian_day) return std::nullopt;
  const std::optional<std::int64_t> seconds = moment_of_number(*format, value);
  if (!seconds) return std::nullopt;
  return Reading{*format, storage, false, *seconds};
}

// Decimal digits without a sign or leading zeros ("0" itself is one), as a number.
std::optional<std::int64_t> decimal(std::string_view text) {
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text.front() == '0'))
    return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Reading> read_text(std::string_view text, std::optional<DateFormat> format) {
  if (const std::optional<IsoMoment> moment = parse_iso_moment(text)) {
    if (format && *format != DateFormat::iso8601) return std::nullopt;
    return Reading{DateFormat::iso8601, DateStorage::text, moment->offset, moment->seconds};
  }
  if (const std::optional<std::int64_t> number = decimal(text))
    return read_number(*number, DateStorage::text, format);
  return std::nullopt;
}

std::optional<Reading> read_value(const Row& row, std::size_t column,
                                  std::optional<DateFormat> format) {
  switch (row.type(column)) {
    case ValueType::null:
    case ValueType::blob:
    case ValueType::boolean:
    case ValueType::json:
      return std::nullopt;
    case ValueType::integer:
      return read_number(row.integer(column), DateStorage::number, format);
    case ValueType::real:
    case ValueType::decimal:
      return read_number(row.real(column), DateStorage::number, format);
    case ValueType::text:
      break;
  }
  return read_text(row.text(column), format);
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string describe(DateFormat format, DateStorage storage) {
  return std::string(to_string(format)) + (storage == DateStorage::text ? " text" : " numbers");
}

// Reads the values of `c`, tells its representation and adds what is wrong to `findings`.
void read_values(Store& store, DateColumn& c, std::vector<Finding>& findings) {
  const Dialect& dialect = store.dialect();
  const std::string column = dialect.quote(c.column->name);
  auto count = [&](const std::optional<Reading>& reading) {
    ++c.values;
    if (!reading) {
      ++c.unreadable;
      return;
    }
    ++c.readings[{reading->format, reading->storage}];
    c.representation.offsets = c.representation.offsets || reading->offset;
  };
  try {
    // A text column's values all arrive as text: a server streams them, when it can, in
    // the form that costs it least.
    const bool streamed = c.column->kind == ColumnType::text &&
                          store.each_text(*c.table->db, *c.column, [&](std::string_view text) {
                            count(read_text(text, c.stated));
                          });
    if (!streamed) {
      auto values = store.prepare("SELECT " + column + " FROM " + c.table->db->quoted + " WHERE " +
                                  column + " IS NOT NULL");
      while (values->step()) count(read_value(values->row(), 0, c.stated));
    }
    c.read = true;
  } catch (...) {
    rethrow_database_error("reading the dates of " + c.name());
  }
  auto most = std::max_element(c.readings.begin(), c.readings.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  if (most != c.readings.end()) {
    c.representation.format = most->first.first;
    c.representation.storage = most->first.second;
  } else {
    // No dates to tell from: the stated format, else what the declared type suggests.
    const bool numeric = c.column->numeric();
    c.representation.format =
        c.stated.value_or(numeric ? DateFormat::unix_seconds : DateFormat::iso8601);
    c.representation.storage =
        c.representation.format == DateFormat::iso8601 ||
                (!numeric && c.representation.format != DateFormat::julian_day)
            ? DateStorage::text
            : DateStorage::number;
  }
  c.representation.native = store.dialect().native_dates() && c.column->dated();
  const std::string what = c.owner + ": column '" + c.name() + "'";
  const std::string in_format =
      c.stated ? std::string(" in its format ") + to_string(*c.stated) : std::string();
  if (c.unreadable > 0 && c.readings.empty()) {
    findings.push_back(Finding{
        "date-unreadable", Severity::error,
        what + " is not a date column: " +
            (c.values == 1 ? std::string("its value is not a date")
                           : "none of its " + std::to_string(c.values) + " values is a date") +
            in_format,
        c.loc, c.name()});
  } else if (c.unreadable > 0) {
    findings.push_back(
        Finding{"date-unreadable", Severity::error,
                what + " holds " + plural(c.unreadable, "value", "values") + " of " +
                    std::to_string(c.values) + " that " + (c.unreadable == 1 ? "is" : "are") +
                    " not a date" + in_format +
                    (c.stated ? "" : "; name the column's representation with 'format'"),
                c.loc, c.name()});
  }
  if (c.readings.size() > 1) {
    std::string kinds;
    for (const auto& [kind, n] : c.readings)
      kinds +=
          (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + describe(kind.first, kind.second);
    const std::int64_t others = c.values - c.unreadable - most->second;
    findings.push_back(Finding{"date-mixed", Severity::error,
                               what + " mixes date representations (" + kinds +
                                   "): " + plural(others, "value is", "values are") + " not " +
                                   describe(most->first.first, most->first.second) +
                                   " like the rest",
                               c.loc, c.name()});
  }
}

// A date or timestamp column of a backend with typed dates: its values are moments, but for
// those the type holds that are none (Dialect::not_a_moment), counted in SQL.
void check_native_values(Store& store, DateColumn& c, std::vector<Finding>& findings) {
  c.representation = DateRepresentation{.native = true};
  const std::string no_moment = store.dialect().not_a_moment(store.dialect().quote(c.column->name));
  if (no_moment.empty()) return;
  try {
    auto count =
        store.prepare("SELECT count(*) FROM " + c.table->db->quoted + " WHERE " + no_moment);
    if (count->step()) c.unreadable = count->row().integer(0);
  } catch (...) {
    rethrow_database_error("reading the dates of " + c.name());
  }
  if (c.unreadable > 0)
    findings.push_back(Finding{"date-unreadable", Severity::error,
                               c.owner + ": column '" + c.name() + "' holds " +
                                   plural(c.unreadable, "value", "values") + " that " +
                                   (c.unreadable == 1 ? "is" : "are") + " not a date",
                               c.loc, c.name()});
}

// The data map's `format` of `column` of `table`, if any.
std::optional<DateFormat> mapped_format(const ResolvedTable& table, const DbColumn& column) {
  const ResolvedColumn* mapped = table.find_column(column.name);
  return mapped == nullptr ? std::nullopt : mapped->entry->format;
}

}  // namespace

std::string describe(const DateRepresentation& representation) {
  return describe(representation.format, representation.storage);
}

std::string DateColumn::name() const { return table->name() + "." + column->name; }

const DateColumn* DateColumns::find(std::string_view table, std::string_view column) const {
  for (const DateColumn& c : columns_)
    if (c.table->name() == table && c.column->name == column) return &c;
  return nullptr;
}

std::vector<DateColumn> policy_date_columns(const ResolvedMap& resolved) {
  std::vector<DateColumn> out;
  std::map<std::pair<const ResolvedTable*, const DbColumn*>, std::size_t> seen;
  auto add = [&](const ResolvedTable* table, const DbColumn* column,
                 std::optional<DateFormat> stated, const SourceLocation& loc,
                 const std::string& owner) {
    if (table == nullptr || column == nullptr) return;
    if (!stated) stated = mapped_format(*table, *column);
    auto [at, fresh] = seen.emplace(std::pair{table, column}, out.size());
    if (!fresh) {
      // Named again: the first place stays; a format stated here counts (a conflict between
      // stated formats is check_data_map_structure's date-format-conflict).
      if (!out[at->second].stated) out[at->second].stated = stated;
      return;
    }
    out.push_back(
        DateColumn{.table = table, .column = column, .stated = stated, .loc = loc, .owner = owner});
  };
  for (const ResolvedRule& rule : resolved.rules())
    add(rule.from_table, rule.from, rule.entry->format, rule.entry->loc,
        "retention rule '" + rule.entry->name + "'");
  const ResolvedSubject& subject = resolved.subject();
  if (subject.table != nullptr)
    add(subject.table, subject.closed, std::nullopt, subject.entry->loc,
        "the subject's closing date");
  for (const ResolvedHold& hold : resolved.holds())
    add(hold.table, hold.until, std::nullopt, hold.entry->loc,
        "legal hold '" + hold.entry->name + "'");
  for (const ResolvedTable& table : resolved.tables())
    for (const ResolvedColumn& column : table.columns)
      if (column.entry->format)
        add(&table, column.db, column.entry->format, column.entry->loc, "the data map");
  return out;
}

DateColumns read_date_columns(const ResolvedMap& resolved, Store& store) {
  DateColumns out;
  out.columns_ = policy_date_columns(resolved);
  // In one snapshot of their own when none is open: the columns are read as of one moment,
  // and a server streams each one (no cursor kept past its transaction).
  std::optional<Transaction> snapshot;
  try {
    if (!store.in_transaction()) snapshot.emplace(store, Transaction::Kind::snapshot);
  } catch (...) {
    rethrow_database_error("reading the date columns");
  }
  for (DateColumn& c : out.columns_) {
    // A date or timestamp column of a server with typed dates holds nothing but moments,
    // which SQL compares as such: there is no representation to tell from its values, and a
    // table of millions of rows is not read to the client for it. A stated format other than
    // ISO 8601 is checked against the values (they do not read as Unix time).
    if (store.dialect().native_dates() && c.column->dated() &&
        c.stated.value_or(DateFormat::iso8601) == DateFormat::iso8601)
      check_native_values(store, c, out.findings_);
    else
      read_values(store, c, out.findings_);
  }
  if (snapshot) snapshot->commit();
  return out;
}

void ensure_dates(const DateColumns& dates) {
  if (!dates.findings().empty())
    throw_invalid(dates.findings().front().loc, dates.findings().front().message);
}

const std::vector<RuleInfo>& date_rules() {
  static const std::vector<RuleInfo> rules = {
      {"date-unreadable", "a date column holds values that are not dates (or no dates at all)"},
      {"date-mixed", "a date column stores its dates in more than one representation"},
  };
  return rules;
}

// ---------------------------------------------------------------------------------------

std::string date_before(const Dialect& dialect, const std::string& expr,
                        const DateRepresentation& representation, const std::string& param) {
  const std::string present = "(" + expr + " IS NOT NULL AND ";
  if (representation.native) return present + expr + " < " + param + ")";
  if (representation.format == DateFormat::iso8601) {
    // Text in ISO 8601 order; '0000-01-01' keeps out what is not text (SQLite orders every
    // number before any text).
    const std::string text = present + expr + " >= '0000-01-01' AND " + expr + " < ";
    if (!representation.offsets) return text + param + ")";
    // With offsets of up to 14 hours, only text dated the day before or the day itself may
    // fall on either side of the day's first moment: those are compared in Unix time.
    const std::string seconds = dialect.iso_unix_seconds(expr);
    return text + param + "_hi AND (" + expr + " < " + param + "_lo OR (" + seconds +
           " IS NOT NULL AND " + seconds + " < " + param + "_s)))";
  }
  if (representation.storage == DateStorage::number) return present + expr + " < " + param + ")";
  // Decimal digits without leading zeros: fewer digits is earlier, as many compare as text.
  const std::string length = dialect.length(expr);
  return present + dialect.is_text(expr) + " AND " + expr + " >= '0' AND " + expr + " < ':' AND (" +
         length + " < " + param + "_n OR (" + length + " = " + param + "_n AND " + expr + " < " +
         param + ")))";
}

void bind_date_before(Params& params, const DateRepresentation& representation,
                      const std::string& param, const Date& day) {
  const std::int64_t seconds = start_of_day(day);
  switch (representation.format) {
    case DateFormat::iso8601:
      params[param] = day.iso();
      if (representation.offsets) {
        params[param + "_lo"] = day.add_days(-1).iso();
        params[param + "_hi"] = day.add_days(1).iso();
        params[param + "_s"] = seconds;
      }
      return;
    case DateFormat::julian_day:
      params[param] = static_cast<double>(day.days_since_epoch()) + kJulianDayOfEpoch;
      return;
    case DateFormat::unix_seconds:
    case DateFormat::unix_milliseconds:
      break;
  }
  const std::int64_t bound =
      representation.format == DateFormat::unix_milliseconds ? seconds * 1000 : seconds;
  if (representation.storage == DateStorage::number) {
    params[param] = bound;
    return;
  }
  // No text of digits is before a negative bound.
  const std::string digits = bound < 0 ? std::string() : std::to_string(bound);
  params[param] = digits;
  params[param + "_n"] = static_cast<std::int64_t>(digits.size());
}

// ---------------------------------------------------------------------------------------

DateReading date_reading(const std::vector<DateColumn>& dates, const ResolvedTable& table,
                         const ResolvedColumn& column) {
  if (column.db == nullptr) return DateReading{};
  if (column.entry->format) return DateReading{true, column.entry->format};
  for (const DateColumn& c : dates)
    if (c.table->name() == table.name() && c.column->name == column.db->name)
      return DateReading{true, c.stated};
  return DateReading{column.db->dated(), std::nullopt};
}

bool read_date(const Row& row, std::size_t column, std::optional<DateFormat> format,
               std::string& out) {
  const std::optional<Reading> reading = read_value(row, column, format);
  if (!reading) return false;
  if (reading->format == DateFormat::iso8601) {
    out.assign(row.text(column));
    if (out.size() > 10) out[10] = 'T';
  } else {
    out = format_moment(reading->seconds);
  }
  return true;
}

}  // namespace telcomply
