// The sub-processor registry (kind `subprocessors`) and the transfer lists (kind
// `transfers`): the EEA countries and the Commission's adequacy decisions.
//
// The loaders reject what is malformed (unknown keys, wrong types, invalid dates and country
// codes) with file:line:column. What is merely missing from an entry is kept as empty, so
// that `telcomply subprocessors check` reports it as a finding instead of dropping the entry.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "policy/country.h"
#include "policy/load.h"

namespace telcomply {

namespace {

// Ids name entries in reports, HTML and git paths: keep them plain.
bool plain_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// Records where `key` of `parent` was read, when present.
void note_field(const YamlDoc& doc, const YamlNode& parent, const std::string& key,
                std::map<std::string, SourceLocation>& fields) {
  const YamlNode& node = parent[key];
  if (node.defined() && !node.is_null()) fields[key] = doc.where(node);
}

// A list of strings under `key`, recording each item's position as "key[i]". `problem`
// returns what is wrong with item i (given the items so far), if anything.
std::vector<std::string> located_list(
    const YamlDoc& doc, const YamlNode& parent, const std::string& key,
    std::map<std::string, SourceLocation>& fields,
    const std::function<std::optional<std::string>(const std::vector<std::string>&, std::size_t)>&
        problem) {
  std::vector<std::string> out = doc.string_list(parent, key);
  const YamlNode& node = parent[key];
  for (std::size_t i = 0; i < out.size(); ++i) {
    const YamlNode& item = node.is_sequence() ? node[i] : node;
    if (auto error = problem(out, i)) doc.fail(item, *error);
    fields[key + "[" + std::to_string(i) + "]"] = doc.where(item);
  }
  return out;
}

// A list of strings, none empty.
std::vector<std::string> located_list(const YamlDoc& doc, const YamlNode& parent,
                                      const std::string& key,
                                      std::map<std::string, SourceLocation>& fields) {
  return located_list(
      doc, parent, key, fields,
      [&](const std::vector<std::string>& items, std::size_t i) -> std::optional<std::string> {
        if (items[i].empty()) return "empty item in '" + key + "'";
        return std::nullopt;
      });
}

// A list of country codes; each must be an assigned ISO 3166-1 alpha-2 code, listed once.
std::vector<std::string> country_list(const YamlDoc& doc, const YamlNode& parent,
                                      const std::string& key,
                                      std::map<std::string, SourceLocation>& fields) {
  return located_list(
      doc, parent, key, fields,
      [&](const std::vector<std::string>& items, std::size_t i) -> std::optional<std::string> {
        if (auto error = country_code_error(items[i])) return "'" + key + "': " + *error;
        for (std::size_t j = 0; j < i; ++j)
          if (items[j] == items[i]) return "'" + key + "': " + items[i] + " is listed twice";
        return std::nullopt;
      });
}

std::string text(const YamlDoc& doc, const YamlNode& parent, std::string_view key) {
  return doc.optional_string(parent, key).value_or("");
}

TransferMechanism load_mechanism(const YamlDoc& doc, const YamlNode& node,
                                 const std::string& what) {
  doc.expect_map(node, what, {"mechanism", "module", "derogation", "tia", "measures", "countries"});
  TransferMechanism m;
  m.loc = doc.where(node);
  for (const char* key : {"mechanism", "module", "derogation", "tia", "measures", "countries"})
    note_field(doc, node, key, m.fields);
  if (node["mechanism"].defined() && !node["mechanism"].is_null())
    m.kind = doc.choice(node, "mechanism", {"adequacy", "dpf", "scc", "bcr", "derogation"});
  if (auto module = doc.optional_integer(node, "module")) {
    if (*module < 1 || *module > 4)
      doc.fail(node["module"], "'module': standard contractual clauses have modules 1 to 4, not " +
                                   std::to_string(*module));
    if (m.kind != "scc")
      doc.fail(node["module"],
               "'module' belongs to mechanism 'scc' (standard contractual clauses)");
    m.scc_module = std::to_string(*module);
  }
  m.derogation = text(doc, node, "derogation");
  if (!m.derogation.empty() && m.kind != "derogation")
    doc.fail(node["derogation"], "'derogation' belongs to mechanism 'derogation' (art. 49(1))");
  m.tia = text(doc, node, "tia");
  m.measures = doc.string_list(node, "measures");
  m.countries = country_list(doc, node, "countries", m.fields);
  return m;
}

Subprocessor load_entry(const YamlDoc& doc, const YamlNode& key, const YamlNode& node) {
  Subprocessor s;
  s.id = key.text();
  if (!plain_id(s.id))
    doc.fail(key, "sub-processor id '" + s.id.substr(0, 64) +
                      "' must be letters, digits, '-', '_' or '.' (at most 64)");
  const std::string what = "sub-processor '" + s.id + "'";
  if (node.is_null()) doc.fail(key, what + " is empty");
  static const std::vector<std::string> kKeys = {
      "legal_name",       "address",       "contact",    "role",          "parent",
      "services",         "purpose",       "categories", "data_subjects", "locations",
      "access_locations", "dpf_certified", "sector",     "transfers",     "agreement",
      "status",           "announced",     "effective",  "removed"};
  doc.expect_map(node, what, kKeys);
  s.loc = doc.where(key);
  for (const auto& k : kKeys) note_field(doc, node, k, s.fields);

  s.legal_name = text(doc, node, "legal_name");
  s.address = text(doc, node, "address");
  s.contact = text(doc, node, "contact");
  s.role = doc.choice(node, "role", {"sub-processor", "sub-sub-processor"}, "sub-processor");
  s.parent = text(doc, node, "parent");
  s.services = located_list(doc, node, "services", s.fields);
  s.purpose = text(doc, node, "purpose");
  s.categories = located_list(doc, node, "categories", s.fields);
  s.data_subjects = doc.string_list(node, "data_subjects");
  s.locations = country_list(doc, node, "locations", s.fields);
  s.access_locations = country_list(doc, node, "access_locations", s.fields);
  s.dpf_certified = doc.boolean(node, "dpf_certified", false);
  if (node["sector"].defined() && !node["sector"].is_null())
    s.sector = doc.choice(node, "sector", {"commercial", "non-profit", "public"});

  if (const YamlNode& transfers = node["transfers"]; transfers.defined() && !transfers.is_null()) {
    doc.expect_sequence(transfers, "'transfers' of " + what);
    for (std::size_t i = 0; i < transfers.size(); ++i)
      s.transfers.push_back(
          load_mechanism(doc, transfers[i], "transfer " + std::to_string(i + 1) + " of " + what));
  }

  if (const YamlNode& agreement = node["agreement"]; agreement.defined() && !agreement.is_null()) {
    doc.expect_map(agreement, "'agreement' of " + what, {"date", "version", "url"});
    s.agreement.loc = doc.where(agreement);
    s.agreement.date = doc.optional_date(agreement, "date");
    s.agreement.version = text(doc, agreement, "version");
    s.agreement.url = text(doc, agreement, "url");
  }

  if (node["status"].defined() && !node["status"].is_null())
    s.status = doc.choice(node, "status", {"announced", "active", "removed"});
  s.announced = doc.optional_date(node, "announced");
  s.effective = doc.optional_date(node, "effective");
  s.removed = doc.optional_date(node, "removed");
  return s;
}

}  // namespace

SubprocessorRegistry load_subprocessors(const std::vector<YamlSource>& sources) {
  SubprocessorRegistry registry;
  std::optional<SourceLocation> notice_at;
  for (const auto& source : sources) {
    YamlDoc doc(source);
    const YamlNode& root = doc.root();
    doc.expect_map(root, "a sub-processor registry", {"notice_period", "subprocessors"});
    registry.files.push_back(source.name);

    if (const YamlNode& notice = root["notice_period"]; notice.defined() && !notice.is_null()) {
      if (notice_at) doc.fail(notice, "'notice_period' is already defined at " + notice_at->str());
      const Duration period = doc.duration(root, "notice_period");
      if (period.is_session() || period.count <= 0)
        doc.fail(notice, "'notice_period' must be a length of time such as '30 days'");
      registry.notice_period = period;
      notice_at = doc.where(notice);
    }

    const YamlNode& list = root["subprocessors"];
    if (!list.defined() || list.is_null()) continue;
    doc.expect_any_map(list, "'subprocessors'");
    for (const auto& item : list.pairs()) {
      Subprocessor entry = load_entry(doc, item.first, item.second);
      for (const auto& other : registry.subprocessors)
        if (other.id == entry.id)
          doc.fail(item.first,
                   "sub-processor '" + entry.id + "' is already defined at " + other.loc.str());
      registry.subprocessors.push_back(std::move(entry));
    }
  }
  return registry;
}

TransferLists load_transfers(const std::vector<YamlSource>& sources) {
  TransferLists lists;
  SourceLocation checked_at, eea_at;
  for (const auto& source : sources) {
    YamlDoc doc(source);
    const YamlNode& root = doc.root();
    doc.expect_map(root, "the transfer lists", {"checked", "eea", "adequacy"});
    lists.files.push_back(source.name);

    if (const YamlNode& checked = root["checked"]; checked.defined() && !checked.is_null()) {
      if (lists.checked) doc.fail(checked, "'checked' is already defined at " + checked_at.str());
      lists.checked = doc.optional_date(root, "checked");
      checked_at = doc.where(checked);
    }

    if (const YamlNode& eea = root["eea"]; eea.defined() && !eea.is_null()) {
      if (!lists.eea.empty()) doc.fail(eea, "'eea' is already defined at " + eea_at.str());
      doc.expect_map(eea, "'eea'", {"source", "countries"});
      eea_at = doc.where(eea);
      lists.eea_source = text(doc, eea, "source");
      std::map<std::string, SourceLocation> ignored;
      lists.eea = country_list(doc, eea, "countries", ignored);
      if (lists.eea.empty()) doc.fail(eea, "'eea' needs 'countries': the EU-27 plus IS, LI, NO");
    }

    const YamlNode& adequacy = root["adequacy"];
    if (!adequacy.defined() || adequacy.is_null()) continue;
    doc.expect_any_map(adequacy, "'adequacy'");
    for (const auto& item : adequacy.pairs()) {
      const std::string code = item.first.text();
      if (auto error = country_code_error(code)) doc.fail(item.first, "'adequacy': " + *error);
      if (auto it = lists.adequacy.find(code); it != lists.adequacy.end())
        doc.fail(item.first, "adequacy decision for '" + code + "' is already defined at " +
                                 it->second.loc.str());
      const YamlNode& d = item.second;
      const std::string what = "adequacy decision for '" + code + "'";
      doc.expect_map(d, what, {"scope", "decision", "adopted", "expires", "source"});
      AdequacyDecision decision;
      decision.country = code;
      decision.loc = doc.where(item.first);
      decision.scope =
          doc.choice(d, "scope", {"all", "commercial", "private-sector", "dpf-certified"});
      decision.decision = doc.string(d, "decision");
      decision.adopted = doc.optional_date(d, "adopted");
      if (!decision.adopted)
        doc.fail(d, "missing required key 'adopted' (the date of the decision)");
      decision.expires = doc.optional_date(d, "expires");
      if (decision.expires && *decision.expires <= *decision.adopted)
        doc.fail(d["expires"], "'expires' must be after 'adopted'");
      decision.source = doc.string(d, "source");
      lists.adequacy.emplace(code, std::move(decision));
    }
  }
  for (const auto& [code, decision] : lists.adequacy)
    if (lists.in_eea(code))
      throw_invalid(decision.loc,
                    "'" + code + "' is in the EEA list: it needs no adequacy decision");
  return lists;
}

}  // namespace telcomply
