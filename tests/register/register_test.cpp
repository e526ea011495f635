#include "register/register.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "policy/load.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

const char* kConfig = R"(organisation:
  name: Bel B.V.
  address: Straat 1, Utrecht
  privacy_contact: privacy@bel.example
  dpo: Jan Jansen, fg@bel.example
  security: Versleuteling en toegangsbeheer
language: nl
)";

const char* kDataMap = R"(categories:
  contact:
    name: Contactgegevens
    purposes: [billing]
    legal_basis: contract
  traffic:
    name: Verkeersgegevens
    purposes: [call-setup, billing]
    legal_basis: contract
    kind: traffic
  recording:
    name: Opnames
    purposes: [recording]
    legal_basis: bepaald door de klant
    role: processor
    controller: partners
    kind: content
purposes:
  billing:
    name: Facturering
    data_subjects: [klanten]
    legal_basis: wettelijke plicht
  call-setup:
    name: Gesprekken opzetten
    data_subjects: [bellers, gebelden]
    large_scale: true
  recording:
    name: Opnemen
    data_subjects: [bellers]
    dpia: [covert-investigation]
recipients:
  emergency:
    name: Hulpdiensten
    categories: [traffic]
    basis: wet
    locations: [NL]
  overseas:
    name: Overzee Inc.
    categories: [contact]
    locations: [US]
    safeguard: modelcontractbepalingen
controllers:
  partners:
    name: Partners
    contact: partners@bel.example
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      email: contact
      closed_on: contact
  calls:
    link: {column: customer_id, parent: customers}
    columns:
      started_at: traffic
  recordings:
    link: {column: call_id, parent: calls}
    columns:
      uri: recording
      created_at: recording
)";

const char* kRetention = R"(periods:
  dispute: {length: 6 months, basis: Tw 11.5}
rules:
  - name: calls
    table: calls
    keep: dispute
    from: started_at
    action: delete
  - name: customers-closed
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns:
      email: null
  - name: recordings
    table: recordings
    keep: 3 months
    from: created_at
    action: delete
)";

const char* kRegistry = R"(subprocessors:
  host:
    legal_name: Host B.V.
    purpose: Hosting
    categories: [contact, traffic, recording]
    locations: [NL]
  cloud:
    legal_name: Cloud Inc.
    purpose: Back-ups
    categories: [contact]
    locations: [US]
    dpf_certified: true
    transfers:
      - mechanism: scc
        module: 2
  old:
    legal_name: Old B.V.
    categories: [contact]
    locations: [NL]
    status: removed
)";

const char* kTransfers = R"(eea: {countries: [NL, DE]}
)";

struct Files {
  std::string config = kConfig, data_map = kDataMap, retention = kRetention, registry = kRegistry,
              transfers = kTransfers;
};

Policy policy(const Files& f = {}) {
  Policy p;
  p.config = load_config(YamlSource{"telcomply.yaml", f.config});
  p.data_map = load_data_map({YamlSource{"datamap.yaml", f.data_map}});
  p.retention = load_retention({YamlSource{"retention.yaml", f.retention}});
  p.subprocessors = load_subprocessors({YamlSource{"subprocessors.yaml", f.registry}});
  p.transfers = load_transfers({YamlSource{"transfers.yaml", f.transfers}});
  p.has_data_map = p.has_retention = p.has_subprocessors = p.has_transfers = true;
  return p;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const ProcessingRecord& record(const Register& reg, const std::string& purpose) {
  for (const auto& r : reg.controller_records)
    if (r.purpose_ref == purpose) return r;
  FAIL("no record for " << purpose);
  throw 0;
}

std::vector<std::string> recipient_ids(const ProcessingRecord& r) {
  std::vector<std::string> out;
  for (const auto& x : r.recipients) out.push_back(x.id);
  return out;
}

std::string written(const Policy& p, RegisterFormat format, Language language) {
  std::ostringstream out;
  write_register(out, build_register(p, Date{2026, 11, 1}), format, language);
  return out.str();
}

bool has(const std::vector<Finding>& findings, const std::string& rule, const std::string& at) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule == rule && f.loc.str() == at; });
}

}  // namespace

TEST_CASE("register: art. 30(1) per purpose, art. 30(2) per controller") {
  const Policy p = policy();
  const Register reg = build_register(p, Date{2026, 11, 1});
  REQUIRE(reg.controller_records.size() == 2);
  // In the order the categories first name them.
  CHECK(reg.controller_records[0].purpose_ref == "billing");
  CHECK(reg.controller_records[1].purpose_ref == "call-setup");

  const ProcessingRecord& billing = record(reg, "billing");
  CHECK(billing.name == "Facturering");
  CHECK(billing.data_subjects == std::vector<std::string>{"klanten"});
  REQUIRE(billing.categories.size() == 2);
  CHECK(billing.categories[0]->id == "contact");
  CHECK(billing.categories[1]->id == "traffic");
  // The purpose's legal basis holds for every category used for it.
  CHECK(billing.legal_bases == std::vector<std::string>{"wettelijke plicht"});
  // Active sub-processors first, then other recipients; a removed one is no recipient.
  CHECK(recipient_ids(billing) ==
        std::vector<std::string>{"host", "cloud", "emergency", "overseas"});
  CHECK(billing.recipients[2].kind == "recipient");
  CHECK(billing.recipients[2].categories == std::vector<std::string>{"traffic"});

  const ProcessingRecord& setup = record(reg, "call-setup");
  CHECK(setup.legal_bases == std::vector<std::string>{"contract"});
  CHECK(recipient_ids(setup) == std::vector<std::string>{"host", "emergency"});
  CHECK(setup.transfers.empty());

  REQUIRE(reg.processor_records.size() == 1);
  const ProcessorRecord& served = reg.processor_records[0];
  CHECK(served.name == "Partners");
  CHECK(served.contact == "partners@bel.example");
  REQUIRE(served.processing.size() == 1);
  CHECK(served.processing[0].name == "Opnemen");
  CHECK(served.processing[0].categories[0]->id == "recording");
}

TEST_CASE("register: transfers to third countries with their safeguards") {
  const Policy p = policy();
  const Register reg = build_register(p, Date{2026, 11, 1});
  const ProcessingRecord& billing = record(reg, "billing");
  REQUIRE(billing.transfers.size() == 2);
  CHECK(billing.transfers[0].recipient == "Cloud Inc.");
  CHECK(billing.transfers[0].country == "US");
  REQUIRE(billing.transfers[0].mechanisms.size() == 1);
  CHECK(billing.transfers[0].mechanisms[0]->kind == "scc");
  CHECK(billing.transfers[1].recipient == "Overzee Inc.");
  CHECK(billing.transfers[1].safeguard == "modelcontractbepalingen");
}

TEST_CASE("register: retention comes from the rules that cover each category") {
  const Policy p = policy();
  const Register reg = build_register(p, Date{2026, 11, 1});
  const ProcessingRecord& billing = record(reg, "billing");
  REQUIRE(billing.retention.size() == 2);
  CHECK(billing.retention[0].category->id == "contact");
  REQUIRE(billing.retention[0].rule);
  CHECK(billing.retention[0].rule->name == "customers-closed");
  CHECK(billing.retention[1].category->id == "traffic");
  REQUIRE(billing.retention[1].rule);
  CHECK(billing.retention[1].rule->name == "calls");
  CHECK(billing.retention[1].rule->keep.str() == "6 months");
  const ProcessingRecord& recording = reg.processor_records[0].processing[0];
  REQUIRE(recording.retention.size() == 1);
  REQUIRE(recording.retention[0].rule);
  CHECK(recording.retention[0].rule->name == "recordings");
  // Without the rule, the category is stated as having none, not left out.
  Files f;
  f.retention = replaced(kRetention, "  - name: recordings\n",
                         "  - name: recordings\n    categories: [contact]\n");
  const Policy without = policy(f);
  const Register other = build_register(without, Date{2026, 11, 1});
  REQUIRE(other.processor_records[0].processing[0].retention.size() == 1);
  CHECK(other.processor_records[0].processing[0].retention[0].rule == nullptr);
}

TEST_CASE("register: the DPIA pre-screen marks purposes that meet a criterion") {
  const Policy p = policy();
  const Register reg = build_register(p, Date{2026, 11, 1});
  // Large-scale, and a category of kind traffic: communication data.
  const ProcessingRecord& setup = record(reg, "call-setup");
  REQUIRE(setup.dpia.size() == 1);
  CHECK(setup.dpia[0].criterion->id == "communication-data");
  CHECK(setup.dpia[0].criterion->number == 13);
  CHECK(setup.dpia[0].category == "traffic");
  // The same traffic data for a purpose that is not large-scale: no mark.
  CHECK(record(reg, "billing").dpia.empty());
  // Named by the purpose.
  const ProcessingRecord& recording = reg.processor_records[0].processing[0];
  REQUIRE(recording.dpia.size() == 1);
  CHECK(recording.dpia[0].criterion->id == "covert-investigation");
  CHECK(recording.dpia[0].category.empty());
  // Every criterion of the table is unique and numbered in order.
  int number = 0;
  for (const DpiaCriterion& c : dpia_criteria()) {
    CHECK(c.number == ++number);
    CHECK(find_dpia_criterion(c.id) == &c);
  }
  CHECK(number == 17);
}

TEST_CASE("policy: the register's fields load, and bad ones are refused with their place") {
  const Policy p = policy();
  CHECK(p.config.language == Language::nl);
  CHECK(p.config.organisation.security == "Versleuteling en toegangsbeheer");
  CHECK(p.config.organisation.loc.str() == "telcomply.yaml:2:3");
  CHECK(p.data_map.categories.at("traffic").kind == "traffic");
  CHECK(p.data_map.purposes.at("call-setup").large_scale);
  CHECK(p.data_map.purpose_name("billing") == "Facturering");
  CHECK(p.data_map.purpose_name("Iets in woorden") == "Iets in woorden");
  CHECK(p.data_map.controller_name("partners") == "Partners");
  CHECK(
      load_config(YamlSource{"c.yaml", "organisation: {name: X, privacy_contact: y}\n"}).language ==
      Language::en);

  CHECK(error_of([] {
          load_config(
              YamlSource{"c.yaml", "organisation: {name: X, privacy_contact: y}\nlanguage: de\n"});
        }) == "c.yaml:2:11: 'language' must be one of en, nl, not 'de'; did you mean 'en'?");
  CHECK(
      error_of([] {
        load_data_map({YamlSource{"d.yaml", replaced(kDataMap, "kind: traffic", "kind: trafic")}});
      }).find("d.yaml:10:11: 'kind' must be one of") == 0);
  CHECK(error_of([] {
          load_data_map({YamlSource{"d.yaml", replaced(kDataMap, "dpia: [covert-investigation]",
                                                       "dpia: [fraud, profiling]")}});
        }).find("d.yaml:30:12: 'dpia' must be one of covert-investigation, blacklists,") == 0);
  // Older files without a legal basis or purposes still load: lint reports what is missing.
  CHECK_NOTHROW(
      load_data_map({YamlSource{"d.yaml", replaced(kDataMap, "    legal_basis: contract\n", "")}}));
}

TEST_CASE("check_register: what the register lacks, at the place to fix it") {
  CHECK(check_register(policy()).empty());

  Files f;
  f.config = replaced(kConfig, "  security: Versleuteling en toegangsbeheer\n", "");
  f.data_map = replaced(kDataMap, "    purposes: [billing]\n    legal_basis: contract\n",
                        "    purposes: [billing, Iets anders]\n");
  f.data_map = replaced(f.data_map, "    data_subjects: [bellers, gebelden]\n", "");
  f.data_map = replaced(f.data_map, "    safeguard: modelcontractbepalingen\n", "");
  f.data_map = replaced(f.data_map, "controller: partners", "controller: somebody");
  f.data_map =
      replaced(f.data_map, "      uri: recording\n", "      uri: recording\n      note: orphan\n");
  f.retention = replaced(kRetention, "  - name: recordings\n",
                         "  - name: recordings\n    categories: [contact]\n");
  f.data_map = replaced(f.data_map, "  billing:\n    name: Facturering",
                        "  unused:\n    data_subjects: [x]\n  billing:\n    name: Facturering");
  f.data_map = replaced(f.data_map, "categories:\n", "categories:\n  orphan:\n    name: Los\n");
  f.registry = replaced(kRegistry, "      - mechanism: scc\n        module: 2\n",
                        "      - mechanism: bcr\n        countries: [IN]\n");
  const auto findings = check_register(policy(f));
  CHECK(has(findings, "register-no-security", "telcomply.yaml:2:3"));
  // The category whose legal basis is gone, for the purpose that has none of its own.
  CHECK(has(findings, "register-no-legal-basis", "datamap.yaml:4:3"));
  CHECK(std::count_if(findings.begin(), findings.end(),
                      [](const Finding& x) { return x.rule == "register-no-legal-basis"; }) == 1);
  CHECK(has(findings, "register-undefined-purpose", "datamap.yaml:4:3"));
  CHECK(has(findings, "register-no-purpose", "datamap.yaml:2:3"));
  CHECK(has(findings, "register-no-retention", "datamap.yaml:2:3"));
  CHECK(has(findings, "register-no-recipients", "datamap.yaml:2:3"));
  CHECK(has(findings, "register-no-retention", "datamap.yaml:12:3"));
  CHECK(has(findings, "register-unknown-controller", "datamap.yaml:12:3"));
  CHECK(has(findings, "register-no-data-subjects", "datamap.yaml:26:3"));
  CHECK(has(findings, "register-unused-purpose", "datamap.yaml:20:3"));
  CHECK(has(findings, "register-no-safeguard", "datamap.yaml:39:3"));
  CHECK(has(findings, "register-no-safeguard", "subprocessors.yaml:7:3"));
  for (const auto& x : findings) {
    const auto& rules = register_rules();
    const bool described =
        x.rule == "undefined-category" ||
        std::any_of(rules.begin(), rules.end(), [&](const RuleInfo& r) { return r.id == x.rule; });
    CHECK_MESSAGE(described, x.rule);
  }
}

TEST_CASE("register json: a format marker, stable keys, both roles") {
  const auto doc = nlohmann::json::parse(written(policy(), RegisterFormat::json, Language::nl));
  CHECK(doc["format"] == "telcomply-register");
  CHECK(doc["version"] == 1);
  CHECK(doc["language"] == "nl");
  CHECK(doc["as_of"] == "2026-11-01");
  CHECK(doc["organisation"]["dpo"] == "Jan Jansen, fg@bel.example");
  CHECK(doc["organisation"]["security"] == "Versleuteling en toegangsbeheer");
  REQUIRE(doc["controller_records"].size() == 2);
  const auto& billing = doc["controller_records"][0];
  CHECK(billing["role"] == "controller");
  CHECK(billing["purpose"]["id"] == "billing");
  CHECK(billing["data_subjects"] == nlohmann::json{"klanten"});
  CHECK(billing["retention"][1] == nlohmann::json{{"category", "traffic"},
                                                  {"rule", "calls"},
                                                  {"table", "calls"},
                                                  {"keep", "6 months"},
                                                  {"period", "dispute"},
                                                  {"from", "started_at"},
                                                  {"action", "delete"}});
  CHECK(billing["transfers"][0]["mechanisms"][0]["mechanism"] == "scc");
  CHECK(doc["controller_records"][1]["dpia"][0]["criterion"] == "communication-data");
  REQUIRE(doc["processor_records"].size() == 1);
  CHECK(doc["processor_records"][0]["controller"]["id"] == "partners");
  CHECK(doc["processor_records"][0]["processing"][0]["role"] == "processor");
  // The keys do not follow the language.
  const auto en = nlohmann::json::parse(written(policy(), RegisterFormat::json, Language::en));
  CHECK(en["controller_records"] == doc["controller_records"]);
}

TEST_CASE("register md, html and csv: in the language, hostile names escaped") {
  Files f;
  f.data_map = replaced(kDataMap, "name: Facturering", "name: \"Fact|uur <script>x</script>\"");
  f.data_map = replaced(f.data_map, "name: Hulpdiensten", "name: \"=cmd, \\\"112\\\"\\u202e\"");
  const Policy p = policy(f);

  const std::string md = written(p, RegisterFormat::md, Language::nl);
  CHECK(md.find("# Register van verwerkingsactiviteiten van Bel B.V.") == 0);
  CHECK(md.find("Stand per 1 november 2026.") != std::string::npos);
  CHECK(md.find("## Verwerkingen als verwerkingsverantwoordelijke (AVG art. 30 lid 1)") !=
        std::string::npos);
  CHECK(md.find("### Doel: Fact\\|uur &lt;script&gt;x&lt;/script&gt;") != std::string::npos);
  CHECK(md.find("<script>") == std::string::npos);
  CHECK(md.find("6 maanden na calls.started\\_at, daarna verwijderd (regel calls)") !=
        std::string::npos);
  CHECK(md.find(
            "criterium 13 (Communicatiegegevens): grootschalige verwerking van Verkeersgegevens") !=
        std::string::npos);
  CHECK(md.find("\xE2\x80\xAE") == std::string::npos);
  const std::string md_en = written(p, RegisterFormat::md, Language::en);
  CHECK(md_en.find("# Records of processing activities of Bel B.V.") == 0);
  CHECK(md_en.find("As of 1 November 2026.") != std::string::npos);
  CHECK(md_en.find("6 months after calls.started\\_at, then deleted (rule calls)") !=
        std::string::npos);
  CHECK(
      md_en.find("criterion 13 (Communication data): large-scale processing of Verkeersgegevens") !=
      std::string::npos);

  const std::string html = written(p, RegisterFormat::html, Language::nl);
  CHECK(html.find("<html lang=\"nl\">") != std::string::npos);
  CHECK(html.find("1 november 2026") != std::string::npos);
  CHECK(html.find("Fact|uur &lt;script&gt;x&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("\\u202e") != std::string::npos);

  const std::string csv = written(p, RegisterFormat::csv, Language::en);
  CHECK(csv.find("Register,Controller,Purpose,") == 0);
  CHECK(csv.find("\r\nart. 30(1),Bel B.V.,Fact|uur <script>x</script>,") != std::string::npos);
  CHECK(csv.find("\r\nart. 30(2),Partners,Opnemen,") != std::string::npos);
  CHECK(csv.find("\"'=cmd") == std::string::npos);  // not at the start of a cell
  CHECK(csv.find("\"\"112\"\"") != std::string::npos);
  CHECK(error_of([] { parse_register_format("pdf"); }) ==
        "unknown register format 'pdf' (known: md, html, csv, json)");
}
