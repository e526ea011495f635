// telcomply_generate: a synthetic operator database in the example's schema, at any scale.
//
//   telcomply_generate OUT.db --customers 100000 --calls 20000000 --big-customer-calls 1000000
//
// The schema (tables, indexes, the products and migrations reference rows) is read from
// examples/voipgrow.sql, so there is one schema. Data is deterministic: the same options and
// seed give the same database, byte for byte. Customer C-0001 is the business customer with
// --big-customer-calls of the call records; about one customer in ten has closed its account
// (a few of those under a legal hold), and call records span --months months up to --end,
// so a realistic share is past the 6-month billing window. Everything is written in one
// transaction with prepared statements; indexes are built after the rows.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/date.h"

namespace {

using telcomply::Date;

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

const std::vector<std::string> kFirst = {"Anna", "Bram", "Daan", "Emma", "Fleur", "Gijs", "Iris",
                                         "Jesse", "Lotte", "Milan", "Noor", "Ruben", "Sanne",
                                         "Thijs", "Vera", "Wouter", "Yara", "Zoe"};
const std::vector<std::string> kLast = {"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer",
                                        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
                                        "Hendriks", "van Dijk", "Dekker", "Brouwer"};
const std::vector<std::string> kCompany = {"Installatietechniek", "Bloemenhuis", "Transport",
                                           "Architecten", "Tandartsenpraktijk", "Bakkerij",
                                           "Koeltechniek", "Adviesbureau", "Autobedrijf", "Drukkerij"};
const std::vector<std::string> kCity = {"Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven",
                                        "Groningen", "Haarlem", "Leiden", "Gouda", "Lisse"};
const std::vector<std::string> kStreet = {"Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg",
                                          "Nieuwe Rijn", "Oudegracht", "Heereweg", "Marktplein"};
const std::vector<std::string> kSector = {"Installatietechniek", "Detailhandel", "Zorg",
                                          "Horeca en food", "Transport en logistiek", "Bouw"};

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

// The statements of an SQL script, split where SQLite says a statement is complete.
std::vector<std::string> statements(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    std::string trimmed = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    if (current.empty() && (trimmed.empty() || trimmed.rfind("--", 0) == 0)) continue;
    current += line + "\n";
    if (sqlite3_complete(current.c_str())) {
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
  Generator(SQLite::Database& db, const Options& o) : db_(db), o_(o), rng_(o.seed) {
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
  SQLite::Statement prepare(const std::string& sql) { return SQLite::Statement(db_, sql); }
  void step(SQLite::Statement& s) {
    s.exec();
    s.reset();
    ++rows;
  }

  void customers() {
    auto ins = prepare(
        "INSERT INTO customers (id, customer_number, company_name, kvk_number, contact_first_name, "
        "contact_last_name, email, phone, street, postal_code, city, iban, sector, status, "
        "created_on, closed_on, legal_hold) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
      const std::string company = rng_.pick(kCompany) + " " + ln + (rng_.chance(500) ? " B.V." : "");
      const std::string city = rng_.pick(kCity);
      const std::string street = rng_.pick(kStreet) + " " + std::to_string(1 + rng_.below(300));
      const std::string postal = fmt("%04lld %c%c", 1000 + rng_.below(9000), 'A' + rng_.below(26),
                                     'A' + rng_.below(26));
      c.phone = fmt("+3120%07lld", i);
      c.iban = fmt("NL%02lldBANK%010lld", 10 + i % 90, i * 7919 % 10000000000LL);
      c.name = c.business ? company : fn + " " + ln;
      c.address = street + ", " + postal + " " + city;
      ins.bind(1, i);
      ins.bind(2, fmt("C-%04lld", i));
      if (c.business) {
        ins.bind(3, company);
        ins.bind(4, fmt("%08lld", 10000000 + (i * 7919) % 89999999));
      } else {
        ins.bind(3);
        ins.bind(4);
      }
      ins.bind(5, fn);
      ins.bind(6, ln);
      ins.bind(7, fmt("c%lld.", i) + slug(fn) + "." + slug(ln) + "@example.test");
      ins.bind(8, c.phone);
      ins.bind(9, street);
      ins.bind(10, postal);
      ins.bind(11, city);
      ins.bind(12, c.iban);
      if (c.business) {
        ins.bind(13, rng_.pick(kSector));
      } else {
        ins.bind(13);
      }
      ins.bind(14, c.closed ? "inactive" : "active");
      ins.bind(15, c.created.iso());
      if (c.closed) {
        ins.bind(16, c.closed->iso());
      } else {
        ins.bind(16);
      }
      ins.bind(17, c.closed && rng_.chance(50) ? 1 : 0);
      step(ins);
      customers_.push_back(std::move(c));
    }
  }

  void lines() {
    auto ins = prepare(
        "INSERT INTO subscriptions (id, customer_id, product, phone_number, started_on, ended_on) "
        "VALUES (?,?,?,?,?,?)");
    std::int64_t id = 0;
    std::int64_t mobile = 0;
    for (const Customer& c : customers_) {
      const int n = c.id == 1 ? 8 : 1 + static_cast<int>(rng_.below(3));
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
        ins.bind(1, l.id);
        ins.bind(2, c.id);
        ins.bind(3, product);
        if (l.number.empty()) {
          ins.bind(4);
        } else {
          ins.bind(4, l.number);
        }
        ins.bind(5, l.started.iso());
        if (l.ended) {
          ins.bind(6, l.ended->iso());
        } else {
          ins.bind(6);
        }
        step(ins);
        if (!l.number.empty()) lines_.push_back(l);
      }
    }
  }

  void calls() {
    auto ins = prepare(
        "INSERT INTO call_records (id, subscription_id, started_at, duration_s, direction, "
        "caller_number, callee_number, cost_cents) VALUES (?,?,?,?,?,?,?,?)");
    auto rec = prepare(
        "INSERT INTO call_recordings (call_record_id, storage_uri, created_at) VALUES (?,?,?)");
    std::int64_t id = 0;
    auto call = [&](const Line& l, const Date& day) {
      const std::int64_t second = 7 * 3600 + rng_.below(14 * 3600);
      const std::int64_t duration = 5 + rng_.below(900);
      const bool inbound = rng_.chance(333);
      const std::string other = fmt("+316%08lld", 10000000 + rng_.below(89999999));
      ins.bind(1, ++id);
      ins.bind(2, l.id);
      ins.bind(3, timestamp(day, second));
      ins.bind(4, duration);
      ins.bind(5, inbound ? "inbound" : "outbound");
      ins.bind(6, l.number);
      ins.bind(7, other);
      ins.bind(8, inbound ? 0 : (duration / 60 + 1) * 6);
      step(ins);
      if (id % 5000 == 0) {
        rec.bind(1, id);
        rec.bind(2, fmt("s3://voipgrid-recordings-ams/%lld/%08lld.opus", l.customer, id));
        rec.bind(3, timestamp(day, std::min<std::int64_t>(second + duration + 2, 86399)));
        step(rec);
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
      const std::int64_t n = closed_calls / static_cast<std::int64_t>(closed.size()) +
                             (static_cast<std::int64_t>(k) <
                              closed_calls % static_cast<std::int64_t>(closed.size()));
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
          call(*big[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(big.size())))], day);
          --left_big;
        } else {
          call(*open[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(eligible)))], day);
          --left_open;
        }
      }
    }
  }

  void money() {
    auto inv = prepare(
        "INSERT INTO invoices (id, customer_id, invoice_number, issued_on, due_on, amount_cents, "
        "billing_name, billing_address, vat_number) VALUES (?,?,?,?,?,?,?,?,?)");
    auto pay = prepare(
        "INSERT INTO payments (invoice_id, paid_on, amount_cents, iban, method) "
        "VALUES (?,?,?,?,?)");
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
        inv.bind(1, ++id);
        inv.bind(2, c.id);
        inv.bind(3, fmt("VG%04lld%02lld-", issued.year, issued.month) + std::to_string(c.id));
        inv.bind(4, issued.iso());
        inv.bind(5, issued.add_days(14).iso());
        inv.bind(6, amount);
        inv.bind(7, c.name);
        inv.bind(8, c.address);
        if (c.business) {
          inv.bind(9, fmt("NL%09lldB01", c.id));
        } else {
          inv.bind(9);
        }
        step(inv);
        const Date paid = issued.add_days(3 + rng_.below(9));
        if (paid >= end_) continue;
        pay.bind(1, id);
        pay.bind(2, paid.iso());
        pay.bind(3, amount);
        pay.bind(4, c.iban);
        pay.bind(5, rng_.chance(50) ? "overboeking" : "incasso");
        step(pay);
      }
    }
  }

  void the_rest() {
    auto ticket = prepare(
        "INSERT INTO support_tickets (customer_id, opened_at, closed_at, subject, body) "
        "VALUES (?,?,?,?,?)");
    auto consent = prepare(
        "INSERT INTO consents (customer_id, purpose, given_at, withdrawn_at) VALUES (?,?,?,?)");
    auto contact = prepare(
        "INSERT INTO app_contacts (customer_id, contact_name, contact_number, synced_at) "
        "VALUES (?,?,?,?)");
    auto login = prepare(
        "INSERT INTO portal_logins (customer_id, logged_in_at, ip_address, user_agent) "
        "VALUES (?,?,?,?)");
    auto dispute = prepare(
        "INSERT INTO disputes (customer_id, opened_on, resolved_on, description) VALUES (?,?,?,?)");
    auto credit = prepare(
        "INSERT INTO credit_checks (customer_id, checked_on, agency, score, outcome) "
        "VALUES (?,?,?,?,?)");
    for (const Customer& c : customers_) {
      const Date last = c.closed ? *c.closed : end_;
      const std::int64_t life = std::max<std::int64_t>(
          1, last.days_since_epoch() - c.created.days_since_epoch());
      if (rng_.chance(500)) {
        const Date opened = c.created.add_days(rng_.below(life));
        ticket.bind(1, c.id);
        ticket.bind(2, timestamp(opened, 32400 + rng_.below(28800)));
        ticket.bind(3, timestamp(std::min(opened.add_days(1 + rng_.below(10)), last), 57600));
        ticket.bind(4, "Vraag over de factuur");
        ticket.bind(5, c.name + " vraagt een kopie van de factuur; gestuurd naar het adres " +
                           c.address + ".");
        step(ticket);
      }
      consent.bind(1, c.id);
      consent.bind(2, "nieuwsbrief");
      consent.bind(3, timestamp(c.created, 43200));
      if (rng_.chance(200)) {
        consent.bind(4, timestamp(c.created.add_days(rng_.below(life)), 43200));
      } else {
        consent.bind(4);
      }
      step(consent);
      if (c.business) {
        for (int k = 0; k < 2; ++k) {
          contact.bind(1, c.id);
          contact.bind(2, rng_.pick(kFirst) + " " + rng_.pick(kLast));
          contact.bind(3, fmt("+316%08lld", 10000000 + rng_.below(89999999)));
          contact.bind(4, timestamp(last.add_days(-rng_.below(std::min<std::int64_t>(life, 400))), 3600));
          step(contact);
        }
      }
      for (int k = 0; k < 3; ++k) {
        login.bind(1, c.id);
        login.bind(2, timestamp(last.add_days(-rng_.below(std::min<std::int64_t>(life, 270))),
                                rng_.below(86400)));
        login.bind(3, fmt("203.0.113.%lld", rng_.below(256)));
        login.bind(4, "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0");
        step(login);
      }
      if (rng_.chance(c.closed ? 0 : 2) || rng_.chance(10)) {
        const Date opened = c.created.add_days(rng_.below(life));
        const bool open = !c.closed && rng_.chance(200);
        dispute.bind(1, c.id);
        dispute.bind(2, opened.iso());
        if (open) {
          dispute.bind(3);
        } else {
          dispute.bind(3, std::min(opened.add_days(30 + rng_.below(200)), end_).iso());
        }
        dispute.bind(4, "Betwiste gesprekskosten");
        step(dispute);
      }
      const std::int64_t score = rng_.below(101);
      credit.bind(1, c.id);
      credit.bind(2, c.created.iso());
      credit.bind(3, "Creditsafe Nederland B.V.");
      credit.bind(4, score);
      credit.bind(5, score >= 50 ? "approved" : score >= 30 ? "deposit" : "rejected");
      step(credit);
    }
  }

  SQLite::Database& db_;
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
  std::vector<std::string> later;  // indexes, built after the rows
  {
    SQLite::Database db(temp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // A new file nobody else sees until it is renamed: no journal, no syncs. Index sorts
    // spill to temporary files rather than memory.
    db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;"
            "PRAGMA locking_mode = EXCLUSIVE");
    db.exec("BEGIN");
    for (const std::string& stmt : statements(read_file(o.schema))) {
      if (starts_with(stmt, "CREATE TABLE")) {
        db.exec(stmt);
      } else if (starts_with(stmt, "CREATE INDEX") || starts_with(stmt, "CREATE UNIQUE INDEX")) {
        later.push_back(stmt);
      } else if (starts_with(stmt, "INSERT INTO products") ||
                 starts_with(stmt, "INSERT INTO schema_migrations") ||
                 starts_with(stmt, "PRAGMA user_version")) {
        db.exec(stmt);
      }
    }
    Generator g(db, o);
    g.run();
    for (const std::string& stmt : later) db.exec(stmt);
    db.exec("COMMIT");
    db.exec("PRAGMA journal_mode = DELETE");
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
    "                          [--months N] [--end YYYY-MM-DD] [--seed N] [--schema FILE] [--force]\n"
    "  --customers N            number of customers (default 1000)\n"
    "  --calls N                call records in all (default 100000)\n"
    "  --big-customer-calls N   call records of the business customer C-0001, part of --calls\n"
    "                           (default 10000)\n"
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
