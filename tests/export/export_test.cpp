#include "export/export.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/crypto.h"
#include "export/info.h"
#include "export/spool.h"
#include "export/writer.h"
#include "policy/load.h"
#include "test_util.h"

using namespace telcomply;
using nlohmann::json;
using telcomply::test::error_of;

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE customers (id INTEGER PRIMARY KEY, customer_number TEXT NOT NULL UNIQUE,
  name TEXT, email TEXT, phone TEXT, kvk TEXT, iban TEXT, created_on DATE, closed_on DATE);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  number TEXT, plan TEXT, started_on DATE);
CREATE INDEX subscriptions_customer ON subscriptions(customer_id);
CREATE TABLE call_records (id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL,
  started_at TEXT, callee TEXT, duration INTEGER, cost REAL, recording TEXT);
CREATE INDEX call_records_subscription ON call_records(subscription_id);
CREATE TABLE "app contacts" (id INTEGER PRIMARY KEY, customer_id INTEGER, "contact""name" TEXT,
  contact_email TEXT);
CREATE TABLE portal_logins (id INTEGER PRIMARY KEY, customer_id INTEGER, login TEXT);
INSERT INTO customers VALUES
  (1, 'C-0001', 'Jan <b>de</b> Vries', 'jan@example.nl', '+31201234567', '12345678',
   'NL91ABNA0417164300', '2021-03-01', NULL),
  (2, 'C-0002', 'Piet Pieters', 'piet@example.nl', '020-7654321', '87654321', NULL,
   '2022-01-01', NULL),
  (3, 'C-0003', 'Shared Inc', 'shared@example.nl', '0612345678', '11112222', NULL,
   '2022-01-01', NULL),
  (4, 'C-0004', 'Also Shared', 'SHARED@example.nl', '0687654321', '33334444', NULL,
   '2022-01-01', NULL);
INSERT INTO subscriptions VALUES
  (10, 1, '+31 20 765 0000', 'Zakelijk', '2021-03-02'),
  (11, 1, '06-11223344', 'Mobiel', 1614643200),
  (20, 2, '+31 20 123 9999', 'Basis', '2022-01-02');
INSERT INTO call_records VALUES
  (100, 10, '2026-01-05 09:15:00', '+31 20 555 1234', 60, 0.05, 'rec-1'),
  (101, 11, '2026-01-06 10:00:00', '0611112222', 120, 0.10, 'rec-2'),
  (102, 11, '2026-01-07 11:30:00', NULL, 5, NULL, NULL),
  (200, 20, '2026-01-05 08:00:00', '+31 20 999 8888', 30, 0.02, 'rec-3');
INSERT INTO "app contacts" VALUES (1, 1, 'Marie Janssen', 'marie@example.org'),
  (2, 2, 'Kees Kok', 'kees@example.org');
INSERT INTO portal_logins VALUES (1, 1, 'jan.work@example.nl'), (2, 2, 'piet.work@example.nl');
)";

constexpr const char* kDataMap = R"(
categories:
  account:
    name: Klantgegevens
    description: Klantnummer en abonnementen
    purposes: Uitvoering overeenkomst
    legal_basis: "AVG art. 6 lid 1 sub b"
    portable: true
  contact:
    name: Contactgegevens
    description: NAW, e-mail, telefoon
    purposes: [Uitvoering overeenkomst, Communicatie]
    legal_basis: "AVG art. 6 lid 1 sub b"
    portable: true
  financial:
    name: Betaalgegevens
    purposes: Facturatie
    legal_basis: "AVG art. 6 lid 1 sub c"
    source: Kredietbureau
  traffic:
    name: Verkeersgegevens
    purposes: Facturatie
    legal_basis: "Telecommunicatiewet art. 11.5"
  content:
    name: Verzonden gegevens
    purposes: Gespreksopname
    legal_basis: "Overeenkomst van de klant"
    role: sub-processor
    controller: De klant van de partner
subject:
  table: customers
  number: customer_number
  closed: closed_on
tables:
  customers:
    columns:
      customer_number: {category: account, identifies: customer_number}
      name: contact
      email: {category: contact, identifies: email}
      phone: {category: contact, identifies: phone}
      kvk: {category: account, identifies: kvk}
      iban: financial
      created_on: account
      closed_on: account
  subscriptions:
    link: {column: customer_id, parent: customers}
    columns:
      number: {category: account, identifies: phone}
      plan: account
      started_on: account
  call_records:
    link: {column: subscription_id, parent: subscriptions}
    columns:
      started_at: traffic
      callee: {category: traffic, other_party: true}
      duration: traffic
      cost: financial
      recording: content
  app contacts:
    link: {column: customer_id, parent: customers}
    columns:
      contact"name: {category: contact, other_party: true}
      contact_email: {category: contact, other_party: true}
  portal_logins:
    link: {column: customer_id, parent: customers}
    columns:
      login: {category: contact, identifies: email}
automated_decisions:
  - name: Kredietwaardigheidsonderzoek
    logic: Score van het kredietbureau
    significance: Bepaalt of een borg nodig is
    categories: [financial]
)";

constexpr const char* kRetention = R"(
periods:
  billing-dispute:
    length: 6 months
    basis: "Telecommunicatiewet art. 11.5 lid 2"
    source: https://wetten.overheid.nl/
rules:
  - name: cdr-billing
    table: call_records
    keep: billing-dispute
    from: started_at
    action: delete
  - name: contact-after-closure
    table: customers
    categories: [contact]
    keep: 1 year
    from: account_closed
    action: anonymise
    columns:
      email: pseudonym
)";

Policy make_policy() {
  Policy policy;
  policy.config.organisation.name = "Voipgrow B.V.";
  policy.config.organisation.address = "Wattstraat 36a, 2171 TR Sassenheim";
  policy.config.organisation.privacy_contact = "administratie@voipgrow.nl";
  policy.config.organisation.authority.url = "https://autoriteitpersoonsgegevens.nl";
  policy.data_map = load_data_map({YamlSource{"datamap.yaml", kDataMap}});
  policy.has_data_map = true;
  policy.retention = load_retention({YamlSource{"retention.yaml", kRetention}});
  policy.has_retention = true;

  Subprocessor aws;
  aws.id = "aws";
  aws.legal_name = "Amazon Web Services EMEA SARL";
  aws.purpose = "Hosting";
  aws.categories = {"traffic", "contact"};
  aws.locations = {"DE"};
  aws.access_locations = {"US"};
  TransferMechanism scc;
  scc.kind = "scc";
  scc.scc_module = "3";
  scc.measures = {"encryption at rest"};
  aws.transfers.push_back(scc);
  Subprocessor gone = aws;
  gone.id = "gone";
  gone.status = "removed";
  Subprocessor unrelated = aws;
  unrelated.id = "mailer";
  unrelated.categories = {"marketing"};
  policy.subprocessors.subprocessors = {aws, gone, unrelated};
  policy.has_subprocessors = true;
  policy.transfers.eea = {"DE", "NL", "IE"};
  policy.transfers.adequacy["CH"] = AdequacyDecision{"CH", "all", "2000/518/EC", {}, {}, "", {}};
  policy.has_transfers = true;
  return policy;
}

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<Store> store = test::create_database(dir / "v.db", kSchema);
  Policy policy = make_policy();
  // A new connection, which reads the schema afresh.
  void reopen() { store = open_store((dir / "v.db").string(), StoreOptions{OpenMode::read_write}); }
  ResolvedMap resolved() { return resolve_data_map(policy.data_map, nullptr, store->schema()); }
  Subject find(IdentifierKind kind, const std::string& value) {
    return find_subject(*store, resolved(), SubjectQuery{kind, value});
  }
  std::string package(const Subject& subject, ExportOptions options = {},
                      ExportResult* result = nullptr) {
    if (options.generated_at.empty()) options.generated_at = "2026-11-23T10:00:00Z";
    std::ostringstream out;
    ExportResult r = write_export(*store, resolved(), policy, subject, options, out);
    if (result) *result = r;
    return out.str();
  }
};

const json* find_record(const json& records, const std::string& table, std::int64_t key) {
  for (const auto& r : records)
    if (r["table"] == table && r["key"] == key) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("the package sink hashes and writes every byte in order, on its own thread") {
  // Chunks of 256 KiB are handed to the sink's thread: several of them, text and single
  // characters mixed, come out whole, in order, with the SHA-256 of them all.
  std::string expected;
  std::ostringstream out;
  {
    PackageSink sink(out);
    for (int i = 0; i < 40000; ++i) {
      const std::string line = "{\"record\": " + std::to_string(i) + ", \"text\": \"" +
                               std::string(static_cast<std::size_t>(i % 37), 'x') + "\"}";
      sink.write(line);
      sink.put('\n');
      expected += line + '\n';
    }
    CHECK(expected.size() > 4 * (std::size_t{1} << 18));
    CHECK(sink.finish() == sha256_hex(expected));
    CHECK(sink.bytes() == static_cast<std::int64_t>(expected.size()));
  }
  CHECK(out.str() == expected);

  // A stream that fails: the next hand-over or the end says so.
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  PackageSink sink(broken);
  sink.write(std::string(std::size_t{1} << 19, 'y'));
  CHECK(error_of([&] { sink.finish(); }, Exit::operational).find("cannot write the export") !=
        std::string::npos);
}

TEST_CASE("mask_other_party hides phone numbers, email addresses and names") {
  PhoneMasks phones;
  const auto mask_other_party = [&phones](std::string_view value) {
    return telcomply::mask_other_party(value, phones);
  };
  CHECK(mask_other_party("020-5551234") == "+31 20 555 ****");
  CHECK(mask_other_party("+32 2 555 12 34") == "+32 2 555 ** **");
  CHECK(mask_other_party("marie@example.org") == "m***@***");
  CHECK(mask_other_party("Jan de Vries") == "J*** d*** V***");
  CHECK(mask_other_party("Émile  Zola") == "É*** Z***");
  CHECK(mask_other_party("Sanne Mulder (werk)") == "S*** M*** (w***)");
  CHECK(mask_other_party("- Zus -") == "- Z*** -");
  CHECK(mask_other_party("  ") == "");
  CHECK(mask_other_party("112") == "112");
  CHECK(mask_other_party("1234567") == "1***");
}

TEST_CASE("normalise_query checks the value without repeating it") {
  CHECK(normalise_query({IdentifierKind::phone, "020-1234567"}) == "+31201234567");
  CHECK(normalise_query({IdentifierKind::kvk, "1234 5678"}) == "12345678");
  CHECK(normalise_query({IdentifierKind::email, " jan@example.nl "}) == "jan@example.nl");
  const std::string phone = error_of([] { normalise_query({IdentifierKind::phone, "secret-x"}); });
  CHECK(phone.find("secret") == std::string::npos);
  CHECK(phone.find("not a telephone number") != std::string::npos);
  error_of([] { normalise_query({IdentifierKind::email, "no-at-sign"}); });
  error_of([] { normalise_query({IdentifierKind::email, "a@b@c"}); });
  error_of([] { normalise_query({IdentifierKind::kvk, "1234567"}); });
  error_of([] { normalise_query({IdentifierKind::kvk, "1234567a"}); });
  error_of([] { normalise_query({IdentifierKind::customer_number, "  "}); });
}

TEST_CASE("find_subject finds the same customer by number, email, phone and KvK") {
  Fixture f;
  CHECK(f.find(IdentifierKind::customer_number, "C-0001").customer_number == "C-0001");
  CHECK(f.find(IdentifierKind::customer_number, "c-0001").customer_number == "C-0001");
  CHECK(f.find(IdentifierKind::email, "JAN@example.nl").customer_number == "C-0001");
  for (const char* phone : {"020-1234567", "+31 20 123 4567", "0031201234567", "(020) 123 45 67"})
    CHECK_MESSAGE(f.find(IdentifierKind::phone, phone).customer_number == "C-0001", phone);
  CHECK(f.find(IdentifierKind::kvk, "1234 5678").customer_number == "C-0001");
  // Stored in a national notation, found through any other.
  CHECK(f.find(IdentifierKind::phone, "+31 20 765 4321").customer_number == "C-0002");
  // Through linked tables: a subscription's number, a portal login.
  CHECK(f.find(IdentifierKind::phone, "+31611223344").customer_number == "C-0001");
  CHECK(f.find(IdentifierKind::email, "piet.work@example.nl").customer_number == "C-0002");
  // Another party's email address identifies nobody.
  error_of([&] { f.find(IdentifierKind::email, "kees@example.org"); }, Exit::no_subject);
  CHECK(std::get<std::int64_t>(f.find(IdentifierKind::kvk, "87654321").key) == 2);
}

TEST_CASE("find_subject: no match is exit 3, several matches list their customer numbers") {
  Fixture f;
  const std::string none =
      error_of([&] { f.find(IdentifierKind::email, "nobody@example.nl"); }, Exit::no_subject);
  CHECK(none.find("nobody") == std::string::npos);
  error_of([&] { f.find(IdentifierKind::customer_number, "C-9999"); }, Exit::no_subject);
  error_of([&] { f.find(IdentifierKind::phone, "+31 20 000 0000"); }, Exit::no_subject);
  const std::string several = error_of([&] { f.find(IdentifierKind::email, "shared@example.nl"); });
  CHECK(several.find("several customers match: C-0003, C-0004") != std::string::npos);
}

TEST_CASE("find_subject refuses a data map that does not fit the database") {
  Fixture f;
  f.store->execute("ALTER TABLE customers RENAME COLUMN kvk TO chamber");
  f.reopen();
  const std::string message = error_of([&] { f.find(IdentifierKind::kvk, "12345678"); });
  CHECK(message.find("datamap.yaml:") == 0);
  CHECK(message.find("'customers.kvk'") != std::string::npos);
}

TEST_CASE("the JSON package holds every category, walked along links of any depth") {
  Fixture f;
  ExportResult result;
  const std::string text =
      f.package(f.find(IdentifierKind::customer_number, "C-0001"), {}, &result);
  const json package = json::parse(text);
  CHECK(package["format"] == "telcomply-export/1");
  CHECK(package["generated_at"] == "2026-11-23T10:00:00Z");
  CHECK(package["controller"]["name"] == "Voipgrow B.V.");
  CHECK(package["subject"]["customer_number"] == "C-0001");
  CHECK(package["subject"]["other_parties"] == "masked");

  const json& data = package["data"];
  CHECK(data.size() == 4);  // account, contact, financial, traffic; not content
  CHECK_FALSE(data.contains("content"));
  CHECK(package["summary"] ==
        json{{"account", 3}, {"contact", 3}, {"financial", 4}, {"traffic", 3}});

  const json& account = data["account"];
  CHECK(account["name"] == "Klantgegevens");
  CHECK(account["portable"] == true);
  CHECK(account["count"] == 3);
  const json* customer = find_record(account["records"], "customers", 1);
  REQUIRE(customer);
  CHECK((*customer)["fields"] == json{{"customer_number", "C-0001"},
                                      {"kvk", "12345678"},
                                      {"created_on", "2021-03-01"},
                                      {"closed_on", nullptr}});
  const json* mobile = find_record(account["records"], "subscriptions", 11);
  REQUIRE(mobile);
  CHECK((*mobile)["fields"]["started_on"] == "2021-03-02T00:00:00Z");  // unix time in a DATE

  const json& traffic = data["traffic"]["records"];
  REQUIRE(traffic.size() == 3);
  const json* call = find_record(traffic, "call_records", 100);
  REQUIRE(call);
  CHECK((*call)["fields"]["started_at"] == "2026-01-05T09:15:00");
  CHECK((*call)["fields"]["callee"] == "+31 20 555 ****");
  CHECK((*call)["fields"]["duration"] == 60);
  CHECK_FALSE((*call)["fields"].contains("recording"));
  CHECK((*find_record(traffic, "call_records", 102))["fields"]["callee"].is_null());
  CHECK_FALSE(find_record(traffic, "call_records", 200));  // another customer's call

  const json& financial = data["financial"]["records"];
  CHECK((*find_record(financial, "call_records", 100))["fields"]["cost"] == 0.05);
  const json& contact = data["contact"]["records"];
  const json* app = find_record(contact, "app contacts", 1);
  REQUIRE(app);
  CHECK((*app)["fields"] == json{{"contact\"name", "M*** J***"}, {"contact_email", "m***@***"}});
  CHECK((*find_record(contact, "customers", 1))["fields"]["name"] == "Jan <b>de</b> Vries");

  CHECK(result.customer_number == "C-0001");
  CHECK(result.counts == std::vector<std::pair<std::string, std::int64_t>>{
                             {"account", 3}, {"contact", 3}, {"financial", 4}, {"traffic", 3}});
  CHECK(result.sha256 == sha256_hex(text));
  CHECK(result.bytes == static_cast<std::int64_t>(text.size()));
}

TEST_CASE("the package carries the art. 15 information from the policy") {
  Fixture f;
  const json info =
      json::parse(f.package(f.find(IdentifierKind::customer_number, "C-0002")))["information"];
  const json& categories = info["categories"];
  REQUIRE(categories.size() == 5);
  json traffic, content, contact;
  for (const auto& c : categories) {
    if (c["id"] == "traffic") traffic = c;
    if (c["id"] == "content") content = c;
    if (c["id"] == "contact") contact = c;
  }
  CHECK(traffic["purposes"] == json{"Facturatie"});
  CHECK(traffic["legal_basis"] == "Telecommunicatiewet art. 11.5");
  CHECK(traffic["exported"] == true);
  REQUIRE(traffic["retention"].size() == 1);
  CHECK(traffic["retention"][0]["keep"] == "6 months");
  CHECK(traffic["retention"][0]["from"] == "started_at");
  CHECK(traffic["retention"][0]["basis"] == "Telecommunicatiewet art. 11.5 lid 2");
  CHECK(traffic["recipients"] == json{"aws"});
  CHECK(contact["retention"][0]["rule"] == "contact-after-closure");
  CHECK(contact["retention"][0]["from"] == "account_closed");
  CHECK(content["exported"] == false);
  CHECK(content["role"] == "sub-processor");
  CHECK(content["controller"] == "De klant van de partner");

  REQUIRE(info["recipients"].size() == 1);
  const json& aws = info["recipients"][0];
  CHECK(aws["name"] == "Amazon Web Services EMEA SARL");
  REQUIRE(aws["third_countries"].size() == 1);
  CHECK(aws["third_countries"][0]["country"] == "US");
  CHECK(aws["third_countries"][0]["adequacy"].is_null());
  CHECK(aws["third_countries"][0]["safeguards"][0]["mechanism"] == "scc");

  CHECK(info["rights"]["complaint"]["authority"] == "Autoriteit Persoonsgegevens");
  std::vector<std::string> rights;
  for (const auto& r : info["rights"]["rights"]) rights.push_back(r["right"]);
  CHECK(rights == std::vector<std::string>{"access", "rectification", "erasure", "restriction",
                                           "portability", "objection"});
  CHECK(info["rights"]["rights"][4]["categories"] == json{"account", "contact"});
  CHECK(info["automated_decisions"][0]["name"] == "Kredietwaardigheidsonderzoek");
}

TEST_CASE("--unmask includes other parties' data in full") {
  Fixture f;
  ExportOptions options;
  options.unmask = true;
  const json package =
      json::parse(f.package(f.find(IdentifierKind::customer_number, "C-0001"), options));
  CHECK(package["subject"]["other_parties"] == "unmasked");
  const json* call = find_record(package["data"]["traffic"]["records"], "call_records", 101);
  REQUIRE(call);
  CHECK((*call)["fields"]["callee"] == "0611112222");
}

TEST_CASE("a customer without linked rows still gets every category") {
  Fixture f;
  f.store->execute("INSERT INTO customers (id, customer_number) VALUES (5, 'C-0005')");
  const json package = json::parse(f.package(f.find(IdentifierKind::customer_number, "C-0005")));
  CHECK(package["data"]["traffic"]["count"] == 0);
  CHECK(package["data"]["traffic"]["records"] == json::array());
  CHECK(package["data"]["account"]["count"] == 1);
}

TEST_CASE("the HTML package is self-contained and escapes what it shows") {
  Fixture f;
  ExportOptions options;
  options.format = ExportFormat::html;
  const std::string html = f.package(f.find(IdentifierKind::customer_number, "C-0001"), options);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("Jan &lt;b&gt;de&lt;/b&gt; Vries") != std::string::npos);
  CHECK(html.find("<b>de</b>") == std::string::npos);
  CHECK(html.find("+31 20 555 ****") != std::string::npos);
  CHECK(html.find("Verkeersgegevens") != std::string::npos);
  CHECK(html.find("Autoriteit Persoonsgegevens") != std::string::npos);
  CHECK(html.find("Kredietwaardigheidsonderzoek") != std::string::npos);
  CHECK(html.find("De klant van de partner") != std::string::npos);
  CHECK(html.find("rec-1") == std::string::npos);  // content is not exported
}

TEST_CASE("display_value formats by the column's display and keeps what does not fit") {
  PackageView nl;
  nl.language = Language::nl;
  nl.zone = *TimeZone::find("Europe/Amsterdam");
  PackageView en;
  auto integer = [](std::int64_t v) {
    FieldValue f;
    f.type = FieldValue::Type::integer;
    f.integer = v;
    return f;
  };
  auto text = [](std::string_view v) {
    FieldValue f;
    f.type = FieldValue::Type::text;
    f.text = v;
    return f;
  };
  Display money;
  money.kind = Display::Kind::money_cents;
  CHECK(display_value(integer(18900), money, nl) == "€ 189,00");
  CHECK(display_value(integer(18900), money, en) == "€189.00");
  CHECK(display_value(integer(-1999), money, nl) == "€ -19,99");
  CHECK(display_value(text("18900"), money, nl) == "€ 189,00");
  CHECK(display_value(text("n/a"), money, nl) == "n/a");
  CHECK(display_value(FieldValue{}, money, nl).empty());
  Display duration;
  duration.kind = Display::Kind::duration_seconds;
  CHECK(display_value(integer(83), duration, nl) == "1 min 23 s");
  Display boolean;
  boolean.kind = Display::Kind::boolean;
  CHECK(display_value(integer(1), boolean, nl) == "ja");
  CHECK(display_value(integer(0), boolean, en) == "no");
  FieldValue server_true;
  server_true.type = FieldValue::Type::json;
  server_true.text = "true";
  CHECK(display_value(server_true, boolean, en) == "yes");
  CHECK(display_value(integer(2), boolean, en) == "2");
  Display direction;
  direction.kind = Display::Kind::enumeration;
  Wording inbound;
  inbound.by_language = {{Language::nl, "inkomend"}, {Language::en, "incoming"}};
  direction.values = {{"inbound", inbound}};
  CHECK(display_value(text("inbound"), direction, nl) == "inkomend");
  CHECK(display_value(text("inbound"), direction, en) == "incoming");
  CHECK(display_value(text("sideways"), direction, nl) == "sideways");
  Display moment;
  moment.kind = Display::Kind::date_time;
  CHECK(display_value(text("2026-01-05T10:00:00Z"), moment, nl) == "5 januari 2026 11:00");
  CHECK(display_value(text("2026-07-05T10:00:00"), moment, nl) == "5 juli 2026 12:00");
  CHECK(display_value(text("2026-07-05T10:00:00+02:00"), moment, en) == "5 July 2026 08:00");
  CHECK(display_value(text("2026-07-05"), moment, nl) == "5 juli 2026");
  Display date;
  date.kind = Display::Kind::date;
  CHECK(display_value(text("2026-01-05T23:30:00Z"), date, nl) == "6 januari 2026");
  // Without a display, ISO 8601 moments are still shown as people read them.
  CHECK(display_value(text("2026-01-05T10:00:00Z"), Display{}, en) == "5 January 2026 10:00");
  CHECK(display_value(text("2026-01-05T10:00:00Z"), Display{}, nl) == "5 januari 2026 11:00");
  CHECK(display_value(text("C-0001"), Display{}, nl) == "C-0001");
  CHECK(display_value(integer(18900), Display{}, nl) == "18900");
}

TEST_CASE("the HTML package in Dutch: labels, formatted values, the time zone named once") {
  Fixture f;
  for (Table& table : f.policy.data_map.tables) {
    if (table.name != "call_records") continue;
    table.label.plain = "Gesprekken";
    for (Column& column : table.columns) {
      if (column.name == "duration") {
        column.label.plain = "Duur";
        column.display.kind = Display::Kind::duration_seconds;
      }
      if (column.name == "started_at") {
        column.label.by_language = {{Language::nl, "Begin"}, {Language::en, "Start"}};
        column.display.kind = Display::Kind::date_time;
      }
      if (column.name == "callee") column.label.plain = "Gebeld nummer";
    }
  }
  ExportOptions options;
  options.format = ExportFormat::html;
  options.language = Language::nl;
  options.timezone = "Europe/Amsterdam";
  const Subject subject = f.find(IdentifierKind::customer_number, "C-0001");
  const std::string html = f.package(subject, options);
  CHECK(html.find("<html lang=\"nl\">") != std::string::npos);
  CHECK(html.find("Uw persoonsgegevens") != std::string::npos);
  CHECK(html.find("Recht op inzage") != std::string::npos);
  CHECK(html.find("Gesprekken") != std::string::npos);
  CHECK(html.find("<th>Gebeld nummer") != std::string::npos);
  CHECK(html.find("<th>callee") == std::string::npos);
  CHECK(html.find(">1 min<") != std::string::npos);
  CHECK(html.find(">5 januari 2026 10:15<") != std::string::npos);  // 09:15 UTC
  CHECK(html.find("Europe/Amsterdam") != std::string::npos);
  CHECK(html.find("23 november 2026 11:00") != std::string::npos);  // generated_at
  CHECK(html.find("Your personal data") == std::string::npos);
  CHECK(html.find("Summary") == std::string::npos);

  // The JSON keeps the raw names and values, and adds the labels in the language.
  options.format = ExportFormat::json;
  const json package = json::parse(f.package(subject, options));
  const json& traffic = package["data"]["traffic"];
  CHECK(traffic["labels"]["call_records"]["callee"] == "Gebeld nummer");
  CHECK(traffic["labels"]["call_records"]["started_at"] == "Begin");
  const json* call = find_record(traffic["records"], "call_records", 100);
  REQUIRE(call);
  CHECK((*call)["fields"]["duration"] == 60);
  CHECK(package["information"]["rights"]["rights"][0]["right"] == "access");
  CHECK(package["information"]["rights"]["rights"][0]["name"] == "Recht op inzage");
  options.language = Language::en;
  CHECK(json::parse(f.package(
            subject, options))["data"]["traffic"]["labels"]["call_records"]["started_at"] ==
        "Start");

  options.timezone = "Mars/Olympus";
  CHECK(error_of([&] { f.package(subject, options); }) == "unknown time zone 'Mars/Olympus'");
}

TEST_CASE("an operator's export template must keep the records of every category") {
  Fixture f;
  test::TempDir templates;
  {
    std::ofstream out(templates / "export.html.mustache");
    out << "<h1>{{t.heading}}</h1>{{#categories}}<h2>{{name}}</h2>{{/categories}}\n";
  }
  ExportOptions options;
  options.format = ExportFormat::html;
  options.templates = templates.path();
  const Subject subject = f.find(IdentifierKind::customer_number, "C-0001");
  CHECK(error_of([&] { f.package(subject, options); }).find("must show {{{records}}}") !=
        std::string::npos);
  {
    std::ofstream out(templates / "export.html.mustache");
    out << "<h1>{{t.heading}}</h1>{{#categories}}<h2>{{name}}</h2>{{{records}}}{{/categories}}\n";
  }
  const std::string html = f.package(subject, options);
  CHECK(html.find("<h1>Your personal data</h1>") != std::string::npos);
  CHECK(html.find("+31 20 555 ****") != std::string::npos);
}

TEST_CASE("JSON strings are escaped and invalid UTF-8 replaced") {
  std::string out;
  append_json_string(out, "plain");
  CHECK(out == "\"plain\"");
  out.clear();
  append_json_string(out, "a\"b\\c\nd\x01");
  CHECK(json::parse(out) == "a\"b\\c\nd\x01");
  out.clear();
  append_json_string(out, "caf\xc3\xa9 \xff");
  CHECK(json::parse(out) == "caf\xc3\xa9 \xef\xbf\xbd");
}

// ---------------------------------------------------------------------------------------
// One pass per table: a table whose columns serve several categories is read once, its
// later categories' records held in memory or in a temporary file until their section.

namespace {

constexpr const char* kPassSchema = R"(
CREATE TABLE people (pid INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, name TEXT, iban TEXT,
  score REAL, joined DATE);
CREATE TABLE lines (id INTEGER PRIMARY KEY, person INTEGER NOT NULL, msisdn TEXT UNIQUE,
  price INTEGER);
CREATE TABLE calls (id INTEGER PRIMARY KEY, line TEXT NOT NULL, started_at TEXT, callee TEXT,
  cost INTEGER, mos REAL);
CREATE INDEX calls_line ON calls(line);
CREATE TABLE recordings (ref TEXT PRIMARY KEY, call_id INTEGER NOT NULL, transcript TEXT,
  size INTEGER, audio BLOB);
INSERT INTO people VALUES (1, 'P-1', 'Anna Smit', 'NL02ABNA0123456789', 7.5, '2020-01-02'),
  (2, 'P-2', 'Bert Bos', NULL, NULL, NULL), (3, 'P-3', 'Carla Cok', NULL, 1.0, NULL);
INSERT INTO lines VALUES (10, 1, '+31201110000', 1500), (11, 1, '+31611110000', 2500),
  (20, 2, '+31202220000', 900), (30, 3, NULL, 100);
INSERT INTO calls VALUES
  (100, '+31201110000', '2026-01-05 09:15:00', '+31 20 555 1234', 12, 4.1),
  (101, '+31611110000', '2026-01-06 10:00:00', '0612345678', -3, NULL),
  (102, '+31611110000', '2026-01-07 11:30:00', NULL, NULL, 3.9),
  (200, '+31202220000', '2026-01-05 08:00:00', '+31 20 999 8888', 5, 4.4);
INSERT INTO recordings VALUES ('r-1', 100, 'Hallo, met Anna', 2048, 'audio-1'),
  ('r-2', 101, NULL, 0, 'audio-2'), ('r-3', 200, 'Bert hier', 100, 'audio-3');
)";

// Categories in an order where every table is read in a category that is not its last:
// people serves billing, quality and profile; calls (two links away, through a parent_key)
// billing, traffic and quality; lines and recordings (three links away, a text key) two.
constexpr const char* kPassDataMap = R"(
categories:
  billing:
    name: Facturering
    purposes: Facturatie
    legal_basis: contract
  traffic:
    name: Verkeer
    purposes: Verbinden
    legal_basis: wet
  quality:
    name: Kwaliteit
    purposes: Storingen
    legal_basis: belang
  profile:
    name: Profiel
    purposes: Account
    legal_basis: contract
  content:
    name: Inhoud
    purposes: Opname
    legal_basis: klant
    role: processor
    controller: De klant
subject:
  table: people
  number: number
tables:
  people:
    key: pid
    columns:
      number: {category: profile, identifies: customer_number}
      name: profile
      iban: billing
      score: quality
      joined: profile
  lines:
    link: {column: person, parent: people}
    columns:
      msisdn: traffic
      price: billing
  calls:
    link: {column: line, parent: lines, parent_key: msisdn}
    columns:
      started_at: traffic
      callee: {category: traffic, other_party: true}
      cost: billing
      mos: quality
  recordings:
    key: ref
    link: {column: call_id, parent: calls}
    columns:
      size: billing
      transcript: quality
      audio: content
)";

struct PassFixture {
  test::TempDir dir;
  std::unique_ptr<Store> store = test::create_database(dir / "p.db", kPassSchema);
  test::StatementLog log{*store};
  Policy policy;
  PassFixture() {
    policy.config.organisation.name = "Bellen B.V.";
    policy.data_map = load_data_map({YamlSource{"datamap.yaml", kPassDataMap}});
    policy.has_data_map = true;
  }
  Subject find(const std::string& number) {
    return find_subject(log, resolve_data_map(policy.data_map, nullptr, log.schema()),
                        SubjectQuery{IdentifierKind::customer_number, number});
  }
  std::string package(const Subject& subject, ExportOptions options = {}) {
    options.generated_at = "2026-11-23T10:00:00Z";
    std::ostringstream out;
    write_export(log, resolve_data_map(policy.data_map, nullptr, log.schema()), policy, subject,
                 options, out);
    return out.str();
  }
};

// (table, key) of every record of a category, in package order.
std::vector<std::pair<std::string, json>> records_of(const json& category) {
  std::vector<std::pair<std::string, json>> out;
  for (const auto& r : category["records"])
    out.emplace_back(r["table"].get<std::string>(), r["key"]);
  return out;
}

using Records = std::vector<std::pair<std::string, json>>;

}  // namespace

TEST_CASE("each table is read once for all the categories its columns belong to") {
  PassFixture f;
  const Subject subject = f.find("P-1");
  f.log.statements.clear();
  const std::string text = f.package(subject);
  for (const char* table : {"people", "lines", "calls", "recordings"})
    CHECK_MESSAGE(f.log.reads_of(table) == 1, table);

  const json package = json::parse(text);
  CHECK(package["summary"] == json::parse(R"({"billing":8,"traffic":5,"quality":6,"profile":1})"));
  std::vector<std::string> order;
  const nlohmann::ordered_json in_order = nlohmann::ordered_json::parse(text);
  for (const auto& [id, category] : in_order["data"].items()) order.push_back(id);
  CHECK(order == std::vector<std::string>{"billing", "traffic", "quality", "profile"});
  const json& data = package["data"];
  CHECK(records_of(data["billing"]) == Records{{"people", 1},
                                               {"lines", 10},
                                               {"lines", 11},
                                               {"calls", 100},
                                               {"calls", 101},
                                               {"calls", 102},
                                               {"recordings", "r-1"},
                                               {"recordings", "r-2"}});
  CHECK(records_of(data["traffic"]) ==
        Records{{"lines", 10}, {"lines", 11}, {"calls", 100}, {"calls", 101}, {"calls", 102}});
  CHECK(records_of(data["quality"]) == Records{{"people", 1},
                                               {"calls", 100},
                                               {"calls", 101},
                                               {"calls", 102},
                                               {"recordings", "r-1"},
                                               {"recordings", "r-2"}});
  CHECK(records_of(data["profile"]) == Records{{"people", 1}});
  for (const auto& [id, category] : data.items())
    CHECK_MESSAGE(category["count"] == category["records"].size(), id);

  // Each section has its own columns, converted and masked as they would be when read alone.
  CHECK(data["billing"]["records"][0]["fields"] == json{{"iban", "NL02ABNA0123456789"}});
  CHECK(data["billing"]["records"][4]["fields"] == json{{"cost", -3}});
  CHECK(data["billing"]["records"][5]["fields"] == json{{"cost", nullptr}});
  CHECK(data["billing"]["records"][7]["fields"] == json{{"size", 0}});
  CHECK(data["traffic"]["records"][0]["fields"] == json{{"msisdn", "+31201110000"}});
  CHECK(data["traffic"]["records"][3]["fields"] ==
        json{{"started_at", "2026-01-06T10:00:00"}, {"callee", "+31 6 1234****"}});
  CHECK(data["traffic"]["records"][4]["fields"]["callee"].is_null());
  CHECK(data["quality"]["records"][0]["fields"] == json{{"score", 7.5}});
  CHECK(data["quality"]["records"][2]["fields"] == json{{"mos", nullptr}});
  CHECK(data["quality"]["records"][4]["fields"] == json{{"transcript", "Hallo, met Anna"}});
  CHECK(data["profile"]["records"][0]["fields"] ==
        json{{"number", "P-1"}, {"name", "Anna Smit"}, {"joined", "2020-01-02"}});
  CHECK(text.find("audio-") == std::string::npos);  // processor data is not exported
  CHECK(text.find("Bert") == std::string::npos);    // another subject's rows are not
}

TEST_CASE("tables without rows for the subject are not read, and their sections stay empty") {
  PassFixture f;
  const Subject subject = f.find("P-3");  // a line without a number: no calls
  f.log.statements.clear();
  const json package = json::parse(f.package(subject));
  CHECK(f.log.reads_of("people") == 1);
  CHECK(f.log.reads_of("lines") == 1);
  CHECK(f.log.reads_of("calls") == 0);
  CHECK(f.log.reads_of("recordings") == 0);
  CHECK(package["summary"] == json::parse(R"({"billing":2,"traffic":1,"quality":1,"profile":1})"));
  CHECK(records_of(package["data"]["traffic"]) == Records{{"lines", 30}});
  CHECK(package["data"]["traffic"]["records"][0]["fields"] == json{{"msisdn", nullptr}});

  f.store->execute("DELETE FROM lines WHERE person = 3");
  const json alone = json::parse(f.package(subject));
  CHECK(alone["summary"] == json::parse(R"({"billing":1,"traffic":0,"quality":1,"profile":1})"));
  CHECK(alone["data"]["traffic"]["records"] == json::array());
}

TEST_CASE("a table read sequentially or through its index gives the same package") {
  PassFixture f;
  // Calls of P-1's two lines interleaved, and of P-2: through the index on calls.line the
  // rows come line by line, from the table itself in the order they were written.
  f.store->execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
      "INSERT INTO calls SELECT 1000 + i, CASE i % 3 WHEN 0 THEN '+31201110000' "
      "WHEN 1 THEN '+31611110000' ELSE '+31202220000' END, '2026-02-01 10:00:00', "
      "'+31 20 555 ' || printf('%04d', i), i, NULL FROM n");
  const Subject subject = f.find("P-1");
  // The subject holds 203 of the 304 calls, 2 of the 4 lines, 2 of the 3 recordings.
  for (const ExportFormat format : {ExportFormat::json, ExportFormat::html}) {
    CAPTURE(static_cast<int>(format));
    ExportOptions options;
    options.format = format;
    const auto sequential_reads = [&f] {
      int n = 0;
      for (const std::string& sql : f.log.statements)
        if (sql.find(f.store->dialect().walk_table_hint() + " WHERE") != std::string::npos) ++n;
      return n;
    };
    options.sequential_share = 2;  // more than all of a table: always through the index
    f.log.statements.clear();
    const std::string indexed = f.package(subject, options);
    CHECK(sequential_reads() == 0);
    options.sequential_share = 0;  // always the table itself
    f.log.statements.clear();
    const std::string sequential = f.package(subject, options);
    CHECK(sequential_reads() == 4);  // people, lines, calls and recordings
    CHECK(sequential == indexed);
    // By share of the estimated rows (the span of the row ids): calls 203 of 1,201 (ids 100
    // to 1300), lines 2 of 21, people 1 of 3, recordings 2 of 3.
    options.sequential_share = 0.1;
    f.log.statements.clear();
    CHECK(f.package(subject, options) == indexed);
    CHECK(sequential_reads() == 3);
    for (const std::string& sql : f.log.statements)
      if (sql.starts_with("SELECT \"id\", \"msisdn\""))
        CHECK(sql.find(" NOT INDEXED") == std::string::npos);
    if (format == ExportFormat::json) {
      // Each table's records in the order of its key.
      const json package = json::parse(indexed);
      std::vector<std::int64_t> calls;
      for (const auto& [table, key] : records_of(package["data"]["traffic"]))
        if (table == "calls") calls.push_back(key.get<std::int64_t>());
      CHECK(calls.size() == 203);
      CHECK(std::is_sorted(calls.begin(), calls.end()));
    }
  }
}

TEST_CASE("other parties' values that repeat are masked as each one alone") {
  PassFixture f;
  // 12,000 calls to 6,000 numbers and names, written in several notations: more distinct
  // values than the masks remembered, each seen again.
  f.store->execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000) "
      "INSERT INTO calls SELECT 1000 + i, '+31201110000', '2026-02-01 10:00:00', "
      "CASE i % 3 WHEN 0 THEN '+31 20 555 ' || printf('%04d', i % 6000) "
      "WHEN 1 THEN '020-55' || printf('%05d', i % 6000) ELSE 'Naam ' || (i % 6000) END, i, NULL "
      "FROM n");
  const json package = json::parse(f.package(f.find("P-1")));
  const auto raw = [](std::int64_t i) {
    const std::string n = std::to_string(i % 6000);
    const auto padded = [&](std::size_t width) { return std::string(width - n.size(), '0') + n; };
    if (i % 3 == 0) return "+31 20 555 " + padded(4);
    if (i % 3 == 1) return "020-55" + padded(5);
    return "Naam " + n;
  };
  int checked = 0;
  PhoneMasks phones;
  for (const auto& record : package["data"]["traffic"]["records"]) {
    const std::int64_t key = record["key"].get<std::int64_t>();
    if (record["table"] != "calls" || key <= 1000) continue;
    CHECK(record["fields"]["callee"] == mask_other_party(raw(key - 1000), phones));
    ++checked;
  }
  CHECK(checked == 12000);
}

TEST_CASE("records held for a later category are the same in memory and in the temporary file") {
  PassFixture f;
  // Enough calls for several chunks of the spool, and one record larger than a chunk.
  f.store->execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
      "INSERT INTO calls SELECT 1000 + i, '+31201110000', '2026-02-01 10:00:00', "
      "'+31 20 555 ' || printf('%04d', i) || ' ' || hex(randomblob(300)), i * 7, i / 1000.0 "
      "FROM n");
  f.store->execute(
      "INSERT INTO calls VALUES (9000, '+31611110000', hex(randomblob(200000)), NULL, 1, 2)");
  const Subject subject = f.find("P-1");
  test::TempDir temp;
  for (const ExportFormat format : {ExportFormat::json, ExportFormat::html}) {
    for (const bool unmask : {false, true}) {
      ExportOptions options;
      options.format = format;
      options.unmask = unmask;
      options.temp_dir = temp.path();
      const std::string in_memory = f.package(subject, options);
      options.spool_memory = 0;
      // While the second category is written, its records are in the temporary file: it
      // has no name in the folder and only its owner may read it.
      int files = 0;
      options.progress = [&](const Progress& progress) {
        if (progress.item != "traffic") return;
        for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
          std::error_code ec;
          const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
          if (ec || !target.starts_with(temp.path().string())) continue;
          ++files;
          CHECK(target.ends_with("(deleted)"));
          struct stat st {};
          REQUIRE(::stat(fd.path().c_str(), &st) == 0);
          CHECK((st.st_mode & 0777) == 0600);
          CHECK(st.st_size > 400000);  // the traffic of call 9000 alone
        }
        CHECK(std::filesystem::is_empty(temp.path()));
      };
      const std::string in_file = f.package(subject, options);
      CHECK(files == 1);
      CHECK(in_file == in_memory);
      options.spool_memory = 300 * 1024;  // the first chunks in memory, the rest in the file
      options.progress = nullptr;
      CHECK(f.package(subject, options) == in_memory);
      if (format == ExportFormat::json) {
        const json package = json::parse(in_file);
        CHECK(package["summary"]["traffic"] == 2 + 3004);
        const json& traffic = package["data"]["traffic"]["records"];
        const json* big = find_record(traffic, "calls", 9000);
        REQUIRE(big);
        CHECK((*big)["fields"]["started_at"].get<std::string>().size() == 400000);
        const json* call = find_record(traffic, "calls", 2500);
        REQUIRE(call);
        CHECK((*call)["fields"]["callee"].get<std::string>().starts_with(
            unmask ? "+31 20 555 1500 " : "+3*** 2*** 5*** 1*** "));
      }
    }
  }
  CHECK(std::filesystem::is_empty(temp.path()));
}

TEST_CASE("a spool gives back every kind of value as it was added") {
  for (const std::size_t memory : {std::size_t{0}, std::size_t{1} << 30}) {
    SpoolStore store(memory, {});
    RecordSpool spool(store);
    const std::string big(300 * 1024, 'x');
    const std::string with_nul("a\0b", 3);
    std::vector<std::vector<FieldValue>> added;
    const auto integer = [](std::int64_t v) {
      FieldValue f;
      f.type = FieldValue::Type::integer;
      f.integer = v;
      return f;
    };
    const auto real = [](double v) {
      FieldValue f;
      f.type = FieldValue::Type::real;
      f.real = v;
      return f;
    };
    const auto text = [](std::string_view v) {
      FieldValue f;
      f.type = FieldValue::Type::text;
      f.text = v;
      return f;
    };
    const FieldValue null{};
    added.push_back({integer(0), null, real(-0.5), text("")});
    added.push_back({integer(std::numeric_limits<std::int64_t>::min()), integer(-1), real(1e300),
                     text(with_nul)});
    added.push_back(
        {text("key"), integer(std::numeric_limits<std::int64_t>::max()), null, text(big)});
    for (int i = 0; i < 20000; ++i)
      added.push_back({integer(i), integer(-i * 1000003LL), real(i / 3.0), text("caf\xc3\xa9")});
    for (const auto& record : added)
      spool.add(record[0], std::span<const FieldValue>(record).subspan(1));
    CHECK(spool.count() == static_cast<std::int64_t>(added.size()));
    if (memory == 0) {
      CHECK(store.memory() == 0);
      CHECK(store.file_bytes() > 300 * 1024);
    } else {
      CHECK(store.file_bytes() == 0);
      CHECK(store.memory() > 300 * 1024);
    }

    std::size_t i = 0;
    bool same = true;
    spool.replay(3, [&](const FieldValue& key, std::span<const FieldValue> fields) {
      REQUIRE(i < added.size());
      REQUIRE(fields.size() == 3);
      for (std::size_t c = 0; c < 4; ++c) {
        const FieldValue& want = added[i][c];
        const FieldValue& got = c == 0 ? key : fields[c - 1];
        same = same && got.type == want.type && got.integer == want.integer &&
               std::memcmp(&got.real, &want.real, sizeof(double)) == 0 && got.text == want.text;
      }
      ++i;
    });
    CHECK(same);
    CHECK(i == added.size());
    CHECK(store.memory() == 0);  // freed once read
  }
}
