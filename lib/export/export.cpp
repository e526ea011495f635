#include "export/export.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/date.h"
#include "core/error.h"
#include "core/phone.h"
#include "core/text.h"
#include "core/timezone.h"
#include "datamap/dates.h"
#include "datamap/resolved.h"
#include "export/info.h"
#include "export/spool.h"
#include "export/writer.h"
#include "io/audit.h"

namespace telcomply {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

using ojson = nlohmann::ordered_json;

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

// ---------------------------------------------------------------------------------------
// SQL along the resolved data map: every name here was found in the real schema.

std::string q(const std::string& identifier) { return quote_identifier(identifier); }

const std::string& key_of(const ResolvedTable& table) { return table.key->name; }
const std::string& link_column(const ResolvedTable& table) { return table.link->column->name; }
// The parent column a table's link refers to: its parent_key, else the parent's key.
const std::string& link_target(const ResolvedTable& table) {
  return table.link->parent_column->name;
}

// The parameter every subject condition compares the subject's key with.
constexpr const char* kSubjectKey = ":subject";

// A condition on the rows of path.front() that belong to the subject whose key is bound to
// :subject: nested IN subqueries along the links, so that rows are never repeated whatever
// the links' cardinality.
std::string belongs_to_subject(const std::vector<const ResolvedTable*>& path) {
  const std::size_t last = path.size() - 1;
  if (last == 0) return q(key_of(*path[0])) + " = " + kSubjectKey;
  std::string inner;
  for (std::size_t i = last; i-- > 0;) {
    const ResolvedTable& parent = *path[i + 1];
    const std::string& column = link_column(*path[i]);
    const std::string& target = link_target(*path[i]);
    if (i + 1 == last) {
      // The link into the subject table itself: compare with the subject's key directly
      // when the link points at it.
      inner = target == key_of(parent)
                  ? q(column) + " = " + kSubjectKey
                  : q(column) + " IN (SELECT " + q(target) + " FROM " + parent.db->quoted +
                        " WHERE " + q(key_of(parent)) + " = " + kSubjectKey + ")";
    } else {
      inner = q(column) + " IN (SELECT " + q(target) + " FROM " + parent.db->quoted + " WHERE " +
              inner + ")";
    }
  }
  return inner;
}

// A query for the subject rows reached from rows of path.front() matching `match`.
std::string subjects_matching(const std::vector<const ResolvedTable*>& path,
                              const std::string& number, const std::string& match) {
  const std::size_t last = path.size() - 1;
  const ResolvedTable& subject = *path[last];
  std::string select =
      "SELECT " + q(key_of(subject)) + ", " + q(number) + " FROM " + subject.db->quoted;
  if (last == 0) return select + " WHERE " + match;
  std::string inner =
      "SELECT " + q(link_column(*path[0])) + " FROM " + path[0]->db->quoted + " WHERE " + match;
  for (std::size_t i = 1; i < last; ++i) {
    inner = "SELECT " + q(link_column(*path[i])) + " FROM " + path[i]->db->quoted + " WHERE " +
            q(link_target(*path[i - 1])) + " IN (" + inner + ")";
  }
  return select + " WHERE " + q(link_target(*path[last - 1])) + " IN (" + inner + ")";
}

// The comparison of an identifying column with the normalised query value (:value).
// Phone numbers also match the notations in `phone_notations` (:phone0, :phone1, ...), the
// stored values that normalise to the number asked for.
std::string match_condition(const Dialect& dialect, IdentifierKind kind, const std::string& column,
                            std::size_t phone_notations) {
  const std::string c = q(column);
  switch (kind) {
    case IdentifierKind::customer_number:
    case IdentifierKind::email:
      return dialect.equals_nocase(c, ":value");
    case IdentifierKind::phone: {
      std::string out = "(" + c + " = :value";
      for (std::size_t i = 0; i < phone_notations; ++i)
        out += " OR " + c + " = :phone" + std::to_string(i);
      return out + ")";
    }
    case IdentifierKind::kvk:
      return "(" + c + " = :value OR replace(replace(" + c + ", ' ', ''), '.', '') = :value)";
  }
  return c + " = :value";
}

// Whether the digits of `text` can end in `tail`: every notation of a number ends its number
// with the subscriber's last digits, before any extension, whatever separators, prefixes and
// trunk digits come first. Text with non-ASCII characters is left to libphonenumber.
bool may_spell(std::string_view text, std::string_view tail, std::string& digits) {
  digits.clear();
  for (char c : text) {
    if (is_digit(c))
      digits += c;
    else if (static_cast<unsigned char>(c) >= 0x80)
      return true;
  }
  return digits.find(tail) != std::string::npos;
}

// The values stored in `table.column` that are notations of the E.164 number `e164`: every
// distinct value that may spell it is normalised in C++ (the database cannot call back into
// telcomply), read in `region`.
std::vector<std::string> phone_notations(Store& store, const ResolvedTable& table,
                                         const std::string& column, const std::string& e164,
                                         const std::string& region) {
  std::vector<std::string> found;
  // One value in 10,000 that is not the number passes to the full check, which costs
  // microseconds: a customer table of millions is read in about the time of the query.
  const std::string_view tail = std::string_view(e164).substr(e164.size() - 4);
  std::string digits;
  auto values = store.prepare("SELECT DISTINCT " + q(column) + " FROM " + table.db->quoted +
                              " WHERE " + q(column) + " IS NOT NULL");
  while (values->step()) {
    const Row& row = values->row();
    if (row.type(0) != ValueType::text) continue;
    const std::string_view text = row.text(0);
    if (text == e164 || !may_spell(text, tail, digits)) continue;  // e164 matches :value itself
    if (normalise_phone(text, region) == e164) found.emplace_back(text);
  }
  return found;
}

Param param_of(const KeyValue& key) {
  return std::visit([](const auto& value) { return Param(value); }, key);
}

KeyValue key_of(const Row& row, std::size_t column) {
  if (row.type(column) == ValueType::integer) return row.integer(column);
  return std::string(row.text(column));
}

// ---------------------------------------------------------------------------------------
// Values for the package

// "YYYY-MM-DD HH:MM[:SS[.fff]]" as SQLite writes datetimes.
bool is_sqlite_datetime(std::string_view text) {
  if (text.size() < 16 || text[10] != ' ' || text[4] != '-' || text[7] != '-' || text[13] != ':')
    return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15})
    if (!is_digit(text[i])) return false;
  return true;
}

std::string first_character(std::string_view text) {
  if (text.empty()) return "";
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return std::string(text.substr(0, std::min(length, text.size())));
}

bool is_ascii_punctuation(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

// "Vries" becomes "V***", "(werk)" becomes "(w***)".
std::string mask_word(std::string_view word) {
  std::size_t begin = 0, end = word.size();
  while (begin < end && is_ascii_punctuation(word[begin])) ++begin;
  while (end > begin && is_ascii_punctuation(word[end - 1])) --end;
  if (begin == end) return std::string(word);
  return std::string(word.substr(0, begin)) + first_character(word.substr(begin)) + "***" +
         std::string(word.substr(end));
}

// ---------------------------------------------------------------------------------------
// The export plan: per exported category, the tables holding it; per table, one pass that
// reads its rows once for all the categories its columns belong to.

struct Source {
  const Table* table = nullptr;
  std::vector<const Column*> columns;
  std::vector<DateReading> date_columns;
  std::size_t pass = 0;  // the table's pass
  std::size_t use = 0;   // the pass's categories before this one: 0 is where the table is read
};

struct CategoryPlan {
  const Category* category = nullptr;
  std::vector<Source> sources;
  std::int64_t count = 0;
};

// One read of a table: the condition on its rows, their number, and the sources it serves
// (as category and source index), in package order.
struct TablePass {
  const Table* table = nullptr;
  std::string from;  // the table in SQL
  std::string condition;
  std::int64_t count = 0;
  bool sequential = false;  // read the table itself rather than through an index
  std::string order;        // the key, and the row address where the key may repeat
  std::vector<std::pair<std::size_t, std::size_t>> uses;
};

struct ExportPlan {
  std::vector<CategoryPlan> categories;
  std::vector<TablePass> passes;
};

ExportPlan plan_export(Store& store, const ResolvedMap& resolved, const DataMap& map,
                       const RetentionPolicy* retention, const Subject& subject,
                       double sequential_share) {
  ExportPlan plan;
  std::map<std::string, std::size_t> pass_of;
  // Dates as scrub reads them: with the columns the retention rules and holds read as dates.
  const ResolvedMap with_rules = resolve_data_map(map, retention, store.schema());
  const std::vector<DateColumn> dates = policy_date_columns(with_rules);
  for (const Category* category : categories_in_order(map)) {
    if (category->role != Role::controller) continue;
    CategoryPlan category_plan;
    category_plan.category = category;
    for (const Table& table : map.tables) {
      Source source;
      source.table = &table;
      for (const Column& column : table.columns)
        if (column.category == category->id) source.columns.push_back(&column);
      if (source.columns.empty()) continue;
      const ResolvedTable& resolved_table = *resolved.find(table.name);
      const std::vector<const ResolvedTable*> path = resolved.path_to_subject(resolved_table);
      for (const Column* column : source.columns)
        source.date_columns.push_back(
            date_reading(dates, resolved_table, *resolved_table.find_column(column->name)));
      auto found = pass_of.find(table.name);
      if (found == pass_of.end()) {
        TablePass pass;
        pass.table = &table;
        pass.from = resolved_table.db->quoted;
        pass.condition = belongs_to_subject(path);
        const DbColumn& key = *resolved_table.key;
        pass.order = q(key.name);
        const std::string row_id = store.dialect().row_id();
        if (!key.unique && resolved_table.db->has_row_id && !row_id.empty())
          pass.order += ", " + row_id;
        {
          auto count =
              store.prepare("SELECT count(*) FROM " + pass.from + " WHERE " + pass.condition);
          count->bind(kSubjectKey, param_of(subject.key));
          pass.count = count->step() ? count->row().integer_or_zero(0) : 0;
        }
        if (pass.count > 0) {
          const std::optional<std::int64_t> rows = store.estimated_rows(table.name);
          pass.sequential = rows && static_cast<double>(pass.count) >=
                                        sequential_share * static_cast<double>(*rows);
        }
        found = pass_of.emplace(table.name, plan.passes.size()).first;
        plan.passes.push_back(std::move(pass));
      }
      TablePass& pass = plan.passes[found->second];
      source.pass = found->second;
      source.use = pass.uses.size();
      pass.uses.emplace_back(plan.categories.size(), category_plan.sources.size());
      category_plan.count += pass.count;
      category_plan.sources.push_back(std::move(source));
    }
    if (!category_plan.sources.empty()) plan.categories.push_back(std::move(category_plan));
  }
  return plan;
}

// Reads one column of the current row into `value`, converting dates to ISO 8601 as scrub
// reads them (datamap/dates.h) and, with `mask`, masking another party's data; `scratch`
// holds text that had to be rewritten.
void read_value(const Row& row, std::size_t column, const DateReading& date, PhoneMasks* mask,
                std::string& scratch, FieldValue& value) {
  value = FieldValue{};
  switch (row.type(column)) {
    case ValueType::null:
      return;
    case ValueType::integer:
      value.type = FieldValue::Type::integer;
      value.integer = row.integer(column);
      break;
    case ValueType::real:
      value.type = FieldValue::Type::real;
      value.real = row.real(column);
      break;
    case ValueType::decimal:
    case ValueType::boolean:
    case ValueType::json:  // exact digits, true or false, a JSON document: as they are
      value.type = FieldValue::Type::json;
      value.text = row.text(column);
      break;
    case ValueType::blob:
      scratch = base64(row.text(column));
      value.type = FieldValue::Type::text;
      value.text = scratch;
      break;
    case ValueType::text:
      value.type = FieldValue::Type::text;
      value.text = row.text(column);
      if (is_sqlite_datetime(value.text)) {
        scratch.assign(value.text);
        scratch[10] = 'T';
        value.text = scratch;
      }
  }
  if (date.date && read_date(row, column, date.format, scratch)) {
    value.type = FieldValue::Type::text;
    value.text = scratch;
  }
  if (mask) {
    if (value.type == FieldValue::Type::integer)
      scratch = std::to_string(value.integer);
    else if (value.type == FieldValue::Type::real)
      scratch = std::to_string(value.real);
    else if (value.type == FieldValue::Type::text || value.type == FieldValue::Type::json)
      scratch.assign(value.text);
    else
      return;
    scratch = mask_other_party(scratch, *mask);
    value.type = FieldValue::Type::text;
    value.text = scratch;
  }
}

}  // namespace

ExportFormat parse_export_format(std::string_view name) {
  if (name == "json") return ExportFormat::json;
  if (name == "html") return ExportFormat::html;
  throw_invalid("unknown export format '" + std::string(name) + "' (expected json or html)");
}

std::string normalise_query(const SubjectQuery& query) {
  const std::string value = trimmed(query.value);
  switch (query.kind) {
    case IdentifierKind::customer_number:
      if (value.empty()) throw_invalid("the customer number is empty");
      return value;
    case IdentifierKind::email: {
      const std::size_t at = value.find('@');
      const bool ok = at != std::string::npos && at > 0 && at + 1 < value.size() &&
                      value.find('@', at + 1) == std::string::npos &&
                      std::none_of(value.begin(), value.end(), [](char c) {
                        return std::isspace(static_cast<unsigned char>(c));
                      });
      if (!ok) throw_invalid("the email address given is not an email address");
      return value;
    }
    case IdentifierKind::phone: {
      std::optional<std::string> e164 = normalise_phone(value, query.phone_region);
      if (!e164)
        throw_invalid(
            "the phone number given is not a telephone number (expected e.g. +31 20 123 4567, "
            "0031201234567 or 020-1234567)");
      return *e164;
    }
    case IdentifierKind::kvk: {
      std::string digits;
      for (char c : value) {
        if (is_digit(c))
          digits += c;
        else if (c != ' ' && c != '.')
          digits += '?';
      }
      if (digits.size() != 8 || digits.find('?') != std::string::npos)
        throw_invalid("the KvK number given is not a KvK number (8 digits)");
      return digits;
    }
  }
  return value;
}

Subject find_subject(Store& store, const ResolvedMap& resolved, const SubjectQuery& query) {
  const std::string value = normalise_query(query);
  ensure_fits(resolved);
  const ResolvedTable& subject_table = *resolved.subject().table;
  const std::string& number = resolved.subject().number->name;
  const SourceLocation& subject_loc = subject_table.entry->loc;

  // Every column that identifies this kind of value, with the path to the subject.
  std::vector<std::pair<const ResolvedTable*, std::string>> columns;
  if (query.kind == IdentifierKind::customer_number) columns.emplace_back(&subject_table, number);
  for (const ResolvedTable& table : resolved.tables()) {
    for (const ResolvedColumn& column : table.columns) {
      if (column.entry->identifies != query.kind) continue;
      if (&table == &subject_table && column.entry->name == number) continue;
      columns.emplace_back(&table, column.entry->name);
    }
  }
  if (columns.empty())
    throw_invalid(located(subject_loc, std::string("the data map marks no column with "
                                                   "'identifies: ") +
                                           to_string(query.kind) + "'"));

  std::vector<Subject> found;
  try {
    for (const auto& [table, column] : columns) {
      const std::vector<const ResolvedTable*> path = resolved.path_to_subject(*table);
      std::vector<std::string> notations;
      if (query.kind == IdentifierKind::phone)
        notations = phone_notations(store, *table, column, value, query.phone_region);
      auto statement = store.prepare(subjects_matching(
          path, number, match_condition(store.dialect(), query.kind, column, notations.size())));
      statement->bind("value", value);
      for (std::size_t i = 0; i < notations.size(); ++i)
        statement->bind("phone" + std::to_string(i), notations[i]);
      while (statement->step()) {
        const Row& row = statement->row();
        Subject subject{key_of(row, 0), std::string(row.text(1)), query.kind};
        const bool known = std::any_of(found.begin(), found.end(),
                                       [&](const Subject& s) { return s.key == subject.key; });
        if (!known) found.push_back(std::move(subject));
      }
    }
  } catch (...) {
    rethrow_database_error("cannot look up the customer");
  }

  if (found.empty())
    throw Error(Exit::no_subject,
                std::string("no customer matches the ") +
                    (query.kind == IdentifierKind::customer_number ? "customer number"
                     : query.kind == IdentifierKind::email         ? "email address"
                     : query.kind == IdentifierKind::phone         ? "phone number"
                                                                   : "KvK number") +
                    " given");
  if (found.size() > 1) {
    std::vector<std::string> numbers;
    for (const auto& s : found) numbers.push_back(s.customer_number);
    std::sort(numbers.begin(), numbers.end());
    std::string list;
    for (const auto& n : numbers) list += (list.empty() ? "" : ", ") + n;
    throw_invalid("several customers match: " + list + "; give the customer number");
  }
  return found.front();
}

std::string mask_other_party(std::string_view value, PhoneMasks& phones) {
  const std::string text = trimmed(value);
  if (text.empty()) return text;
  // Short numbers (112, 1233, 14020) reach services, not people.
  if (text.size() <= 5 && std::all_of(text.begin(), text.end(), is_digit)) return text;
  if (const std::optional<std::string>& masked = phones.mask(text)) return *masked;
  if (text.find('@') != std::string::npos) return first_character(text) + "***@***";
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (!out.empty()) out += ' ';
    out += mask_word(std::string_view(text).substr(i, end - i));
    i = end;
  }
  return out;
}

ExportResult write_export(Store& store, const ResolvedMap& resolved, const Policy& policy,
                          const Subject& subject, const ExportOptions& options, std::ostream& out) {
  ensure_fits(resolved);
  const DataMap& map = policy.data_map;
  ExportResult result;
  result.customer_number = subject.customer_number;

  auto package_category = [&map](const CategoryPlan& plan) {
    PackageCategory category{plan.category, plan.count, {}};
    for (const auto& ref : plan.category->purposes)
      category.purposes.push_back(map.purpose_name(ref));
    return category;
  };
  PackageView view;
  view.language = options.language;
  const std::optional<TimeZone> zone = TimeZone::find(options.timezone);
  if (!zone) throw_invalid("unknown time zone " + excerpt(options.timezone));
  view.zone = *zone;
  view.templates = options.templates;
  view.map = &map;
  PackageSink sink(out);
  std::unique_ptr<PackageWriter> writer = make_package_writer(options.format, sink, view);
  // Decisions are judged on the day the package says it was made.
  const std::string generated_at =
      options.generated_at.empty() ? utc_timestamp() : options.generated_at;
  const ojson information =
      export_information(policy, parse_date(generated_at.substr(0, 10)).value_or(Date::today()),
                         result.warnings, options.language);

  try {
    // One read transaction: the counts in the summary and the records written agree.
    Transaction snapshot(store, Transaction::Kind::snapshot);
    const ExportPlan plan =
        plan_export(store, resolved, map, policy.has_retention ? &policy.retention : nullptr,
                    subject, options.sequential_share);

    PackageHead head;
    head.generated_at = generated_at;
    head.information = information;
    head.controller = export_controller(policy.config.organisation);
    head.subject["customer_number"] = subject.customer_number;
    head.subject["found_by"] = to_string(subject.found_by);
    head.subject["other_parties"] = options.unmask ? "unmasked" : "masked";
    std::vector<std::string> masked_columns;
    std::int64_t total = 0;
    for (const auto& category_plan : plan.categories) {
      head.categories.push_back(package_category(category_plan));
      total += category_plan.count;
      for (const auto& source : category_plan.sources)
        for (const Column* column : source.columns)
          if (column->other_party)
            masked_columns.push_back(source.table->name + "." + column->name);
    }
    head.subject["other_party_columns"] = masked_columns;
    writer->begin(head);

    std::int64_t done = 0;
    const auto written_one = [&](const std::string& category) {
      if (++done % 65536 == 0 && options.progress)
        options.progress(Progress{"exporting", category, done, total, "records"});
    };
    // Per pass, the records of its later categories until their section comes.
    SpoolStore spool_store(options.spool_memory, options.temp_dir);
    std::vector<std::vector<std::unique_ptr<RecordSpool>>> spools(plan.passes.size());
    std::vector<FieldValue> values;
    std::vector<std::string> scratch;
    PhoneMasks phone_masks(policy.config.phone_region);
    for (const auto& category_plan : plan.categories) {
      const std::string& category = category_plan.category->id;
      if (options.progress)
        options.progress(Progress{"exporting", category, done, total, "records"});
      writer->begin_category(package_category(category_plan));
      std::int64_t written = 0;
      for (const auto& source : category_plan.sources) {
        const TablePass& pass = plan.passes[source.pass];
        if (pass.count == 0) continue;
        PackageTable table;
        table.name = pass.table->name;
        table.entry = pass.table;
        table.key_column = pass.table->key;
        table.count = pass.count;
        for (const Column* column : source.columns) {
          table.columns.push_back(column->name);
          table.entries.push_back(column);
          table.masked.push_back(column->other_party && !options.unmask);
        }
        writer->begin_table(table);
        if (source.use > 0) {
          // Read with the table's first category: the records come from the spool.
          spools[source.pass][source.use]->replay(
              source.columns.size(),
              [&](const FieldValue& key, std::span<const FieldValue> fields) {
                writer->record(key, fields);
                written_one(category);
              });
        } else {
          // The table's first category: one query for the columns of all its categories;
          // this one's records are written, the others' spooled.
          std::string select = "SELECT " + q(pass.table->key);
          std::vector<const Source*> uses;
          std::vector<DateReading> dates;
          std::vector<bool> masks;
          std::vector<std::unique_ptr<RecordSpool>>& later = spools[source.pass];
          for (const auto& [c, s] : pass.uses) {
            const Source& use = plan.categories[c].sources[s];
            uses.push_back(&use);
            later.push_back(use.use == 0 ? nullptr : std::make_unique<RecordSpool>(spool_store));
            for (std::size_t i = 0; i < use.columns.size(); ++i) {
              select += ", " + q(use.columns[i]->name);
              dates.push_back(use.date_columns[i]);
              masks.push_back(use.columns[i]->other_party && !options.unmask);
            }
          }
          // In the key's order whichever way the rows are found (an index on the link
          // gives them by link value, the table itself in its stored order).
          auto rows =
              store.prepare(select + " FROM " + pass.from +
                            (pass.sequential ? store.dialect().walk_table_hint() : std::string()) +
                            " WHERE " + pass.condition + " ORDER BY " + pass.order);
          rows->bind(kSubjectKey, param_of(subject.key));
          const std::size_t n = dates.size();
          values.resize(n);
          scratch.resize(n + 1);
          std::int64_t table_rows = 0;
          while (rows->step()) {
            const Row& row = rows->row();
            FieldValue key;
            read_value(row, 0, DateReading{}, nullptr, scratch[n], key);
            for (std::size_t i = 0; i < n; ++i)
              read_value(row, i + 1, dates[i], masks[i] ? &phone_masks : nullptr, scratch[i],
                         values[i]);
            const std::span<const FieldValue> all(values);
            std::size_t at = 0;
            for (std::size_t u = 0; u < uses.size(); ++u) {
              const std::span<const FieldValue> fields = all.subspan(at, uses[u]->columns.size());
              at += fields.size();
              if (u == 0)
                writer->record(key, fields);
              else
                later[u]->add(key, fields);
            }
            ++table_rows;
            written_one(category);
          }
          if (table_rows != pass.count)
            throw_operational("reading " + pass.table->name +
                              ": the database changed during the export");
        }
        writer->end_table();
        written += pass.count;
      }
      writer->end_category();
      result.counts.emplace_back(category, written);
    }
    snapshot.commit();
  } catch (...) {
    rethrow_database_error("cannot read the database");
  }
  writer->end(information);
  result.sha256 = sink.finish();
  result.bytes = sink.bytes();
  return result;
}

nlohmann::json export_audit_record(const ExportResult& result, const ExportOptions& options,
                                   const std::string& operator_name, const std::string& ticket) {
  nlohmann::json record = audit_record("export", operator_name);
  record["ticket"] = ticket.empty() ? nlohmann::json(nullptr) : nlohmann::json(ticket);
  record["customer_number"] = result.customer_number;
  record["format"] = options.format == ExportFormat::html ? "html" : "json";
  record["outcome"] = result.interrupted ? "interrupted" : "delivered";
  if (!result.interrupted) {
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [category, count] : result.counts) counts[category] = count;
    record["counts"] = std::move(counts);
    record["sha256"] = result.sha256;
  }
  record["bytes"] = result.bytes;
  record["unmask"] = options.unmask;
  return record;
}

}  // namespace telcomply
