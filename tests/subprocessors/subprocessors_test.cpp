#include "subprocessors/subprocessors.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/git.h"
#include "policy/country.h"
#include "policy/load.h"
#include "subprocessors/phrases.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

// A complete entry; tests replace or append lines.
const char* kHeader = "notice_period: 30 days\nsubprocessors:\n";
std::string entry(const std::string& id, const std::string& extra = "",
                  const std::string& locations = "[NL]") {
  return "  " + id + ":\n" + "    legal_name: " + id +
         " B.V.\n"
         "    address: Straat 1, Amsterdam\n"
         "    contact: privacy@" +
         id +
         ".example\n"
         "    services: [Voipgrow]\n"
         "    purpose: Hosting\n"
         "    categories: [contact]\n"
         "    data_subjects: [klanten]\n"
         "    locations: " +
         locations +
         "\n"
         "    agreement: {date: 2024-01-01, version: \"1.0\", url: https://x.example/dpa}\n"
         "    status: active\n"
         "    effective: 2024-02-01\n" +
         extra;
}

SubprocessorRegistry registry(const std::string& text, const std::string& name = "sp.yaml") {
  return load_subprocessors({YamlSource{name, text}});
}

TransferLists lists() {
  return load_transfers({YamlSource{"transfers.yaml", test::kTransferLists}});
}

std::vector<Finding> check(const std::string& text, Date as_of = Date{2026, 11, 1},
                           const DataMap* map = nullptr) {
  CheckOptions options;
  options.as_of = as_of;
  options.data_map = map;
  return check_subprocessors(registry(text), lists(), options);
}

std::vector<std::string> rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule);
  return out;
}

bool has(const std::vector<Finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule == rule; });
}

}  // namespace

// --- countries -------------------------------------------------------------------------

TEST_CASE("country codes: the assigned alpha-2 codes, with names") {
  CHECK(country_codes().size() >= 249);  // as Debian's iso-codes lists them
  CHECK(std::is_sorted(country_codes().begin(), country_codes().end()));
  CHECK(is_country_code("NL"));
  CHECK(is_country_code("GB"));
  CHECK(is_country_code("GR"));
  CHECK(is_country_code("AX"));
  CHECK_FALSE(is_country_code("UK"));
  CHECK_FALSE(is_country_code("EL"));
  CHECK_FALSE(is_country_code("EU"));
  CHECK_FALSE(is_country_code("XK"));  // user-assigned, not ISO
  CHECK_FALSE(is_country_code("nl"));
  CHECK_FALSE(is_country_code("NLD"));
  CHECK_FALSE(is_country_code(""));
  CHECK(country_name("DE") == "Germany");
  CHECK(country_name("ZZ").empty());
  CHECK_FALSE(country_code_error("NL"));
}

TEST_CASE("country names: iso-codes' common names, and its Dutch translations") {
  CHECK(country_name("BO") == "Bolivia");  // the common name, not "Bolivia, Plurinational ..."
  CHECK(country_name("TW") == "Taiwan");
  CHECK(country_name("DE", Language::nl) == "Duitsland");
  CHECK(country_name("GB", Language::nl) == "Verenigd Koninkrijk");
  CHECK(country_name("US", Language::nl) == "Verenigde Staten");
  CHECK(country_name("CH", Language::nl) == "Zwitserland");
  CHECK(country_name("PE", Language::nl) == "Peru");  // the same in both languages
  CHECK(country_name("ZZ", Language::nl).empty());
  for (const auto code : country_codes()) CHECK_FALSE(country_name(code, Language::nl).empty());
}

TEST_CASE("country codes: UK and EL are rejected with a hint") {
  CHECK(*country_code_error("UK") ==
        "'UK' is not an ISO 3166-1 alpha-2 code: use 'GB' (United Kingdom)");
  CHECK(country_code_error("EL")->find("use 'GR' (Greece)") != std::string::npos);
  CHECK(country_code_error("uk")->find("use 'GB'") != std::string::npos);
  CHECK(country_code_error("nl")->find("'NL'") != std::string::npos);
  CHECK(country_code_error("EU")->find("not a country") != std::string::npos);
  CHECK(country_code_error("QQ")->find("unknown country code 'QQ'") != std::string::npos);
  CHECK(country_code_error(std::string(100, 'A'))->size() < 100);
}

// --- loading ---------------------------------------------------------------------------

TEST_CASE("the registry loads every field and where it was read") {
  const auto r = registry(std::string(kHeader) + entry("aws",
                                                       "    access_locations: [US]\n"
                                                       "    dpf_certified: true\n"
                                                       "    sector: commercial\n"
                                                       "    transfers:\n"
                                                       "      - mechanism: scc\n"
                                                       "        module: 3\n"
                                                       "        tia: TIA-1\n"
                                                       "        measures: [encryption]\n"
                                                       "        countries: [US]\n",
                                                       "[DE, IE]"));
  REQUIRE(r.subprocessors.size() == 1);
  const Subprocessor& s = r.subprocessors[0];
  CHECK(s.id == "aws");
  CHECK(s.legal_name == "aws B.V.");
  CHECK(s.locations == std::vector<std::string>{"DE", "IE"});
  CHECK(s.access_locations == std::vector<std::string>{"US"});
  CHECK(s.dpf_certified);
  CHECK(s.sector == "commercial");
  REQUIRE(s.transfers.size() == 1);
  CHECK(s.transfers[0].kind == "scc");
  CHECK(s.transfers[0].scc_module == "3");
  CHECK(s.transfers[0].countries == std::vector<std::string>{"US"});
  CHECK(s.agreement.date == Date{2024, 1, 1});
  CHECK(s.effective == Date{2024, 2, 1});
  CHECK(s.loc.str() == "sp.yaml:3:3");
  CHECK(s.fields.at("locations[1]").str() == "sp.yaml:11:21");
  CHECK(s.fields.at("access_locations[0]").line == 15);
  CHECK(r.notice_period.str() == "30 days");
}

TEST_CASE("country code UK in a registry is invalid input with file:line:column and the hint") {
  const std::string text = std::string(kHeader) + entry("aws", "", "[NL, UK]");
  const std::string message = error_of([&] { registry(text); });
  CHECK(message ==
        "sp.yaml:11:21: 'locations': 'UK' is not an ISO 3166-1 alpha-2 code: use 'GB' "
        "(United Kingdom)");
  CHECK(error_of([&] {
          registry(std::string(kHeader) + entry("a", "    access_locations: EL\n"));
        }).find("use 'GR'") != std::string::npos);
}

TEST_CASE("malformed registries are invalid input") {
  const std::string h = kHeader;
  CHECK(error_of([&] {
          registry(h + entry("a", "    legal_nam: x\n"));
        }).find("unknown key 'legal_nam'") != std::string::npos);
  CHECK(error_of([&] {
          registry(h + entry("a", "    transfers: [{mechanism: scc, module: 5}]\n"));
        }).find("modules 1 to 4") != std::string::npos);
  CHECK(error_of([&] {
          registry(h + entry("a", "    transfers: [{mechanism: sccs}]\n"));
        }).find("did you mean 'scc'") != std::string::npos);
  CHECK(error_of([&] {
          registry(h + entry("a", "    transfers: [{mechanism: bcr, module: 2}]\n"));
        }).find("belongs to mechanism 'scc'") != std::string::npos);
  CHECK(error_of([&] {
          registry(h + entry("a", "    announced: 2026-02-30\n"));
        }).find("not a valid date") != std::string::npos);
  CHECK(error_of([&] { registry(h + entry("a", "    status: gone\n")); }).find("status") !=
        std::string::npos);
  CHECK(error_of([&] { registry(h + entry("a", "", "[NL, NL]")); }).find("listed twice") !=
        std::string::npos);
  CHECK(error_of([&] {
          registry(h + "  'bad id':\n    legal_name: x\n");
        }).find("must be letters") != std::string::npos);
  CHECK(error_of([&] { registry("notice_period: Session\n"); }).find("length of time") !=
        std::string::npos);
  CHECK(error_of([&] { registry("subprocessors: [a, b]\n"); }).find("mapping") !=
        std::string::npos);
}

TEST_CASE("an entry defined in two files names both places") {
  const std::string message = error_of([&] {
    load_subprocessors({YamlSource{"a.yaml", std::string(kHeader) + entry("x")},
                        YamlSource{"b.yaml", "subprocessors:\n" + entry("x")}});
  });
  CHECK(message == "b.yaml:2:3: sub-processor 'x' is already defined at a.yaml:3:3");
  CHECK(error_of([&] {
          load_subprocessors({YamlSource{"a.yaml", "notice_period: 30 days\n"},
                              YamlSource{"b.yaml", "notice_period: 60 days\n"}});
        }).find("already defined at a.yaml:1:16") != std::string::npos);
}

TEST_CASE("an incomplete entry loads, to be reported by the check") {
  const auto r = registry("subprocessors:\n  bare:\n    locations: [US]\n");
  REQUIRE(r.subprocessors.size() == 1);
  CHECK(r.subprocessors[0].legal_name.empty());
}

TEST_CASE("transfer lists load, and in_eea answers from them") {
  const TransferLists l = lists();
  CHECK(l.eea.size() == 30);
  CHECK(l.in_eea("NL"));
  CHECK(l.in_eea("NO"));
  CHECK_FALSE(l.in_eea("CH"));
  CHECK_FALSE(l.in_eea("GB"));
  CHECK(l.checked == Date{2026, 11, 1});
  CHECK(l.adequacy.at("US").scope == "dpf-certified");
  CHECK(l.adequacy.at("GB").expires == Date{2025, 12, 27});
}

TEST_CASE("malformed transfer lists are invalid input") {
  auto load = [](const std::string& text) { return load_transfers({YamlSource{"t.yaml", text}}); };
  CHECK(error_of([&] {
          load("adequacy:\n  UK: {scope: all, decision: x, adopted: 2020-01-01, source: s}\n");
        }).find("t.yaml:2:3: 'adequacy': 'UK' is not an ISO 3166-1 alpha-2 code: use 'GB'") !=
        std::string::npos);
  CHECK(error_of([&] {
          load("adequacy:\n  CH: {scope: all, decision: x, source: s}\n");
        }).find("'adopted'") != std::string::npos);
  CHECK(error_of([&] {
          load("adequacy:\n  CH: {scope: some, decision: x, adopted: 2020-01-01, source: s}\n");
        }).find("'scope' must be one of") != std::string::npos);
  CHECK(error_of([&] {
          load(
              "eea: {countries: [NL]}\nadequacy:\n  NL: {scope: all, decision: x, adopted: "
              "2020-01-01, source: s}\n");
        }).find("in the EEA list") != std::string::npos);
  CHECK(error_of([&] {
          load_transfers({YamlSource{"a.yaml", "eea: {countries: [NL]}\n"},
                          YamlSource{"b.yaml", "eea: {countries: [BE]}\n"}});
        }).find("'eea' is already defined at a.yaml:1:6") != std::string::npos);
}

// --- the check -------------------------------------------------------------------------

TEST_CASE("a complete registry inside the EEA checks clean") {
  const auto findings = check(std::string(kHeader) + entry("a") + entry("b", "", "[DE, IE]"));
  CHECK(findings.empty());
  CHECK(findings_status(findings, true) == Exit::ok);
}

TEST_CASE("a US processor without DPF certification or SCCs is a finding naming entry and field") {
  SUBCASE("no transfer mechanism at all") {
    const auto findings = check(std::string(kHeader) + entry("mailer", "", "[NL, US]"));
    REQUIRE(rules(findings) == std::vector<std::string>{"transfer-missing"});
    const Finding& f = findings[0];
    CHECK(f.entry == "mailer");
    CHECK(f.loc.str() == "sp.yaml:11:21");
    CHECK(f.message.find("sub-processor 'mailer', field 'locations': US") == 0);
    CHECK(findings_status(findings, false) == Exit::findings);
  }
  SUBCASE("the DPF claimed without certification") {
    const auto findings = check(std::string(kHeader) +
                                entry("mailer", "    transfers: [{mechanism: dpf}]\n", "[US]"));
    REQUIRE(rules(findings) == std::vector<std::string>{"dpf-not-certified"});
    CHECK(findings[0].message.find("field 'dpf_certified'") != std::string::npos);
  }
  SUBCASE("adequacy claimed for the US without certification") {
    const auto findings =
        check(std::string(kHeader) + entry("mailer",
                                           "    dpf_certified: false\n"
                                           "    transfers: [{mechanism: adequacy}]\n",
                                           "[US]"));
    REQUIRE(rules(findings) == std::vector<std::string>{"adequacy-scope"});
    CHECK(findings[0].loc.line == 15);  // dpf_certified: false
    CHECK(findings[0].message.find("field 'dpf_certified'") != std::string::npos);
  }
  SUBCASE("certified, or with SCCs, it is clean") {
    CHECK(check(std::string(kHeader) + entry("m",
                                             "    dpf_certified: true\n"
                                             "    transfers: [{mechanism: dpf}]\n",
                                             "[US]"))
              .empty());
    CHECK(check(std::string(kHeader) + entry("m",
                                             "    transfers: [{mechanism: adequacy}]\n"
                                             "    dpf_certified: true\n",
                                             "[US]"))
              .empty());
    CHECK(check(std::string(kHeader) +
                entry("m", "    transfers: [{mechanism: scc, module: 2, tia: T-1}]\n", "[US]"))
              .empty());
  }
}

TEST_CASE("adequacy claims must match the list, its scope and its dates") {
  const std::string h = kHeader;
  const std::string adequacy = "    transfers: [{mechanism: adequacy}]\n";
  CHECK(rules(check(h + entry("a", adequacy, "[IN]"))) ==
        std::vector<std::string>{"adequacy-unlisted"});
  CHECK(check(h + entry("a", adequacy, "[CH]")).empty());
  CHECK(rules(check(h + entry("a", adequacy + "    sector: public\n", "[CA]"))) ==
        std::vector<std::string>{"adequacy-scope"});
  CHECK(rules(check(h + entry("a", adequacy, "[CA]"))) ==
        std::vector<std::string>{"adequacy-scope"});  // sector not stated
  CHECK(check(h + entry("a", adequacy + "    sector: commercial\n", "[CA]")).empty());
  CHECK(rules(check(h + entry("a", adequacy + "    sector: public\n", "[JP]"))) ==
        std::vector<std::string>{"adequacy-scope"});
  CHECK(check(h + entry("a", adequacy + "    sector: non-profit\n", "[JP]")).empty());
  // Brazil's decision applies from 2026-01-26; the UK's (in this list) expired 2025-12-27.
  CHECK(check(h + entry("a", adequacy, "[BR]"), Date{2026, 3, 1}).empty());
  CHECK(rules(check(h + entry("a", adequacy, "[BR]"), Date{2025, 6, 1})) ==
        std::vector<std::string>{"adequacy-date"});
  CHECK(rules(check(h + entry("a", adequacy, "[GB]"), Date{2026, 3, 1})) ==
        std::vector<std::string>{"adequacy-date"});
  // A mechanism limited to some countries does not cover the others.
  CHECK(rules(check(h + entry("a", "    transfers: [{mechanism: adequacy, countries: [CH]}]\n",
                              "[CH, IN]"))) == std::vector<std::string>{"transfer-missing"});
}

TEST_CASE("mechanisms must be complete") {
  const std::string h = kHeader;
  CHECK(rules(check(h + entry("a", "    transfers: [{mechanism: scc, tia: T}]\n", "[IN]"))) ==
        std::vector<std::string>{"scc-module"});
  const auto no_tia =
      check(h + entry("a", "    transfers: [{mechanism: scc, module: 3}]\n", "[IN]"));
  REQUIRE(rules(no_tia) == std::vector<std::string>{"tia-missing"});
  CHECK(no_tia[0].severity == Severity::warning);
  CHECK(findings_status(no_tia, false) == Exit::ok);
  CHECK(findings_status(no_tia, true) == Exit::findings);
  CHECK(rules(check(h + entry("a", "    transfers: [{mechanism: derogation}]\n", "[IN]"))) ==
        std::vector<std::string>{"derogation-ground"});
  CHECK(check(h + entry("a", "    transfers: [{mechanism: derogation, derogation: \"49(1)(b)\"}]\n",
                        "[IN]"))
            .empty());
  CHECK(rules(check(h + entry("a", "    transfers: [{tia: T}]\n", "[IN]"))) ==
        std::vector<std::string>{"missing-field", "transfer-missing"});
  const auto dpf_in = check(h + entry("a",
                                      "    dpf_certified: true\n"
                                      "    transfers: [{mechanism: dpf, countries: [IN]}]\n",
                                      "[IN]"));
  CHECK(has(dpf_in, "dpf-scope"));
  CHECK(has(dpf_in, "transfer-missing"));
  CHECK(
      rules(check(
          h + entry("a", "    transfers: [{mechanism: scc, module: 3, tia: T, countries: [US]}]\n",
                    "[IN]"))) == std::vector<std::string>{"transfer-unused", "transfer-missing"});
}

TEST_CASE("incomplete entries are findings, one per missing field") {
  const auto findings = check("subprocessors:\n  bare:\n    locations: [NL]\n");
  std::vector<std::string> fields;
  for (const auto& f : findings) {
    CHECK(f.rule == "missing-field");
    CHECK(f.entry == "bare");
    CHECK(f.loc.str() == "sp.yaml:2:3");
    const auto start = f.message.find("field '") + 7;
    fields.push_back(f.message.substr(start, f.message.find('\'', start) - start));
  }
  CHECK(fields == std::vector<std::string>{"legal_name", "status", "address", "contact", "purpose",
                                           "categories", "data_subjects", "agreement",
                                           "effective"});
  const auto partial = check(std::string(kHeader) + "  p:\n    agreement: {url: https://x}\n");
  CHECK(has(partial, "missing-field"));
  const auto& f = partial;
  CHECK(std::any_of(f.begin(), f.end(), [](const Finding& x) {
    return x.message.find("'agreement.date'") != std::string::npos && x.loc.line == 4;
  }));
}

TEST_CASE("categories resolve against the data map, parents against the registry") {
  const DataMap map = load_data_map({YamlSource{"map.yaml", R"(categories:
  contact: {purposes: Communicatie, legal_basis: contract}
subject: {table: customers, number: number}
tables:
  customers:
    columns: {number: contact}
)"}});
  const std::string h = kHeader;
  CHECK(check(h + entry("a"), Date{2026, 11, 1}, &map).empty());
  const auto unknown =
      check(h + entry("a", "    categories: [contact, traffic]\n")
                    .replace(entry("a").find("    categories: [contact]\n"),
                             std::string("    categories: [contact]\n").size(), ""),
            Date{2026, 11, 1}, &map);
  REQUIRE(rules(unknown) == std::vector<std::string>{"undefined-category"});
  CHECK(unknown[0].message.find("'traffic'") != std::string::npos);

  CHECK(rules(check(h + entry("a", "    role: sub-sub-processor\n    parent: nobody\n"))) ==
        std::vector<std::string>{"unknown-parent"});
  CHECK(rules(check(h + entry("a", "    role: sub-sub-processor\n"))) ==
        std::vector<std::string>{"missing-field"});
  CHECK(rules(check(h + entry("a") + entry("b", "    parent: a\n"))) ==
        std::vector<std::string>{"parent-role"});
  CHECK(check(h + entry("a") + entry("b", "    role: sub-sub-processor\n    parent: a\n")).empty());
  CHECK(rules(check(h + entry("a", "    role: sub-sub-processor\n    parent: b\n") +
                    entry("b", "    role: sub-sub-processor\n    parent: a\n"))) ==
        std::vector<std::string>{"unknown-parent", "unknown-parent"});
}

TEST_CASE("from announcement to effect at least the notice period") {
  auto dated = [](const std::string& announced, const std::string& effective,
                  const std::string& period = "30 days") {
    std::string e = entry("a");
    e.replace(
        e.find("    status: active\n    effective: 2024-02-01\n"),
        std::string("    status: active\n    effective: 2024-02-01\n").size(),
        "    status: active\n    announced: " + announced + "\n    effective: " + effective + "\n");
    return check("notice_period: " + period + "\nsubprocessors:\n" + e);
  };
  CHECK(dated("2026-03-01", "2026-03-31").empty());
  const auto short_notice = dated("2026-03-01", "2026-03-20");
  REQUIRE(rules(short_notice) == std::vector<std::string>{"notice-period"});
  CHECK(short_notice[0].message.find("19 days after the announcement on 2026-03-01") !=
        std::string::npos);
  CHECK(short_notice[0].message.find("2026-03-31 at the earliest") != std::string::npos);
  CHECK(has(dated("2026-03-01", "2026-04-15", "2 months"), "notice-period"));
  CHECK(rules(dated("2026-03-10", "2026-03-01")) == std::vector<std::string>{"status-dates"});
}

TEST_CASE("statuses and dates agree") {
  std::string announced = entry("a");
  announced.replace(announced.find("status: active"), 14,
                    "status: announced\n    announced: 2024-01-01");
  CHECK(rules(check(std::string(kHeader) + announced)) == std::vector<std::string>{"status-dates"});
  std::string future = entry("a");
  future.replace(future.find("2024-02-01"), 10, "2027-01-01");
  const auto f = check(std::string(kHeader) + future);
  REQUIRE(rules(f) == std::vector<std::string>{"status-dates"});
  CHECK(f[0].severity == Severity::warning);
  // A removed entry needs its date, and no longer needs transfer safeguards.
  CHECK(check(std::string(kHeader) +
              "  old:\n    legal_name: Old Ltd\n    locations: [US]\n    status: removed\n"
              "    effective: 2020-01-01\n    removed: 2024-01-01\n")
            .empty());
  CHECK(rules(check(std::string(kHeader) +
                    "  old:\n    legal_name: Old Ltd\n    status: removed\n")) ==
        std::vector<std::string>{"missing-field"});
}

TEST_CASE("the check needs an EEA list and warns when the list is old") {
  CHECK(error_of([] {
          check_subprocessors(registry(std::string(kHeader) + entry("a")), TransferLists{},
                              CheckOptions{});
        }).find("no EEA country list") != std::string::npos);
  CHECK(rules(check(std::string(kHeader) + entry("a"), Date{2028, 1, 1})) ==
        std::vector<std::string>{"stale-transfer-list"});
}

TEST_CASE("every rule the check reports is in its rule table") {
  const auto& table = subprocessor_rules();
  for (const char* rule :
       {"missing-field", "transfer-missing", "adequacy-unlisted", "adequacy-scope", "adequacy-date",
        "dpf-not-certified", "dpf-scope", "scc-module", "derogation-ground", "tia-missing",
        "transfer-unused", "undefined-category", "unknown-parent", "parent-role", "notice-period",
        "status-dates", "stale-transfer-list"})
    CHECK(std::any_of(table.begin(), table.end(), [&](const RuleInfo& r) { return r.id == rule; }));
}

// --- the list --------------------------------------------------------------------------

namespace {

const std::string kListed =
    std::string(kHeader) + entry("nlhost") +
    entry("mailer",
          "    services: [Other]\n"
          "    transfers: [{mechanism: scc, module: 2, tia: T-9, measures: [encryption]}]\n",
          "[US]")
        .replace(entry("mailer").find("    services: [Voipgrow]\n"),
                 std::string("    services: [Voipgrow]\n").size(), "") +
    "  gone:\n    legal_name: Gone Ltd\n    status: removed\n    removed: 2024-01-01\n";

std::string list(ListFormat format, const std::string& service = "", bool all = false,
                 const std::string& text = kListed, Language language = Language::en) {
  const auto r = registry(text);
  const auto l = lists();
  ListOptions options;
  options.format = format;
  options.service = service;
  options.include_removed = all;
  options.as_of = Date{2026, 11, 1};
  options.transfers = &l;
  options.language = language;
  std::ostringstream out;
  write_subprocessor_list(out, r, options);
  return out.str();
}

}  // namespace

TEST_CASE("the Markdown list shows active entries, their safeguards and details") {
  const std::string md = list(ListFormat::md);
  CHECK(md.find("# Sub-processors\n") == 0);
  CHECK(md.find("List as of 1 November 2026.") != std::string::npos);
  CHECK(md.find("| nlhost B.V. | Hosting |") != std::string::npos);
  CHECK(md.find("none needed (EEA only)") != std::string::npos);
  CHECK(md.find("standard contractual clauses (module 2) | encryption |") != std::string::npos);
  CHECK(md.find("transfer impact assessment T-9") != std::string::npos);
  CHECK(md.find("Gone Ltd") == std::string::npos);
  CHECK(list(ListFormat::md, "", true).find("removed 1 January 2024") != std::string::npos);
}

TEST_CASE("--service limits the list to what one service uses") {
  const std::string md = list(ListFormat::md, "voipgrow");
  CHECK(md.find("nlhost B.V.") != std::string::npos);
  CHECK(md.find("mailer B.V.") == std::string::npos);
  CHECK(list(ListFormat::md, "Other").find("nlhost B.V.") == std::string::npos);
  CHECK(error_of([] { list(ListFormat::md, "Nope"); }).find("unknown service 'Nope'") !=
        std::string::npos);
}

TEST_CASE("a sub-sub-processor serves what its parent serves") {
  const auto r = registry(std::string(kHeader) + entry("parent") +
                          "  child:\n    role: sub-sub-processor\n    parent: parent\n");
  CHECK(effective_services(r, r.subprocessors[1]) == std::vector<std::string>{"Voipgrow"});
  CHECK(serves(r, r.subprocessors[1], "VOIPGROW"));
  CHECK_FALSE(serves(r, r.subprocessors[1], "Other"));
}

TEST_CASE("the HTML list is one self-contained, escaped document") {
  std::string text = kListed;
  text.replace(text.find("purpose: Hosting"), 16, "purpose: \"<script>alert(1)</script> & co\"");
  const std::string html = list(ListFormat::html, "", false, text);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>\n") == html.size() - 8);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") != std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<html lang=\"en\">") != std::string::npos);
  CHECK(html.find(">United States<") != std::string::npos);
  CHECK(html.find("<a href=\"https://x.example/dpa\">dated 1 January 2024, version 1.0</a>") !=
        std::string::npos);
  CHECK(html.find("<h2>Details</h2>") != std::string::npos);
  CHECK(html.find("data-label=\"Transfer safeguards\"") != std::string::npos);
}

TEST_CASE("the list in Dutch: phrases, dates, countries and mechanisms") {
  const std::string md = list(ListFormat::md, "", true, kListed, Language::nl);
  CHECK(md.find("# Subverwerkers\n") == 0);
  CHECK(md.find("Lijst per 1 november 2026.") != std::string::npos);
  CHECK(md.find("ten minste 30 dagen van tevoren aan") != std::string::npos);
  CHECK(md.find("| Subverwerker | Doel | Categorieën persoonsgegevens |") != std::string::npos);
  CHECK(md.find("niet nodig (alleen binnen de EER)") != std::string::npos);
  CHECK(md.find("modelcontractbepalingen (module 2) | encryption |") != std::string::npos);
  CHECK(md.find("doorgiftetoets T-9") != std::string::npos);
  CHECK(md.find("US (Verenigde Staten)") != std::string::npos);
  CHECK(md.find("niet meer ingeschakeld sinds 1 januari 2024") != std::string::npos);
  CHECK(md.find("Verwerkersovereenkomst: van 1 januari 2024, versie 1.0") != std::string::npos);

  const std::string html = list(ListFormat::html, "", false, kListed, Language::nl);
  CHECK(html.find("<html lang=\"nl\">") != std::string::npos);
  CHECK(html.find("<title>Subverwerkers</title>") != std::string::npos);
  CHECK(html.find(">Verenigde Staten<") != std::string::npos);
  CHECK(html.find("data-label=\"Doorgifte buiten de EER\"") != std::string::npos);
  CHECK(html.find("<h2>Per subverwerker</h2>") != std::string::npos);
  for (const char* english : {"Sub-processor", "Purpose", "Since", "Details", "Processor agreement",
                              "standard contractual", "November", "January", "none needed"})
    CHECK_MESSAGE(html.find(english) == std::string::npos, english);

  // Keys stay; the words of a mechanism follow the language.
  const auto j = nlohmann::json::parse(list(ListFormat::json, "", false, kListed, Language::nl));
  CHECK(j["language"] == "nl");
  CHECK(j["as_of"] == "2026-11-01");
  CHECK(j["subprocessors"][1]["transfers"][0]["description"] ==
        "modelcontractbepalingen (module 2)");
  const std::string csv = list(ListFormat::csv, "", false, kListed, Language::nl);
  CHECK(csv.rfind("id,legal_name,address,contact,role,", 0) == 0);
  CHECK(csv.find("modelcontractbepalingen (module 2)") != std::string::npos);
}

TEST_CASE("an empty list says so in its language") {
  const std::string text = std::string(kHeader) +
                           "  gone:\n    legal_name: Gone Ltd\n    status: removed\n    removed: "
                           "2024-01-01\n";
  CHECK(list(ListFormat::html, "", false, text).find("<p>No sub-processors.</p>") !=
        std::string::npos);
  CHECK(list(ListFormat::html, "", false, text, Language::nl).find("<p>Geen subverwerkers.</p>") !=
        std::string::npos);
  CHECK(list(ListFormat::md, "", false, text, Language::nl).find("Geen subverwerkers.") !=
        std::string::npos);
}

TEST_CASE("every phrase of the list and the notice is there in both languages") {
  const auto& en = subprocessors_text::phrases(Language::en);
  const auto& nl = subprocessors_text::phrases(Language::nl);
  // The tables are structs of phrases only: compare them phrase by phrase.
  constexpr std::size_t count = sizeof(subprocessors_text::Phrases) / sizeof(const char*);
  const auto* e = reinterpret_cast<const char* const*>(&en);
  const auto* n = reinterpret_cast<const char* const*>(&nl);
  std::size_t same = 0;
  for (std::size_t i = 0; i < count; ++i) {
    REQUIRE(e[i] != nullptr);
    REQUIRE(n[i] != nullptr);
    CHECK(std::string(e[i]).size() > 0);
    CHECK(std::string(n[i]).size() > 0);
    if (std::string(e[i]) == n[i]) ++same;
  }
  CHECK(same == 0);
  CHECK(std::string(subprocessors_text::field_name("access_locations", nl)) == "Toegang vanuit");
  CHECK(std::string(subprocessors_text::field_name("data_subjects", en)) == "Data subjects");
}

TEST_CASE("the CSV list quotes cells and defuses formulas") {
  std::string text = kListed;
  text.replace(text.find("purpose: Hosting"), 16,
               "purpose: \"=HYPERLINK(\\\"x\\\"), \\\"quoted\\\"\"");
  const std::string csv = list(ListFormat::csv, "", false, text);
  CHECK(csv.rfind("id,legal_name,address,contact,role,", 0) == 0);
  CHECK(csv.find("\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\"") != std::string::npos);
  CHECK(csv.find("\"Straat 1, Amsterdam\"") != std::string::npos);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);  // header and two entries
}

TEST_CASE("the JSON list carries every field") {
  const auto j = nlohmann::json::parse(list(ListFormat::json, "", true));
  CHECK(j["as_of"] == "2026-11-01");
  CHECK(j["notice_period"] == "30 days");
  REQUIRE(j["subprocessors"].size() == 3);
  const auto& mailer = j["subprocessors"][1];
  CHECK(mailer["id"] == "mailer");
  CHECK(mailer["locations"] == nlohmann::json::array({"US"}));
  CHECK(mailer["transfers"][0]["module"] == 2);
  CHECK(mailer["transfers"][0]["tia"] == "T-9");
  CHECK(mailer["agreement"]["date"] == "2024-01-01");
  CHECK(j["subprocessors"][2]["status"] == "removed");
  CHECK(error_of([] { parse_list_format("pdf"); }).find("md, html, csv, json") !=
        std::string::npos);
}

// --- the change notice -----------------------------------------------------------------

namespace {

ChangeNotice diff(const std::string& before, const std::string& after,
                  const std::string& service = "") {
  DiffOptions options;
  options.notice_date = Date{2026, 3, 1};
  options.service = service;
  return diff_subprocessors(registry(before, "old.yaml"), registry(after, "new.yaml"), options);
}

std::vector<std::string> kinds(const ChangeNotice& n) {
  std::vector<std::string> out;
  for (const auto& c : n.changes) out.push_back(to_string(c.kind));
  return out;
}

}  // namespace

TEST_CASE("no change, no notice items") {
  const std::string r = std::string(kHeader) + entry("a") + entry("b");
  CHECK(diff(r, r).changes.empty());
}

TEST_CASE("an added sub-processor takes its own dates; the deadline is the notice period") {
  std::string added = entry("new");
  added.replace(added.find("    status: active\n    effective: 2024-02-01\n"),
                std::string("    status: active\n    effective: 2024-02-01\n").size(),
                "    status: announced\n    announced: 2026-03-05\n    effective: 2026-04-15\n");
  const auto n = diff(std::string(kHeader) + entry("a"), std::string(kHeader) + entry("a") + added);
  REQUIRE(kinds(n) == std::vector<std::string>{"added"});
  const Change& c = n.changes[0];
  CHECK(c.id == "new");
  CHECK(c.announced == Date{2026, 3, 5});
  CHECK(c.effective == Date{2026, 4, 15});
  CHECK(c.effective_stated);
  CHECK(c.objection_deadline == Date{2026, 4, 4});
  CHECK_FALSE(c.short_notice);
}

TEST_CASE("a change without dates of its own is announced on the notice date") {
  const auto n =
      diff(std::string(kHeader) + entry("a"), std::string(kHeader) + entry("a", "", "[NL, DE]"));
  REQUIRE(kinds(n) == std::vector<std::string>{"location-changed"});
  const Change& c = n.changes[0];
  CHECK(c.announced == Date{2026, 3, 1});
  CHECK(c.effective == Date{2026, 3, 31});
  CHECK_FALSE(c.effective_stated);
  CHECK(c.objection_deadline == Date{2026, 3, 31});
  REQUIRE(c.details.size() == 1);
  CHECK(c.details[0].field == "locations");
  CHECK(c.details[0].before == "NL");
  CHECK(c.details[0].after == "NL, DE");
}

TEST_CASE("short notice is flagged") {
  std::string added = entry("new");
  added.replace(added.find("effective: 2024-02-01"), 21,
                "announced: 2026-03-01\n    effective: 2026-03-10");
  const auto n = diff(std::string(kHeader), std::string(kHeader) + added);
  REQUIRE(n.changes.size() == 1);
  CHECK(n.changes[0].short_notice);
  CHECK(n.changes[0].objection_deadline == Date{2026, 3, 31});
}

TEST_CASE("removed, renamed, purpose, data and transfer changes") {
  const std::string h = kHeader;
  std::string renamed_entity = entry("a");
  renamed_entity.replace(renamed_entity.find("a B.V."), 6, "A Holding B.V.");
  std::string moved_id = entry("b2");
  moved_id.replace(moved_id.find("b2 B.V."), 7, "b B.V.");
  std::string purpose = entry("c");
  purpose.replace(purpose.find("Hosting"), 7, "Back-ups");
  std::string data = entry("d");
  data.replace(data.find("[contact]"), 9, "[contact, traffic]");
  const std::string transfer =
      entry("e", "    transfers: [{mechanism: scc, module: 3, tia: T}]\n", "[IN]");
  const std::string transfer2 =
      entry("e", "    transfers: [{mechanism: scc, module: 2, tia: T}]\n", "[IN]");
  std::string removed = entry("f");
  removed.replace(removed.find("status: active"), 14, "status: removed\n    removed: 2026-05-01");

  const auto n = diff(
      h + entry("a") + entry("b") + entry("c") + entry("d") + transfer + entry("f") + entry("g"),
      h + renamed_entity + moved_id + purpose + data + transfer2 + removed);
  CHECK(kinds(n) == std::vector<std::string>{"renamed", "renamed", "purpose-changed",
                                             "data-changed", "transfer-changed", "removed",
                                             "removed"});
  CHECK(n.changes[0].details[0].after == "A Holding B.V.");
  CHECK(n.changes[0].objection_deadline);
  CHECK(n.changes[1].old_id == "b");
  CHECK(n.changes[1].id == "b2");
  CHECK_FALSE(n.changes[1].objection_deadline);  // the same entity: nothing to object to
  CHECK(n.changes[5].id == "f");
  CHECK(n.changes[5].effective == Date{2026, 5, 1});
  CHECK(n.changes[5].effective_stated);
  CHECK_FALSE(n.changes[5].objection_deadline);
  CHECK(n.changes[6].id == "g");
  CHECK(n.changes[6].effective == Date{2026, 3, 1});
}

TEST_CASE("--service limits the notice to one service's changes") {
  const std::string h = kHeader;
  const std::string other = entry("o", "    services: [Other]\n")
                                .replace(entry("o").find("    services: [Voipgrow]\n"),
                                         std::string("    services: [Voipgrow]\n").size(), "");
  const auto n = diff(h + entry("a"), h + entry("a") + other + entry("v"), "Voipgrow");
  CHECK(kinds(n) == std::vector<std::string>{"added"});
  CHECK(n.changes[0].id == "v");
  CHECK(n.service == "Voipgrow");
  CHECK(error_of([&] { diff(h + entry("a"), h + entry("a"), "Nope"); }).find("unknown service") !=
        std::string::npos);
}

TEST_CASE("the notice in Markdown and JSON") {
  std::string added = entry("new");
  added.replace(added.find("effective: 2024-02-01"), 21,
                "announced: 2026-03-05\n    effective: 2026-04-15");
  const auto n = diff(std::string(kHeader) + entry("a"), std::string(kHeader) + entry("a") + added);
  Organisation org;
  org.name = "Voipgrow B.V.";
  org.privacy_contact = "privacy@voipgrow.example";
  std::ostringstream md;
  NoticeOptions options;
  options.organisation = &org;
  write_change_notice(md, n, options);
  CHECK(md.str().find("# Notice of changes to our sub-processors: Voipgrow B.V.") == 0);
  CHECK(md.str().find("Notice date: 1 March 2026. Notice period: 30 days.") != std::string::npos);
  CHECK(md.str().find("| New sub-processor | new B.V. (new) | ") != std::string::npos);
  CHECK(md.str().find("| 5 March 2026 | 15 April 2026 | 4 April 2026 |") != std::string::npos);
  CHECK(md.str().find("privacy@voipgrow.example") != std::string::npos);
  std::ostringstream js;
  options.format = NoticeFormat::json;
  write_change_notice(js, n, options);
  const auto j = nlohmann::json::parse(js.str());
  CHECK(j["notice_date"] == "2026-03-01");
  CHECK(j["changes"][0]["kind"] == "added");
  CHECK(j["changes"][0]["effective"] == "2026-04-15");
  CHECK(j["changes"][0]["objection_deadline"] == "2026-04-04");
  std::ostringstream empty;
  write_change_notice(empty, diff(kHeader, kHeader), NoticeOptions{});
  CHECK(empty.str().find("No changes.") != std::string::npos);
}

TEST_CASE("the notice in Dutch, as Markdown and as an HTML page") {
  std::string added = entry("new", "    transfers: [{mechanism: scc, module: 2}]\n", "[US]");
  added.replace(added.find("effective: 2024-02-01"), 21,
                "announced: 2026-03-05\n    effective: 2026-03-20");
  DiffOptions diff_options;
  diff_options.notice_date = Date{2026, 3, 1};
  diff_options.language = Language::nl;
  const auto n = diff_subprocessors(
      registry(std::string(kHeader) + entry("a"), "old.yaml"),
      registry(std::string(kHeader) + entry("a", "", "[NL, DE]") + added, "new.yaml"),
      diff_options);
  Organisation org;
  org.name = "Voipgrow <B.V.>";
  org.privacy_contact = "privacy@voipgrow.example";
  NoticeOptions options;
  options.language = Language::nl;
  options.organisation = &org;
  std::ostringstream md;
  write_change_notice(md, n, options);
  CHECK(md.str().find("# Kennisgeving van voorgenomen wijzigingen in onze subverwerkers") == 0);
  CHECK(md.str().find("Datum van kennisgeving: 1 maart 2026. Aankondigingstermijn: 30 dagen.") !=
        std::string::npos);
  CHECK(md.str().find("| Locaties gewijzigd | a B.V. (a) | Verwerkingslocaties: Nederland → "
                      "Nederland, Duitsland | "
                      "1 maart 2026 | niet vóór 31 maart 2026 | 31 maart 2026 |") !=
        std::string::npos);
  CHECK(md.str().find("Doorgifte: modelcontractbepalingen (module 2)") != std::string::npos);
  CHECK(md.str().find("20 maart 2026 (korte termijn)") != std::string::npos);

  options.format = NoticeFormat::html;
  std::ostringstream html;
  write_change_notice(html, n, options);
  const std::string page = html.str();
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<html lang=\"nl\">") != std::string::npos);
  CHECK(page.find("Voipgrow &lt;B.V.&gt;") != std::string::npos);
  CHECK(page.find("<B.V.>") == std::string::npos);
  CHECK(page.find("data-label=\"Bezwaar uiterlijk\">31 maart 2026</td>") != std::string::npos);
  CHECK(page.find("<span class=\"tag\">korte termijn</span>") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  for (const char* english : {"Notice", "Change", "Takes effect", "Object by", "March",
                              "not before", "standard contractual"})
    CHECK_MESSAGE(page.find(english) == std::string::npos, english);
  CHECK(error_of([] { parse_notice_format("pdf"); }).find("md, html, json") != std::string::npos);
}

// --- git -------------------------------------------------------------------------------

TEST_CASE("a registry is read as it was at a git revision") {
  test::TempDir dir;
  const auto file = dir.write("policies/sp.yaml", std::string(kHeader) + entry("a"));
  const std::string git = "git -C '" + dir.path().string() + "' -c user.name=t -c user.email=t@t ";
  REQUIRE(
      std::system((git + "init -q && " + git + "add policies/sp.yaml && " + git + "commit -q -m v1")
                      .c_str()) == 0);
  dir.write("policies/sp.yaml", std::string(kHeader) + entry("a") + entry("b"));

  const YamlSource old = read_yaml_at_revision(file, "HEAD");
  CHECK(old.name == "HEAD:" + file.string());
  CHECK(registry(old.text).subprocessors.size() == 1);
  CHECK(error_of([&] { read_yaml_at_revision(file, "HEAD~5"); }).find("cannot read 'HEAD~5:") == 0);
  CHECK(error_of([&] {
          read_yaml_at_revision(file, "--output=/tmp/x");
        }).find("invalid git revision") == 0);
  CHECK(error_of([&] { read_yaml_at_revision(file, "HEAD:other"); }).find("invalid git revision") ==
        0);
  CHECK(error_of([&] {
          read_yaml_at_revision(file, "HEAD; rm -rf x");
        }).find("invalid git revision") == 0);
  CHECK(error_of([&] {
          read_yaml_at_revision(dir / "policies/none.yaml", "HEAD");
        }).find("cannot read 'HEAD:") == 0);
}
