#include "lint/lint.h"

#include <algorithm>

#include "policy/load.h"
#include "test_util.h"

using namespace telcomply;

namespace {

const char* kMap = R"(categories:
  contact: {purposes: x, legal_basis: y}
  unused: {purposes: x, legal_basis: y}
subject: {table: customers, number: number, closed: closed_on}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      closed_on: none
      email: contactt
  calls:
    link: {column: customer_id, parent: customer}
    columns:
      callee: contact
)";

const char* kRetention = R"(rules:
  - {name: calls, table: calls, keep: 6 months, from: started_at, action: delete}
  - name: contact
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns: {email: pseudonym, id: null}
holds:
  - {name: flag, table: customers, column: legal_hold}
)";

bool has(const std::vector<Finding>& findings, const std::string& rule, const std::string& entry) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule == rule && f.entry == entry; });
}

Policy policy() {
  Policy p;
  p.data_map = load_data_map({YamlSource{"map.yaml", kMap}});
  p.retention = load_retention({YamlSource{"ret.yaml", kRetention}});
  p.has_data_map = p.has_retention = true;
  return p;
}

Policy consistent_data_map() {
  Policy p;
  p.has_data_map = true;
  p.data_map = load_data_map({YamlSource{"map.yaml", test::kSmallDataMap}});
  return p;
}

}  // namespace

TEST_CASE("lint finds broken cross-references with their positions") {
  const auto findings = check_policy(policy());
  CHECK(has(findings, "undefined-category", "customers.email"));
  CHECK(has(findings, "unknown-table", "calls"));  // links to 'customer'
  CHECK(has(findings, "unused-category", "unused"));
  CHECK(has(findings, "unknown-column", "calls"));              // started_at not in the data map
  CHECK(has(findings, "masked-key", "customers.id") == false);  // id is not classified
  CHECK(has(findings, "unknown-column", "customers.id"));
  CHECK(has(findings, "missing-key", "pseudonym_key"));
  CHECK(has(findings, "unknown-column", "flag"));  // legal_hold not classified
  for (const auto& f : findings)
    if (f.rule == "undefined-category") {
      CHECK(f.loc.str() == "map.yaml:10:7");
      CHECK(f.message.find("did you mean 'contact'") != std::string::npos);
    }
  CHECK(test::error_of([] {
          ensure_consistent(policy(), PolicyKinds::all());
        }).find("run 'telcomply lint'") != std::string::npos);
}

TEST_CASE("a consistent policy lints clean") {
  Policy p = consistent_data_map();
  CHECK(check_policy(p).empty());
  ensure_consistent(p, PolicyKinds::all());
}

TEST_CASE("policy kinds are told from their sections") {
  auto kind = [](const char* text) { return detect_policy_kind(YamlSource{"k.yaml", text}); };
  CHECK(kind("organisation: {}\n") == PolicyKind::config);
  CHECK(kind("tables: {}\n") == PolicyKind::data_map);
  CHECK(kind("periods: {}\n") == PolicyKind::retention);
  CHECK(kind("cookies: []\n") == PolicyKind::cookies);
  CHECK(kind("categories:\n  tracking: {consent: required}\n") == PolicyKind::cookies);
  CHECK(kind("categories:\n  contact: {purposes: x}\n") == PolicyKind::data_map);
  CHECK(kind("subprocessors: {}\n") == PolicyKind::subprocessors);
  CHECK(kind("eea: {}\n") == PolicyKind::transfers);
  CHECK(test::error_of([&] { kind("hello: world\n"); }).find("cannot tell") != std::string::npos);
}

TEST_CASE("ensure_consistent checks only the kinds a command loaded") {
  Policy p = consistent_data_map();
  p.has_retention = true;
  p.retention = load_retention({YamlSource{"ret.yaml", R"(rules:
  - {name: gone, table: customers, keep: 1 year, from: number, action: delete}
)"}});
  p.has_cookies = true;
  p.cookies = load_cookie_policy({YamlSource{"cookies.yaml", R"(site: [a.example]
categories:
  functional: {consent: not-required}
cookies:
  - {name: sid, provider: a.example, type: http, expiry: Session, category: functional}
  - {name: sid, provider: a.example, type: local-storage, expiry: 1 day, category: functional}
)"}});
  p.has_subprocessors = true;
  p.subprocessors = load_subprocessors({YamlSource{"sp.yaml", R"(subprocessors:
  host: {legal_name: Host B.V., categories: [contact, traffic]}
)"}});

  // A duplicated cookie stops what reads the cookie policy, and nothing else.
  ensure_consistent(p, PolicyKind::data_map | PolicyKind::retention);
  const std::string cookie = test::error_of([&] { ensure_consistent(p, PolicyKind::cookies); });
  CHECK(cookie.find("cookies.yaml:6:5: cookie 'sid' of a.example is declared twice") == 0);
  CHECK(test::error_of([&] { ensure_consistent(p, PolicyKinds::all()); }).find("declared twice") !=
        std::string::npos);

  // A sub-processor's categories are checked only when the data map is checked too.
  ensure_consistent(p, PolicyKind::subprocessors);
  CHECK(test::error_of([&] {
          ensure_consistent(p, PolicyKind::subprocessors | PolicyKind::data_map);
        }).find("undefined category 'traffic'") != std::string::npos);
  CHECK(has(check_policy(p), "undefined-category", "host"));
  CHECK_FALSE(has(check_policy(p, PolicyKind::subprocessors), "undefined-category", "host"));

  // A kind asked for but not loaded is skipped, and so are the checks that need it.
  p.has_data_map = false;
  p.retention.rules[0].table = "nowhere";
  ensure_consistent(p, PolicyKind::data_map | PolicyKind::retention);
  p.has_data_map = true;
  CHECK(test::error_of([&] {
          ensure_consistent(p, PolicyKind::data_map | PolicyKind::retention);
        }).find("names table 'nowhere'") != std::string::npos);
  ensure_consistent(p, PolicyKind::retention);
}

TEST_CASE("lint warns about rules that overlap, once per rule, against the first") {
  Policy p = policy();
  p.retention = load_retention({YamlSource{"ret.yaml", R"(rules:
  - {name: a, table: calls, keep: 6 months, from: started_at, action: delete}
  - {name: b, table: calls, keep: 7 years, from: started_at, action: delete}
  - {name: c, table: calls, keep: 1 year, from: ended_at, action: delete}
  - {name: d, table: customers, keep: 1 year, from: closed_on, action: delete}
  - name: e
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns: {email: pseudonym, number: null}
  - name: f
    table: customers
    keep: 2 years
    from: account_closed
    action: anonymise
    columns: {phone: null, email: null, number: null}
)"}});
  std::vector<std::string> found;
  for (const Finding& f : check_policy(p)) {
    if (f.rule != "overlapping-rules") continue;
    CHECK(f.severity == Severity::warning);
    found.push_back(f.loc.str() + " " + f.message);
  }
  REQUIRE(found.size() == 3);
  CHECK(found[0] ==
        "ret.yaml:3:5 rule 'b' deletes rows of 'calls' as rule 'a' at ret.yaml:2:5 does: a row "
        "goes only once every such rule has run out, so the rule that runs out last decides");
  CHECK(found[1].rfind("ret.yaml:4:5 rule 'c' deletes rows of 'calls' as rule 'a'", 0) == 0);
  CHECK(found[2] ==
        "ret.yaml:12:5 rule 'f' anonymises 'customers.email' as rule 'e' at ret.yaml:6:5 does: "
        "one column takes one mask");
}
