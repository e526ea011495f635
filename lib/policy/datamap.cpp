// The data map: categories, the subject table, tables with their columns and links.
#include <algorithm>

#include "core/text.h"
#include "policy/dpia.h"
#include "policy/load.h"

namespace telcomply {

const char* to_string(Role role) {
  switch (role) {
    case Role::controller: return "controller";
    case Role::processor: return "processor";
    case Role::sub_processor: return "sub-processor";
  }
  return "controller";
}

const char* to_string(IdentifierKind kind) {
  switch (kind) {
    case IdentifierKind::customer_number: return "customer_number";
    case IdentifierKind::email: return "email";
    case IdentifierKind::phone: return "phone";
    case IdentifierKind::kvk: return "kvk";
  }
  return "customer_number";
}

const std::string& Wording::in(Language language) const {
  if (auto it = by_language.find(language); it != by_language.end()) return it->second;
  if (!plain.empty() || by_language.empty()) return plain;
  return by_language.begin()->second;
}

const char* to_string(Display::Kind kind) {
  switch (kind) {
    case Display::Kind::raw:
      return "";
    case Display::Kind::money_cents:
      return "money-cents";
    case Display::Kind::date:
      return "date";
    case Display::Kind::date_time:
      return "date-time";
    case Display::Kind::duration_seconds:
      return "duration-seconds";
    case Display::Kind::boolean:
      return "boolean";
    case Display::Kind::enumeration:
      return "enum";
  }
  return "";
}

const std::vector<std::string>& display_names() {
  static const std::vector<std::string> names{"money-cents",      "date",    "date-time",
                                              "duration-seconds", "boolean", "enum"};
  return names;
}

const Column* Table::find_column(const std::string& column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

const Table* DataMap::find_table(const std::string& name) const {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

const Purpose* DataMap::find_purpose(const std::string& ref) const {
  auto it = purposes.find(ref);
  return it == purposes.end() ? nullptr : &it->second;
}

const std::string& DataMap::purpose_name(const std::string& ref) const {
  const Purpose* purpose = find_purpose(ref);
  return purpose ? purpose->name : ref;
}

const std::string& DataMap::controller_name(const std::string& ref) const {
  auto it = controllers.find(ref);
  return it == controllers.end() ? ref : it->second.name;
}

std::vector<const Category*> categories_in_order(const DataMap& map) {
  std::vector<const Category*> out;
  for (const auto& [id, category] : map.categories) out.push_back(&category);
  auto file_rank = [&](const Category* c) {
    return std::find(map.files.begin(), map.files.end(), c->loc.file) - map.files.begin();
  };
  std::stable_sort(out.begin(), out.end(), [&](const Category* a, const Category* b) {
    return std::pair(file_rank(a), a->loc.line) < std::pair(file_rank(b), b->loc.line);
  });
  return out;
}

std::vector<std::string> retention_rule_categories(const RetentionRule& rule, const DataMap& map) {
  if (!rule.categories.empty()) return rule.categories;
  std::vector<std::string> out;
  const Table* table = map.find_table(rule.table);
  if (!table) return out;
  for (const auto& column : table->columns) {
    if (column.category == "none") continue;
    const bool affected = rule.action == RetentionAction::delete_row ||
                          std::any_of(rule.masks.begin(), rule.masks.end(),
                                      [&](const Mask& m) { return m.column == column.name; });
    if (affected)
      if (std::find(out.begin(), out.end(), column.category) == out.end())
        out.push_back(column.category);
  }
  return out;
}

const Table& DataMap::subject_table() const {
  const Table* table = find_table(subject.table);
  if (!table)
    throw_invalid(subject.loc, "the subject table '" + subject.table + "' is not in the data map");
  return *table;
}

std::vector<const Table*> DataMap::path_to_subject(const Table& table) const {
  std::vector<const Table*> path{&table};
  const Table* current = &table;
  while (current->name != subject.table) {
    if (!current->link)
      throw_invalid(current->loc, "table '" + current->name + "' has no link to the subject table '" +
                                      subject.table + "'");
    const Table* parent = find_table(current->link->parent);
    if (!parent)
      throw_invalid(current->link->loc, "table '" + current->name + "' links to unknown table '" +
                                            current->link->parent + "'");
    if (std::find(path.begin(), path.end(), parent) != path.end())
      throw_invalid(current->link->loc, "the links of table '" + table.name + "' form a cycle");
    path.push_back(parent);
    current = parent;
  }
  return path;
}

namespace {

void load_categories(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  doc.expect_any_map(node, "'categories'");
  for (const auto& item : node.pairs()) {
    const std::string id = item.first.text();
    const YamlNode& c = item.second;
    doc.expect_map(c, "category '" + id + "'",
                   {"name", "description", "purposes", "legal_basis", "kind", "source", "role",
                    "controller", "portable"});
    if (auto it = map.categories.find(id); it != map.categories.end())
      doc.fail(item.first, "category '" + id + "' is already defined at " + it->second.loc.str());
    Category category;
    category.id = id;
    category.loc = doc.where(item.first);
    category.name = doc.optional_string(c, "name").value_or(id);
    category.description = doc.optional_string(c, "description").value_or("");
    // Purposes and the legal basis may be missing: lint reports what the register lacks.
    category.purposes = doc.string_list(c, "purposes");
    category.legal_basis = doc.optional_string(c, "legal_basis").value_or("");
    if (c["kind"].defined() && !c["kind"].is_null())
      category.kind = doc.choice(c, "kind", data_kinds());
    category.source = doc.optional_string(c, "source").value_or("");
    const std::string role =
        doc.choice(c, "role", {"controller", "processor", "sub-processor"}, "controller");
    category.role = role == "processor"       ? Role::processor
                    : role == "sub-processor" ? Role::sub_processor
                                              : Role::controller;
    category.controller = doc.optional_string(c, "controller").value_or("");
    if (category.role != Role::controller && category.controller.empty())
      doc.fail(c, "category '" + id + "' has role " + role +
                      ": name its controller with 'controller'");
    category.portable = doc.boolean(c, "portable", false);
    map.categories.emplace(id, std::move(category));
  }
}

// Text a person reads: a string, or a mapping of language codes to strings.
Wording load_wording(const YamlDoc& doc, const YamlNode& node, const std::string& what) {
  Wording wording;
  if (node.is_null()) return wording;
  if (!node.is_map()) {
    wording.plain = doc.scalar(node, what);
    return wording;
  }
  doc.expect_map(node, what, {"nl", "en"});
  for (const auto& [key, text] : node.pairs())
    wording.by_language[*parse_language(key.text())] = doc.scalar(text, what);
  return wording;
}

// The column's `display`, with its `currency` (money-cents) and `values` (enum).
Display load_display(const YamlDoc& doc, const YamlNode& value, const std::string& what) {
  Display display;
  const YamlNode& node = value["display"];
  const bool given = node.defined() && !node.is_null();
  if (given) {
    std::vector<std::string_view> names(display_names().begin(), display_names().end());
    const std::string name = doc.choice(value, "display", names);
    display.loc = doc.where(node);
    for (auto kind :
         {Display::Kind::money_cents, Display::Kind::date, Display::Kind::date_time,
          Display::Kind::duration_seconds, Display::Kind::boolean, Display::Kind::enumeration})
      if (name == to_string(kind)) display.kind = kind;
  }
  if (const YamlNode& currency = value["currency"]; currency.defined() && !currency.is_null()) {
    if (display.kind != Display::Kind::money_cents)
      doc.fail(currency, what + ": 'currency' needs 'display: money-cents'");
    display.currency = doc.scalar(currency, "'currency'");
    const bool code = display.currency.size() == 3 &&
                      std::all_of(display.currency.begin(), display.currency.end(),
                                  [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!code)
      doc.fail(currency, what + ": 'currency' must be an ISO 4217 code in capitals, as EUR, not " +
                             excerpt(display.currency));
  }
  const YamlNode& values = value["values"];
  const bool has_values = values.defined() && !values.is_null();
  if (has_values && display.kind != Display::Kind::enumeration)
    doc.fail(values, what + ": 'values' needs 'display: enum'");
  if (display.kind == Display::Kind::enumeration) {
    if (!has_values)
      doc.fail(node, what + ": 'display: enum' needs 'values', the meaning of each stored value");
    doc.expect_any_map(values, what + ": 'values'");
    for (const auto& [stored, meaning] : values.pairs())
      display.values.emplace_back(
          stored.text(),
          load_wording(doc, meaning, what + ": the meaning of '" + stored.text() + "'"));
  }
  return display;
}

Column load_column(const YamlDoc& doc, const std::string& table, const YamlNode& key,
                   const YamlNode& value) {
  Column column;
  column.name = key.text();
  column.loc = doc.where(key);
  const std::string what = "column '" + table + "." + column.name + "'";
  if (value.is_scalar()) {
    column.category = value.text();
  } else {
    doc.expect_map(value, what,
                   {"category", "identifies", "other_party", "description", "format", "label",
                    "display", "currency", "values"});
    column.category = doc.string(value, "category");
    if (value["identifies"].defined()) {
      const std::string kind =
          doc.choice(value, "identifies", {"customer_number", "email", "phone", "kvk"});
      column.identifies = kind == "email"   ? IdentifierKind::email
                          : kind == "phone" ? IdentifierKind::phone
                          : kind == "kvk"   ? IdentifierKind::kvk
                                            : IdentifierKind::customer_number;
    }
    column.other_party = doc.boolean(value, "other_party", false);
    column.description = doc.optional_string(value, "description").value_or("");
    column.format = load_date_format(doc, value);
    if (const YamlNode& label = value["label"]; label.defined())
      column.label = load_wording(doc, label, what + ": 'label'");
    column.display = load_display(doc, value, what);
  }
  if (column.category.empty()) doc.fail(value, what + " needs a category (or 'none')");
  return column;
}

void load_tables(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  doc.expect_any_map(node, "'tables'");
  for (const auto& item : node.pairs()) {
    const std::string name = item.first.text();
    const YamlNode& t = item.second;
    if (const Table* existing = map.find_table(name))
      doc.fail(item.first, "table '" + name + "' is already defined at " + existing->loc.str());
    Table table;
    table.name = name;
    table.loc = doc.where(item.first);
    if (t.is_null()) doc.fail(item.first, "table '" + name + "' needs 'columns'");
    doc.expect_map(t, "table '" + name + "'", {"key", "link", "columns", "description", "label"});
    table.key = doc.optional_string(t, "key").value_or("id");
    table.description = doc.optional_string(t, "description").value_or("");
    if (const YamlNode& label = t["label"]; label.defined())
      table.label = load_wording(doc, label, "table '" + name + "': 'label'");
    if (const YamlNode& link = t["link"]; link.defined() && !link.is_null()) {
      doc.expect_map(link, "the link of table '" + name + "'", {"column", "parent", "parent_key"});
      table.link = Link{doc.string(link, "parent"), doc.string(link, "column"),
                        doc.optional_string(link, "parent_key").value_or(""), doc.where(link)};
    }
    const YamlNode& columns = t["columns"];
    if (!columns.defined() || columns.is_null())
      doc.fail(item.first, "table '" + name + "' needs 'columns'");
    doc.expect_any_map(columns, "the columns of table '" + name + "'");
    for (const auto& column : columns.pairs())
      table.columns.push_back(load_column(doc, name, column.first, column.second));
    map.tables.push_back(std::move(table));
  }
}

void load_subject(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  if (!map.subject.table.empty())
    doc.fail(node, "'subject' is already defined at " + map.subject.loc.str());
  doc.expect_map(node, "'subject'", {"table", "number", "closed"});
  map.subject.table = doc.string(node, "table");
  map.subject.number_column = doc.string(node, "number");
  map.subject.closed_column = doc.optional_string(node, "closed").value_or("");
  map.subject.loc = doc.where(node);
}

void load_purposes(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  doc.expect_any_map(node, "'purposes'");
  std::vector<std::string_view> criteria;
  for (const DpiaCriterion& c : dpia_criteria()) criteria.push_back(c.id);
  for (const auto& item : node.pairs()) {
    const std::string id = item.first.text();
    const YamlNode& p = item.second;
    if (auto it = map.purposes.find(id); it != map.purposes.end())
      doc.fail(item.first, "purpose '" + id + "' is already defined at " + it->second.loc.str());
    Purpose purpose;
    purpose.id = id;
    purpose.loc = doc.where(item.first);
    if (!p.is_null()) {
      doc.expect_map(
          p, "purpose '" + id + "'",
          {"name", "description", "data_subjects", "legal_basis", "large_scale", "dpia"});
      purpose.name = doc.optional_string(p, "name").value_or("");
      purpose.description = doc.optional_string(p, "description").value_or("");
      purpose.data_subjects = doc.string_list(p, "data_subjects");
      purpose.legal_basis = doc.optional_string(p, "legal_basis").value_or("");
      purpose.large_scale = doc.boolean(p, "large_scale", false);
      purpose.dpia = doc.choice_list(p, "dpia", criteria);
    }
    if (purpose.name.empty()) purpose.name = id;
    map.purposes.emplace(id, std::move(purpose));
  }
}

void load_recipients(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  doc.expect_any_map(node, "'recipients'");
  for (const auto& item : node.pairs()) {
    const std::string id = item.first.text();
    const YamlNode& r = item.second;
    for (const Recipient& existing : map.recipients)
      if (existing.id == id)
        doc.fail(item.first, "recipient '" + id + "' is already defined at " + existing.loc.str());
    if (r.is_null()) doc.fail(item.first, "recipient '" + id + "' needs 'name' and 'categories'");
    doc.expect_map(r, "recipient '" + id + "'",
                   {"name", "description", "categories", "basis", "locations", "safeguard"});
    Recipient recipient;
    recipient.id = id;
    recipient.loc = doc.where(item.first);
    recipient.name = doc.string(r, "name");
    recipient.description = doc.optional_string(r, "description").value_or("");
    recipient.categories = doc.string_list(r, "categories");
    recipient.basis = doc.optional_string(r, "basis").value_or("");
    recipient.locations = doc.string_list(r, "locations");
    recipient.safeguard = doc.optional_string(r, "safeguard").value_or("");
    map.recipients.push_back(std::move(recipient));
  }
}

void load_controllers(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  doc.expect_any_map(node, "'controllers'");
  for (const auto& item : node.pairs()) {
    const std::string id = item.first.text();
    const YamlNode& c = item.second;
    if (auto it = map.controllers.find(id); it != map.controllers.end())
      doc.fail(item.first, "controller '" + id + "' is already defined at " + it->second.loc.str());
    if (c.is_null()) doc.fail(item.first, "controller '" + id + "' needs 'name' and 'contact'");
    doc.expect_map(c, "controller '" + id + "'", {"name", "contact", "description"});
    map.controllers.emplace(id,
                            ServedController{id, doc.string(c, "name"), doc.string(c, "contact"),
                                             doc.optional_string(c, "description").value_or(""),
                                             doc.where(item.first)});
  }
}

void load_decisions(const YamlDoc& doc, const YamlNode& node, DataMap& map) {
  doc.expect_sequence(node, "'automated_decisions'");
  for (const auto& d : node.items()) {
    doc.expect_map(d, "an automated decision", {"name", "logic", "significance", "categories"});
    map.automated_decisions.push_back(AutomatedDecision{
        doc.string(d, "name"), doc.string(d, "logic"), doc.string(d, "significance"),
        doc.string_list(d, "categories"), doc.where(d)});
  }
}

}  // namespace

std::optional<DateFormat> load_date_format(const YamlDoc& doc, const YamlNode& parent) {
  const YamlNode& node = parent["format"];
  if (!node.defined() || node.is_null()) return std::nullopt;
  return parse_date_format(doc.choice(
      parent, "format", {"iso-8601", "unix-seconds", "unix-milliseconds", "julian-day"}));
}

DataMap load_data_map(const std::vector<YamlSource>& sources) {
  DataMap map;
  for (const auto& source : sources) {
    YamlDoc doc(source);
    const YamlNode& root = doc.root();
    doc.expect_map(root, "the data map",
                   {"categories", "purposes", "recipients", "controllers", "subject", "tables",
                    "ignore", "automated_decisions"});
    map.files.push_back(source.name);
    if (const YamlNode& n = root["categories"]; n.defined() && !n.is_null())
      load_categories(doc, n, map);
    if (const YamlNode& n = root["purposes"]; n.defined() && !n.is_null())
      load_purposes(doc, n, map);
    if (const YamlNode& n = root["recipients"]; n.defined() && !n.is_null())
      load_recipients(doc, n, map);
    if (const YamlNode& n = root["controllers"]; n.defined() && !n.is_null())
      load_controllers(doc, n, map);
    if (const YamlNode& n = root["subject"]; n.defined() && !n.is_null()) load_subject(doc, n, map);
    if (const YamlNode& n = root["tables"]; n.defined() && !n.is_null()) load_tables(doc, n, map);
    for (auto& table : doc.string_list(root, "ignore")) map.ignored.push_back(std::move(table));
    if (const YamlNode& n = root["automated_decisions"]; n.defined() && !n.is_null())
      load_decisions(doc, n, map);
  }
  if (map.subject.table.empty()) {
    const std::string file = sources.empty() ? std::string("the data map") : sources.front().name;
    throw_invalid(SourceLocation{file, 1, 1}, "the data map needs a 'subject' section");
  }
  return map;
}

}  // namespace telcomply
