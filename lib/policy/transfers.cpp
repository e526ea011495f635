#include "policy/transfers.h"

#include <algorithm>

namespace telcomply {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool scope_covers(const AdequacyDecision& decision, const Subprocessor& recipient) {
  if (decision.scope == "all") return true;
  if (decision.scope == "dpf-certified") return recipient.dpf_certified;
  if (decision.scope == "commercial") return recipient.sector == "commercial";
  if (decision.scope == "private-sector")
    return recipient.sector == "commercial" || recipient.sector == "non-profit";
  return false;
}

}  // namespace

bool TransferLists::in_eea(const std::string& country) const { return contains(eea, country); }

bool is_third_country(const TransferLists& lists, const std::string& country) {
  return !lists.in_eea(country);
}

std::vector<ThirdCountry> third_countries(const TransferLists& lists,
                                          const Subprocessor& recipient) {
  std::vector<ThirdCountry> out;
  for (const auto& [field, list] :
       {std::pair<const char*, const std::vector<std::string>*>{"locations", &recipient.locations},
        {"access_locations", &recipient.access_locations}}) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string& country = (*list)[i];
      if (!is_third_country(lists, country)) continue;
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const ThirdCountry& t) { return t.country == country; });
      if (!seen) out.push_back({country, field, i});
    }
  }
  return out;
}

bool eea_only(const TransferLists& lists, const Subprocessor& recipient) {
  return !lists.eea.empty() && !recipient.locations.empty() &&
         third_countries(lists, recipient).empty();
}

bool mechanism_covers(const TransferMechanism& mechanism, const std::string& country) {
  if (mechanism.kind.empty()) return false;
  if (mechanism.kind == "dpf" && country != "US") return false;  // the DPF is for the US alone
  return mechanism.countries.empty() || contains(mechanism.countries, country);
}

bool claims_adequacy(const TransferMechanism& mechanism) {
  return mechanism.kind == "adequacy" || mechanism.kind == "dpf";
}

AdequacyAssessment assess_adequacy(const TransferLists& lists, const Subprocessor& recipient,
                                   const std::string& country, const Date& on) {
  AdequacyAssessment out;
  auto it = lists.adequacy.find(country);
  if (it == lists.adequacy.end()) return out;
  const AdequacyDecision& d = it->second;
  out.decision = &d;
  out.adopted = !d.adopted || *d.adopted <= on;
  out.expired = d.expires && *d.expires <= on;
  out.in_scope = scope_covers(d, recipient);
  return out;
}

const AdequacyDecision* adequacy_in_force(const TransferLists& lists, const Subprocessor& recipient,
                                          const std::string& country, const Date& on) {
  const AdequacyAssessment a = assess_adequacy(lists, recipient, country, on);
  return a.in_force() ? a.decision : nullptr;
}

bool mechanism_in_force(const TransferLists& lists, const Subprocessor& recipient,
                        const TransferMechanism& mechanism, const std::string& country,
                        const Date& on) {
  if (!mechanism_covers(mechanism, country)) return false;
  if (claims_adequacy(mechanism))
    return adequacy_in_force(lists, recipient, country, on) != nullptr;
  return true;
}

std::string mechanism_name(const TransferMechanism& m) {
  if (m.kind == "adequacy") return "adequacy decision";
  if (m.kind == "dpf") return "EU-US Data Privacy Framework";
  if (m.kind == "scc")
    return m.scc_module.empty() ? "standard contractual clauses"
                                : "standard contractual clauses (module " + m.scc_module + ")";
  if (m.kind == "bcr") return "binding corporate rules";
  if (m.kind == "derogation")
    return m.derogation.empty() ? "derogation (GDPR art. 49)"
                                : "derogation (GDPR art. 49): " + m.derogation;
  return "unstated mechanism";
}

std::string mechanism_name(const TransferMechanism& m, Language language) {
  if (language != Language::nl) return mechanism_name(m);
  const std::string module = m.scc_module.empty() ? "" : " (module " + m.scc_module + ")";
  const std::string ground = m.derogation.empty() ? "" : ": " + m.derogation;
  if (m.kind == "adequacy") return "adequaatheidsbesluit";
  if (m.kind == "dpf") return "EU-VS Data Privacy Framework";
  if (m.kind == "scc") return "modelcontractbepalingen" + module;
  if (m.kind == "bcr") return "bindende bedrijfsvoorschriften";
  if (m.kind == "derogation") return "uitzondering (AVG art. 49)" + ground;
  return "waarborg niet vermeld";
}

std::string describe_mechanism(const TransferMechanism& m) {
  std::string out = mechanism_name(m);
  for (std::size_t i = 0; i < m.countries.size(); ++i) out += (i ? ", " : " for ") + m.countries[i];
  return out;
}

}  // namespace telcomply
