// The data map: categories, the subject table, tables with their columns and links.
#include <algorithm>

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
                   {"name", "description", "purposes", "legal_basis", "source", "role",
                    "controller", "portable"});
    if (auto it = map.categories.find(id); it != map.categories.end())
      doc.fail(item.first, "category '" + id + "' is already defined at " + it->second.loc.str());
    Category category;
    category.id = id;
    category.loc = doc.where(item.first);
    category.name = doc.optional_string(c, "name").value_or(id);
    category.description = doc.optional_string(c, "description").value_or("");
    category.purposes = doc.string_list(c, "purposes");
    if (category.purposes.empty()) doc.fail(c, "category '" + id + "' needs 'purposes'");
    category.legal_basis = doc.string(c, "legal_basis");
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

Column load_column(const YamlDoc& doc, const std::string& table, const YamlNode& key,
                   const YamlNode& value) {
  Column column;
  column.name = key.text();
  column.loc = doc.where(key);
  const std::string what = "column '" + table + "." + column.name + "'";
  if (value.is_scalar()) {
    column.category = value.text();
  } else {
    doc.expect_map(value, what, {"category", "identifies", "other_party", "description", "format"});
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
    doc.expect_map(t, "table '" + name + "'", {"key", "link", "columns", "description"});
    table.key = doc.optional_string(t, "key").value_or("id");
    table.description = doc.optional_string(t, "description").value_or("");
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
                   {"categories", "subject", "tables", "ignore", "automated_decisions"});
    map.files.push_back(source.name);
    if (const YamlNode& n = root["categories"]; n.defined() && !n.is_null())
      load_categories(doc, n, map);
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
