// The register built from the policy model, and what lint reports it lacks.
#include <algorithm>
#include <set>

#include "policy/transfers.h"
#include "register/register.h"

namespace telcomply {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool shares_category(const std::vector<std::string>& list,
                     const std::vector<const Category*>& categories) {
  return std::any_of(categories.begin(), categories.end(),
                     [&](const Category* c) { return contains(list, c->id); });
}

template <class Record, class Key>
Record& find_or_add(std::vector<Record>& records, const Key& key, std::string Record::*field) {
  for (Record& r : records)
    if (r.*field == key) return r;
  Record& added = records.emplace_back();
  added.*field = key;
  return added;
}

// The recipients of `record`'s categories: active sub-processors, then other recipients.
void add_recipients(ProcessingRecord& record, const Policy& policy, const Date& as_of) {
  auto received = [&](const std::vector<std::string>& categories) {
    std::vector<std::string> out;
    for (const Category* c : record.categories)
      if (contains(categories, c->id)) out.push_back(c->id);
    return out;
  };
  if (policy.has_subprocessors) {
    for (const Subprocessor& s : policy.subprocessors.subprocessors) {
      if (s.status != "active" || !shares_category(s.categories, record.categories)) continue;
      record.recipients.push_back(RegisterRecipient{s.id,
                                                    s.legal_name.empty() ? s.id : s.legal_name,
                                                    s.role, s.purpose, received(s.categories)});
      if (!policy.has_transfers) continue;
      for (const ThirdCountry& place : third_countries(policy.transfers, s)) {
        RegisterTransfer transfer;
        transfer.recipient = record.recipients.back().name;
        transfer.country = place.country;
        if (const AdequacyDecision* decision =
                adequacy_in_force(policy.transfers, s, place.country, as_of))
          transfer.adequacy = decision->decision;
        for (const TransferMechanism& m : s.transfers)
          if (mechanism_in_force(policy.transfers, s, m, place.country, as_of))
            transfer.mechanisms.push_back(&m);
        record.transfers.push_back(std::move(transfer));
      }
    }
  }
  for (const Recipient& r : policy.data_map.recipients) {
    if (!shares_category(r.categories, record.categories)) continue;
    record.recipients.push_back(
        RegisterRecipient{r.id, r.name, "recipient", r.basis, received(r.categories)});
    if (!policy.has_transfers) continue;
    for (const std::string& country : r.locations)
      if (is_third_country(policy.transfers, country))
        record.transfers.push_back(RegisterTransfer{r.name, country, "", {}, r.safeguard});
  }
}

void complete(ProcessingRecord& record, const Policy& policy, const Date& as_of) {
  const DataMap& map = policy.data_map;
  record.purpose = map.find_purpose(record.purpose_ref);
  record.name = map.purpose_name(record.purpose_ref);
  if (record.purpose) record.data_subjects = record.purpose->data_subjects;
  for (const Category* c : record.categories) {
    const std::string& basis = record.purpose && !record.purpose->legal_basis.empty()
                                   ? record.purpose->legal_basis
                                   : c->legal_basis;
    if (!basis.empty() && !contains(record.legal_bases, basis)) record.legal_bases.push_back(basis);
  }
  add_recipients(record, policy, as_of);
  if (policy.has_retention) {
    for (const Category* c : record.categories) {
      const std::size_t before = record.retention.size();
      for (const RetentionRule& rule : policy.retention.rules)
        if (contains(retention_rule_categories(rule, map), c->id))
          record.retention.push_back(RetentionTerm{c, &rule});
      if (record.retention.size() == before) record.retention.push_back(RetentionTerm{c, nullptr});
    }
  }
  for (const DpiaCriterion& criterion : dpia_criteria()) {
    if (!record.purpose) break;
    if (contains(record.purpose->dpia, criterion.id)) {
      record.dpia.push_back(DpiaMatch{&criterion, ""});
      continue;
    }
    if (!record.purpose->large_scale) continue;
    for (const Category* c : record.categories) {
      if (c->kind.empty() || std::find(criterion.kinds.begin(), criterion.kinds.end(), c->kind) ==
                                 criterion.kinds.end())
        continue;
      record.dpia.push_back(DpiaMatch{&criterion, c->id});
      break;
    }
  }
}

}  // namespace

Register build_register(const Policy& policy, const Date& as_of) {
  Register reg;
  reg.organisation = &policy.config.organisation;
  reg.as_of = as_of;
  const DataMap& map = policy.data_map;
  for (const Category* category : categories_in_order(map)) {
    for (const std::string& ref : category->purposes) {
      ProcessingRecord* record = nullptr;
      if (category->role == Role::controller) {
        record = &find_or_add(reg.controller_records, ref, &ProcessingRecord::purpose_ref);
      } else {
        ProcessorRecord& served = find_or_add(reg.processor_records, category->controller,
                                              &ProcessorRecord::controller_ref);
        record = &find_or_add(served.processing, ref, &ProcessingRecord::purpose_ref);
      }
      record->categories.push_back(category);
    }
  }
  for (ProcessingRecord& record : reg.controller_records) complete(record, policy, as_of);
  for (ProcessorRecord& served : reg.processor_records) {
    served.name = map.controller_name(served.controller_ref);
    if (auto it = map.controllers.find(served.controller_ref); it != map.controllers.end()) {
      served.controller = &it->second;
      served.contact = it->second.contact;
    }
    for (ProcessingRecord& record : served.processing) complete(record, policy, as_of);
  }
  return reg;
}

std::vector<Finding> check_register(const Policy& policy) {
  std::vector<Finding> findings;
  auto error = [&](const char* rule, const SourceLocation& loc, const std::string& entry,
                   const std::string& message) {
    findings.push_back(Finding{rule, Severity::error, message, loc, entry});
  };
  if (!policy.config.file.empty() && policy.config.organisation.security.empty())
    error("register-no-security", policy.config.organisation.loc, "organisation.security",
          "the organisation states no general description of its security measures "
          "('security', GDPR art. 30(1)(g))");
  if (!policy.has_data_map) return findings;
  const DataMap& map = policy.data_map;

  // Per category: purposes, legal basis, retention, recipients.
  const bool recipients_known = policy.has_subprocessors || !map.recipients.empty();
  std::set<std::string> used_purposes;
  for (const Category* c : categories_in_order(map)) {
    if (c->purposes.empty())
      error("register-no-purpose", c->loc, c->id,
            "category '" + c->id + "' names no purpose ('purposes', GDPR art. 30(1)(b))");
    for (const std::string& ref : c->purposes) {
      used_purposes.insert(ref);
      const Purpose* purpose = map.find_purpose(ref);
      if (c->legal_basis.empty() && !(purpose && !purpose->legal_basis.empty()))
        error("register-no-legal-basis", c->loc, c->id,
              "category '" + c->id + "' has no legal basis for purpose '" + ref +
                  "' ('legal_basis' of the category or the purpose, GDPR art. 6)");
      if (!purpose)
        error("register-undefined-purpose", c->loc, c->id,
              "category '" + c->id + "' names purpose '" + ref +
                  "', which is not defined under 'purposes': the register lacks its data "
                  "subjects");
    }
    if (c->role != Role::controller && !map.controllers.count(c->controller))
      error("register-unknown-controller", c->loc, c->id,
            "category '" + c->id + "' is processed for controller '" + c->controller +
                "', which has no entry under 'controllers' with its name and contact details "
                "(GDPR art. 30(2)(a))");
    // A retention policy of periods only (the shipped set alone) states no rules to check.
    if (policy.has_retention && !policy.retention.rules.empty()) {
      const bool kept = std::any_of(policy.retention.rules.begin(), policy.retention.rules.end(),
                                    [&](const RetentionRule& r) {
                                      return contains(retention_rule_categories(r, map), c->id);
                                    });
      if (!kept)
        error("register-no-retention", c->loc, c->id,
              "category '" + c->id + "' has no retention rule (GDPR art. 30(1)(f))");
    }
    if (recipients_known) {
      const auto& subs = policy.subprocessors.subprocessors;
      const bool received =
          std::any_of(subs.begin(), subs.end(),
                      [&](const Subprocessor& s) {
                        return s.status == "active" && contains(s.categories, c->id);
                      }) ||
          std::any_of(map.recipients.begin(), map.recipients.end(),
                      [&](const Recipient& r) { return contains(r.categories, c->id); });
      if (!received)
        error("register-no-recipients", c->loc, c->id,
              "category '" + c->id +
                  "' has no recipients: no active sub-processor and no "
                  "entry under 'recipients' receives it (GDPR art. 30(1)(d))");
    }
  }
  for (const auto& [id, purpose] : map.purposes) {
    if (purpose.data_subjects.empty())
      error("register-no-data-subjects", purpose.loc, id,
            "purpose '" + id +
                "' names no categories of data subjects ('data_subjects', GDPR "
                "art. 30(1)(c))");
    if (!used_purposes.count(id))
      findings.push_back(Finding{"register-unused-purpose", Severity::warning,
                                 "purpose '" + id + "' is defined but no category names it",
                                 purpose.loc, id});
  }
  for (const Recipient& r : map.recipients)
    for (const std::string& category : r.categories)
      if (!map.categories.count(category))
        error("undefined-category", r.loc, r.id,
              "recipient '" + r.id + "' uses undefined category '" + category + "'");

  // Third countries: every recipient there has a safeguard (or an adequacy decision).
  if (policy.has_transfers) {
    const Date today = Date::today();
    for (const Recipient& r : map.recipients)
      for (const std::string& country : r.locations)
        if (is_third_country(policy.transfers, country) && r.safeguard.empty())
          error("register-no-safeguard", r.loc, r.id,
                "recipient '" + r.id + "' receives data in " + country +
                    ", a third country, but states no 'safeguard' (GDPR art. 30(1)(e))");
    if (policy.has_subprocessors)
      for (const Subprocessor& s : policy.subprocessors.subprocessors) {
        if (s.status != "active") continue;
        for (const ThirdCountry& place : third_countries(policy.transfers, s)) {
          const bool safe =
              adequacy_in_force(policy.transfers, s, place.country, today) ||
              std::any_of(s.transfers.begin(), s.transfers.end(), [&](const TransferMechanism& m) {
                return mechanism_in_force(policy.transfers, s, m, place.country, today);
              });
          if (!safe)
            error("register-no-safeguard", s.loc, s.id,
                  "sub-processor '" + s.id + "' receives data in " + place.country +
                      ", a third country, with no adequacy decision in force and no safeguard "
                      "(GDPR art. 30(1)(e))");
        }
      }
  }
  return findings;
}

const std::vector<RuleInfo>& register_rules() {
  static const std::vector<RuleInfo> rules{
      {"register-no-security", "the configuration states no description of security measures"},
      {"register-no-purpose", "a category names no purpose"},
      {"register-no-legal-basis", "a category has no legal basis for a purpose"},
      {"register-undefined-purpose", "a purpose in words has no entry with its data subjects"},
      {"register-unknown-controller",
       "a controller processed for has no entry under 'controllers'"},
      {"register-no-retention", "a category has no retention rule"},
      {"register-no-recipients", "a category has no recipients"},
      {"register-no-data-subjects", "a purpose names no categories of data subjects"},
      {"register-unused-purpose", "a purpose is defined but unused"},
      {"register-no-safeguard", "a recipient in a third country has no safeguard"},
  };
  return rules;
}

RegisterFormat parse_register_format(std::string_view name) {
  if (name == "md" || name == "markdown") return RegisterFormat::md;
  if (name == "html") return RegisterFormat::html;
  if (name == "csv") return RegisterFormat::csv;
  if (name == "json") return RegisterFormat::json;
  throw_invalid("unknown register format '" + std::string(name) + "' (known: md, html, csv, json)");
}

}  // namespace telcomply
