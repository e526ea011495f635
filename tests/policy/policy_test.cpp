#include "policy/load.h"

#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

namespace {

const char* kDataMap = R"(categories:
  contact:
    name: Contact details
    purposes: [Uitvoering overeenkomst, Communicatie]
    legal_basis: contract
    portable: true
  content:
    purposes: Telefonie
    legal_basis: contract
    role: sub-processor
    controller: the customer of the partner
subject:
  table: customers
  number: number
  closed: closed_on
tables:
  customers:
    columns:
      number: {category: contact, identifies: customer_number}
      email: {category: contact, identifies: email}
      closed_on: none
  subscriptions:
    link: {column: customer_id, parent: customers}
    columns:
      phone: {category: contact, identifies: phone}
  calls:
    key: call_id
    link: {column: subscription_id, parent: subscriptions}
    columns:
      callee: {category: content, other_party: true}
ignore: [products]
automated_decisions:
  - name: Credit check
    logic: score from an agency
    significance: new customers may be refused
    categories: [contact]
)";

DataMap data_map(const std::string& text) { return load_data_map({YamlSource{"map.yaml", text}}); }

}  // namespace

TEST_CASE("the data map loads categories, tables, links and identifiers") {
  const DataMap map = data_map(kDataMap);
  REQUIRE(map.categories.size() == 2);
  CHECK(map.categories.at("contact").purposes.size() == 2);
  CHECK(map.categories.at("contact").portable);
  CHECK(map.categories.at("content").role == Role::sub_processor);
  CHECK(map.categories.at("content").purposes == std::vector<std::string>{"Telefonie"});
  REQUIRE(map.tables.size() == 3);
  CHECK(map.tables[0].key == "id");
  const Table* calls = map.find_table("calls");
  REQUIRE(calls);
  CHECK(calls->key == "call_id");
  CHECK(calls->find_column("callee")->other_party);
  CHECK(map.find_table("subscriptions")->find_column("phone")->identifies == IdentifierKind::phone);
  CHECK(map.subject.closed_column == "closed_on");
  CHECK(map.ignored == std::vector<std::string>{"products"});
  REQUIRE(map.automated_decisions.size() == 1);
  const auto path = map.path_to_subject(*calls);
  REQUIRE(path.size() == 3);
  CHECK(path[1]->name == "subscriptions");
  CHECK(path[2]->name == "customers");
  CHECK(calls->loc.str() == "map.yaml:26:3");
}

TEST_CASE("data map errors point at the offending key") {
  CHECK(error_of([] { data_map("categories:\n  c:\n    purposes: x\n    legal_basis: y\n    rol: controller\n"); }) ==
        "map.yaml:5:5: unknown key 'rol' in category 'c'; did you mean 'role'?");
  CHECK(error_of([] { data_map("categories:\n  c: {purposes: x, legal_basis: y, role: processor}\n"); })
            .find("name its controller") != std::string::npos);
  CHECK(error_of([] { data_map("tables:\n  t:\n    columns:\n      a: {category: x, identifies: iban}\n"); })
            .find("map.yaml:4:36: 'identifies' must be one of customer_number, email, phone, kvk") == 0);
  CHECK(error_of([] { data_map("categories: {}\n"); }) == "map.yaml:1:1: the data map needs a 'subject' section");
}

TEST_CASE("several data map files merge; a table defined twice names both places") {
  const DataMap map = load_data_map({YamlSource{"a.yaml", "subject: {table: c, number: n}\n"},
                                     YamlSource{"b.yaml", "tables:\n  c:\n    columns: {n: none}\n"}});
  CHECK(map.tables.size() == 1);
  CHECK(map.files.size() == 2);
  CHECK(error_of([] {
          load_data_map({YamlSource{"a.yaml", "subject: {table: c, number: n}\ntables:\n  c: {columns: {n: none}}\n"},
                         YamlSource{"b.yaml", "tables:\n  c:\n    columns: {n: none}\n"}});
        }) == "b.yaml:2:3: table 'c' is already defined at a.yaml:3:3");
}

TEST_CASE("links that loop are caught, not followed forever") {
  const DataMap map = data_map(
      "subject: {table: c, number: n}\ntables:\n  c: {columns: {n: none}}\n"
      "  a: {link: {column: b_id, parent: b}, columns: {x: none}}\n"
      "  b: {link: {column: a_id, parent: a}, columns: {x: none}}\n");
  CHECK(error_of([&] { map.path_to_subject(*map.find_table("a")); }).find("cycle") != std::string::npos);
}

TEST_CASE("retention: periods across files, rules, masks, holds and the key source") {
  const RetentionPolicy r = load_retention(
      {YamlSource{"shipped.yaml", "periods:\n  fiscal: {length: 7 jaar, basis: AWR art. 52}\n"},
       YamlSource{"own.yaml", R"(rules:
  - name: invoices
    table: invoices
    keep: fiscal
    from: issued_on
    action: delete
  - name: contact
    table: customers
    keep: 1 year
    from: account_closed
    action: anonymise
    columns:
      email: pseudonym
      name: {strategy: fixed, value: removed}
      phone: {strategy: partial, keep: 4}
      born: {strategy: generalise, to: year}
      iban: null
holds:
  - {name: flag, table: customers, column: legal_hold}
  - {name: disputes, table: disputes, until: resolved_on}
pseudonym_key: {env: TELCOMPLY_PSEUDONYM_KEY}
mass_delete_limit: 25%
)"}});
  REQUIRE(r.rules.size() == 2);
  CHECK(r.rules[0].period == "fiscal");
  CHECK(r.rules[0].keep == Duration{Duration::Unit::years, 7});
  CHECK(r.rules[0].from.column == "issued_on");
  CHECK(r.rules[1].from.kind == RetentionStart::Kind::account_closed);
  REQUIRE(r.rules[1].masks.size() == 5);
  CHECK(r.rules[1].masks[0].strategy == MaskStrategy::pseudonym);
  CHECK(r.rules[1].masks[1].value == "removed");
  CHECK(r.rules[1].masks[2].keep == 4);
  CHECK(r.rules[1].masks[3].strategy == MaskStrategy::generalise_year);
  CHECK(r.rules[1].masks[4].strategy == MaskStrategy::null);
  CHECK(r.holds.size() == 2);
  CHECK(r.pseudonym_key.env == "TELCOMPLY_PSEUDONYM_KEY");
  CHECK(r.max_share == doctest::Approx(0.25));
}

TEST_CASE("retention errors") {
  auto load = [](const std::string& text) { return load_retention({YamlSource{"r.yaml", text}}); };
  CHECK(error_of([&] { load("rules:\n  - {name: a, table: t, keep: fiscl, from: d, action: delete}\n"); }) ==
        "r.yaml:2:31: 'fiscl' is neither a duration nor a defined period");
  CHECK(error_of([&] { load("rules:\n  - {name: a, table: t, keep: 1 year, from: d, action: anonymise}\n"); })
            .find("name the columns") != std::string::npos);
  CHECK(error_of([&] { load("rules:\n  - {name: a, table: t, keep: 1 year, from: d, action: anonymise, columns: {x: sha}}\n"); })
            .find("unknown strategy 'sha'") != std::string::npos);
  CHECK(error_of([&] { load("pseudonym_key: {env: A, file: b}\n"); }).find("exactly one") != std::string::npos);
  CHECK(error_of([&] { load("mass_delete_limit: 150%\n"); }).find("share of a table") != std::string::npos);
  CHECK(error_of([&] { load("periods:\n  p: {length: Session, basis: x}\n"); }).find("cannot be a session") !=
        std::string::npos);
}

TEST_CASE("configuration: paths resolve against its folder; lists and defaults") {
  test::TempDir dir;
  const auto file = dir.write("conf/telcomply.yaml", R"(organisation:
  name: Voipgrow B.V.
  privacy_contact: administratie@voipgrow.nl
database: data/op.db
audit_log: /var/log/telcomply.jsonl
policies:
  data_map: map.yaml
  retention: [../shared/retention.yaml, retention.yaml]
)");
  const Config config = load_config_file(file);
  CHECK(config.organisation.authority.name == "Autoriteit Persoonsgegevens");
  CHECK(config.database == dir / "conf/data/op.db");
  CHECK(config.audit_log == "/var/log/telcomply.jsonl");
  REQUIRE(config.retention.size() == 2);
  CHECK(config.retention[0] == dir / "shared/retention.yaml");
  CHECK(config.data_map[0] == dir / "conf/map.yaml");
  CHECK(config.phone_region == "NL");
  CHECK(load_config(YamlSource{"c.yaml",
                               "organisation: {name: x, privacy_contact: y}\n"
                               "phone_region: BE\n"})
            .phone_region == "BE");
}

TEST_CASE("configuration errors") {
  CHECK(error_of([] { load_config(YamlSource{"c.yaml", "organisation: {name: x, privacy_contact: y}\npolicy: {}\n"}); }) ==
        "c.yaml:2:1: unknown key 'policy' in the configuration; did you mean 'policies'?");
  CHECK(error_of([] { load_config(YamlSource{"c.yaml", "database: x\n"}); }) ==
        "c.yaml:1:1: missing required key 'organisation'");
  CHECK(error_of([] {
          load_config(YamlSource{
              "c.yaml", "organisation: {name: x, privacy_contact: y}\nphone_region: nl\n"});
        }) ==
        "c.yaml:2:15: unknown phone_region 'nl' (expected an ISO 3166-1 country code such "
        "as NL, BE or DE, in capitals)");
  CHECK(error_of([] { load_config_file("/nonexistent/telcomply.yaml"); }) ==
        "cannot open '/nonexistent/telcomply.yaml': no such file");
  CHECK(error_of([] { load_config_file("/tmp"); }).find("is a directory") != std::string::npos);
}

TEST_CASE("policy kinds: a set of the kinds of policy file") {
  const PolicyKinds scrub = PolicyKind::data_map | PolicyKind::retention;
  CHECK(scrub.contains(PolicyKind::data_map));
  CHECK(scrub.contains(PolicyKind::retention));
  CHECK_FALSE(scrub.contains(PolicyKind::cookies));
  CHECK_FALSE(PolicyKinds().contains(PolicyKind::data_map));
  CHECK(PolicyKinds::all().contains(scrub));
  CHECK_FALSE(scrub.contains(PolicyKinds::all()));
  CHECK((scrub | PolicyKind::retention) == scrub);
  for (PolicyKind kind : {PolicyKind::data_map, PolicyKind::retention, PolicyKind::cookies,
                          PolicyKind::subprocessors, PolicyKind::transfers})
    CHECK(PolicyKinds::all().contains(kind));
  CHECK_FALSE(PolicyKinds::all().contains(PolicyKind::config));  // always read, never a member
}

TEST_CASE("load_policy reads only the kinds asked for") {
  test::TempDir dir;
  dir.write("map.yaml", kDataMap);
  dir.write("retention.yaml",
            "rules:\n  - {name: calls, table: calls, keep: 6 months, from: started_at, "
            "action: delete}\n");
  // Malformed: loading it would be an error naming cookies.yaml:1:1.
  dir.write("cookies.yaml", "site: [a.example]\nunknown_key: 1\n");
  const auto file = dir.write("telcomply.yaml", R"(organisation: {name: x, privacy_contact: y}
policies:
  data_map: map.yaml
  retention: retention.yaml
  cookies: cookies.yaml
  subprocessors: missing.yaml
)");
  const Config config = load_config_file(file);

  const Policy scrub = load_policy(config, PolicyKind::data_map | PolicyKind::retention);
  CHECK(scrub.has_data_map);
  CHECK(scrub.data_map.find_table("calls"));
  CHECK(scrub.has_retention);
  CHECK(scrub.retention.rules.size() == 1);
  CHECK_FALSE(scrub.has_cookies);
  CHECK_FALSE(scrub.has_subprocessors);  // named but not asked for: the missing file is not read
  CHECK_FALSE(scrub.has_transfers);
  CHECK(scrub.has(PolicyKind::data_map));
  CHECK_FALSE(scrub.has(PolicyKind::cookies));
  CHECK(scrub.has(PolicyKind::config));
  CHECK(scrub.config.organisation.name == "x");

  const Policy none = load_policy(config, PolicyKinds());
  CHECK_FALSE(none.has_data_map);
  CHECK_FALSE(none.has_retention);

  CHECK(error_of([&] { load_policy(config, PolicyKind::cookies); }).find("cookies.yaml:2:1") !=
        std::string::npos);
  CHECK(error_of([&] { load_policy(config, PolicyKinds::all()); }).find("cookies.yaml") !=
        std::string::npos);
  CHECK(error_of([&] { load_policy(config, PolicyKind::subprocessors); }).find("missing.yaml") !=
        std::string::npos);
}

TEST_CASE("find_config: --config, then TELCOMPLY_CONFIG, then ./telcomply.yaml, then /etc") {
  test::TempDir dir;
  const auto system_file = dir.write("etc-telcomply.yaml", "organisation: {}\n");
  std::filesystem::create_directory(dir / "work");
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir / "work");
  unsetenv("TELCOMPLY_CONFIG");
  CHECK(find_config("", dir / "no-such-file.yaml") == std::nullopt);
  CHECK(find_config("", system_file) == system_file);
  dir.write("work/telcomply.yaml", "organisation: {}\n");
  CHECK(find_config("", system_file) == "telcomply.yaml");
  setenv("TELCOMPLY_CONFIG", "/srv/telcomply.yaml", 1);
  CHECK(find_config("", system_file) == "/srv/telcomply.yaml");
  CHECK(find_config("given.yaml", system_file) == "given.yaml");
  unsetenv("TELCOMPLY_CONFIG");
  std::filesystem::current_path(previous);
}

TEST_CASE("data map labels and displays: plain or per language, checked where written") {
  const DataMap map = data_map(R"(subject: {table: invoices, number: number}
tables:
  invoices:
    label: {nl: Facturen, en: Invoices}
    columns:
      number: {category: billing, identifies: customer_number, label: Factuurnummer}
      amount_cents: {category: billing, label: {nl: Bedrag, en: Amount}, display: money-cents}
      usd: {category: billing, display: money-cents, currency: USD}
      paid: {category: billing, display: boolean}
      length: {category: billing, display: duration-seconds}
      state:
        category: billing
        display: enum
        values: {open: {nl: open, en: unpaid}, paid: betaald}
      issued: {category: billing, display: date}
      sent: {category: billing, display: date-time}
      raw: billing
)");
  const Table& t = map.tables.at(0);
  CHECK(t.label.in(Language::nl) == "Facturen");
  CHECK(t.label.in(Language::en) == "Invoices");
  const Column& number = *t.find_column("number");
  CHECK(number.label.in(Language::en) == "Factuurnummer");  // plain: the policy's language
  CHECK(number.display.kind == Display::Kind::raw);
  const Column& amount = *t.find_column("amount_cents");
  CHECK(amount.label.in(Language::nl) == "Bedrag");
  CHECK(amount.display.kind == Display::Kind::money_cents);
  CHECK(amount.display.currency == "EUR");
  CHECK(t.find_column("usd")->display.currency == "USD");
  CHECK(t.find_column("paid")->display.kind == Display::Kind::boolean);
  CHECK(t.find_column("length")->display.kind == Display::Kind::duration_seconds);
  CHECK(t.find_column("issued")->display.kind == Display::Kind::date);
  CHECK(t.find_column("sent")->display.kind == Display::Kind::date_time);
  const Display& state = t.find_column("state")->display;
  REQUIRE(state.values.size() == 2);
  CHECK(state.values[0].first == "open");
  CHECK(state.values[0].second.in(Language::en) == "unpaid");
  CHECK(state.values[1].second.in(Language::en) == "betaald");
  CHECK(t.find_column("raw")->label.empty());
}

TEST_CASE("data map display errors point at the offending key") {
  const std::string head = "subject: {table: t, number: n}\ntables:\n  t:\n    columns:\n";
  CHECK(error_of([&] { data_map(head + "      n: {category: x, display: money}\n"); })
            .find("map.yaml:5:33: 'display' must be one of money-cents, date, date-time, "
                  "duration-seconds, boolean, enum") == 0);
  CHECK(error_of([&] {
          data_map(head + "      n: {category: x, format: money-cents}\n");
        }).find("map.yaml:5:32: 'format' must be one of") == 0);
  CHECK(error_of([&] {
          data_map(head + "      n: {category: x, display: date, currency: EUR}\n");
        }) == "map.yaml:5:49: column 't.n': 'currency' needs 'display: money-cents'");
  CHECK(error_of([&] {
          data_map(head + "      n: {category: x, display: money-cents, currency: euro}\n");
        }) ==
        "map.yaml:5:56: column 't.n': 'currency' must be an ISO 4217 code in capitals, as "
        "EUR, not 'euro'");
  CHECK(error_of([&] { data_map(head + "      n: {category: x, display: enum}\n"); }) ==
        "map.yaml:5:33: column 't.n': 'display: enum' needs 'values', the meaning of each "
        "stored value");
  CHECK(error_of([&] { data_map(head + "      n: {category: x, values: {a: b}}\n"); }) ==
        "map.yaml:5:32: column 't.n': 'values' needs 'display: enum'");
  CHECK(error_of([&] {
          data_map(head + "      n: {category: x, label: {nl: a, de: b}}\n");
        }).find("map.yaml:5:39: unknown key 'de'") == 0);
}

TEST_CASE("configuration: timezone, checked against the time zone database") {
  const std::string org = "organisation: {name: x, privacy_contact: y}\n";
  CHECK(load_config(YamlSource{"c.yaml", org}).timezone == "UTC");
  CHECK(load_config(YamlSource{"c.yaml", org + "timezone: Europe/Amsterdam\n"}).timezone ==
        "Europe/Amsterdam");
  CHECK(error_of([&] {
          load_config(YamlSource{"c.yaml", org + "timezone: Europe/Amsterdan\n"});
        }) ==
        "c.yaml:2:11: unknown timezone 'Europe/Amsterdan' (expected an IANA time zone name "
        "such as Europe/Amsterdam or UTC)");
  CHECK(error_of([&] {
          load_config(YamlSource{"c.yaml", org + "timezone: ../../etc/passwd\n"});
        }).find("c.yaml:2:11: unknown timezone") == 0);
}
