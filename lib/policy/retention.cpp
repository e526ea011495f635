// Retention: named periods, rules, legal holds and where the pseudonym key comes from.
#include <cmath>

#include "policy/load.h"
#include "core/text.h"

namespace telcomply {

const char* to_string(RetentionAction action) {
  return action == RetentionAction::anonymise ? "anonymise" : "delete";
}

const char* to_string(MaskStrategy strategy) {
  switch (strategy) {
    case MaskStrategy::null: return "null";
    case MaskStrategy::fixed: return "fixed";
    case MaskStrategy::pseudonym: return "pseudonym";
    case MaskStrategy::partial: return "partial";
    case MaskStrategy::generalise_month: return "generalise to month";
    case MaskStrategy::generalise_year: return "generalise to year";
  }
  return "null";
}

namespace {

MaskStrategy parse_strategy(const YamlDoc& doc, const YamlNode& parent, const YamlNode& node,
                            const std::string& name) {
  static const std::vector<std::string> kNames{"null", "fixed", "pseudonym", "partial",
                                               "generalise"};
  if (name == "null") return MaskStrategy::null;
  if (name == "fixed") return MaskStrategy::fixed;
  if (name == "pseudonym") return MaskStrategy::pseudonym;
  if (name == "partial") return MaskStrategy::partial;
  if (name == "generalise" || name == "generalize") {
    if (!parent.is_map()) doc.fail(node, "strategy generalise needs 'to: month' or 'to: year'");
    return doc.choice(parent, "to", {"month", "year"}) == "month" ? MaskStrategy::generalise_month
                                                                  : MaskStrategy::generalise_year;
  }
  std::string message = "unknown strategy '" + name +
                        "' (known: null, fixed, pseudonym, partial, generalise)";
  if (auto hint = closest_match(name, kNames)) message += "; did you mean '" + *hint + "'?";
  doc.fail(node, message);
}

Mask load_mask(const YamlDoc& doc, const YamlNode& key, const YamlNode& value) {
  Mask mask;
  mask.column = key.text();
  mask.loc = doc.where(key);
  if (value.is_null()) {
    mask.strategy = MaskStrategy::null;
  } else if (value.is_scalar()) {
    mask.strategy = parse_strategy(doc, value, value, value.text());
  } else {
    doc.expect_map(value, "the mask of column '" + mask.column + "'",
                   {"strategy", "value", "keep", "to"});
    const YamlNode& strategy = value["strategy"];
    if (!strategy.defined()) doc.fail(value, "missing required key 'strategy'");
    mask.strategy = parse_strategy(doc, value, strategy, doc.scalar(strategy, "'strategy'"));
    if (mask.strategy == MaskStrategy::fixed) {
      auto fixed = doc.optional_string(value, "value");
      if (!fixed) doc.fail(value, "strategy fixed needs 'value'");
      mask.value = *fixed;
    }
    if (mask.strategy == MaskStrategy::partial) {
      auto keep = doc.optional_integer(value, "keep");
      if (!keep || *keep < 0 || *keep > 64)
        doc.fail(value, "strategy partial needs 'keep': the number of leading characters kept (0-64)");
      mask.keep = static_cast<int>(*keep);
    }
  }
  if (mask.strategy == MaskStrategy::partial && value.is_scalar())
    doc.fail(value, "strategy partial needs 'keep': write {strategy: partial, keep: N}");
  if (mask.strategy == MaskStrategy::fixed && value.is_scalar())
    doc.fail(value, "strategy fixed needs 'value': write {strategy: fixed, value: ...}");
  return mask;
}

struct PendingPeriod {
  std::size_t rule;
  std::string id;
  SourceLocation loc;
};

RetentionRule load_rule(const YamlDoc& doc, const YamlNode& r, std::vector<PendingPeriod>& pending,
                        std::size_t index) {
  doc.expect_map(r, "a retention rule",
                 {"name", "description", "table", "categories", "keep", "from", "format", "action",
                  "columns"});
  RetentionRule rule;
  rule.loc = doc.where(r);
  rule.name = doc.string(r, "name");
  rule.description = doc.optional_string(r, "description").value_or("");
  rule.table = doc.string(r, "table");
  rule.categories = doc.string_list(r, "categories");
  const YamlNode& keep = r["keep"];
  if (!keep.defined() || keep.is_null()) doc.fail(r, "rule '" + rule.name + "' needs 'keep'");
  const std::string keep_text = doc.scalar(keep, "'keep'");
  if (auto length = parse_duration(keep_text)) {
    rule.keep = *length;
  } else {
    rule.period = keep_text;  // resolved once every file is read
    pending.push_back(PendingPeriod{index, keep_text, doc.where(keep)});
  }
  const std::string from = doc.string(r, "from");
  if (from == "account_closed") rule.from.kind = RetentionStart::Kind::account_closed;
  else rule.from.column = from;
  rule.format = load_date_format(doc, r);
  if (rule.format) rule.format_loc = doc.where(r["format"]);
  rule.action = doc.choice(r, "action", {"delete", "anonymise", "anonymize"}) == "delete"
                    ? RetentionAction::delete_row
                    : RetentionAction::anonymise;
  const YamlNode& columns = r["columns"];
  if (rule.action == RetentionAction::anonymise) {
    if (!columns.defined() || columns.is_null())
      doc.fail(r, "rule '" + rule.name + "' anonymises: name the columns and strategies in 'columns'");
    doc.expect_any_map(columns, "the columns of rule '" + rule.name + "'");
    for (const auto& item : columns.pairs())
      rule.masks.push_back(load_mask(doc, item.first, item.second));
  } else if (columns.defined() && !columns.is_null()) {
    doc.fail(columns, "rule '" + rule.name + "' deletes whole rows: 'columns' is only for anonymise");
  }
  return rule;
}

void load_periods(const YamlDoc& doc, const YamlNode& node, RetentionPolicy& policy) {
  doc.expect_any_map(node, "'periods'");
  for (const auto& item : node.pairs()) {
    const std::string id = item.first.text();
    if (auto it = policy.periods.find(id); it != policy.periods.end())
      doc.fail(item.first, "period '" + id + "' is already defined at " + it->second.loc.str());
    doc.expect_map(item.second, "period '" + id + "'", {"length", "basis", "source"});
    Period period{id, doc.duration(item.second, "length"), doc.string(item.second, "basis"),
                  doc.optional_string(item.second, "source").value_or(""), doc.where(item.first)};
    if (period.length.is_session()) doc.fail(item.second["length"], "a retention period cannot be a session");
    policy.periods.emplace(id, std::move(period));
  }
}

void load_holds(const YamlDoc& doc, const YamlNode& node, RetentionPolicy& policy) {
  doc.expect_sequence(node, "'holds'");
  for (const auto& h : node.items()) {
    doc.expect_map(h, "a legal hold", {"name", "table", "column", "until"});
    Hold hold{doc.string(h, "name"), doc.string(h, "table"),
              doc.optional_string(h, "column").value_or(""),
              doc.optional_string(h, "until").value_or(""), doc.where(h)};
    if (hold.column.empty() && hold.until_column.empty())
      doc.fail(h, "hold '" + hold.name + "' needs 'column' (a flag) or 'until' (a date column)");
    policy.holds.push_back(std::move(hold));
  }
}

void load_key(const YamlDoc& doc, const YamlNode& node, RetentionPolicy& policy) {
  if (policy.pseudonym_key.configured())
    doc.fail(node, "'pseudonym_key' is already defined at " + policy.pseudonym_key.loc.str());
  doc.expect_map(node, "'pseudonym_key'", {"env", "file"});
  policy.pseudonym_key.loc = doc.where(node);
  policy.pseudonym_key.env = doc.optional_string(node, "env").value_or("");
  if (auto file = doc.optional_string(node, "file")) {
    std::filesystem::path path(*file);
    if (path.is_relative()) path = std::filesystem::path(doc.file()).parent_path() / path;
    policy.pseudonym_key.file = path.lexically_normal();
  }
  if (policy.pseudonym_key.env.empty() == policy.pseudonym_key.file.empty())
    doc.fail(node, "'pseudonym_key' needs exactly one of 'env' or 'file' (never the key itself)");
}

double parse_share(const YamlDoc& doc, const YamlNode& node) {
  std::string text = doc.scalar(node, "'mass_delete_limit'");
  const bool percent = !text.empty() && text.back() == '%';
  if (percent) text.pop_back();
  double value = -1;
  try {
    std::size_t used = 0;
    value = std::stod(text, &used);
    if (used != text.size()) value = -1;
  } catch (const std::exception&) {
    value = -1;
  }
  if (percent) value /= 100;
  if (!(value > 0 && value <= 1) || std::isnan(value))
    doc.fail(node, "'mass_delete_limit' must be a share of a table, e.g. 50% or 0.5");
  return value;
}

}  // namespace

RetentionPolicy load_retention(const std::vector<YamlSource>& sources) {
  RetentionPolicy policy;
  std::vector<PendingPeriod> pending;
  bool share_set = false;
  for (const auto& source : sources) {
    YamlDoc doc(source);
    const YamlNode& root = doc.root();
    doc.expect_map(root, "the retention policy",
                   {"periods", "rules", "holds", "pseudonym_key", "mass_delete_limit"});
    policy.files.push_back(source.name);
    if (const YamlNode& n = root["periods"]; n.defined() && !n.is_null())
      load_periods(doc, n, policy);
    if (const YamlNode& n = root["rules"]; n.defined() && !n.is_null()) {
      doc.expect_sequence(n, "'rules'");
      for (const auto& r : n.items()) {
        RetentionRule rule = load_rule(doc, r, pending, policy.rules.size());
        for (const auto& other : policy.rules)
          if (other.name == rule.name)
            doc.fail(r, "rule '" + rule.name + "' is already defined at " + other.loc.str());
        policy.rules.push_back(std::move(rule));
      }
    }
    if (const YamlNode& n = root["holds"]; n.defined() && !n.is_null()) load_holds(doc, n, policy);
    if (const YamlNode& n = root["pseudonym_key"]; n.defined() && !n.is_null())
      load_key(doc, n, policy);
    if (const YamlNode& n = root["mass_delete_limit"]; n.defined() && !n.is_null()) {
      if (share_set) doc.fail(n, "'mass_delete_limit' is set in more than one file");
      policy.max_share = parse_share(doc, n);
      share_set = true;
    }
  }
  for (const auto& p : pending) {
    auto it = policy.periods.find(p.id);
    if (it == policy.periods.end()) {
      std::vector<std::string> names;
      for (const auto& [id, period] : policy.periods) names.push_back(id);
      std::string message = "'" + p.id + "' is neither a duration nor a defined period";
      if (auto hint = closest_match(p.id, names)) message += "; did you mean '" + *hint + "'?";
      throw_invalid(p.loc, message);
    }
    policy.rules[p.rule].keep = it->second.length;
  }
  return policy;
}

}  // namespace telcomply
