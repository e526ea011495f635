// Transfers of personal data outside the EEA (GDPR chapter V), answered from the transfer
// lists (kind `transfers`) and a recipient's entry in the sub-processor registry: which of
// its countries are third countries, which adequacy decision covers it on a date, which of
// its mechanisms cover a country, and the words for a mechanism. The export's art. 15(2)
// information, the published sub-processor list and `telcomply subprocessors check` all
// answer from here, so that they never disagree.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/date.h"
#include "policy/policy.h"

namespace telcomply {

// True when `country` is not in the EEA list of `lists`.
bool is_third_country(const TransferLists& lists, const std::string& country);

// A third country a recipient's data goes to, and where the entry names it.
struct ThirdCountry {
  std::string country;    // ISO 3166-1 alpha-2
  std::string field;      // "locations" (processing) or "access_locations" (remote access)
  std::size_t index = 0;  // its position in that list
};

// The recipient's processing and access locations outside the EEA, each once, in the order
// first named (processing locations first).
std::vector<ThirdCountry> third_countries(const TransferLists& lists,
                                          const Subprocessor& recipient);

// True when the recipient processes somewhere and only inside the EEA; false when `lists`
// has no EEA list to tell.
bool eea_only(const TransferLists& lists, const Subprocessor& recipient);

// True when `mechanism` is stated for transfers to `country`: it names a mechanism, it lists
// the country or no countries at all, and it is not the EU-US Data Privacy Framework for a
// country other than the US. Whether an adequacy claim holds is adequacy_in_force's answer.
bool mechanism_covers(const TransferMechanism& mechanism, const std::string& country);

// True when `mechanism` rests on an adequacy decision: mechanism adequacy, or dpf (the
// decision for the US that covers organisations certified under the Data Privacy Framework).
bool claims_adequacy(const TransferMechanism& mechanism);

// An adequacy decision for a recipient's country on a date, and why it does not apply when
// it does not.
struct AdequacyAssessment {
  const AdequacyDecision* decision = nullptr;  // the lists' decision for the country, if any
  bool adopted = true;                         // it applies from `adopted` on or before the date
  bool expired = false;                        // its `expires` is on or before the date
  bool in_scope = true;  // its scope covers the recipient (see adequacy_in_force)
  bool in_force() const { return decision && adopted && !expired && in_scope; }
};

// The lists' decision for `country` assessed for `recipient` on `on`. A decision's scope:
// `all` covers everyone; `commercial`, a recipient whose sector is commercial;
// `private-sector`, commercial or non-profit; `dpf-certified`, a recipient certified under
// the EU-US Data Privacy Framework.
AdequacyAssessment assess_adequacy(const TransferLists& lists, const Subprocessor& recipient,
                                   const std::string& country, const Date& on);

// The adequacy decision that covers `recipient` in `country` on `on`: listed, adopted, not
// expired, and with a scope that covers it. nullptr when there is none.
const AdequacyDecision* adequacy_in_force(const TransferLists& lists, const Subprocessor& recipient,
                                          const std::string& country, const Date& on);

// True when `mechanism` is a basis for transfers of `recipient`'s data to `country` on `on`:
// it covers the country, and an adequacy claim (mechanism adequacy, or dpf) has a decision
// in force for the recipient.
bool mechanism_in_force(const TransferLists& lists, const Subprocessor& recipient,
                        const TransferMechanism& mechanism, const std::string& country,
                        const Date& on);

// A mechanism in words, without the countries it is limited to: "adequacy decision", "EU-US
// Data Privacy Framework", "standard contractual clauses (module 3)", "binding corporate rules", "derogation (art.
// 49(1)): explicit consent", or "unstated mechanism".
std::string mechanism_name(const TransferMechanism& mechanism);
// The same in `language`: in Dutch "adequaatheidsbesluit", "modelcontractbepalingen (module
// 3)", "bindende bedrijfsvoorschriften", "uitzondering (AVG art. 49): ...".
std::string mechanism_name(const TransferMechanism& mechanism, Language language);

// A mechanism in words with the countries it is limited to, e.g. "standard contractual clauses (module 3) for US, IN".
std::string describe_mechanism(const TransferMechanism& mechanism);

}  // namespace telcomply
