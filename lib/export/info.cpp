#include "export/info.h"

#include <algorithm>
#include <set>

#include "export/phrases.h"
#include "policy/country.h"
#include "policy/transfers.h"

namespace telcomply {
namespace {

using ojson = nlohmann::ordered_json;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A string, or null when empty: absent information stays visible as such.
ojson text_or_null(const std::string& text) { return text.empty() ? ojson(nullptr) : ojson(text); }

ojson retention_entry(const RetentionRule& rule, const RetentionPolicy& retention) {
  ojson entry;
  entry["rule"] = rule.name;
  entry["description"] = text_or_null(rule.description);
  entry["table"] = rule.table;
  entry["keep"] = rule.keep.str();
  entry["period"] = text_or_null(rule.period);
  entry["from"] =
      rule.from.kind == RetentionStart::Kind::account_closed ? "account_closed" : rule.from.column;
  entry["action"] = to_string(rule.action);
  std::string basis, source;
  if (auto it = retention.periods.find(rule.period); it != retention.periods.end()) {
    basis = it->second.basis;
    source = it->second.source;
  }
  entry["basis"] = text_or_null(basis);
  entry["source"] = text_or_null(source);
  return entry;
}

ojson safeguard_entry(const TransferMechanism& mechanism) {
  ojson entry;
  entry["mechanism"] = mechanism.kind;
  if (!mechanism.scc_module.empty()) entry["module"] = mechanism.scc_module;
  if (!mechanism.derogation.empty()) entry["derogation"] = mechanism.derogation;
  if (!mechanism.tia.empty()) entry["tia"] = mechanism.tia;
  entry["measures"] = mechanism.measures;
  if (!mechanism.countries.empty()) entry["countries"] = mechanism.countries;
  return entry;
}

// A recipient with its third countries: for each, the adequacy decision in force on `on`
// that covers it, and the safeguards that are a basis on `on` (an adequacy or DPF claim
// only with a decision in force). A third country with neither is a warning.
ojson recipient_entry(const Subprocessor& sub, const Policy& policy, const Date& on,
                      std::vector<std::string>& warnings) {
  ojson entry;
  entry["id"] = sub.id;
  entry["name"] = sub.legal_name;
  entry["address"] = text_or_null(sub.address);
  entry["contact"] = text_or_null(sub.contact);
  entry["role"] = sub.role;
  if (!sub.parent.empty()) entry["parent"] = sub.parent;
  entry["purpose"] = text_or_null(sub.purpose);
  entry["categories"] = sub.categories;
  entry["locations"] = sub.locations;
  entry["access_locations"] = sub.access_locations;

  ojson third = ojson::array();
  if (policy.has_transfers) {
    const TransferLists& lists = policy.transfers;
    for (const ThirdCountry& place : third_countries(lists, sub)) {
      const std::string& code = place.country;
      ojson country;
      country["country"] = code;
      country["name"] = std::string(country_name(code));
      const AdequacyDecision* adequacy = adequacy_in_force(lists, sub, code, on);
      country["adequacy"] =
          adequacy ? ojson{{"decision", adequacy->decision}, {"scope", adequacy->scope}}
                   : ojson(nullptr);
      ojson safeguards = ojson::array();
      for (const auto& m : sub.transfers)
        if (mechanism_in_force(lists, sub, m, code, on)) safeguards.push_back(safeguard_entry(m));
      if (!adequacy && safeguards.empty())
        warnings.push_back("recipient '" + sub.id + "': no adequacy decision in force and no " +
                           "safeguard for " + code + " on " + on.iso() +
                           " (see 'telcomply subprocessors check')");
      country["safeguards"] = std::move(safeguards);
      third.push_back(std::move(country));
    }
  }
  entry["third_countries"] = std::move(third);
  entry["dpf_certified"] = sub.dpf_certified;
  return entry;
}

ojson rights_entry(const Policy& policy, const export_text::Phrases& p) {
  const Organisation& org = policy.config.organisation;
  ojson rights;
  rights["contact"] = ojson{{"organisation", org.name},
                            {"address", text_or_null(org.address)},
                            {"email", text_or_null(org.privacy_contact)},
                            {"dpo", text_or_null(org.dpo)}};
  std::vector<std::string> portable;
  for (const Category* c : categories_in_order(policy.data_map))
    if (c->portable && c->role == Role::controller) portable.push_back(c->id);
  ojson list = ojson::array();
  for (const export_text::Right& r : p.right_list) {
    ojson entry{
        {"right", r.id}, {"name", r.name}, {"article", r.article}, {"description", r.description}};
    if (std::string_view(r.id) == "portability") entry["categories"] = portable;
    list.push_back(std::move(entry));
  }
  rights["rights"] = std::move(list);
  const SupervisoryAuthority& authority = org.authority;
  rights["complaint"] = ojson{{"authority", authority.name},
                              {"url", text_or_null(authority.url)},
                              {"address", text_or_null(authority.address)},
                              {"name", p.complaint_name},
                              {"article", p.complaint_article}};
  return rights;
}

}  // namespace

ojson export_controller(const Organisation& organisation) {
  ojson controller;
  controller["name"] = organisation.name;
  controller["address"] = text_or_null(organisation.address);
  controller["privacy_contact"] = text_or_null(organisation.privacy_contact);
  controller["dpo"] = text_or_null(organisation.dpo);
  return controller;
}

ojson export_information(const Policy& policy, const Date& on, std::vector<std::string>& warnings,
                         Language language) {
  const DataMap& map = policy.data_map;
  if (!policy.has_retention) warnings.push_back("no retention policy configured");
  if (!policy.has_subprocessors) warnings.push_back("no sub-processor registry configured");
  if (policy.has_subprocessors && !policy.has_transfers)
    warnings.push_back("no transfer lists configured: third countries are not identified");

  std::vector<const Subprocessor*> recipients;
  if (policy.has_subprocessors) {
    for (const auto& sub : policy.subprocessors.subprocessors) {
      if (sub.status != "active") continue;
      const bool relevant = std::any_of(sub.categories.begin(), sub.categories.end(),
                                        [&](const auto& c) { return map.categories.count(c) > 0; });
      if (relevant) recipients.push_back(&sub);
    }
  }

  ojson categories = ojson::array();
  for (const Category* category : categories_in_order(map)) {
    ojson entry;
    entry["id"] = category->id;
    entry["name"] = category->name;
    entry["description"] = text_or_null(category->description);
    entry["role"] = to_string(category->role);
    const bool exported = category->role == Role::controller;
    entry["controller"] =
        exported ? policy.config.organisation.name : map.controller_name(category->controller);
    entry["exported"] = exported;
    entry["portable"] = category->portable;
    std::vector<std::string> purposes;
    for (const auto& ref : category->purposes) purposes.push_back(map.purpose_name(ref));
    entry["purposes"] = purposes;
    entry["legal_basis"] = category->legal_basis;
    entry["source"] = text_or_null(category->source);
    entry["from_subject"] = category->source.empty();
    ojson retention = ojson::array();
    if (policy.has_retention) {
      for (const auto& rule : policy.retention.rules)
        if (contains(retention_rule_categories(rule, map), category->id))
          retention.push_back(retention_entry(rule, policy.retention));
      if (retention.empty() && exported)
        warnings.push_back("category '" + category->id + "' has no retention rule");
    }
    entry["retention"] = std::move(retention);
    std::vector<std::string> ids;
    for (const Subprocessor* sub : recipients)
      if (contains(sub->categories, category->id)) ids.push_back(sub->id);
    entry["recipients"] = ids;
    categories.push_back(std::move(entry));
  }

  ojson recipient_list = ojson::array();
  for (const Subprocessor* sub : recipients)
    recipient_list.push_back(recipient_entry(*sub, policy, on, warnings));

  ojson decisions = ojson::array();
  for (const auto& d : map.automated_decisions)
    decisions.push_back(ojson{{"name", d.name},
                              {"logic", d.logic},
                              {"significance", d.significance},
                              {"categories", d.categories}});

  ojson info;
  info["categories"] = std::move(categories);
  info["recipients"] = std::move(recipient_list);
  info["rights"] = rights_entry(policy, export_text::phrases(language));
  info["automated_decisions"] = std::move(decisions);
  return info;
}

}  // namespace telcomply
