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
  CHECK(test::error_of([] { ensure_consistent(policy()); }).find("run 'telcomply lint'") !=
        std::string::npos);
}

TEST_CASE("a consistent policy lints clean") {
  Policy p;
  p.has_data_map = true;
  p.data_map = load_data_map({YamlSource{"map.yaml", R"(categories:
  contact: {purposes: x, legal_basis: y}
subject: {table: customers, number: number}
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
)"}});
  CHECK(check_policy(p).empty());
  ensure_consistent(p);
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
