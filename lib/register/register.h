// telcomply register: the records of processing activities (GDPR art. 30), built from the
// policy model: art. 30(1) per purpose where the organisation is controller, art. 30(2) per
// controller it processes for. Nothing in it is written by hand: purposes, data subjects,
// categories and legal bases come from the data map, recipients from the sub-processor
// registry and the data map's other recipients, transfers from the registry and the transfer
// lists, retention from the retention rules, the security description and the DPO from the
// configuration; a DPIA pre-screen marks what meets a criterion of the Autoriteit
// Persoonsgegevens' list (policy/dpia.h). telcomply-register(1) documents the formats.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/language.h"
#include "policy/dpia.h"
#include "policy/policy.h"
#include "report/findings.h"

namespace telcomply {

// A recipient of a record's categories: a sub-processor (or sub-sub-processor) of the
// registry that is active, or another recipient of the data map.
struct RegisterRecipient {
  std::string id;
  std::string name;
  std::string kind;                     // "sub-processor", "sub-sub-processor" or "recipient"
  std::string basis;                    // what for (a sub-processor's purpose, a recipient's basis)
  std::vector<std::string> categories;  // the record's categories it receives (ids)
};

// Personal data of a record going to a third country (art. 30(1)(e), 30(2)(c)).
struct RegisterTransfer {
  std::string recipient;  // the recipient's name
  std::string country;    // ISO 3166-1 alpha-2
  std::string adequacy;   // the adequacy decision in force that covers it; empty: none
  // The safeguards that are a basis on the register's date: a sub-processor's mechanisms in
  // force for the country, or another recipient's `safeguard`. Empty with no adequacy: none.
  std::vector<const TransferMechanism*> mechanisms;
  std::string safeguard;
};

// How long a category of a record is kept: one retention rule that covers it, or none.
struct RetentionTerm {
  const Category* category = nullptr;
  const RetentionRule* rule = nullptr;  // nullptr: no rule covers the category
};

// A criterion of the DPIA list a record meets, and why.
struct DpiaMatch {
  const DpiaCriterion* criterion = nullptr;
  std::string category;  // the category whose kind meets it; empty: the purpose names it
};

// One purpose of processing and what is processed for it.
struct ProcessingRecord {
  std::string purpose_ref;           // the purpose's id, or the purpose in words
  const Purpose* purpose = nullptr;  // nullptr: a purpose in words (no `purposes` entry)
  std::string name;                  // as people read it
  std::vector<std::string> data_subjects;
  std::vector<const Category*> categories;
  std::vector<std::string> legal_bases;  // each once, in the order of the categories
  std::vector<RegisterRecipient> recipients;
  std::vector<RegisterTransfer> transfers;
  std::vector<RetentionTerm> retention;  // per category, every rule (or none) that covers it
  std::vector<DpiaMatch> dpia;
};

// Art. 30(2): one controller the organisation processes for, and the processing it does.
struct ProcessorRecord {
  std::string controller_ref;                    // a `controllers` id, or the controller in words
  const ServedController* controller = nullptr;  // nullptr: named in words only
  std::string name;
  std::string contact;
  std::vector<ProcessingRecord> processing;  // per purpose
};

struct Register {
  const Organisation* organisation = nullptr;
  Date as_of;
  std::vector<ProcessingRecord> controller_records;  // art. 30(1), per purpose
  std::vector<ProcessorRecord> processor_records;    // art. 30(2), per controller
};

// The register of `policy` (its data map must be loaded; retention, sub-processors and
// transfer lists are used when loaded) on `as_of`: the date adequacy decisions must be in
// force on and that the register is stated as current on. Records are in the order their
// purposes (controllers) are first named by the data map's categories.
Register build_register(const Policy& policy, const Date& as_of);

// What the register lacks, as findings at the place to fix it: a category without a purpose,
// legal basis, retention rule or recipient; a purpose without data subjects; a recipient in
// a third country without a safeguard; a processor category whose controller has no
// `controllers` entry; no security description. Checks of kinds that are not loaded are
// skipped (retention also when it has no rules, recipients when there is neither a registry
// nor a `recipients` entry); the security description is checked only when `policy.config` is read
// from a file.
std::vector<Finding> check_register(const Policy& policy);

// The rules check_register applies, for SARIF and JUnit.
const std::vector<RuleInfo>& register_rules();

enum class RegisterFormat { md, html, csv, json };
// "md", "markdown", "html", "csv", "json"; anything else throws Error(invalid).
RegisterFormat parse_register_format(std::string_view name);

// Writes both registers. md, html and csv are in `language`; json has language-independent
// keys and values ("format": "telcomply-register", "version": 1) and states the language.
// HTML is one self-contained page (no scripts, no external resources) from the templates
// page.html.mustache and register.html.mustache, from `templates` where it holds them
// (render/render.h).
void write_register(std::ostream& out, const Register& reg, RegisterFormat format,
                    Language language, const std::filesystem::path& templates = {});

}  // namespace telcomply
