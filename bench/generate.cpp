// telcomply_generate: a synthetic operator database in the example's schema, at any scale.
//
//   telcomply_generate OUT.db --customers 100000 --calls 20000000 --big-customer-calls 1000000
//   telcomply_generate OUT.db --customers 100000 --calls 20000000 --shape half
//
// The schema (tables, indexes, the products and migrations reference rows) is read from
// examples/voipgrow.sql, so there is one schema. Data is deterministic: the same options and
// seed give the same database, byte for byte. Customer C-0001 is the business customer with
// --big-customer-calls of the call records on 8 lines (--shape spread), or with half of all
// call records on a line per 20,000 of them (--shape half: one large business customer on an
// operator's network, a large share of every table its calls are in); about one customer in
// ten has closed its account (a few of those under a legal hold), and call records span
// --months months up to --end, so a realistic share is past the 6-month billing window.
// Everything is written in one transaction with prepared statements; indexes are built after
// the rows.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "store/store.h"

namespace {

using telcomply::Date;
using telcomply::Param;
using telcomply::Statement;
using telcomply::Store;

// splitmix64: small, fast and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::int64_t below(std::int64_t n) {
    return n <= 0 ? 0 : static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  bool chance(int percent_times_10) { return below(1000) < percent_times_10; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<std::int64_t>(items.size())))];
  }

 private:
  std::uint64_t state_;
};

const std::vector<std::string> kFirst = {"Anna",  "Bram",  "Daan",  "Emma",   "Fleur", "Gijs",
                                         "Iris",  "Jesse", "Lotte", "Milan",  "Noor",  "Ruben",
                                         "Sanne", "Thijs", "Vera",  "Wouter", "Yara",  "Zoe"};
const std::vector<std::string> kLast = {
    "de Vries", "Jansen", "Bakker", "Visser", "Smit",     "Meijer",   "de Boer", "Mulder",
    "de Groot", "Bos",    "Vos",    "Peters", "Hendriks", "van Dijk", "Dekker",  "Brouwer"};
const std::vector<std::string> kCompany = {
    "Installatietechniek", "Bloemenhuis", "Transport",    "Architecten",
    "Tandartsenpraktijk",  "Bakkerij",    "Koeltechniek", "Adviesbureau",
    "Autobedrijf",         "Drukkerij"};
const std::vector<std::string> kCity = {"Amsterdam", "Rotterdam", "Utrecht", "Den Haag",
                                        "Eindhoven", "Groningen", "Haarlem", "Leiden",
                                        "Gouda",     "Lisse"};
const std::vector<std::string> kStreet = {"Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg",
                                          "Nieuwe Rijn", "Oudegracht", "Heereweg",    "Marktplein"};
const std::vector<std::string> kSector = {"Installatietechniek", "Detailhandel",           "Zorg",
                                          "Horeca en food",      "Transport en logistiek", "Bouw"};

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// printf into a string; every format here is a literal at the call site.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
std::string fmt(const char* format, long long a, long long b = 0, long long c = 0) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}
#pragma GCC diagnostic pop

std::string timestamp(const Date& day, std::int64_t second_of_day) {
  return day.iso() + fmt("T%02lld:%02lld:%02lld", second_of_day / 3600, (second_of_day / 60) % 60,
                         second_of_day % 60);
}

// Whether `sql` ends with a complete statement, as SQLite's own completeness test decides: the last
// token is a ';' outside quotes and comments (blanks and comments may follow), and a CREATE TRIGGER
// ends only at "END;".
bool complete(std::string_view sql) {
  bool done = false;
  std::vector<std::string> head;  // the statement's first three tokens, upper case
  std::string last;               // the token before, upper case
  const auto trigger = [&head] {
    return head.size() >= 2 && head[0] == "CREATE" &&
           (head[1] == "TRIGGER" ||
            (head.size() == 3 && (head[1] == "TEMP" || head[1] == "TEMPORARY") &&
             head[2] == "TRIGGER"));
  };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const auto c = static_cast<unsigned char>(sql[i]);
    if (std::isspace(c)) continue;
    if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) break;
      continue;
    }
    if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i + 2);
      if (i == std::string_view::npos) return false;
      ++i;
      continue;
    }
    std::string token;
    if (c == ';') {
      if (!trigger() || last == "END") {
        done = true;
        head.clear();
        last.clear();
        continue;
      }
      token = ";";
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      i = sql.find(c == '[' ? ']' : static_cast<char>(c), i + 1);
      if (i == std::string_view::npos) return false;
      token = "\"";
    } else if (std::isalnum(c) || c == '_' || c >= 0x80) {
      for (; i < sql.size(); ++i) {
        const auto w = static_cast<unsigned char>(sql[i]);
        if (!std::isalnum(w) && w != '_' && w != '$' && w < 0x80) break;
        token += static_cast<char>(std::toupper(w));
      }
      --i;
    } else {
      token = std::string(1, static_cast<char>(c));
    }
    done = false;
    if (head.size() < 3) head.push_back(token);
    last = std::move(token);
  }
  return done;
}

// The statements of an SQL script, split where a statement is complete; blank and comment
// lines between statements are left out.
std::vector<std::string> statements(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    std::string trimmed = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    if (current.empty() && (trimmed.empty() || trimmed.rfind("--", 0) == 0)) continue;
    current += line + "\n";
    if (complete(current)) {
      out.push_back(current);
      current.clear();
    }
  }
  return out;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

struct Options {
  std::string out;
  std::int64_t customers = 1000;
  std::int64_t calls = 100000;
  std::int64_t big_calls = 10000;
  bool half = false;  // --shape half: C-0001 holds half of --calls
  std::int64_t months = 9;
  std::string end = "2026-11-20";
  std::uint64_t seed = 1;
  std::string schema = TELCOMPLY_EXAMPLE_SQL;
  bool force = false;
};

struct Customer {
  std::int64_t id;
  Date created;
  std::optional<Date> closed;
  std::string phone, iban, name, address;
  bool business = false;
};

struct Line {
  std::int64_t id;
  std::int64_t customer;
  std::string number;  // empty: no voice line
  Date started;
  std::optional<Date> ended;
};

class Generator {
 public:
  Generator(Store& store, const Options& o) : store_(store), o_(o), rng_(o.seed) {
    end_ = *telcomply::parse_date(o.end);
  }

  void run() {
    customers();
    lines();
    calls();
    money();
    the_rest();
  }

  std::int64_t rows = 0;

 private:
  // INSERT INTO table (columns) VALUES (:column, ...): a value is bound by its column's name.
  std::unique_ptr<Statement> insert(const std::string& table,
                                    const std::vector<std::string>& columns) {
    std::string names;
    std::string values;
    for (const std::string& column : columns) {
      names += (names.empty() ? "" : ", ") + column;
      values += (values.empty() ? ":" : ", :") + column;
    }
    return store_.prepare("INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")");
  }
  // Binds :name; a name the statement does not have is a mistake here, not a NULL.
  static void bind(Statement& s, std::string_view name, const Param& value) {
    if (!s.bind(name, value)) throw std::logic_error("no parameter :" + std::string(name));
  }
  void step(Statement& s) {
    s.run();
    ++rows;
  }

  void customers() {
    auto ins = insert("customers",
                      {"id", "customer_number", "company_name", "kvk_number", "contact_first_name",
                       "contact_last_name", "email", "phone", "street", "postal_code", "city",
                       "iban", "sector", "status", "created_on", "closed_on", "legal_hold"});
    const Date first{2012, 1, 2};
    const std::int64_t span = end_.days_since_epoch() - first.days_since_epoch() - 60;
    for (std::int64_t i = 1; i <= o_.customers; ++i) {
      Customer c;
      c.id = i;
      c.business = i == 1 || rng_.chance(700);
      c.created = i == 1 ? Date{2019, 3, 14} : first.add_days(rng_.below(span));
      if (i != 1 && rng_.chance(100)) {
        Date closed = c.created.add_days(180 + rng_.below(3000));
        if (closed < end_) c.closed = closed;
      }
      const std::string& fn = rng_.pick(kFirst);
      const std::string& ln = rng_.pick(kLast);
      const std::string company =
          rng_.pick(kCompany) + " " + ln + (rng_.chance(500) ? " B.V." : "");
      const std::string city = rng_.pick(kCity);
      const std::string street = rng_.pick(kStreet) + " " + std::to_string(1 + rng_.below(300));
      const std::string postal =
          fmt("%04lld %c%c", 1000 + rng_.below(9000), 'A' + rng_.below(26), 'A' + rng_.below(26));
      c.phone = fmt("+3120%07lld", i);
      c.iban = fmt("NL%02lldBANK%010lld", 10 + i % 90, i * 7919 % 10000000000LL);
      c.name = c.business ? company : fn + " " + ln;
      c.address = street + ", " + postal + " " + city;
      bind(*ins, "id", i);
      bind(*ins, "customer_number", fmt("C-%04lld", i));
      if (c.business) {
        bind(*ins, "company_name", company);
        bind(*ins, "kvk_number", fmt("%08lld", 10000000 + (i * 7919) % 89999999));
      } else {
        bind(*ins, "company_name", nullptr);
        bind(*ins, "kvk_number", nullptr);
      }
      bind(*ins, "contact_first_name", fn);
      bind(*ins, "contact_last_name", ln);
      bind(*ins, "email", fmt("c%lld.", i) + slug(fn) + "." + slug(ln) + "@example.test");
      bind(*ins, "phone", c.phone);
      bind(*ins, "street", street);
      bind(*ins, "postal_code", postal);
      bind(*ins, "city", city);
      bind(*ins, "iban", c.iban);
      if (c.business) {
        bind(*ins, "sector", rng_.pick(kSector));
      } else {
        bind(*ins, "sector", nullptr);
      }
      bind(*ins, "status", c.closed ? "inactive" : "active");
      bind(*ins, "created_on", c.created.iso());
      if (c.closed) {
        bind(*ins, "closed_on", c.closed->iso());
      } else {
        bind(*ins, "closed_on", nullptr);
      }
      bind(*ins, "legal_hold", c.closed && rng_.chance(50) ? 1 : 0);
      step(*ins);
      customers_.push_back(std::move(c));
    }
  }

  void lines() {
    auto ins = insert("subscriptions",
                      {"id", "customer_id", "product", "phone_number", "started_on", "ended_on"});
    std::int64_t id = 0;
    std::int64_t mobile = 0;
    for (const Customer& c : customers_) {
      const int n = c.id != 1 ? 1 + static_cast<int>(rng_.below(3))
                    : o_.half ? static_cast<int>(std::max<std::int64_t>(8, o_.big_calls / 20000))
                              : 8;
      for (int k = 0; k < n; ++k) {
        Line l{++id, c.id, "", c.created, c.closed};
        std::string product;
        if (k == 0) {
          product = c.business ? "VAST-HOSTED" : "MOBIEL-PRIVE";
          l.number = c.phone;
        } else if (k == 1 && c.id != 1 && rng_.chance(300)) {
          product = "INTERNET-GLASVEZEL";
        } else {
          product = c.business ? "MOBIEL-ZAKELIJK" : "MOBIEL-PRIVE";
          l.number = fmt("+316%08lld", ++mobile);
        }
        bind(*ins, "id", l.id);
        bind(*ins, "customer_id", c.id);
        bind(*ins, "product", product);
        if (l.number.empty()) {
          bind(*ins, "phone_number", nullptr);
        } else {
          bind(*ins, "phone_number", l.number);
        }
        bind(*ins, "started_on", l.started.iso());
        if (l.ended) {
          bind(*ins, "ended_on", l.ended->iso());
        } else {
          bind(*ins, "ended_on", nullptr);
        }
        step(*ins);
        if (!l.number.empty()) lines_.push_back(l);
      }
    }
  }

  void calls() {
    auto ins =
        insert("call_records", {"id", "subscription_id", "started_at", "duration_s", "direction",
                                "caller_number", "callee_number", "cost_cents"});
    auto rec = insert("call_recordings", {"call_record_id", "storage_uri", "created_at"});
    std::int64_t id = 0;
    auto call = [&](const Line& l, const Date& day) {
      const std::int64_t second = 7 * 3600 + rng_.below(14 * 3600);
      const std::int64_t duration = 5 + rng_.below(900);
      const bool inbound = rng_.chance(333);
      const std::string other = fmt("+316%08lld", 10000000 + rng_.below(89999999));
      bind(*ins, "id", ++id);
      bind(*ins, "subscription_id", l.id);
      bind(*ins, "started_at", timestamp(day, second));
      bind(*ins, "duration_s", duration);
      bind(*ins, "direction", inbound ? "inbound" : "outbound");
      bind(*ins, "caller_number", l.number);
      bind(*ins, "callee_number", other);
      bind(*ins, "cost_cents", inbound ? 0 : (duration / 60 + 1) * 6);
      step(*ins);
      if (id % 5000 == 0) {
        bind(*rec, "call_record_id", id);
        bind(*rec, "storage_uri",
             fmt("s3://voipgrid-recordings-ams/%lld/%08lld.opus", l.customer, id));
        bind(*rec, "created_at",
             timestamp(day, std::min<std::int64_t>(second + duration + 2, 86399)));
        step(*rec);
      }
    };
    std::vector<const Line*> big;
    std::vector<const Line*> closed;
    std::vector<const Line*> open;
    for (const Line& l : lines_) {
      if (l.customer == 1) {
        big.push_back(&l);
      } else if (l.ended) {
        closed.push_back(&l);
      } else {
        open.push_back(&l);
      }
    }
    const std::int64_t big_calls = big.empty() ? 0 : std::min(o_.big_calls, o_.calls);
    const std::int64_t rest = o_.calls - big_calls;
    const std::int64_t voice = static_cast<std::int64_t>(closed.size() + open.size());
    const std::int64_t closed_calls =
        voice == 0 ? 0 : rest * static_cast<std::int64_t>(closed.size()) / voice;
    // Closed accounts: calls in the 120 days before closing, in order of closing.
    std::sort(closed.begin(), closed.end(),
              [](const Line* a, const Line* b) { return *a->ended < *b->ended; });
    for (std::size_t k = 0; k < closed.size(); ++k) {
      const std::int64_t n =
          closed_calls / static_cast<std::int64_t>(closed.size()) +
          (static_cast<std::int64_t>(k) < closed_calls % static_cast<std::int64_t>(closed.size()));
      std::vector<std::int64_t> days;
      for (std::int64_t j = 0; j < n; ++j) days.push_back(rng_.below(120));
      std::sort(days.rbegin(), days.rend());
      for (std::int64_t d : days) {
        Date day = closed[k]->ended->add_days(-1 - d);
        call(*closed[k], std::max(day, closed[k]->started));
      }
    }
    // Open accounts and the big customer: day by day over the last --months months.
    std::sort(open.begin(), open.end(),
              [](const Line* a, const Line* b) { return a->started < b->started; });
    const Date from = end_.add_months(-o_.months);
    const std::int64_t days = end_.days_since_epoch() - from.days_since_epoch() + 1;
    const std::int64_t open_calls = rest - closed_calls;
    std::size_t eligible = 0;
    for (std::int64_t d = 0; d < days; ++d) {
      const Date day = from.add_days(d);
      while (eligible < open.size() && open[eligible]->started <= day) ++eligible;
      const std::int64_t n_open = open_calls / days + (d < open_calls % days);
      const std::int64_t n_big = big_calls / days + (d < big_calls % days);
      std::int64_t left_open = eligible == 0 ? 0 : n_open;
      std::int64_t left_big = n_big;
      while (left_open + left_big > 0) {
        if (left_big > 0 && (left_open == 0 || rng_.below(left_open + left_big) < left_big)) {
          call(*big[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(big.size())))],
               day);
          --left_big;
        } else {
          call(*open[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(eligible)))],
               day);
          --left_open;
        }
      }
    }
  }

  void money() {
    auto inv =
        insert("invoices", {"id", "customer_id", "invoice_number", "issued_on", "due_on",
                            "amount_cents", "billing_name", "billing_address", "vat_number"});
    auto pay = insert("payments", {"invoice_id", "paid_on", "amount_cents", "iban", "method"});
    std::int64_t id = 0;
    for (const Customer& c : customers_) {
      const Date last = c.closed ? *c.closed : end_;
      Date month{last.year, last.month, 1};
      std::vector<Date> months;
      for (int k = 0; k < 12 && month > c.created; ++k) {
        months.push_back(month);
        month = month.add_months(-1);
      }
      std::reverse(months.begin(), months.end());
      for (const Date& issued : months) {
        const std::int64_t amount = 1000 + rng_.below(30000);
        bind(*inv, "id", ++id);
        bind(*inv, "customer_id", c.id);
        bind(*inv, "invoice_number",
             fmt("VG%04lld%02lld-", issued.year, issued.month) + std::to_string(c.id));
        bind(*inv, "issued_on", issued.iso());
        bind(*inv, "due_on", issued.add_days(14).iso());
        bind(*inv, "amount_cents", amount);
        bind(*inv, "billing_name", c.name);
        bind(*inv, "billing_address", c.address);
        if (c.business) {
          bind(*inv, "vat_number", fmt("NL%09lldB01", c.id));
        } else {
          bind(*inv, "vat_number", nullptr);
        }
        step(*inv);
        const Date paid = issued.add_days(3 + rng_.below(9));
        if (paid >= end_) continue;
        bind(*pay, "invoice_id", id);
        bind(*pay, "paid_on", paid.iso());
        bind(*pay, "amount_cents", amount);
        bind(*pay, "iban", c.iban);
        bind(*pay, "method", rng_.chance(50) ? "overboeking" : "incasso");
        step(*pay);
      }
    }
  }

  void the_rest() {
    auto ticket =
        insert("support_tickets", {"customer_id", "opened_at", "closed_at", "subject", "body"});
    auto consent = insert("consents", {"customer_id", "purpose", "given_at", "withdrawn_at"});
    auto contact =
        insert("app_contacts", {"customer_id", "contact_name", "contact_number", "synced_at"});
    auto login =
        insert("portal_logins", {"customer_id", "logged_in_at", "ip_address", "user_agent"});
    auto dispute = insert("disputes", {"customer_id", "opened_on", "resolved_on", "description"});
    auto credit =
        insert("credit_checks", {"customer_id", "checked_on", "agency", "score", "outcome"});
    for (const Customer& c : customers_) {
      const Date last = c.closed ? *c.closed : end_;
      const std::int64_t life =
          std::max<std::int64_t>(1, last.days_since_epoch() - c.created.days_since_epoch());
      if (rng_.chance(500)) {
        const Date opened = c.created.add_days(rng_.below(life));
        bind(*ticket, "customer_id", c.id);
        bind(*ticket, "opened_at", timestamp(opened, 32400 + rng_.below(28800)));
        bind(*ticket, "closed_at",
             timestamp(std::min(opened.add_days(1 + rng_.below(10)), last), 57600));
        bind(*ticket, "subject", "Vraag over de factuur");
        bind(*ticket, "body",
             c.name + " vraagt een kopie van de factuur; gestuurd naar het adres " + c.address +
                 ".");
        step(*ticket);
      }
      bind(*consent, "customer_id", c.id);
      bind(*consent, "purpose", "nieuwsbrief");
      bind(*consent, "given_at", timestamp(c.created, 43200));
      if (rng_.chance(200)) {
        bind(*consent, "withdrawn_at", timestamp(c.created.add_days(rng_.below(life)), 43200));
      } else {
        bind(*consent, "withdrawn_at", nullptr);
      }
      step(*consent);
      if (c.business) {
        for (int k = 0; k < 2; ++k) {
          bind(*contact, "customer_id", c.id);
          bind(*contact, "contact_name", rng_.pick(kFirst) + " " + rng_.pick(kLast));
          bind(*contact, "contact_number", fmt("+316%08lld", 10000000 + rng_.below(89999999)));
          bind(*contact, "synced_at",
               timestamp(last.add_days(-rng_.below(std::min<std::int64_t>(life, 400))), 3600));
          step(*contact);
        }
      }
      for (int k = 0; k < 3; ++k) {
        bind(*login, "customer_id", c.id);
        bind(*login, "logged_in_at",
             timestamp(last.add_days(-rng_.below(std::min<std::int64_t>(life, 270))),
                       rng_.below(86400)));
        bind(*login, "ip_address", fmt("203.0.113.%lld", rng_.below(256)));
        bind(*login, "user_agent",
             "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0");
        step(*login);
      }
      if (rng_.chance(c.closed ? 0 : 2) || rng_.chance(10)) {
        const Date opened = c.created.add_days(rng_.below(life));
        const bool open = !c.closed && rng_.chance(200);
        bind(*dispute, "customer_id", c.id);
        bind(*dispute, "opened_on", opened.iso());
        if (open) {
          bind(*dispute, "resolved_on", nullptr);
        } else {
          bind(*dispute, "resolved_on",
               std::min(opened.add_days(30 + rng_.below(200)), end_).iso());
        }
        bind(*dispute, "description", "Betwiste gesprekskosten");
        step(*dispute);
      }
      const std::int64_t score = rng_.below(101);
      bind(*credit, "customer_id", c.id);
      bind(*credit, "checked_on", c.created.iso());
      bind(*credit, "agency", "Creditsafe Nederland B.V.");
      bind(*credit, "score", score);
      bind(*credit, "outcome", score >= 50 ? "approved" : score >= 30 ? "deposit" : "rejected");
      step(*credit);
    }
  }

  Store& store_;
  const Options& o_;
  Rng rng_;
  Date end_;
  std::vector<Customer> customers_;
  std::vector<Line> lines_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int generate(const Options& o) {
  namespace fs = std::filesystem;
  if (fs::exists(o.out) && !o.force) {
    std::cerr << "telcomply_generate: error: " << o.out << " exists (use --force)\n";
    return 2;
  }
  if (!telcomply::parse_date(o.end)) {
    std::cerr << "telcomply_generate: error: --end: not a date (YYYY-MM-DD)\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::string temp = o.out + ".tmp";
  fs::remove(temp);
  // Of the example's script: the tables and the reference rows now, the indexes after the
  // rows; its customers and their data are left out.
  std::string tables;
  std::string indexes;
  for (const std::string& stmt : statements(read_file(o.schema))) {
    if (starts_with(stmt, "CREATE TABLE") || starts_with(stmt, "INSERT INTO products") ||
        starts_with(stmt, "INSERT INTO schema_migrations") ||
        starts_with(stmt, "PRAGMA user_version")) {
      tables += stmt;
    } else if (starts_with(stmt, "CREATE INDEX") || starts_with(stmt, "CREATE UNIQUE INDEX")) {
      indexes += stmt;
    }
  }
  {
    // An empty file is an empty SQLite database; open_store() opens only a file that exists.
    if (!std::ofstream(temp)) throw std::runtime_error("cannot create " + temp);
    auto store =
        telcomply::open_store(temp, telcomply::StoreOptions{telcomply::OpenMode::read_write});
    // The generator only ever makes SQLite files, so these are SQLite's PRAGMAs. A new file
    // nobody else sees until it is renamed: no journal, no syncs, no foreign-key checks
    // (every parent row is written before its children). Index sorts spill to temporary
    // files rather than memory.
    store->execute(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;"
        "PRAGMA locking_mode = EXCLUSIVE; PRAGMA foreign_keys = OFF");
    store->execute("BEGIN");
    store->execute(tables);
    Generator g(*store, o);
    g.run();
    store->execute(indexes);
    store->execute("COMMIT");
    store->execute("PRAGMA journal_mode = DELETE");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "telcomply_generate: " << g.rows << " rows (" << o.customers << " customers, "
              << o.calls << " call records) in " << seconds << " s\n";
  }
  fs::rename(temp, o.out);
  return 0;
}

constexpr const char* kUsage =
    "usage: telcomply_generate OUT.db [--customers N] [--calls N] [--big-customer-calls N]\n"
    "                          [--shape spread|half] [--months N] [--end YYYY-MM-DD] [--seed N]\n"
    "                          [--schema FILE] [--force]\n"
    "  --customers N            number of customers (default 1000)\n"
    "  --calls N                call records in all (default 100000)\n"
    "  --big-customer-calls N   call records of the business customer C-0001, part of --calls\n"
    "                           (default 10000)\n"
    "  --shape spread|half      spread: C-0001 has --big-customer-calls on 8 lines (default);\n"
    "                           half: C-0001 has half of --calls, on a line per 20,000\n"
    "  --months N               months of call history of open accounts up to --end (default 9)\n"
    "  --end DATE               date of the last data (default 2026-11-20)\n"
    "  --seed N                 seed of the generator (default 1)\n"
    "  --schema FILE            SQL file with the schema (default: the example's voipgrow.sql)\n"
    "  --force                  replace an existing OUT\n";

// Parses the command line into `o`; returns false (after a message) on a usage error.
bool parse_args(int argc, char** argv, Options& o, bool& help) {
  auto number = [](const std::string& text, std::int64_t& out) {
    try {
      std::size_t used = 0;
      out = std::stoll(text, &used);
      return used == text.size();
    } catch (const std::exception&) {
      return false;
    }
  };
  bool big_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      help = true;
      return true;
    }
    if (arg == "--force") {
      o.force = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      if (!o.out.empty()) {
        std::cerr << "telcomply_generate: error: more than one OUT\n";
        return false;
      }
      o.out = arg;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "telcomply_generate: error: " << arg << " needs a value\n";
      return false;
    }
    const std::string value = argv[++i];
    std::int64_t n = 0;
    bool ok = true;
    if (arg == "--customers") {
      ok = number(value, o.customers);
    } else if (arg == "--calls") {
      ok = number(value, o.calls);
    } else if (arg == "--big-customer-calls") {
      ok = number(value, o.big_calls);
      big_given = true;
    } else if (arg == "--shape") {
      if (value != "spread" && value != "half") {
        std::cerr << "telcomply_generate: error: --shape: spread or half, not " << value << "\n";
        return false;
      }
      o.half = value == "half";
    } else if (arg == "--months") {
      ok = number(value, o.months);
    } else if (arg == "--seed") {
      ok = number(value, n) && n >= 0;
      o.seed = static_cast<std::uint64_t>(n);
    } else if (arg == "--end") {
      o.end = value;
    } else if (arg == "--schema") {
      o.schema = value;
    } else {
      std::cerr << "telcomply_generate: error: unknown option " << arg << "\n";
      return false;
    }
    if (!ok) {
      std::cerr << "telcomply_generate: error: " << arg << ": not a number: " << value << "\n";
      return false;
    }
  }
  if (o.out.empty()) {
    std::cerr << "telcomply_generate: error: OUT is required\n";
    return false;
  }
  if (o.half && big_given) {
    std::cerr << "telcomply_generate: error: --shape half gives C-0001 half of --calls: no "
                 "--big-customer-calls\n";
    return false;
  }
  if (o.half) o.big_calls = o.calls / 2;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool help = false;
  if (!parse_args(argc, argv, o, help)) {
    std::cerr << kUsage;
    return 2;
  }
  if (help) {
    std::cout << "Generate a synthetic operator database in the example's schema\n" << kUsage;
    return 0;
  }
  if (o.customers < 1 || o.calls < 0 || o.big_calls < 0 || o.months < 1) {
    std::cerr << "telcomply_generate: error: counts must be positive\n";
    return 2;
  }
  try {
    return generate(o);
  } catch (const std::exception& e) {
    std::cerr << "telcomply_generate: error: " << e.what() << "\n";
    std::filesystem::remove(o.out + ".tmp");
    return 4;
  }
}
