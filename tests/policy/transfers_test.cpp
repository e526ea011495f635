#include "policy/transfers.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "export/info.h"
#include "policy/load.h"
#include "subprocessors/subprocessors.h"
#include "test_util.h"

using namespace telcomply;

namespace {

TransferLists lists() {
  return load_transfers({YamlSource{"transfers.yaml", test::kTransferLists}});
}

Subprocessor recipient(std::vector<std::string> locations,
                       std::vector<std::string> access_locations = {}) {
  Subprocessor s;
  s.id = "host";
  s.legal_name = "Host B.V.";
  s.categories = {"contact"};
  s.locations = std::move(locations);
  s.access_locations = std::move(access_locations);
  return s;
}

TransferMechanism mechanism(const std::string& kind, std::vector<std::string> countries = {}) {
  TransferMechanism m;
  m.kind = kind;
  m.countries = std::move(countries);
  return m;
}

}  // namespace

TEST_CASE("third countries: outside the EEA list, each once, processing first") {
  const TransferLists l = lists();
  CHECK_FALSE(is_third_country(l, "NL"));
  CHECK_FALSE(is_third_country(l, "NO"));
  CHECK(is_third_country(l, "CH"));
  CHECK(is_third_country(l, "US"));

  const auto places = third_countries(l, recipient({"NL", "US", "IN"}, {"IN", "DE", "PH", "US"}));
  REQUIRE(places.size() == 3);
  CHECK(places[0].country == "US");
  CHECK(places[0].field == "locations");
  CHECK(places[0].index == 1);
  CHECK(places[1].country == "IN");
  CHECK(places[1].field == "locations");
  CHECK(places[2].country == "PH");
  CHECK(places[2].field == "access_locations");
  CHECK(places[2].index == 2);

  CHECK(eea_only(l, recipient({"NL", "DE"}, {"IE"})));
  CHECK_FALSE(eea_only(l, recipient({"NL"}, {"US"})));
  CHECK_FALSE(eea_only(l, recipient({})));                    // processes nowhere stated
  CHECK_FALSE(eea_only(TransferLists{}, recipient({"NL"})));  // no EEA list to tell
}

TEST_CASE("a mechanism covers the countries it names, the DPF only the US") {
  CHECK(mechanism_covers(mechanism("scc"), "IN"));
  CHECK(mechanism_covers(mechanism("scc", {"IN", "PH"}), "PH"));
  CHECK_FALSE(mechanism_covers(mechanism("scc", {"IN"}), "PH"));
  CHECK_FALSE(mechanism_covers(mechanism(""), "IN"));  // no mechanism stated
  CHECK(mechanism_covers(mechanism("dpf"), "US"));
  CHECK_FALSE(mechanism_covers(mechanism("dpf"), "CA"));
  CHECK_FALSE(mechanism_covers(mechanism("dpf", {"CA"}), "CA"));
}

TEST_CASE("an adequacy decision is in force from its adoption until it expires") {
  const TransferLists l = lists();
  const Subprocessor s = recipient({"GB"});
  CHECK(adequacy_in_force(l, s, "GB", Date{2025, 12, 26}) == &l.adequacy.at("GB"));
  CHECK(adequacy_in_force(l, s, "GB", Date{2025, 12, 27}) == nullptr);  // the day it expires
  AdequacyAssessment a = assess_adequacy(l, s, "GB", Date{2026, 3, 1});
  CHECK(a.decision == &l.adequacy.at("GB"));
  CHECK(a.expired);
  CHECK(a.adopted);
  CHECK(a.in_scope);
  CHECK_FALSE(a.in_force());

  CHECK(adequacy_in_force(l, s, "BR", Date{2026, 1, 26}) == &l.adequacy.at("BR"));
  a = assess_adequacy(l, s, "BR", Date{2026, 1, 25});
  CHECK_FALSE(a.adopted);
  CHECK_FALSE(a.expired);
  CHECK_FALSE(a.in_force());

  a = assess_adequacy(l, s, "IN", Date{2026, 3, 1});
  CHECK(a.decision == nullptr);
  CHECK_FALSE(a.in_force());
  CHECK(adequacy_in_force(l, s, "IN", Date{2026, 3, 1}) == nullptr);
}

TEST_CASE("an adequacy decision covers only the recipients its scope names") {
  const TransferLists l = lists();
  const Date on{2026, 3, 1};
  Subprocessor s = recipient({"CH", "CA", "JP", "US"});
  CHECK(adequacy_in_force(l, s, "CH", on));  // all
  for (const char* country : {"CA", "JP", "US"})
    CHECK_MESSAGE(!adequacy_in_force(l, s, country, on), country);  // sector, DPF not stated
  s.sector = "commercial";
  CHECK(adequacy_in_force(l, s, "CA", on));
  CHECK(adequacy_in_force(l, s, "JP", on));
  s.sector = "non-profit";
  CHECK_FALSE(adequacy_in_force(l, s, "CA", on));
  CHECK(adequacy_in_force(l, s, "JP", on));
  s.sector = "public";
  CHECK_FALSE(assess_adequacy(l, s, "JP", on).in_scope);
  CHECK_FALSE(adequacy_in_force(l, s, "US", on));
  s.dpf_certified = true;
  CHECK(adequacy_in_force(l, s, "US", on));
}

TEST_CASE("an adequacy or DPF claim is a basis only with a decision in force") {
  CHECK(claims_adequacy(mechanism("adequacy")));
  CHECK(claims_adequacy(mechanism("dpf")));
  for (const char* kind : {"scc", "bcr", "derogation", ""})
    CHECK_FALSE(claims_adequacy(mechanism(kind)));
  const TransferLists l = lists();
  Subprocessor s = recipient({"GB", "US", "IN"});
  const Date on{2026, 3, 1};
  CHECK_FALSE(mechanism_in_force(l, s, mechanism("adequacy"), "GB", on));  // expired
  CHECK(mechanism_in_force(l, s, mechanism("adequacy"), "GB", Date{2025, 6, 1}));
  CHECK_FALSE(mechanism_in_force(l, s, mechanism("dpf"), "US", on));  // not certified
  s.dpf_certified = true;
  CHECK(mechanism_in_force(l, s, mechanism("dpf"), "US", on));
  CHECK_FALSE(mechanism_in_force(l, s, mechanism("adequacy"), "IN", on));  // no decision
  CHECK(mechanism_in_force(l, s, mechanism("scc"), "IN", on));
  CHECK_FALSE(mechanism_in_force(l, s, mechanism("scc", {"US"}), "IN", on));
}

TEST_CASE("a mechanism in words") {
  TransferMechanism m = mechanism("scc", {"US", "IN"});
  m.scc_module = "3";
  CHECK(mechanism_name(m) == "standard contractual clauses (module 3)");
  CHECK(describe_mechanism(m) == "standard contractual clauses (module 3) for US, IN");
  CHECK(describe_mechanism(mechanism("scc")) == "standard contractual clauses");
  CHECK(describe_mechanism(mechanism("adequacy")) == "adequacy decision");
  CHECK(describe_mechanism(mechanism("dpf")) == "EU-US Data Privacy Framework");
  CHECK(describe_mechanism(mechanism("bcr", {"IN"})) == "binding corporate rules for IN");
  m = mechanism("derogation");
  CHECK(describe_mechanism(m) == "derogation (GDPR art. 49(1))");
  m.derogation = "explicit consent";
  CHECK(describe_mechanism(m) == "derogation (GDPR art. 49(1)): explicit consent");
  CHECK(describe_mechanism(mechanism("")) == "unstated mechanism");
}

TEST_CASE("a mechanism in Dutch, in the Autoriteit Persoonsgegevens' terms") {
  TransferMechanism m = mechanism("scc", {"US", "IN"});
  m.scc_module = "2";
  CHECK(describe_mechanism(m, Language::nl) == "modelcontractbepalingen (module 2) voor US, IN");
  CHECK(mechanism_name(mechanism("adequacy"), Language::nl) == "adequaatheidsbesluit");
  CHECK(mechanism_name(mechanism("dpf"), Language::nl) == "EU-VS Data Privacy Framework");
  CHECK(mechanism_name(mechanism("bcr"), Language::nl) == "bindende bedrijfsvoorschriften");
  m = mechanism("derogation");
  m.derogation = "uitdrukkelijke toestemming";
  CHECK(mechanism_name(m, Language::nl) ==
        "uitzondering (AVG art. 49 lid 1): uitdrukkelijke toestemming");
  CHECK(mechanism_name(mechanism(""), Language::nl) == "geen doorgiftemechanisme vermeld");
}

TEST_CASE("the export's information and the sub-processor check give the same answer") {
  Policy policy;
  policy.config.organisation.name = "Voipgrow B.V.";
  policy.data_map = load_data_map({YamlSource{"map.yaml", test::kSmallDataMap}});
  policy.has_data_map = true;
  policy.transfers = lists();
  policy.has_transfers = true;
  policy.has_subprocessors = true;

  struct Case {
    const char* country;
    const char* sector;
    Date on;
    bool in_force;
  };
  const Case cases[] = {
      {"GB", "", Date{2025, 6, 1}, true},
      {"GB", "", Date{2025, 12, 27}, false},  // expired that day
      {"GB", "", Date{2026, 3, 1}, false},
      {"BR", "", Date{2025, 6, 1}, false},  // not yet adopted
      {"BR", "", Date{2026, 3, 1}, true},
      {"CA", "public", Date{2026, 3, 1}, false},  // outside its scope
      {"CA", "commercial", Date{2026, 3, 1}, true},
      {"IN", "", Date{2026, 3, 1}, false},  // no decision at all
  };
  for (const Case& c : cases) {
    CAPTURE(c.country);
    CAPTURE(c.on.iso());
    Subprocessor s = recipient({c.country});
    s.sector = c.sector;
    s.status = "active";
    s.transfers = {mechanism("adequacy")};
    policy.subprocessors.subprocessors = {s};

    std::vector<std::string> warnings;
    const nlohmann::ordered_json info = export_information(policy, c.on, warnings);
    REQUIRE(info["recipients"].size() == 1);
    const auto& third = info["recipients"][0]["third_countries"];
    REQUIRE(third.size() == 1);
    const bool cited = !third[0]["adequacy"].is_null();
    CHECK(cited == c.in_force);
    // The claimed adequacy is a safeguard only while a decision is in force.
    CHECK(third[0]["safeguards"].size() == (c.in_force ? 1u : 0u));
    if (c.in_force) {
      CHECK(third[0]["adequacy"]["decision"] == policy.transfers.adequacy.at(c.country).decision);
      CHECK(third[0]["safeguards"][0]["mechanism"] == "adequacy");
    }
    const bool warned = std::any_of(warnings.begin(), warnings.end(), [&](const std::string& w) {
      return w.find("no adequacy decision in force and no safeguard for " +
                    std::string(c.country)) != std::string::npos;
    });
    CHECK(warned == !c.in_force);

    CheckOptions options;
    options.as_of = c.on;
    const std::vector<Finding> findings =
        check_subprocessors(policy.subprocessors, policy.transfers, options);
    const bool flagged = std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
      return f.rule.starts_with("adequacy-");
    });
    CHECK(flagged == !c.in_force);
  }
}
