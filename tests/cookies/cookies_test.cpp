#include "cookies/cookies.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "cookies/browser.h"
#include "cookies/inventory.h"
#include "cookies/scan.h"
#include "io/json_doc.h"
#include "policy/load.h"
#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;
using telcomply::test::read_file;
using telcomply::test::source_dir;
using telcomply::test::TempDir;

namespace {

std::filesystem::path data(const std::string& name) {
  return source_dir() / "tests/data/cookies" / name;
}

// The example operator's cookie policy: the shipped category rules plus its declarations.
CookiePolicy example_policy() {
  return load_cookie_policy(read_yaml_sources({source_dir() / "policies/cookies-nl.yaml",
                                               source_dir() / "examples/policies/cookies.yaml"}));
}

// A small policy for the check's rules, independent of the example.
const char* kPolicy = R"(site: [voipgrid.nl]
categories:
  functional: {consent: not-required}
  analytics:
    consent: exempt-if-attested
    conditions: [ip_last_octet_masked, data_sharing_off]
  tracking: {consent: required, max_lifetime: 13 months}
attestations:
  ip_last_octet_masked: {value: true, evidence: anonymizeIp}
  data_sharing_off: true
cookies:
  - {name: PHPSESSID, provider: voipgrid.nl, type: http, expiry: Session, category: functional}
  - {name: CookieConsent, provider: voipgrid.nl, type: http, expiry: 1 year, category: functional}
  - {name: _ga, provider: voipgrid.nl, type: http, expiry: 2 years, category: analytics}
  - {name: "_dc_gtm_UA-#", provider: voipgrid.nl, type: http, expiry: 1 day, category: analytics}
  - {name: collect, provider: google-analytics.com, type: pixel, expiry: Session, category: analytics}
  - {name: bcookie, provider: linkedin.com, type: http, expiry: 1 year, category: tracking}
  - {name: MUID, provider: bing.com, type: http, expiry: 1 year, category: tracking}
  - {name: "pagead/1p-user-list/#", provider: google.com, type: pixel, expiry: Session, category: tracking}
  - {name: theme, provider: voipgrid.nl, type: local-storage, expiry: 1 year, category: functional}
)";

CookiePolicy policy(const std::string& text = kPolicy) {
  return load_cookie_policy({YamlSource{"cookies.yaml", text}});
}

// A CSV inventory captured at 2026-11-02T10:00:00Z (Unix 1793613600).
constexpr std::int64_t kCaptured = 1793613600;
Inventory csv(const std::string& rows) {
  InventoryOptions options;
  options.captured_at = kCaptured;
  return read_inventory("inv.csv", "name,domain,path,expires,secure,httponly,type,page\n" + rows,
                        options);
}

std::vector<Finding> check(const std::string& rows, CookieCheckOptions options = {}) {
  return check_cookies(policy(), {csv(rows)}, options);
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule + ":" + f.entry);
  return out;
}

bool has(const std::vector<Finding>& findings, const std::string& rule, const std::string& entry) {
  for (const auto& f : findings)
    if (f.rule == rule && f.entry == entry) return true;
  return false;
}

// The findings other than stale-policy warnings.
std::vector<std::string> active(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    if (f.rule != "never-observed") out.push_back(f.rule + ":" + f.entry);
  return out;
}

std::size_t count_rule(const std::vector<Finding>& findings, const std::string& rule) {
  std::size_t n = 0;
  for (const auto& f : findings) n += f.rule == rule;
  return n;
}

// Every declared entry of kPolicy observed cleanly, so that only what a test adds shows.
const std::string kClean =
    "PHPSESSID,www.voipgrid.nl,/,session,true,true,http,https://www.voipgrid.nl/\n"
    "CookieConsent,www.voipgrid.nl,/,2027-11-02T10:00:00Z,true,true,http,https://www.voipgrid.nl/\n"
    "_ga,.voipgrid.nl,/,2028-11-01T10:00:00Z,false,false,http,https://www.voipgrid.nl/\n"
    "_dc_gtm_UA-12345678-1,.voipgrid.nl,/,2026-11-02T10:01:00Z,,,http,\n"
    "collect,www.google-analytics.com,/collect,,,,pixel,https://www.voipgrid.nl/\n"
    "bcookie,.linkedin.com,/,2027-11-02T10:00:00Z,true,false,http,\n"
    "MUID,.bing.com,/,2027-11-02T10:00:00Z,true,false,http,\n"
    "pagead,www.google.com,/pagead/1p-user-list/987654/,,,,pixel,\n"
    "theme,www.voipgrid.nl,/,,,,local-storage,https://www.voipgrid.nl/\n";

// ---------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for the scan tests.

struct Reply {
  int status = 200;
  std::vector<std::string> headers;
  std::string body;
};

class TestServer {
 public:
  using Handler = std::function<Reply(const std::string& path, const std::string& cookie)>;
  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TestServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests() const { return requests_; }
  std::string last_cookie() const { return last_cookie_; }

 private:
  void serve() {
    while (!stop_) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      timeval timeout{5, 0};
      ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      const std::size_t sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
      const std::string path = sp1 == std::string::npos ? "/" : request.substr(sp1 + 1, sp2 - sp1 - 1);
      std::string cookie;
      if (auto at = request.find("\r\nCookie: "); at != std::string::npos)
        cookie = request.substr(at + 10, request.find("\r\n", at + 2) - at - 10);
      ++requests_;
      last_cookie_ = cookie;
      const Reply reply = handler_(path, cookie);
      std::string response = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\n";
      for (const auto& h : reply.headers) response += h + "\r\n";
      response += "Content-Length: " + std::to_string(reply.body.size()) +
                  "\r\nConnection: close\r\n\r\n" + reply.body;
      for (std::size_t sent = 0; sent < response.size();) {
        const ssize_t n = ::send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(client);
    }
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::string last_cookie_;
  std::thread thread_;
};

// The test site: the example's functional cookies on every page, a tracking cookie when
// asked, links to follow and one to another site.
Reply site(const std::string& path, bool tracking) {
  Reply r;
  r.headers.push_back("Content-Type: text/html; charset=utf-8");
  if (path == "/old") {
    r.status = 301;
    r.headers.push_back("Location: /");
    r.headers.push_back("Set-Cookie: moved=1; Path=/; Max-Age=0");
    return r;
  }
  if (path == "/" || path == "/contact" || path == "/about") {
    r.headers.push_back("Set-Cookie: PHPSESSID=s3cr3tsessionvalue; Path=/; HttpOnly; SameSite=Lax");
    r.headers.push_back("Set-Cookie: CookieConsent=consentvalue42; Max-Age=31536000; Path=/; SameSite=Lax");
    if (tracking)
      r.headers.push_back("Set-Cookie: _fbp=fb.1.123.456; Max-Age=7776000; Path=/; SameSite=Lax");
    r.body = "<html><body><a href=\"/contact\">Contact</a> <A HREF='about'>Over</A> "
             "<a href=\"https://www.example.org/\">elders</a> <a href=\"mailto:x@voipgrid.nl\">m</a>"
             "</body></html>";
    return r;
  }
  if (path == "/big") {  // a link past the body cap
    r.body = "<html><body>" + std::string(100000, ' ') + "<a href=\"/contact\">c</a></body></html>";
    return r;
  }
  r.status = 404;
  r.body = "not found";
  return r;
}

// Runs the real binary; returns its exit status and standard output.
std::pair<int, std::string> run(const std::string& args) {
  const std::string command = std::string(TELCOMPLY_BINARY) + " " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A fake network for the crawl logic.
class FakeClient : public HttpClient {
 public:
  std::map<std::string, HttpResponse> pages;
  std::vector<std::string> fetched;
  HttpResponse get(const std::string& url) override {
    fetched.push_back(url);
    auto it = pages.find(url);
    if (it == pages.end()) throw_operational("cannot fetch " + url + ": connection refused");
    HttpResponse r = it->second;
    r.time = kCaptured;
    return r;
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------

TEST_CASE("registrable domains come from the public suffix list, not string suffixes") {
  CHECK(registrable_domain("www.voipgrid.nl") == "voipgrid.nl");
  CHECK(registrable_domain(".voipgrid.nl") == "voipgrid.nl");
  CHECK(registrable_domain("WWW.VoIPGRID.nl") == "voipgrid.nl");
  CHECK(registrable_domain("voipgrid.nl.evil.com") == "evil.com");
  CHECK(registrable_domain("a.b.example.co.uk") == "example.co.uk");
  CHECK(registrable_domain("www.domain.org.uy") == "domain.org.uy");
  CHECK(registrable_domain("www.domain.org") == "domain.org");
  CHECK(registrable_domain("ads.linkedin.com") == "linkedin.com");
  CHECK(registrable_domain("127.0.0.1") == "127.0.0.1");
  CHECK(registrable_domain("localhost") == "localhost");
}

TEST_CASE("declared names match with '#' for an id and '*' for anything") {
  CHECK(match_cookie_name("_ga", "_ga"));
  CHECK_FALSE(match_cookie_name("_ga", "_gat"));
  CHECK(match_cookie_name("_dc_gtm_UA-#", "_dc_gtm_UA-12345678-1"));
  CHECK(match_cookie_name("_dc_gtm_UA-#", "_dc_gtm_UA-x9"));
  CHECK_FALSE(match_cookie_name("_dc_gtm_UA-#", "_dc_gtm_UA-"));
  CHECK_FALSE(match_cookie_name("_dc_gtm_UA-#", "_dc_gtm_UA-1.2"));
  CHECK(match_cookie_name("_ga_*", "_ga_ABC.DEF"));
  CHECK(match_cookie_name("_ga_*", "_ga_"));
  CHECK_FALSE(match_cookie_name("_ga_*", "_gat"));

  CHECK(match_pixel_path("collect", "/collect"));
  CHECK(match_pixel_path("collect", "/g/collect"));
  CHECK(match_pixel_path("collect", "/j/collect/"));
  CHECK_FALSE(match_pixel_path("collect", "/collector.js"));
  CHECK_FALSE(match_pixel_path("collect", "/recollect"));
  CHECK(match_pixel_path("ads/ga-audiences", "/ads/ga-audiences"));
  CHECK(match_pixel_path("pagead/1p-user-list/#", "/pagead/1p-user-list/987654/"));
  CHECK(match_pixel_path("/pagead/1p-user-list/#", "/pagead/1p-user-list/987654"));
  CHECK_FALSE(match_pixel_path("pagead/1p-user-list/#", "/pagead/1p-user-list/"));
}

TEST_CASE("Set-Cookie headers give names and attributes, Max-Age before Expires") {
  auto c = parse_set_cookie(
      "id=secret; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600; Domain=.Voipgrid.nl; "
      "Path=/app; Secure; HttpOnly; SameSite=Lax",
      1000);
  REQUIRE(c);
  CHECK(c->name == "id");
  CHECK(c->expires == 4600);
  CHECK(c->domain == "voipgrid.nl");
  CHECK(c->path == "/app");
  CHECK(c->secure);
  CHECK(c->http_only);
  CHECK(c->same_site == "Lax");
  auto e = parse_set_cookie("a=b; expires=Wed, 21 Oct 2026 07:28:00 GMT", 0);
  REQUIRE(e);
  CHECK(e->expires == parse_iso_time("2026-10-21T07:28:00Z"));
  auto s = parse_set_cookie("a=b", 0);
  REQUIRE(s);
  CHECK_FALSE(s->expires);
  CHECK_FALSE(s->secure);
  CHECK_FALSE(parse_set_cookie("novalue", 0));
  CHECK_FALSE(parse_set_cookie("=x", 0));
}

TEST_CASE("ISO 8601 times") {
  // Expanded years, as JavaScript writes those beyond 9999.
  CHECK(parse_iso_time("+033715-03-14T08:00:00.000Z") ==
        Date{33715, 3, 14}.days_since_epoch() * 86400 + 8 * 3600);
  CHECK(parse_iso_time("+002026-11-02T10:00:00Z") == kCaptured);
  CHECK(parse_iso_time("-000001-01-01") == Date{-1, 1, 1}.days_since_epoch() * 86400);
  CHECK_FALSE(parse_iso_time("+33715-02-30T00:00:00Z"));
  CHECK_FALSE(parse_iso_time("+1234567-01-01"));
  CHECK_FALSE(parse_iso_time("+033715-3-14"));
  CHECK_FALSE(parse_iso_time("+"));
  CHECK(parse_iso_time("1970-01-02T00:00:00Z") == 86400);
  CHECK(parse_iso_time("2026-11-02T10:00:00Z") == kCaptured);
  CHECK(parse_iso_time("2026-11-02T11:00:00.123+01:00") == kCaptured);
  CHECK(parse_iso_time("2026-11-02T05:30-0430") == kCaptured);
  CHECK(parse_iso_time("2026-11-02") == kCaptured - 10 * 3600);
  CHECK_FALSE(parse_iso_time("2026-11-02T25:00:00Z"));
  CHECK_FALSE(parse_iso_time("yesterday"));
  CHECK(format_moment(kCaptured) == "2026-11-02T10:00:00Z");
}

TEST_CASE("the cookie policy loads strictly and resolves categories across files") {
  const CookiePolicy p = policy();
  CHECK(p.site == std::vector<std::string>{"voipgrid.nl"});
  CHECK(p.cookies.size() == 9);
  CHECK(p.cookies[3].name == "_dc_gtm_UA-#");
  CHECK(p.cookies[4].type == CookieType::pixel);
  CHECK(p.cookies[8].type == CookieType::local_storage);
  CHECK(p.categories.at("tracking").max_lifetime == Duration{Duration::Unit::months, 13});
  CHECK(p.attestations.at("data_sharing_off").value);
  CHECK_FALSE(needs_consent(p.categories.at("analytics"), p.attestations));
  CHECK(needs_consent(p.categories.at("tracking"), p.attestations));
  CHECK(p.cookies[1].loc.str() == "cookies.yaml:13:5");

  // Categories from one file, cookies from another.
  const CookiePolicy merged = load_cookie_policy(
      {YamlSource{"rules.yaml", "categories:\n  functional: {consent: not-required}\n"},
       YamlSource{"site.yaml", "site: x.nl\ncookies:\n  - {name: a, provider: x.nl, expiry: 1 day, category: functional}\n"}});
  CHECK(merged.cookies.size() == 1);
  CHECK(merged.site == std::vector<std::string>{"x.nl"});

  auto load = [](const std::string& text) {
    return load_cookie_policy({YamlSource{"c.yaml", "site: [x.nl]\n" + text}});
  };
  CHECK(error_of([&] { load("cookie: []\n"); }) == "c.yaml:2:1: unknown key 'cookie' in the cookie policy; did you mean 'cookies'?");
  CHECK(error_of([&] {
          load("categories: {functional: {}}\ncookies:\n  - {name: a, provider: x.nl, expiry: 1 day, category: functionl}\n");
        }) == "c.yaml:4:56: cookie 'a': unknown category 'functionl'; did you mean 'functional'?");
  CHECK(error_of([&] {
          load("categories: {f: {}}\ncookies:\n  - {name: a, provider: x.nl, expiry: 1 day, category: f}\n"
               "  - {name: a, provider: x.nl, expiry: 2 days, category: f}\n");
        }).find("c.yaml:5:5: cookie 'a' of x.nl is already declared at c.yaml:4:5") == 0);
  CHECK(error_of([&] {
          load("categories: {f: {}}\ncookies:\n  - {name: a, provider: https://x.nl/, expiry: 1 day, category: f}\n");
        }).find("c.yaml:4:25: 'provider' must be a lowercase domain name") == 0);
  CHECK(error_of([&] {
          load("categories: {f: {}}\ncookies:\n  - {name: a, provider: x.nl, expiry: soon, category: f}\n");
        }).find("c.yaml:4:39: 'expiry': 'soon' is not a duration") == 0);
  CHECK(error_of([] {
          load_cookie_policy({YamlSource{"n.yaml", "categories: {f: {}}\ncookies:\n  - {name: a, provider: x.nl, expiry: 1 day, category: f}\n"}});
        }).starts_with("n.yaml:3:5: cookies are declared but no file of the cookie policy names the 'site'"));
  CHECK(error_of([&] { load("categories:\n  a: {consent: exempt-if-attested}\n"); })
            .find("category 'a' is exempt-if-attested: list the attestations") != std::string::npos);
  CHECK(error_of([&] { load("categories:\n  a: {consent: maybe}\n"); })
            .find("'consent' must be one of") != std::string::npos);
  CHECK(error_of([&] {
          load_cookie_policy({YamlSource{"a.yaml", "categories: {f: {}}\n"},
                              YamlSource{"b.yaml", "categories: {f: {}}\n"}});
        }) == "b.yaml:1:14: cookie category 'f' is already defined at a.yaml:1:14");
}

TEST_CASE("the example policy holds the seed's 21 rows and renders them as published") {
  const CookiePolicy p = example_policy();
  REQUIRE(p.cookies.size() == 21);
  std::ostringstream md;
  write_cookie_table(md, p, TableFormat::markdown);
  // The rows of the VoIPGRID statement's "Cookieverklaring", in its order, the expiries
  // read as durations ("2 day" there is "2 days" here).
  const std::vector<std::string> seed{"CookieConsent | voipgrid.nl | HTTP | 1 year",
                                      "PHPSESSID | voipgrid.nl | HTTP | session",
                                      "_dc_gtm_UA-# | voipgrid.nl | HTTP | 1 day",
                                      "_ga | voipgrid.nl | HTTP | 2 years",
                                      "_gat | voipgrid.nl | HTTP | 1 day",
                                      "_gid | voipgrid.nl | HTTP | 2 days",
                                      "collect | google-analytics.com | Pixel | session",
                                      "vuid | vimeo.com | HTTP | 2 years",
                                      "_gcl_au | voipgrid.nl | HTTP | 3 months",
                                      "ads/ga-audiences | google.com | Pixel | session",
                                      "bcookie | linkedin.com | HTTP | 2 years",
                                      "bscookie | linkedin.com | HTTP | 3 years",
                                      "lidc | linkedin.com | HTTP | 1 day",
                                      "MUID | bing.com | HTTP | 1 year",
                                      "MUIDB | bing.com | HTTP | 2 years",
                                      "pagead/1p-user-list/# | google.com | Pixel | session",
                                      "test_cookie | doubleclick.net | HTTP | 1 day",
                                      "UserMatchHistory | linkedin.com | HTTP | 30 days",
                                      "lissc | linkedin.com | HTTP | 1 year",
                                      "lang | ads.linkedin.com | HTTP | session",
                                      "lang | linkedin.com | HTTP | session"};
  // The first four cells of each row, as a Markdown reader sees them: without the backslashes
  // that escape '_' and '*'; the fifth is the purpose.
  auto table_rows = [](const std::string& text, const std::string& heading) {
    std::vector<std::string> rows;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with("| ") && !line.starts_with(heading)) {
        std::string row = line.substr(2, line.size() - 4);
        row.erase(std::remove(row.begin(), row.end(), '\\'), row.end());
        std::size_t cut = 0;
        for (int bar = 0; bar < 4; ++bar) cut = row.find(" | ", cut) + 3;
        rows.push_back(row.substr(0, cut - 3));
      }
    return rows;
  };
  CHECK(table_rows(md.str(), "| Cookie | Provider") == seed);
  CHECK(md.str().find("| Cookie | Provider | Type | Expiry | Purpose |") != std::string::npos);

  // In Dutch: the same rows with Dutch headings and durations.
  std::ostringstream md_nl;
  write_cookie_table(md_nl, p, TableFormat::markdown, TableOptions{Language::nl, false, {}});
  CHECK(md_nl.str().find("| Cookie | Aanbieder | Soort | Bewaartermijn | Doel |") !=
        std::string::npos);
  const auto dutch = table_rows(md_nl.str(), "| Cookie | Aanbieder");
  REQUIRE(dutch.size() == seed.size());
  CHECK(dutch[1] == "PHPSESSID | voipgrid.nl | HTTP | sessie");
  CHECK(dutch[3] == "_ga | voipgrid.nl | HTTP | 2 jaar");
  CHECK(dutch[5] == "_gid | voipgrid.nl | HTTP | 2 dagen");
  CHECK(dutch[8] == "_gcl_au | voipgrid.nl | HTTP | 3 maanden");
  CHECK(md_nl.str().find("Alleen met uw toestemming.") != std::string::npos);
  CHECK(md_nl.str().find("Geen toestemming nodig.") != std::string::npos);
  // Grouped under the category names, in the statement's order.
  const std::string text = md.str();
  CHECK(text.find("## Functionele cookies") < text.find("## Analytische cookies"));
  CHECK(text.find("## Analytische cookies") < text.find("## Tracking cookies"));

  std::ostringstream html, csv_out, json;
  write_cookie_table(html, p, TableFormat::html);
  CHECK(html.str().starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(html.str().find("<td data-label=\"Cookie\">_dc_gtm_UA-#</td><td "
                        "data-label=\"Provider\">voipgrid.nl</td>") != std::string::npos);
  CHECK(html.str().find("<td data-label=\"Type\">HTTP</td><td data-label=\"Expiry\">1 day</td><td "
                        "data-label=\"Purpose\">") != std::string::npos);
  std::ostringstream fragment;
  write_cookie_table(fragment, p, TableFormat::html, TableOptions{Language::nl, true, {}});
  CHECK(fragment.str().starts_with("<section class=\"cookie-table\">"));
  CHECK(fragment.str().find("<html") == std::string::npos);
  CHECK(
      fragment.str().find("<th>Aanbieder</th><th>Soort</th><th>Bewaartermijn</th><th>Doel</th>") !=
      std::string::npos);
  CHECK(fragment.str().find("data-label=\"Bewaartermijn\">2 jaar</td>") != std::string::npos);
  write_cookie_table(csv_out, p, TableFormat::csv);
  CHECK(csv_out.str().find("analytics,collect,google-analytics.com,pixel,Session,") != std::string::npos);
  write_cookie_table(json, p, TableFormat::json);
  const auto doc = nlohmann::json::parse(json.str());
  CHECK(doc["categories"].size() == 3);
  CHECK(doc["categories"][1]["needs_consent"] == false);
  CHECK(doc["categories"][2]["cookies"].size() == 13);
  CHECK(error_of([] { parse_table_format("pdf"); }) == "unknown table format 'pdf' (known: md, html, csv, json)");
}

TEST_CASE("formats are recognised from the content") {
  CHECK(detect_inventory_format(read_file(data("chromium-clean.har"))) == InventoryFormat::har);
  CHECK(detect_inventory_format(read_file(data("edps-inspection.json"))) == InventoryFormat::edps);
  CHECK(detect_inventory_format(read_file(data("cookies.txt"))) == InventoryFormat::netscape);
  CHECK(detect_inventory_format(read_file(data("playwright-state.json"))) == InventoryFormat::playwright);
  CHECK(detect_inventory_format(read_file(data("inventory.csv"))) == InventoryFormat::csv);
  CHECK(detect_inventory_format(read_file(data("scan.json"))) == InventoryFormat::scan);
  CHECK(detect_inventory_format("www.x.nl\tFALSE\t/\tFALSE\t0\ta\tb\n") == InventoryFormat::netscape);
  CHECK(error_of([] { detect_inventory_format("{\"hello\": 1}"); }).find("not a cookie inventory") != std::string::npos);
  CHECK(error_of([] { detect_inventory_format("just text\n"); }).find("not a cookie inventory") != std::string::npos);
}

TEST_CASE("a HAR recorded from headless Chromium: cookies from responses and requests, pixels") {
  const Inventory inv = read_inventory_file(data("chromium-clean.har"), {});
  CHECK(inv.format == InventoryFormat::har);
  CHECK(inv.notes.empty());
  const ObservedCookie* consent = nullptr;
  const ObservedCookie* session = nullptr;
  int sent = 0;
  const ObservedCookie* pixel = nullptr;
  for (const auto& o : inv.items) {
    if (o.type == CookieType::http && o.expiry_known && o.name == "CookieConsent") consent = &o;
    if (o.type == CookieType::http && o.expiry_known && o.name == "PHPSESSID") session = &o;
    if (o.type == CookieType::http && !o.expiry_known) ++sent;
    if (o.type == CookieType::pixel && o.path == "/collect") pixel = &o;
  }
  REQUIRE(consent);
  REQUIRE(session);
  REQUIRE(pixel);
  CHECK(consent->domain == "www.voipgrid.nl");
  CHECK(consent->host_only);
  REQUIRE(consent->expires);
  CHECK(*consent->expires - *consent->captured == 31536000);
  CHECK(consent->secure == true);
  CHECK(consent->http_only == false);
  CHECK(consent->loc.line > 0);
  CHECK_FALSE(session->expires);
  CHECK(session->http_only == true);
  CHECK(sent >= 4);  // the cookies sent back with later requests
  CHECK(pixel->domain == "www.google-analytics.com");
  CHECK(pixel->evidence == PixelEvidence::heuristic);  // a 42-byte image
  CHECK(pixel->page.find("https://www.voipgrid.nl:") == 0);

  // The check: the clean recording passes, the one with _fbp fails and names it.
  const CookiePolicy p = example_policy();
  const auto clean = check_cookies(p, {inv}, {});
  CHECK(findings_status(clean, false) == Exit::ok);
  CHECK(has(clean, "insecure-functional", "CookieConsent"));
  CHECK(count_rule(clean, "never-observed") == 18);
  const auto tracked = check_cookies(p, {read_inventory_file(data("chromium-tracking.har"), {})}, {});
  CHECK(findings_status(tracked, false) == Exit::findings);
  CHECK(active(tracked) == std::vector<std::string>{"insecure-functional:CookieConsent",
                                                    "undeclared-cookie:_fbp"});
}

TEST_CASE("a sanitised HAR, without cookies, is flagged") {
  const std::string har = R"({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
    "entries": [{"startedDateTime": "2026-11-02T10:00:00.000Z", "time": 12,
      "request": {"method": "GET", "url": "https://www.voipgrid.nl/", "headers": [], "cookies": []},
      "response": {"status": 200, "headers": [{"name": "content-type", "value": "text/html"}], "cookies": [],
                   "content": {"size": 1200, "mimeType": "text/html"}}}]}})";
  const Inventory inv = read_inventory("site.har", har, {});
  REQUIRE(inv.notes.size() == 1);
  CHECK(inv.notes[0].rule == "sanitised-har");
  CHECK(inv.notes[0].severity == Severity::warning);
  const auto findings = check_cookies(policy(), {inv}, {});
  CHECK(has(findings, "sanitised-har", ""));
}

TEST_CASE("a HAR without a cookies array falls back to Set-Cookie and Cookie headers") {
  const std::string har = R"({"log": {"entries": [{"startedDateTime": "2026-11-02T10:00:00Z",
      "request": {"url": "https://shop.voipgrid.nl/a", "headers": [{"name": "Cookie", "value": "_ga=GA1.2.3; x=1"}]},
      "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": "CookieConsent=yes; Max-Age=86400; Secure\nPHPSESSID=abc; HttpOnly"}]}}]}})";
  const Inventory inv = read_inventory("h.har", har, {});
  std::vector<std::string> names;
  for (const auto& o : inv.items)
    if (o.type == CookieType::http) names.push_back(o.name + (o.expiry_known ? "+" : "?"));
  CHECK(names == std::vector<std::string>{"CookieConsent+", "PHPSESSID+", "_ga?", "x?"});
  CHECK(inv.items[0].expires == kCaptured + 86400);
  CHECK(inv.items[0].loc.line == 3);
}

TEST_CASE("the EDPS collector's inspection.json: cookies, beacons, local storage, consent phase") {
  const Inventory inv = read_inventory_file(data("edps-inspection.json"), {});
  CHECK(inv.format == InventoryFormat::edps);
  CHECK(inv.phase == ConsentPhase::before_consent);  // no preset cookies
  std::map<std::string, const ObservedCookie*> by_name;
  for (const auto& o : inv.items) by_name[o.name] = &o;
  REQUIRE(by_name.count("_ga"));
  CHECK(by_name["_ga"]->domain == "voipgrid.nl");
  CHECK_FALSE(by_name["_ga"]->host_only);
  CHECK(*by_name["_ga"]->expires - *by_name["_ga"]->captured == 730 * 86400);
  CHECK_FALSE(by_name["PHPSESSID"]->expires);  // expires -1, session true
  REQUIRE(by_name.count("www.google-analytics.com/collect"));
  CHECK(by_name["www.google-analytics.com/collect"]->evidence == PixelEvidence::listed);
  REQUIRE(by_name.count("CookieConsentBulkSetting-a1b2c3"));
  CHECK(by_name["CookieConsentBulkSetting-a1b2c3"]->type == CookieType::local_storage);
  CHECK(by_name["_gid"]->loc.str().ends_with("edps-inspection.json:127:5"));

  // Analytics is exempt by attestation, so before consent only the storage key is wrong.
  const auto findings = check_cookies(example_policy(), {inv}, {});
  std::vector<std::string> errors;
  for (const auto& f : findings)
    if (f.severity == Severity::error) errors.push_back(f.rule + ":" + f.entry);
  CHECK(errors == std::vector<std::string>{"undeclared-storage:CookieConsentBulkSetting-a1b2c3"});
  // Tracking entries may not appear before consent, so they are not reported stale.
  CHECK_FALSE(has(findings, "never-observed", "bcookie"));
  CHECK(has(findings, "never-observed", "vuid"));
}

TEST_CASE("a Netscape cookies.txt with #HttpOnly_ lines") {
  InventoryOptions options;
  options.captured_at = parse_iso_time("2026-11-02T09:14:06Z");
  const Inventory inv = read_inventory_file(data("cookies.txt"), options);
  REQUIRE(inv.items.size() == 10);
  CHECK(inv.items[0].name == "PHPSESSID");
  CHECK(inv.items[0].http_only == true);
  CHECK(inv.items[0].host_only);
  CHECK_FALSE(inv.items[0].expires);  // 0: session
  CHECK(inv.items[0].loc.line == 5);
  CHECK(inv.items[1].http_only == false);
  CHECK(inv.items[6].name == "bscookie");
  CHECK(inv.items[6].domain == "www.linkedin.com");
  CHECK(inv.items[6].http_only == true);
  // The seed's own tracking cookies of 2 and 3 years exceed the 13-month limit.
  const auto findings = check_cookies(example_policy(), {inv}, {});
  std::vector<std::string> errors;
  for (const auto& f : findings)
    if (f.severity == Severity::error) errors.push_back(f.rule + ":" + f.entry);
  CHECK(errors == std::vector<std::string>{"lifetime-above-limit:bcookie", "lifetime-above-limit:bscookie"});
  for (const auto& f : findings)
    if (f.rule == "lifetime-above-limit") CHECK(f.loc.file.ends_with("examples/policies/cookies.yaml"));

  CHECK(error_of([] { read_inventory("c.txt", "# Netscape HTTP Cookie File\nx.nl\tTRUE\t/\n", {}); }) ==
        "c.txt:2:1: not a cookies.txt line: expected 7 tab-separated fields, found 3");
  CHECK(error_of([] { read_inventory("c.txt", "x.nl\tTRUE\t/\tFALSE\tsoon\ta\tb\n", {}); }) ==
        "c.txt:1:1: cookie 'a': the expiry (field 5) must be a Unix time or 0");
}

TEST_CASE("a Playwright storageState file") {
  InventoryOptions options;
  options.captured_at = parse_iso_time("2026-11-02T09:14:07Z");
  const Inventory inv = read_inventory_file(data("playwright-state.json"), options);
  CHECK(inv.format == InventoryFormat::playwright);
  REQUIRE(inv.items.size() == 5);
  CHECK_FALSE(inv.items[0].expires);  // -1
  CHECK(inv.items[2].expires == 1856682847);
  CHECK(inv.items[4].domain == "vimeo.com");
  const auto findings = check_cookies(example_policy(), {inv}, {});
  CHECK(findings_status(findings, false) == Exit::ok);
  CHECK(has(findings, "insecure-functional", "CookieConsent"));

  const std::string with_storage = R"({"cookies": [], "origins": [{"origin": "https://www.voipgrid.nl",
    "localStorage": [{"name": "theme", "value": "dark"}, {"name": "_hjid", "value": "x"}]}]})";
  const auto storage = check_cookies(policy(), {read_inventory("s.json", with_storage, options)}, {});
  CHECK(has(storage, "undeclared-storage", "_hjid"));
  CHECK_FALSE(has(storage, "undeclared-storage", "theme"));
}

TEST_CASE("a simple CSV inventory") {
  const Inventory inv = read_inventory_file(data("inventory.csv"), {});
  CHECK(inv.format == InventoryFormat::csv);
  REQUIRE(inv.items.size() == 6);
  CHECK(inv.items[2].loc.str().ends_with("inventory.csv:4:1"));
  CHECK(inv.items[5].type == CookieType::pixel);
  CHECK(inv.items[5].name == "www.google-analytics.com/collect");
  const auto findings = check_cookies(example_policy(), {inv}, {});
  CHECK(findings_status(findings, false) == Exit::ok);
  CHECK(findings_status(findings, true) == Exit::findings);

  CHECK(error_of([] { read_inventory("x.csv", "name,domian\na,b\n", {InventoryFormat::csv, {}}); }) ==
        "x.csv:1:1: unknown CSV column 'domian'; did you mean 'domain'?");
  // A file that is no inventory at all: nothing of it is repeated.
  CHECK(error_of([] {
          read_inventory("shadow", "root:$6$Kq8x9ZAb$5ecret:19000:0:99999:7:::\n",
                         {InventoryFormat::csv, {}});
        }) ==
        "shadow:1:1: not a CSV cookie inventory: its first line names none of its columns "
        "(at least 'name' and 'domain')");
  CHECK(error_of([] {
          read_inventory("x.csv", "name,domain," + std::string(100, 'x') + "\n",
                         {InventoryFormat::csv, {}});
        }) == "x.csv:1:1: unknown CSV column '" + std::string(40, 'x') + "...'");
  CHECK(error_of([] { read_inventory("x.csv", "name,domain,expires\na,b.nl,tomorrow\n", {}); })
            .find("x.csv:2:1: column 'expires' must be") == 0);
  CHECK(error_of([] { read_inventory("x.csv", "name,domain\n\"a,b.nl\n", {}); }) == "x.csv:2:1: unterminated quoted field");
}

TEST_CASE("telcomply's scan format") {
  const Inventory inv = read_inventory_file(data("scan.json"), {});
  CHECK(inv.format == InventoryFormat::scan);
  CHECK(inv.phase == ConsentPhase::before_consent);
  REQUIRE(inv.items.size() == 2);
  CHECK(*inv.items[1].expires - *inv.items[1].captured == 365 * 86400);
  CHECK(inv.items[1].loc.line == 40);
  CHECK(findings_status(check_cookies(example_policy(), {inv}, {}), false) == Exit::ok);
}

TEST_CASE("malformed JSON is reported with line and column, never with its content") {
  const std::string text = "{\"log\": {\"entries\": [\n  {\"request\": {\"cookies\": [{\"name\": \"a\", \"value\": \"SECRETVALUE\" \"x\"}]}}]}}";
  const std::string message = error_of([&] { read_inventory("bad.har", text, {}); });
  CHECK(message.starts_with("bad.har:2:"));
  CHECK(message.find("malformed JSON") != std::string::npos);
  CHECK(message.find("SECRETVALUE") == std::string::npos);
  CHECK(error_of([] { read_inventory("n.har", std::string("{\"a\":\0}", 7), {}); }).find("NUL") != std::string::npos);
  const PositionedJson doc("p.json", "{\n  \"a\": [\n    {\"b\": 1},\n    {\"c/d\": {}}\n  ]\n}");
  CHECK(doc.where("/a/1").str() == "p.json:4:5");
  CHECK(doc.where("/a/1/c~1d").str() == "p.json:4:13");
  CHECK(doc.where("/nowhere").str() == "p.json");
  // Values can be left out while parsing.
  const PositionedJson dropped(
      "d.json", R"({"cookies": [{"name": "a", "value": "SECRET"}], "value": "kept"})",
      [](std::string_view parent, std::string_view key) { return parent == "/cookies/0" && key == "value"; });
  CHECK(dropped.root()["cookies"][0]["value"] == "");
  CHECK(dropped.root()["cookies"][0]["name"] == "a");
  CHECK(dropped.root()["value"] == "kept");
}

namespace {

// ---------------------------------------------------------------------------------------
// The streaming HAR reader.

// "name:line:column" of the first `needle` in `text`, counted here independently of the
// reader (columns in bytes).
std::string place(const std::string& name, const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return name + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

Inventory har(const std::string& text) {
  return read_inventory("t.har", text, {InventoryFormat::har, kCaptured});
}

// Reads `text` as files are read: through a JsonInput given `chunk` bytes at a time.
HarContent har_in_chunks(const std::string& text, std::size_t chunk) {
  std::size_t at = 0;
  JsonInput input(
      [&](char* buffer, std::size_t size) {
        const std::size_t n = std::min({size, chunk, text.size() - at});
        std::memcpy(buffer, text.data() + at, n);
        at += n;
        return n;
      },
      16);
  return read_har("t.har", input);
}

// Every field of an item but its position, to compare readings.
std::string fields(const ObservedCookie& o) {
  std::ostringstream out;
  out << static_cast<int>(o.type) << '|' << o.name << '|' << o.domain << '|' << o.host_only << '|'
      << o.path << '|' << o.expires.value_or(-1) << '|' << o.expiry_known << '|'
      << o.captured.value_or(-1) << '|' << o.secure.value_or(false) << o.secure.has_value()
      << o.http_only.value_or(false) << o.http_only.has_value() << '|' << o.same_site << '|'
      << o.page << '|' << static_cast<int>(o.evidence);
  return out.str();
}

const std::string kPositionsHar = R"({"log": {"version": "1.2",
  "pages": [{"id": "p1", "title": "https://www.voipgrid.nl/start?utm_source=x"}],
  "entries": [
    {"pageref": "p1", "_resourceType": "document",
     "request": {"method": "GET", "url": "https://www.voipgrid.nl/",
                 "headers": [{"name": "Cookie", "value": "ignored=SECRET1"}],
                 "cookies": [{"name": "PHPSESSID", "value": "SECRET2"}, 7]},
     "response": {"status": 200,
                  "cookies": [{"name": "CookieConsent", "value": "SECRET3",
                               "expires": "2027-11-02T10:00:00Z", "secure": true},
                              {"value": "SECRET5"}],
                  "headers": [{"name": "Set-Cookie", "value": "ignored=SECRET4; Max-Age=60"}],
                  "content": {"size": 1200, "mimeType": "text/html", "text": "<p>SECRET6</p>"}},
     "startedDateTime": "2026-11-02T10:00:00Z"},
    {"startedDateTime": "2026-11-02T10:00:00Z", "pageref": "unknown",
     "request": {"url": "https://px.ads.example/p.gif?id=SECRET7",
                 "headers": [{"value": "https://www.voipgrid.nl/prijzen?q=1", "name": "REFERER"},
                             {"value": "a=SECRET8; b=SECRET9;; =x", "name": "cookie"}]},
     "response": {"status": 200,
                  "headers": [{"name": "set-cookie", "value":
                      "IDE=SECRET10; Max-Age=60; Domain=.ads.example; Secure\nlidc=SECRET11"}],
                  "content": {"size": -1, "mimeType": "IMAGE/gif"}, "bodySize": 43}}
  ]}})";

}  // namespace

TEST_CASE("the HAR reader keeps what the check uses, each with its place, and no value") {
  const Inventory inv = har(kPositionsHar);
  std::vector<std::string> seen;
  for (const auto& o : inv.items) seen.push_back(fields(o) + " @" + o.loc.str());
  auto at = [](const std::string& needle) { return " @" + place("t.har", kPositionsHar, needle); };
  // Arrays of cookies win over the headers; the page of an entry is that of its pageref, or
  // else its Referer, without query.
  CHECK(seen == std::vector<std::string>{
                    "0|CookieConsent|www.voipgrid.nl|1|/|1825149600|1|1793613600|1101||"
                    "https://www.voipgrid.nl/|0" + at("{\"name\": \"CookieConsent\""),
                    "0|PHPSESSID|www.voipgrid.nl|0|/|-1|0|1793613600|0000||"
                    "https://www.voipgrid.nl/start|0" + at("{\"name\": \"PHPSESSID\""),
                    "1|www.voipgrid.nl/|www.voipgrid.nl|0|/|-1|1|1793613600|0000||"
                    "https://www.voipgrid.nl/start|0" + at("{\"method\""),
                    "0|IDE|ads.example|0|/|1793613660|1|1793613600|1101||"
                    "https://px.ads.example/p.gif|0" + at("{\"name\": \"set-cookie\""),
                    "0|lidc|px.ads.example|1|/|-1|1|1793613600|0101||"
                    "https://px.ads.example/p.gif|0" + at("{\"name\": \"set-cookie\""),
                    "0|a|px.ads.example|0|/|-1|0|1793613600|0000||"
                    "https://www.voipgrid.nl/prijzen|0" + at("{\"value\": \"a=SECRET8"),
                    "0|b|px.ads.example|0|/|-1|0|1793613600|0000||"
                    "https://www.voipgrid.nl/prijzen|0" + at("{\"value\": \"a=SECRET8"),
                    "1|px.ads.example/p.gif|px.ads.example|0|/p.gif|-1|1|1793613600|0000||"
                    "https://www.voipgrid.nl/prijzen|1" + at("{\"url\": \"https://px.ads")});
  for (const auto& line : seen) CHECK(line.find("SECRET") == std::string::npos);
  CHECK(inv.notes.empty());

  // The same with "pages" after "entries", and its keys the other way round.
  std::string moved = kPositionsHar;
  const std::string pages = "\n  \"pages\": [{\"id\": \"p1\", \"title\": "
                            "\"https://www.voipgrid.nl/start?utm_source=x\"}],";
  moved.erase(moved.find(pages), pages.size());
  moved.replace(moved.rfind("]}}"), 3,
                "], \"pages\": [{\"title\": \"https://www.voipgrid.nl/start\", \"id\": \"p1\"}]}}");
  const Inventory reordered = har(moved);
  REQUIRE(reordered.items.size() == inv.items.size());
  for (std::size_t i = 0; i < inv.items.size(); ++i)
    CHECK(fields(reordered.items[i]) == fields(inv.items[i]));
}

TEST_CASE("the HAR reader reads the same from memory and in chunks of any size") {
  // Objects that straddle chunk boundaries, CRLF line ends, a byte order mark.
  std::string crlf;
  for (char c : kPositionsHar) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  for (const std::string& text : {kPositionsHar, crlf, "\xEF\xBB\xBF" + crlf}) {
    const Inventory whole = har(text);
    for (std::size_t chunk : {1, 2, 3, 7, 64, 1000}) {
      CAPTURE(chunk);
      const HarContent parts = har_in_chunks(text, chunk);
      CHECK_FALSE(parts.invalid);
      REQUIRE(parts.items.size() == whole.items.size());
      for (std::size_t i = 0; i < parts.items.size(); ++i) {
        CHECK(parts.items[i].loc.str() == whole.items[i].loc.str());
        CHECK(fields(parts.items[i]) == fields(whole.items[i]));
      }
    }
  }
  // A byte order mark is not part of the first line.
  CHECK(har("\xEF\xBB\xBF" + kPositionsHar).items[0].loc.str() ==
        place("t.har", kPositionsHar, "{\"name\": \"CookieConsent\""));
}

TEST_CASE("a truncated HAR is malformed JSON where it ends, however it is read") {
  const std::string& h = kPositionsHar;
  for (std::size_t size = 0; size < h.size(); ++size) {
    CAPTURE(size);
    const std::string cut = h.substr(0, size);
    const std::string message = error_of([&] { har(cut); });
    CHECK(message.starts_with("t.har:"));
    CHECK(message.find(": malformed JSON: ") != std::string::npos);
    CHECK(message.find("SECRET") == std::string::npos);
    // Never a line beyond the end of the text.
    const auto lines = static_cast<std::size_t>(std::count(cut.begin(), cut.end(), '\n')) + 1;
    CHECK(std::stoul(message.substr(6)) <= lines);
    CHECK(error_of([&] { har_in_chunks(cut, 3); }) == message);
  }
  // Where the input ends, something is missing.
  CHECK(error_of([] { har("{\"log\": {\"entries\": [\n"); }) ==
        "t.har:2:1: malformed JSON: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
  CHECK(error_of([] { har(""); }).starts_with("t.har:1:1: malformed JSON: "));
  CHECK(error_of([] { har("{\"a\": 1}\n{}"); }).starts_with("t.har:2:1: malformed JSON: "));
  CHECK(error_of([] { har("{\"a\": 12x}"); }).starts_with("t.har:1:9: malformed JSON: "));
}

TEST_CASE("the HAR reader refuses what is no HAR, and skips entries it cannot use") {
  auto no_har = [](const std::string& text) {
    return error_of([&] { har(text); }).find("not a HAR file: 'log.entries' is missing");
  };
  CHECK(error_of([] { har("[]"); }) == "t.har: expected a JSON object");
  CHECK(error_of([] { har("\n  {\"log\": {}}"); }) ==
        "t.har:2:3: not a HAR file: 'log.entries' is missing");
  CHECK(no_har("{\"log\": {\"entries\": {}}}") != std::string::npos);
  CHECK(no_har("{\"log\": [{\"entries\": []}]}") != std::string::npos);
  // Of two equal keys the last counts, as in a document.
  CHECK(no_har("{\"log\": {\"entries\": []}, \"log\": 1}") != std::string::npos);
  CHECK(har("{\"log\": {\"entries\": 1, \"entries\": []}}").items.empty());
  const Inventory twice = har(R"({"log": {"entries": [{"request": {"url": "https://a.example/"},
      "request": {"url": "https://b.example/x"}}]}})");
  REQUIRE(twice.items.size() == 1);
  CHECK(twice.items[0].name == "b.example/x");
  CHECK(twice.items[0].loc.str() == "t.har:2:18");
  // Entries that are not objects, requests that are not objects or have no http(s) URL,
  // cookies and headers that are not arrays: nothing to read.
  const Inventory odd = har(R"({"log": {"entries": [1, "x", null, [{"request": {}}], {"request": 5},
      {"request": {"url": "data:text/plain,x"}}, {"request": {"url": 7}},
      {"request": {"url": "https://a.example/", "cookies": {"name": "a"},
                   "headers": {"name": "Cookie", "value": "b=1"}},
       "response": {"cookies": 5, "status": "204",
                    "headers": [7, {"name": "Set-Cookie"}, {"name": 5, "value": "c=1"}]}}]}})");
  REQUIRE(odd.items.size() == 1);
  CHECK(odd.items[0].type == CookieType::pixel);
  CHECK(odd.items[0].evidence == PixelEvidence::none);
  CHECK(odd.notes.empty());  // a Set-Cookie header, even without value, is cookie data
  // An expiry that is not a time names the cookie and its place; a cookie without name is
  // skipped first.
  const std::string expiry = R"({"log": {"entries": [{"request": {"url": "https://a.example/"},
      "response": {"cookies": [{"expires": true}, {"name": "c", "value": "S", "expires": {}}]}}]}})";
  CHECK(error_of([&] { har(expiry); }) ==
        place("t.har", expiry, "{\"name\": \"c\"") + ": cookie 'c': 'expires' is not a time");
  // ... but malformed JSON after it is reported first, as the whole file is read.
  CHECK(error_of([] {
          har(R"({"log": {"entries": [{"request": {"url": "https://a.example/"},
      "response": {"cookies": [{"name": "c", "expires": "soon"}]}}]}, x})");
        }).starts_with("t.har:2:71: malformed JSON: syntax error while parsing object key"));
  // Nesting deeper than 256 is refused, wherever it is.
  auto nested = [](std::size_t depth) {
    return "{\"log\": {\"entries\": [], \"x\": " + std::string(depth, '[') +
           std::string(depth, ']') + "}}";
  };
  CHECK(har(nested(254)).items.empty());
  CHECK(error_of([&] { har(nested(255)); }) == "t.har: JSON nested too deeply");
}

TEST_CASE("the HAR reader: numbers, escapes, entries without cookies") {
  const Inventory inv = har(R"({"log": {"entries": [
    {"startedDateTime": "2026-11-02T10:00:00Z", "_resourceType": "Beacon",
     "request": {"url": "https://www.voipgrid.nl/\u00e9t\u00E9",
                 "cookies": [{"name": "caf\u00e9"}, {"name": "\ud83d\ude00\"\\\/"}]},
     "response": {"status": 2.04e2, "bodySize": 123456789012345678901234567890,
                  "cookies": [{"name": "a", "expires": 1.7936136e9}, {"name": "b", "expires": -1},
                              {"name": "c", "expires": null}, {"name": "d", "expires": "2027-11-02"}]}},
    {"request": {"url": "https://cdn.example/x.gif"},
     "response": {"status": 204.5,
                  "content": {"mimeType": "image/gif", "size": 12345678901234567890}}}]}})");
  std::vector<std::string> names;
  for (const auto& o : inv.items)
    names.push_back(o.name + "=" + std::to_string(o.expires.value_or(0)));
  CHECK(names == std::vector<std::string>{"a=1793613600", "b=-1", "c=0", "d=1825113600",
                                          "café=0", "\xF0\x9F\x98\x80\"\\/=0",
                                          "www.voipgrid.nl/\xC3\xA9t\xC3\xA9=0",
                                          "cdn.example/x.gif=0"});
  CHECK(inv.items[6].evidence == PixelEvidence::heuristic);  // a beacon (and a 204)
  CHECK(inv.items[7].evidence == PixelEvidence::heuristic);  // 204.5 is 204 as a whole number
  // Numbers beyond a double are malformed JSON (never a string; the digits are not quoted).
  CHECK(error_of([] { har("{\"log\": {\"entries\": [{\"x\": 1e400}]}}"); }) ==
        "t.har:1:32: malformed JSON: number out of range");
  CHECK(error_of([] { har("{\"log\": {\"entries\": [{\"x\": \"\\ud800\"}]}}"); })
            .starts_with("t.har:1:35: malformed JSON: syntax error while parsing value - invalid "
                         "string: surrogate"));
  CHECK(error_of([] { har("{\"log\": {\"entries\": [{\"x\": \"\xC3\"}]}}"); })
            .find("ill-formed UTF-8") != std::string::npos);

  // A HAR whose entries carry no cookie data at all was exported sanitised: a warning at
  // the root object.
  const Inventory bare = har(
      "\xEF\xBB\xBF\n {\"log\": {\"entries\": [{\"request\": {\"url\": \"https://www.voipgrid.nl/\", "
      "\"cookies\": []}, \"response\": {\"cookies\": [], \"headers\": []}}]}}");
  REQUIRE(bare.notes.size() == 1);
  CHECK(bare.notes[0].rule == "sanitised-har");
  CHECK(bare.notes[0].loc.str() == "t.har:2:2");
  CHECK(har("{\"log\": {\"entries\": []}}").notes.empty());  // nothing recorded is no sign
  // A cookie without name is still cookie data.
  CHECK(har("{\"log\": {\"entries\": [{\"request\": {\"url\": \"https://a.example/\", "
            "\"cookies\": [{}]}}]}}")
            .notes.empty());
}

TEST_CASE("JSON inventories are told by their shape while the HAR reader reads them") {
  auto format_of = [](const std::string& text) { return read_inventory("x.json", text, {}).format; };
  CHECK(format_of(R"({"log": {"entries": []}, "format": "telcomply-cookie-scan", "cookies": []})") ==
        InventoryFormat::scan);
  CHECK(format_of(R"({"cookies": [], "origins": [], "log": {"entries": 5}, "log": 5})") ==
        InventoryFormat::playwright);
  CHECK(error_of([&] { format_of(R"({"log": {"entries": []}, "log": {}})"); })
            .find("not a cookie inventory") != std::string::npos);
  // An expiry that is no time matters only in a HAR, and only in the log that counts.
  const std::string bad_expiry = R"({"log": {"entries": [{"request": {"url": "https://a.example/"},
      "response": {"cookies": [{"name": "c", "expires": "soon"}]}}]}, "cookies": [], "beacons": [])";
  CHECK(error_of([&] { format_of(bad_expiry + "}"); }) ==
        "x.json:2:32: cookie 'c': 'expires' is not a time");
  CHECK(format_of(bad_expiry + ", \"log\": null}") == InventoryFormat::edps);
}

TEST_CASE("HAR files stream from disk; other formats are read whole") {
  TempDir dir;
  // Larger than the 64 KiB chunks: cookies after the first chunk keep their places.
  std::string big = R"({"log": {"entries": [)";
  for (int i = 0; i < 300; ++i)
    big += std::string(i ? ",\n" : "\n") + R"(  {"request": {"url": "https://www.voipgrid.nl/)" +
           std::to_string(i) + R"(", "cookies": [{"name": "c)" + std::to_string(i) +
           R"(", "value": "SECRET"}], "headers": [{"name": "User-Agent", "value": ")" +
           std::string(200, 'x') + R"("}]}})";
  big += "\n]}}\n";
  REQUIRE(big.size() > 65536);
  const Inventory file = read_inventory_file(dir.write("big.har", big), {});
  const Inventory memory = read_inventory("big.har", big, {});
  REQUIRE(file.items.size() == 600);
  REQUIRE(memory.items.size() == 600);
  for (std::size_t i = 0; i < file.items.size(); ++i)
    CHECK(file.items[i].loc.str() == (dir.path() / memory.items[i].loc.str()).string());
  CHECK(file.items[598].loc.str() ==
        (dir.path() / place("big.har", big, "{\"name\": \"c299\"")).string());

  // White space before the JSON, more than a chunk of it; a CSV; an EDPS file.
  CHECK(read_inventory_file(dir.write("ws.har", std::string(70000, ' ') + big), {}).items.size() ==
        600);
  CHECK(read_inventory_file(dir.write("c.csv", "\xEF\xBB\xBFname,domain\na,b.nl\n"), {})
            .items.size() == 1);
  CHECK(read_inventory_file(dir.write("e.json", read_file(data("edps-inspection.json"))), {})
            .format == InventoryFormat::edps);
  // A NUL byte anywhere makes it no text file, even after malformed JSON.
  std::string nul = big;
  nul.insert(10, "}");
  nul.insert(70000, std::string(1, '\0'));
  CHECK(error_of([&] { read_inventory_file(dir.write("nul.har", nul), {}); })
            .ends_with("nul.har: not a text file (contains NUL bytes)"));
  CHECK(error_of([&] { read_inventory_file(dir.write("cut.har", big.substr(0, 70000)), {}); })
            .find("cut.har:") != std::string::npos);

  // Standard input streams too when it is said to be a HAR; else it is read whole first.
  auto from_stdin = [](const std::string& text, InventoryFormat format) {
    std::istringstream in(text);
    std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
    struct Restore {
      std::streambuf* saved;
      ~Restore() { std::cin.rdbuf(saved); }
    } restore{saved};
    return read_inventory_file("-", {format, kCaptured});
  };
  for (InventoryFormat format : {InventoryFormat::har, InventoryFormat::automatic}) {
    const Inventory piped = from_stdin(big, format);
    REQUIRE(piped.items.size() == 600);
    CHECK(piped.items[598].loc.str() == place("<stdin>", big, "{\"name\": \"c299\""));
    CHECK(error_of([&] { from_stdin(nul, format); }) ==
          "<stdin>: not a text file (contains NUL bytes)");
  }
}

TEST_CASE("the HAR reader keeps a repeated observation once, where it was first seen") {
  // Four visits sending cookie a and setting b. The second repeats the first (its page is the
  // same URL but for the query, b lives as long and is set the same day); the third is
  // another page and sets b for an hour longer; the fourth sets b a day later.
  const std::string pages = R"("pages": [{"id": "p1", "title": "https://www.voipgrid.nl/"},
      {"id": "p2", "title": "https://www.voipgrid.nl/?utm_source=x"},
      {"id": "p3", "title": "https://www.voipgrid.nl/prijzen"}])";
  const std::string entries = R"("entries": [
    {"pageref": "p1", "startedDateTime": "2026-11-02T10:00:00Z",
     "request": {"url": "https://www.voipgrid.nl/", "cookies": [{"name": "a"}]},
     "response": {"cookies": [{"name": "b", "expires": "2027-11-02T10:00:00Z"}]}},
    {"pageref": "p2", "startedDateTime": "2026-11-02T11:00:00Z",
     "request": {"url": "https://www.voipgrid.nl/", "cookies": [{"name": "a"}]},
     "response": {"cookies": [{"name": "b", "expires": "2027-11-02T11:00:00Z"}]}},
    {"pageref": "p3", "startedDateTime": "2026-11-02T12:00:00Z",
     "request": {"url": "https://www.voipgrid.nl/", "cookies": [{"name": "a"}]},
     "response": {"cookies": [{"name": "b", "expires": "2027-11-02T13:00:00Z"}]}},
    {"pageref": "p1", "startedDateTime": "2026-11-03T10:00:00Z",
     "request": {"url": "https://www.voipgrid.nl/", "cookies": [{"name": "a"}]},
     "response": {"cookies": [{"name": "b", "expires": "2027-11-03T10:00:00Z"}]}}])";
  const Inventory first = har("{\"log\": {" + pages + ",\n  " + entries + "}}");
  std::vector<std::string> seen;
  for (const auto& o : first.items)
    seen.push_back(o.name + " " + o.page + " " + std::to_string(o.loc.line));
  CHECK(seen == std::vector<std::string>{
                    "b https://www.voipgrid.nl/ 7", "a https://www.voipgrid.nl/ 6",
                    "www.voipgrid.nl/ https://www.voipgrid.nl/ 6", "b https://www.voipgrid.nl/ 13",
                    "a https://www.voipgrid.nl/prijzen 12",
                    "www.voipgrid.nl/ https://www.voipgrid.nl/prijzen 12",
                    "b https://www.voipgrid.nl/ 16"});

  // Pages listed after the entries are looked up at the end: the items they give a page are
  // kept until then, and the check finds the same.
  const Inventory last = har("{\"log\": {" + entries + ",\n  " + pages + "}}");
  CHECK(last.items.size() == 11);
  const auto messages = [](const Inventory& inv) {
    std::vector<std::string> out;
    for (const Finding& f : check_cookies(policy(), {inv}, {})) out.push_back(f.message);
    return out;
  };
  CHECK(messages(last) == messages(first));
  CHECK(active(check_cookies(policy(), {first}, {})) ==
        std::vector<std::string>{"undeclared-cookie:b", "undeclared-cookie:a"});

  // Pages given again after entries took their pages from the first ones cannot re-page them.
  const std::string again = "{\"log\": {" + pages + ", " + entries + ", " + pages + "}}";
  CHECK(error_of([&] { har(again); }) ==
        "t.har:1:1: not a HAR file: 'log.pages' is given again after entries that refer to its "
        "pages");
  // Before the entries, or when a later "entries" replaces them, the last pages count.
  CHECK(har("{\"log\": {" + pages + ", " + pages + ", " + entries + "}}").items.size() == 7);
  CHECK(har("{\"log\": {" + pages + ", " + entries + ", " + pages + ", " + entries + "}}")
            .items.size() == 7);
}

TEST_CASE("a recording that repeats its visits gives the findings of one visit, in its memory") {
  // A visit: cookies sent and set (_ga for three years, declared for two; _fbp undeclared),
  // Google Analytics' declared pixel and LinkedIn's undeclared one.
  const auto visit = [](int n) {
    const std::string at =
        "2026-11-02T10:" + std::string(n % 60 < 10 ? "0" : "") + std::to_string(n % 60) + ":00Z";
    return R"(
    {"pageref": "p1", "startedDateTime": ")" +
           at + R"(",
     "request": {"url": "https://www.voipgrid.nl/", "cookies": [{"name": "_ga"}, {"name": "PHPSESSID"}]},
     "response": {"status": 200, "headers": [
       {"name": "Set-Cookie", "value": "_ga=G)" +
           std::to_string(n) + R"(; Max-Age=94608000; Domain=voipgrid.nl"},
       {"name": "Set-Cookie", "value": "_fbp=F; Max-Age=7776000; Domain=voipgrid.nl"}]}},
    {"pageref": "p1", "startedDateTime": ")" +
           at + R"(", "_resourceType": "ping",
     "request": {"url": "https://www.google-analytics.com/g/collect?v=2&_p=)" +
           std::to_string(n) + R"("},
     "response": {"status": 204}},
    {"pageref": "p1", "startedDateTime": ")" +
           at + R"(",
     "request": {"url": "https://px.ads.linkedin.com/collect?pid=)" +
           std::to_string(n) + R"("},
     "response": {"status": 200, "content": {"size": 43, "mimeType": "image/gif"}}})";
  };
  const auto recording = [&](int visits) {
    std::string text = R"({"log": {"pages": [{"id": "p1", "title": "https://www.voipgrid.nl/"}],
  "entries": [)";
    for (int n = 0; n < visits; ++n) text += (n ? "," : "") + visit(n);
    return text + "]}}";
  };
  const Inventory one = har(recording(1));
  const Inventory many = har(recording(500));
  CHECK(many.items.size() == one.items.size());
  const auto findings = [](const Inventory& inv) {
    std::vector<std::string> out;
    for (const Finding& f : check_cookies(policy(), {inv}, {}))
      out.push_back(f.rule + " " + f.message + " @" + f.loc.str());
    return out;
  };
  CHECK(findings(many) == findings(one));
  CHECK(active(check_cookies(policy(), {many}, {})) ==
        std::vector<std::string>{"lifetime-exceeded:_ga", "undeclared-cookie:_fbp",
                                 "undeclared-pixel:px.ads.linkedin.com/collect"});
}

TEST_CASE("a HAR streams whatever its size; inventories read whole stop at 512 MiB") {
  TempDir dir;
  // A HAR followed by 513 MiB of blanks (white space may end a JSON text).
  const auto big = dir.path() / "big.har";
  {
    std::ofstream out(big, std::ios::binary);
    out << R"({"log": {"entries": [{"request": {"url": "https://www.voipgrid.nl/", "cookies": [{"name": "a"}]}}]}})";
    const std::string blanks(1 << 20, ' ');
    for (int i = 0; i < 513; ++i) out << blanks;
  }
  REQUIRE(std::filesystem::file_size(big) > (std::uintmax_t{512} << 20));
  CHECK(read_inventory_file(big, {}).items.size() == 2);
  CHECK(read_inventory_file(big, {InventoryFormat::har, kCaptured}).items.size() == 2);
  // The formats read whole are refused before they are read (the file has no data at all).
  const auto sparse = dir.path() / "big.csv";
  std::ofstream(sparse).close();
  std::filesystem::resize_file(sparse, std::uintmax_t{1} << 30);
  CHECK(error_of([&] {
          read_inventory_file(sparse, {InventoryFormat::csv, kCaptured});
        }) == "cannot read '" + sparse.string() + "': larger than 512 MiB");
}

TEST_CASE("an empty cookies.txt is refused like every other empty inventory") {
  const InventoryOptions netscape{InventoryFormat::netscape, kCaptured};
  CHECK(error_of([&] { read_inventory("c.txt", "", netscape); }) ==
        "c.txt:1:1: empty cookies.txt inventory");
  CHECK(error_of([&] { read_inventory("c.txt", "\xEF\xBB\xBF\n \r\n", netscape); }) ==
        "c.txt:1:1: empty cookies.txt inventory");
  // A jar without cookies still says what it is.
  CHECK(read_inventory("c.txt", "# Netscape HTTP Cookie File\n", netscape).items.empty());
}

TEST_CASE("a clean inventory gives no findings") {
  CHECK(check(kClean).empty());
}

TEST_CASE("undeclared cookies, pixels and storage are errors") {
  const auto findings = check(kClean +
                              "_fbp,.voipgrid.nl,/,2027-01-31T10:00:00Z,true,false,http,\n"
                              "tr,www.facebook.com,/tr/,,,,pixel,https://www.voipgrid.nl/\n"
                              "_hjid,www.voipgrid.nl,/,,,,local-storage,\n");
  CHECK(rules_of(findings) == std::vector<std::string>{"undeclared-cookie:_fbp",
                                                       "undeclared-pixel:www.facebook.com/tr/",
                                                       "undeclared-storage:_hjid"});
  CHECK(findings[0].message == "undeclared cookie '_fbp' of voipgrid.nl (first party)");
  CHECK(findings[0].loc.str() == "inv.csv:11:1");
  CHECK(findings[0].severity == Severity::error);

  // An ordinary request of a HAR is not a pixel; a tiny third-party image is.
  const std::string har = R"({"log": {"pages": [{"id": "p", "title": "https://www.voipgrid.nl/"}], "entries": [
    {"pageref": "p", "startedDateTime": "2026-11-02T10:00:00Z", "request": {"url": "https://cdn.example.net/app.js", "cookies": [{"name": "PHPSESSID"}]},
     "response": {"status": 200, "cookies": [], "content": {"size": 50000, "mimeType": "application/javascript"}}},
    {"pageref": "p", "startedDateTime": "2026-11-02T10:00:00Z", "request": {"url": "https://px.ads.example/p.gif?id=9"},
     "response": {"status": 200, "cookies": [], "content": {"size": 43, "mimeType": "image/gif"}}},
    {"pageref": "p", "startedDateTime": "2026-11-02T10:00:00Z", "request": {"url": "https://www.voipgrid.nl/spacer.gif"},
     "response": {"status": 200, "cookies": [], "content": {"size": 43, "mimeType": "image/gif"}}},
    {"pageref": "p", "startedDateTime": "2026-11-02T10:00:00Z", "_resourceType": "ping", "request": {"url": "https://bat.bing.com/action/0?ti=1"},
     "response": {"status": 204, "cookies": []}}]}})";
  const auto pixels = check_cookies(policy(), {read_inventory("p.har", har, {})}, {});
  std::vector<std::string> undeclared;
  for (const auto& f : pixels)
    if (f.rule == "undeclared-pixel") undeclared.push_back(f.entry);
  CHECK(undeclared == std::vector<std::string>{"px.ads.example/p.gif", "bat.bing.com/action/0"});
}

TEST_CASE("providers match by registrable domain") {
  auto findings = check(kClean + "_ga,www.voipgrid.nl,/,2028-11-01T10:00:00Z,false,false,http,\n");
  CHECK(findings.empty());
  findings = check(kClean + "_ga,voipgrid.nl.evil.com,/,2028-11-01T10:00:00Z,false,false,http,\n");
  REQUIRE(rules_of(findings) == std::vector<std::string>{"wrong-provider:_ga"});
  CHECK(findings[0].message == "cookie '_ga' is set by evil.com, but declared for provider voipgrid.nl (cookies.yaml:14:5)");
  // A declared pixel on another provider's host is not that pixel.
  findings = check(kClean + "collect,collect.example.org,/collect,,,,pixel,https://www.voipgrid.nl/\n");
  CHECK(rules_of(findings) == std::vector<std::string>{"undeclared-pixel:collect.example.org/collect"});
}

TEST_CASE("observed lifetimes: a day's tolerance, then an error") {
  // _ga is declared for 2 years, 731 calendar days from 2026-11-02: 732 days is within the
  // tolerance, 733 is not.
  CHECK(check(kClean + "_ga,.voipgrid.nl,/,2028-11-03T10:00:00Z,false,false,http,\n").empty());
  auto findings = check(kClean + "_ga,.voipgrid.nl,/,2028-11-04T10:00:00Z,false,false,http,\n");
  REQUIRE(rules_of(findings) == std::vector<std::string>{"lifetime-exceeded:_ga"});
  CHECK(findings[0].message == "cookie '_ga' lasts 733 days, longer than the declared 2 years (cookies.yaml:14:5)");
  // A 1-day cookie (the _dc_gtm_ pattern) living two days.
  findings = check(kClean + "_dc_gtm_UA-99-1,.voipgrid.nl,/,2026-11-04T10:00:01Z,,,http,\n");
  CHECK(rules_of(findings) == std::vector<std::string>{"lifetime-exceeded:_dc_gtm_UA-99-1"});
  // Deleting a cookie (an expiry in the past) is not setting it.
  CHECK(check(kClean + "_ga,.voipgrid.nl,/,2020-01-01T00:00:00Z,false,false,http,\n").empty());
}

TEST_CASE("session cookies that persist, and the reverse") {
  auto findings = check(kClean + "PHPSESSID,www.voipgrid.nl,/,2026-12-02T10:00:00Z,true,true,http,\n");
  REQUIRE(rules_of(findings) == std::vector<std::string>{"session-mismatch:PHPSESSID"});
  CHECK(findings[0].message == "cookie 'PHPSESSID' is declared a session cookie (cookies.yaml:12:5) but persists for 30 days");
  findings = check(kClean + "_ga,.voipgrid.nl,/,session,false,false,http,\n");
  REQUIRE(rules_of(findings) == std::vector<std::string>{"session-mismatch:_ga"});
  CHECK(findings[0].message == "cookie '_ga' is declared to last 2 years (cookies.yaml:14:5) but is a session cookie");
  // A cookie seen only in a request has no known expiry: nothing to compare.
  CHECK(check(kClean + "_ga,.voipgrid.nl,/,,false,false,http,\n").empty());
}

TEST_CASE("a declared lifetime above its category's limit, for entries the site really sets") {
  const std::string text = std::string(kPolicy) +
                           "  - {name: bscookie, provider: linkedin.com, expiry: 3 years, category: tracking}\n";
  // Not observed: the policy alone is not judged (that is not lint's job either).
  auto findings = check_cookies(policy(text), {csv(kClean)}, {});
  CHECK(rules_of(findings) == std::vector<std::string>{"never-observed:bscookie"});
  findings = check_cookies(
      policy(text), {csv(kClean + "bscookie,.www.linkedin.com,/,2029-11-02T10:00:00Z,true,true,http,\n")}, {});
  REQUIRE(rules_of(findings) == std::vector<std::string>{"lifetime-above-limit:bscookie"});
  CHECK(findings[0].message == "cookie 'bscookie' is declared to last 3 years, above the 13 months allowed for category tracking (cookies.yaml:7:3)");
  CHECK(findings[0].loc.str() == "cookies.yaml:21:5");
}

TEST_CASE("cookies needing consent before consent") {
  CookieCheckOptions before;
  before.before_consent = true;
  auto findings = check(kClean, before);
  CHECK(rules_of(findings) ==
        std::vector<std::string>{"set-before-consent:bcookie", "set-before-consent:MUID",
                                 "set-before-consent:www.google.com/pagead/1p-user-list/987654/"});
  CHECK(findings[0].message == "cookie 'bcookie' (category tracking) needs consent but was set before consent");
  CHECK(findings[2].message.find("pixel 'www.google.com/pagead/1p-user-list/987654/'") == 0);

  // The inventory itself can say so (scan, EDPS), or that consent was refused.
  Inventory inv = csv(kClean);
  for (auto& o : inv.items) o.phase = ConsentPhase::consent_refused;
  findings = check_cookies(policy(), {inv}, {});
  CHECK(count_rule(findings, "set-before-consent") == 3);
  CHECK(findings[0].message.ends_with("after consent was refused"));

  // Without every attestation, analytics needs consent too.
  std::string text = kPolicy;
  text.replace(text.find("data_sharing_off: true"), 22, "data_sharing_off: false");
  findings = check_cookies(policy(text), {csv(kClean)}, before);
  CHECK(has(findings, "set-before-consent", "_ga"));
  CHECK(has(findings, "set-before-consent", "www.google-analytics.com/collect"));
  CHECK(count_rule(findings, "set-before-consent") == 6);
}

TEST_CASE("declared entries never observed are warnings, only where they could appear") {
  auto findings = check("PHPSESSID,www.voipgrid.nl,/,session,true,true,http,\n");
  CHECK(count_rule(findings, "never-observed") == 8);
  for (const auto& f : findings) CHECK(f.severity == Severity::warning);
  CHECK(findings_status(findings, false) == Exit::ok);
  CHECK(findings_status(findings, true) == Exit::findings);
  // Before consent, entries needing consent cannot be stale; a cookies.txt cannot show
  // pixels or local storage.
  CookieCheckOptions before;
  before.before_consent = true;
  InventoryOptions options;
  options.captured_at = kCaptured;
  const Inventory txt = read_inventory("c.txt", "#HttpOnly_www.voipgrid.nl\tFALSE\t/\tTRUE\t0\tPHPSESSID\tv\n", options);
  findings = check_cookies(policy(), {txt}, before);
  std::vector<std::string> stale;
  for (const auto& f : findings) stale.push_back(f.entry);
  CHECK(stale == std::vector<std::string>{"CookieConsent", "_ga", "_dc_gtm_UA-#"});
}

TEST_CASE("functional cookies without Secure or HttpOnly are warnings") {
  auto findings = check(kClean + "PHPSESSID,www.voipgrid.nl,/,session,false,false,http,\n");
  REQUIRE(rules_of(findings) == std::vector<std::string>{"insecure-functional:PHPSESSID"});
  CHECK(findings[0].severity == Severity::warning);
  CHECK(findings[0].message == "functional cookie 'PHPSESSID' is set without Secure and HttpOnly");
  // Analytics cookies are not held to it.
  CHECK(check(kClean + "_ga,.voipgrid.nl,/,2028-11-01T10:00:00Z,false,false,http,\n").empty());
}

TEST_CASE("cookie values never appear in any output") {
  const Inventory inv = read_inventory_file(data("chromium-tracking.har"), {});
  const std::string har = read_file(data("chromium-tracking.har"));
  // The values the recording holds.
  std::vector<std::string> values;
  const auto doc = nlohmann::json::parse(har);
  for (const auto& e : doc["log"]["entries"])
    for (const auto& c : e["response"]["cookies"]) values.push_back(c["value"].get<std::string>());
  REQUIRE(values.size() == 3);
  const auto findings = check_cookies(example_policy(), {inv}, {});
  for (ReportFormat format : {ReportFormat::text, ReportFormat::json, ReportFormat::github,
                              ReportFormat::junit, ReportFormat::sarif}) {
    std::ostringstream out;
    write_findings(out, findings, format, ReportContext{"telcomply cookies check", cookie_rules()});
    for (const auto& v : values) CHECK(out.str().find(v) == std::string::npos);
  }
}

TEST_CASE("the scan follows redirects and same-site links, within its limits") {
  FakeClient client;
  HttpResponse home;
  home.status = 200;
  home.content_type = "text/html";
  home.set_cookies = {"PHPSESSID=abc; HttpOnly; Secure", "CookieConsent=x; Max-Age=31536000"};
  home.body = "<a href=\"/b\">b</a><a href='https://shop.voipgrid.nl/c#top'>c</a>"
              "<a href=https://other.example/>o</a><a href=\"javascript:void(0)\">j</a>";
  client.pages["https://www.voipgrid.nl/"] = home;
  HttpResponse moved;
  moved.status = 301;
  moved.location = "https://www.voipgrid.nl/";
  moved.set_cookies = {"lb=1; Path=/"};
  client.pages["http://voipgrid.nl/"] = moved;
  HttpResponse b;
  b.status = 200;
  b.content_type = "text/html";
  client.pages["https://www.voipgrid.nl/b"] = b;

  ScanOptions options;
  options.urls = {"http://voipgrid.nl/"};
  options.max_pages = 2;
  ScanResult result = scan_site(client, options);
  CHECK(client.fetched == std::vector<std::string>{"http://voipgrid.nl/", "https://www.voipgrid.nl/",
                                                   "https://www.voipgrid.nl/b"});
  REQUIRE(result.pages.size() == 2);
  CHECK(result.pages[0].url == "https://www.voipgrid.nl/");
  CHECK(result.pages[0].redirects == std::vector<std::string>{"http://voipgrid.nl/"});
  REQUIRE(result.cookies.size() == 3);
  CHECK(result.cookies[0].name == "lb");
  CHECK(result.cookies[0].page == "http://voipgrid.nl/");
  CHECK(result.cookies[1].page == "https://www.voipgrid.nl/");
  CHECK(result.phase == ConsentPhase::before_consent);

  // The third page is on the same site (shop.voipgrid.nl) and fails: recorded, not fatal.
  options.max_pages = 10;
  client.fetched.clear();
  result = scan_site(client, options);
  CHECK(client.fetched.back() == "https://shop.voipgrid.nl/c");
  CHECK(result.pages.back().error == "cannot fetch https://shop.voipgrid.nl/c: connection refused");

  // Redirect limits and schemes.
  HttpResponse loop;
  loop.status = 302;
  loop.location = "/loop";
  client.pages["https://www.voipgrid.nl/loop"] = loop;
  options.urls = {"https://www.voipgrid.nl/loop"};
  options.max_redirects = 3;
  CHECK(scan_site(client, options).pages.at(0).error == "more than 3 redirects");
  HttpResponse to_file;
  to_file.status = 302;
  to_file.location = "file:///etc/passwd";
  client.pages["https://www.voipgrid.nl/f"] = to_file;
  options.urls = {"https://www.voipgrid.nl/f"};
  CHECK(scan_site(client, options).pages.at(0).error ==
        "redirect to a URL that is not http or https");
  options.urls = {"ftp://www.voipgrid.nl/"};
  CHECK(error_of([&] { scan_site(client, options); }) == "cannot scan 'ftp://www.voipgrid.nl/': only http and https URLs");
  options.urls = {"https://www.voipgrid.nl/"};
  options.cookies = {"novalue"};
  CHECK(error_of([&] { scan_site(client, options); }).find("--cookie takes NAME=VALUE") == 0);
  options.cookies = {"CookieConsent=yes-all"};
  options.max_pages = 1;
  result = scan_site(client, options);
  CHECK(result.phase == ConsentPhase::consent_given);
  std::ostringstream out;
  write_scan(out, result);
  CHECK(out.str().find("yes-all") == std::string::npos);
  CHECK(out.str().find("\"sent_cookies\": [\n    \"CookieConsent\"\n  ]") != std::string::npos);
}

TEST_CASE("links in HTML") {
  const auto links = extract_links(
      "<a class=x href=\"/a?b=1&amp;c=2#frag\">x</a><AREA HREF='../d'><link href=\"/style.css\">"
      "<a href=\"mailto:a@b.nl\">m</a><a name=top>",
      "https://www.voipgrid.nl/p/q");
  CHECK(links == std::vector<std::string>{"https://www.voipgrid.nl/a?b=1&c=2", "https://www.voipgrid.nl/d"});
}

TEST_CASE("cookies scan against a local server, then check: the real binary, libcurl and TLS rules") {
  TempDir dir;
  std::atomic<bool> tracking{false};
  TestServer server([&](const std::string& path, const std::string&) { return site(path, tracking); });
  const std::string policy_file = (dir / "policy.yaml").string();
  dir.write("policy.yaml", read_file(source_dir() / "policies/cookies-nl.yaml") + "\n" +
                               read_file(source_dir() / "examples/policies/cookies.yaml"));
  // The test site is the example's site, served from 127.0.0.1.
  std::string example = read_file(dir / "policy.yaml");
  example.replace(example.find("site: [voipgrid.nl]"), 19, "site: [127.0.0.1]");
  for (std::size_t at; (at = example.find("provider: voipgrid.nl")) != std::string::npos;)
    example.replace(at, 21, "provider: 127.0.0.1");
  dir.write("policy.yaml", example);

  const std::string scan = (dir / "scan.json").string();
  auto [status, out] = run("cookies scan " + server.url("/old") + " --max-pages 3 -o " + scan);
  REQUIRE(status == 0);
  const std::string written = read_file(scan);
  const auto doc = nlohmann::json::parse(written);
  CHECK(doc["format"] == "telcomply-cookie-scan");
  CHECK(doc["phase"] == "before-consent");
  CHECK(doc["pages"].size() == 3);  // /, /contact, /about: not the other site
  CHECK(doc["pages"][0]["redirects"][0] == server.url("/old"));
  std::map<std::string, int> names;
  for (const auto& c : doc["cookies"]) names[c["name"].get<std::string>()]++;
  CHECK(names["moved"] == 1);
  CHECK(names["PHPSESSID"] == 3);
  CHECK(names["CookieConsent"] == 3);
  CHECK(doc["cookies"][1]["http_only"] == true);
  CHECK(doc["cookies"][1]["expires"].is_null());
  CHECK(written.find("s3cr3tsessionvalue") == std::string::npos);
  CHECK(written.find("consentvalue42") == std::string::npos);
  // Cookies the site set are sent back, like a browser does.
  CHECK(server.last_cookie().find("PHPSESSID=") != std::string::npos);

  std::tie(status, out) = run("cookies check --policy " + policy_file + " " + scan);
  CHECK(status == 0);
  CHECK(out.find(": error:") == std::string::npos);
  CHECK(out.find("0 errors") != std::string::npos);
  CHECK(out.find("s3cr3t") == std::string::npos);

  tracking = true;
  const std::string scan2 = (dir / "scan2.json").string();
  std::tie(status, out) = run("cookies scan " + server.url("/") + " -o " + scan2);
  REQUIRE(status == 0);
  std::tie(status, out) = run("cookies check --policy " + policy_file + " " + scan2);
  CHECK(status == 1);
  CHECK(out.find("undeclared cookie '_fbp' of 127.0.0.1 (first party) [undeclared-cookie]") != std::string::npos);

  // The body cap: the page is marked truncated and the link past the cap is not followed.
  std::tie(status, out) = run("cookies scan " + server.url("/big") + " --max-body 1000 --max-pages 5");
  REQUIRE(status == 0);
  const auto big = nlohmann::json::parse(out);
  CHECK(big["pages"].size() == 1);
  CHECK(big["pages"][0]["truncated"] == true);
  CHECK(big["pages"][0]["status"] == 200);

  // An existing output is not replaced; an unreachable or non-HTTP URL fails plainly.
  std::tie(status, out) = run("cookies scan " + server.url("/") + " -o " + scan2);
  CHECK(status == 2);
  std::tie(status, out) = run("cookies scan file:///etc/passwd");
  CHECK(status == 2);
  std::tie(status, out) = run("cookies scan https://127.0.0.1:" + server.url("/").substr(17) +
                              " --timeout 5");
  CHECK(status == 4);  // TLS to a plain HTTP server fails: nothing is written
  CHECK(out.empty());
}

TEST_CASE(
    "the Markdown cookie table escapes HTML, controls and bidi as the sub-processor list does") {
  const CookiePolicy p = policy(R"(site: [voipgrid.nl]
categories:
  functional: {consent: not-required, name: "Func<script>alert(1)</script>\u202E", description: "a\r\nb\x1b[2J"}
cookies:
  - {name: "x<img/src/onerror>|\e[2J\a", provider: voipgrid.nl, type: http, expiry: Session, category: functional}
)");
  std::ostringstream md;
  write_cookie_table(md, p, TableFormat::markdown);
  const std::string out = md.str();
  CHECK(out.find("## Func&lt;script&gt;alert(1)&lt;/script&gt;\\u202e\n") != std::string::npos);
  CHECK(out.find("a  b\\x1b\\[2J\n") != std::string::npos);
  CHECK(out.find("| x&lt;img/src/onerror&gt;\\|\\x1b\\[2J\\x07 | voipgrid.nl | HTTP | session | "
                 "\xE2\x80\x94 |") != std::string::npos);
  CHECK(out.find_first_of("\x1b\r\a") == std::string::npos);
  CHECK(out.find('<') == std::string::npos);
}

TEST_CASE("Max-Age and expiries out of range are clamped, and a deletion stays one") {
  const auto huge = parse_set_cookie("a=b; Max-Age=99999999999999999999", 1000);
  REQUIRE(huge);
  CHECK(huge->expires == kLatestExpiry);
  CHECK(huge->expiry_clamped);
  CHECK(format_moment(kLatestExpiry) == "9999-12-31T23:59:59Z");
  for (const char* deletion :
       {"a=b; Max-Age=-99999999999", "a=b; Max-Age=0", "a=b; Max-Age=-99999999999999999999999"}) {
    const auto c = parse_set_cookie(deletion, 1000);
    REQUIRE(c);
    CHECK(c->expires == 1000);  // expires when received (RFC 6265, 5.2.2)
    CHECK_FALSE(c->expiry_clamped);
  }
  const auto in_range = parse_set_cookie("a=b; Max-Age=31536000", 1000);
  CHECK(in_range->expires == 1000 + 31536000);
  CHECK_FALSE(in_range->expiry_clamped);
  CHECK_FALSE(parse_set_cookie("a=b; Max-Age=-", 1000)->expires);  // not a number: ignored
  CHECK_FALSE(parse_set_cookie("a=b; Max-Age=1e9", 1000)->expires);

  // Every inventory format: a time past the year 9999, however large, is clamped and flagged.
  InventoryOptions options;
  options.captured_at = kCaptured;
  auto only = [&](const std::string& name, const std::string& text) {
    const Inventory inv = read_inventory(name, text, options);
    REQUIRE(inv.items.size() == 1);
    return inv.items[0];
  };
  const std::vector<ObservedCookie> clamped{
      only("c.txt", "x.nl\tTRUE\t/\tFALSE\t99999999999999999999\ta\n"),
      only("c.csv", "name,domain,expires\na,x.nl,99999999999999999999\n"),
      only("p.json",
           R"({"cookies": [{"name": "a", "domain": "x.nl", "expires": 1e20}], "origins": []})"),
      only("e.json", R"({"uri_ins": "https://x.nl/", "cookies": [{"name": "a", "domain": "x.nl",
                        "expires": 999999999999}]})"),
      har(R"({"log": {"entries": [{"request": {"url": "https://x.nl/"},
             "response": {"cookies": [{"name": "a", "expires": 1e20}]}}]}})")
          .items[0],
      har(R"({"log": {"entries": [{"request": {"url": "https://x.nl/"},
             "response": {"cookies": [{"name": "a", "expires": "+033715-03-14T08:00:00.000Z"}]}}]}})")
          .items[0],
      har(R"({"log": {"entries": [{"request": {"url": "https://x.nl/"},
             "response": {"headers": [{"name": "Set-Cookie",
                                       "value": "a=b; Max-Age=99999999999999999999"}]}}]}})")
          .items[0]};
  for (const ObservedCookie& c : clamped) {
    CHECK(c.expires == kLatestExpiry);
    CHECK(c.expiry_clamped);
  }
  // Below the limit nothing changes.
  CHECK_FALSE(only("c.txt", "x.nl\tTRUE\t/\tFALSE\t253402300799\ta\n").expiry_clamped);
}

TEST_CASE("check reads what scan writes, out-of-range lifetimes included, and reports them") {
  const UrlParts page = *parse_url("https://www.voipgrid.nl/");
  ScanResult scan;
  scan.started = scan.finished = kCaptured;
  scan.phase = ConsentPhase::consent_given;
  for (const char* header : {"MUID=1; Max-Age=99999999999999999999; Domain=.bing.com",
                             "CookieConsent=1; Max-Age=-99999999999; Secure; HttpOnly"})
    scan.cookies.push_back(
        observe_set_cookie(*parse_set_cookie(header, kCaptured), page, kCaptured));
  std::ostringstream written;
  write_scan(written, scan);
  const std::string text = written.str();
  CHECK(text.find("\"expires\": \"9999-12-31T23:59:59Z\"") != std::string::npos);
  CHECK(text.find("\"expiry_clamped\": true") != std::string::npos);
  CHECK(text.find("\"expires\": \"2026-11-02T10:00:00Z\"") != std::string::npos);  // the deletion

  const Inventory inv = read_inventory("scan.json", text, {});
  REQUIRE(inv.items.size() == 2);
  CHECK(inv.items[0].expires == kLatestExpiry);
  CHECK(inv.items[0].expiry_clamped);
  CHECK_FALSE(inv.items[1].expiry_clamped);
  const auto findings = check_cookies(policy(), {inv}, {});
  CHECK(has(findings, "expiry-out-of-range", "MUID"));
  CHECK(has(findings, "lifetime-exceeded", "MUID"));  // the other findings still show
  CHECK(count_rule(findings, "expiry-out-of-range") == 1);
  for (const auto& f : findings)
    if (f.rule == "expiry-out-of-range") {
      CHECK(f.severity == Severity::warning);
      CHECK(f.message ==
            "cookie 'MUID' of bing.com asks for an expiry after 9999-12-31T23:59:59Z (lifetime out "
            "of range); it is counted as expiring then");
    }
}

TEST_CASE("a scan writes names that are not UTF-8 as U+FFFD instead of failing") {
  ScanResult scan;
  scan.started = scan.finished = kCaptured;
  scan.cookies.push_back(observe_set_cookie(*parse_set_cookie("a\xff\x1b=1", kCaptured),
                                            *parse_url("https://x.nl/"), kCaptured));
  std::ostringstream written;
  write_scan(written, scan);
  CHECK(nlohmann::json::parse(written.str())["cookies"][0]["name"] == "a\xEF\xBF\xBD\x1b");
}

// ---------------------------------------------------------------------------------------
// Correctness of the check on real recordings.

TEST_CASE("a cookie is matched to the most specific declared host, each declaration on its own") {
  const std::string text =
      std::string(kPolicy) +
      "  - {name: lang, provider: linkedin.com, type: http, expiry: Session, category: tracking}\n"
      "  - {name: lang, provider: ads.linkedin.com, type: http, expiry: 1 day, category: "
      "tracking}\n";
  // lang of ads.linkedin.com lasts a day as declared for that host; lang of linkedin.com is a
  // session cookie as declared for that one.
  const std::string rows = kClean +
                           "lang,.ads.linkedin.com,/,2026-11-03T10:00:00Z,true,false,http,\n"
                           "lang,.linkedin.com,/,session,true,false,http,\n";
  auto findings = check_cookies(policy(text), {csv(rows)}, {});
  CHECK(active(findings).empty());
  CHECK(count_rule(findings, "never-observed") == 0);
  // Each declaration gets its own findings: both hosts break their own declaration.
  const std::string wrong = kClean +
                            "lang,.ads.linkedin.com,/,2027-11-03T10:00:00Z,true,false,http,\n"
                            "lang,www.linkedin.com,/,2027-11-03T10:00:00Z,true,false,http,\n";
  findings = check_cookies(policy(text), {csv(wrong)}, {});
  REQUIRE(active(findings) ==
          std::vector<std::string>{"lifetime-exceeded:lang", "session-mismatch:lang"});
  std::string messages;
  for (const auto& f : findings) messages += f.message + "\n";
  INFO(messages);
  CHECK(messages.find("longer than the declared 1 day (cookies.yaml:22:5)") != std::string::npos);
  CHECK(messages.find("declared a session cookie (cookies.yaml:21:5)") != std::string::npos);
}

TEST_CASE("a cookie jar has no deletions: a cookie expired before the capture is still observed") {
  InventoryOptions options;
  options.captured_at = kCaptured;  // 2026-11-02T10:00:00Z
  // _dc_gtm_ lasted 60 s and had expired when the jar was saved; _fbp expired too.
  const std::string txt =
      "# Netscape HTTP Cookie File\n"
      ".voipgrid.nl\tTRUE\t/\tFALSE\t1793613500\t_dc_gtm_UA-1-1\tx\n"
      ".voipgrid.nl\tTRUE\t/\tFALSE\t1793613000\t_fbp\tx\n";
  const auto findings = check_cookies(policy(), {read_inventory("c.txt", txt, options)}, {});
  CHECK(has(findings, "undeclared-cookie", "_fbp"));
  CHECK_FALSE(has(findings, "never-observed", "_dc_gtm_UA-#"));
  const std::string state = R"({"cookies": [{"name": "_fbp", "domain": ".voipgrid.nl", "path": "/",
    "expires": 1793613000, "httpOnly": false, "secure": false}], "origins": []})";
  CHECK(has(check_cookies(policy(), {read_inventory("s.json", state, options)}, {}),
            "undeclared-cookie", "_fbp"));
  // A Set-Cookie that expires at once is still a deletion.
  CHECK_FALSE(has(check(kClean + "_fbp,.voipgrid.nl,/,2026-11-02T09:00:00Z,,,http,\n"),
                  "undeclared-cookie", "_fbp"));
}

TEST_CASE("a forced input format refuses what does not have its shape") {
  const InventoryOptions edps{InventoryFormat::edps, {}};
  const InventoryOptions playwright{InventoryFormat::playwright, {}};
  const InventoryOptions scan{InventoryFormat::scan, {}};
  const InventoryOptions scanner{InventoryFormat::gdpr_cookie_scanner, {}};
  CHECK(error_of([&] { read_inventory("x.json", "{}", edps); }, Exit::invalid) ==
        "x.json:1:1: not an EDPS inspection.json: an object with a 'cookies' array and 'uri_ins', "
        "'beacons' or 'browsing_history'");
  CHECK(error_of([&] { read_inventory("x.json", "{}", playwright); }, Exit::invalid) ==
        "x.json:1:1: not a Playwright inventory: a storageState object ('cookies' and 'origins') "
        "or a context.cookies() array");
  CHECK(error_of([&] { read_inventory("x.json", "{\"cookies\": []}", scan); }, Exit::invalid) ==
        "x.json:1:1: not a telcomply scan: an object with \"format\": \"telcomply-cookie-scan\"");
  CHECK(error_of([&] { read_inventory("x.json", "{}", scanner); }, Exit::invalid) ==
        "x.json:1:1: not a gdpr-cookie-scanner report: an object with a 'cookiesBeforeInteraction' "
        "array");
  // Another format's file, forced, is refused too.
  CHECK(error_of([&] { read_inventory_file(data("edps-inspection.json"), playwright); },
                 Exit::invalid)
            .find("not a Playwright inventory") != std::string::npos);
  CHECK(read_inventory_file(data("edps-inspection.json"), edps).items.size() > 0);
}

TEST_CASE("Playwright's context.cookies() array is read, values never kept") {
  InventoryOptions options;
  options.captured_at = kCaptured;
  const std::string list = R"([
  {"name": "PHPSESSID", "value": "s3cr3tvalue", "domain": "www.voipgrid.nl", "path": "/", "expires": -1, "httpOnly": true, "secure": true, "sameSite": "Lax"},
  {"name": "_fbp", "value": "fb.1.2.3", "domain": ".voipgrid.nl", "path": "/", "expires": 1801389600.5, "httpOnly": false, "secure": false, "sameSite": "Lax"}
])";
  const Inventory inv = read_inventory("cookies.json", list, options);
  CHECK(inv.format == InventoryFormat::playwright);
  REQUIRE(inv.items.size() == 2);
  CHECK_FALSE(inv.items[0].expires);
  CHECK(inv.items[1].expires == 1801389600);
  CHECK(inv.items[1].loc.str() == "cookies.json:3:3");
  const auto findings = check_cookies(policy(), {inv}, {});
  CHECK(has(findings, "undeclared-cookie", "_fbp"));
  // Forced, an empty list is a list of no cookies.
  CHECK(read_inventory("e.json", "[]", {InventoryFormat::playwright, kCaptured}).items.empty());
  CHECK(error_of([] { read_inventory("e.json", "[1, 2]", {}); }).find("not a cookie inventory") !=
        std::string::npos);
}

TEST_CASE("every start page is scanned, and a failing one is recorded as failed") {
  FakeClient client;
  HttpResponse home;
  home.status = 200;
  home.content_type = "text/html";
  home.set_cookies = {"PHPSESSID=abc; HttpOnly; Secure"};
  home.body = "<a href=\"/b\">b</a>";
  client.pages["https://www.voipgrid.nl/"] = home;
  HttpResponse shop = home;
  shop.set_cookies = {"cart=1"};
  client.pages["https://shop.voipgrid.nl/"] = shop;
  HttpResponse missing;
  missing.status = 404;
  client.pages["https://www.voipgrid.nl/gone"] = missing;
  ScanOptions options;
  options.urls = {"https://www.voipgrid.nl/", "https://shop.voipgrid.nl/",
                  "https://www.voipgrid.nl/gone", "https://down.voipgrid.nl/"};
  options.max_pages = 1;  // counts followed pages only beyond the start pages
  const ScanResult result = scan_site(client, options);
  CHECK(client.fetched == options.urls);
  REQUIRE(result.pages.size() == 4);
  REQUIRE(result.cookies.size() == 2);
  CHECK(result.cookies[1].name == "cart");
  CHECK(result.pages[0].error.empty());
  CHECK(result.pages[2].error == "answered HTTP 404");
  CHECK(result.pages[3].error == "cannot fetch https://down.voipgrid.nl/: connection refused");
  CHECK(result.pages[3].start);
}

TEST_CASE("never-observed tells a cookie the browser refused from one not seen at all") {
  const std::string scan =
      R"({"format": "telcomply-cookie-scan", "version": 1, "phase": "consent-given",
  "started": "2026-11-02T10:00:00Z", "cookies": [
    {"name": "bcookie", "domain": ".linkedin.com", "path": "/", "expires": "2027-11-02T10:00:00Z", "refused": "third-party cookies are blocked"},
    {"name": "li_gc", "domain": ".linkedin.com", "path": "/", "expires": "2027-11-02T10:00:00Z", "refused": "third-party cookies are blocked"}]})";
  const auto findings = check_cookies(policy(), {read_inventory("scan.json", scan, {})}, {});
  std::string bcookie, muid;
  for (const auto& f : findings) {
    if (f.rule == "never-observed" && f.entry == "bcookie") bcookie = f.message;
    if (f.rule == "never-observed" && f.entry == "MUID") muid = f.message;
  }
  CHECK(bcookie ==
        "declared cookie 'bcookie' of linkedin.com was attempted but refused by the "
        "browser (third-party cookies are blocked), and not observed set in any inventory");
  CHECK(muid ==
        "declared cookie 'MUID' of bing.com was not observed in any inventory (stale policy?)");
  CHECK(has(findings, "undeclared-cookie", "li_gc"));
  for (const auto& f : findings)
    if (f.entry == "li_gc")
      CHECK(f.message ==
            "undeclared cookie 'li_gc' of linkedin.com (third party), attempted but "
            "refused by the browser (third-party cookies are blocked)");
  CHECK_FALSE(has(findings, "lifetime-exceeded", "bcookie"));
}

TEST_CASE("the JSON report of @slashgear/gdpr-cookie-scanner is read per phase") {
  const Inventory inv = read_inventory_file(data("gdpr-cookie-scanner.json"), {});
  CHECK(inv.format == InventoryFormat::gdpr_cookie_scanner);
  std::map<std::string, ConsentPhase> phase_of;
  for (const auto& item : inv.items) phase_of.emplace(item.name, item.phase);  // first phase
  CHECK(phase_of.at("PHPSESSID") == ConsentPhase::before_consent);
  CHECK(phase_of.at("_fbp") == ConsentPhase::consent_given);
  CHECK(phase_of.at("www.facebook.com/tr/") == ConsentPhase::consent_given);
  const auto findings = check_cookies(example_policy(), {inv}, {});
  CHECK(has(findings, "undeclared-cookie", "_fbp"));
  CHECK(has(findings, "set-before-consent", "bcookie"));
  CHECK(has(findings, "undeclared-pixel", "www.facebook.com/tr/"));
  CHECK_FALSE(has(findings, "undeclared-pixel", "cdn.jsdelivr.net/npm/app.js"));
  const std::string text = read_file(data("gdpr-cookie-scanner.json"));
  for (const auto& f : findings) CHECK(f.message.find("fb.1.1793613600") == std::string::npos);
  CHECK(text.find("fb.1.1793613600") != std::string::npos);
}

// ---------------------------------------------------------------------------------------
// The browser scan's pieces (tests/e2e/cookies_browser.sh runs Chromium itself).

TEST_CASE("--resolve mappings become Chromium's host resolver rules") {
  CHECK(host_resolver_rules({}).empty());
  CHECK(host_resolver_rules({"www.shop.test:8080:127.0.0.1", "ads.test:443:::1"}) ==
        "MAP www.shop.test:8080 127.0.0.1:8080, MAP ads.test:443 [::1]:443");
  for (const char* bad :
       {"www.shop.test:127.0.0.1", "www.shop.test:0:127.0.0.1", "www.shop.test:99999:127.0.0.1",
        "a b:80:127.0.0.1", "host:80:evil.example,MAP", ":80:127.0.0.1"})
    CHECK(error_of([&] { host_resolver_rules({bad}); }, Exit::invalid)
              .starts_with("--resolve takes HOST:PORT:ADDRESS"));
}

TEST_CASE("the consent buttons: the policy's own and the common platforms' built in") {
  const CookiePolicy p = policy(std::string(kPolicy) + R"(consent:
  accept: {selectors: ["#mijn-ja"], labels: [Prima]}
  refuse: {labels: ["Nee, bedankt"]}
)");
  CHECK(p.accept.selectors == std::vector<std::string>{"#mijn-ja"});
  CHECK(p.accept.labels == std::vector<std::string>{"Prima"});
  CHECK(p.refuse.labels == std::vector<std::string>{"Nee, bedankt"});
  CHECK(error_of([] {
          policy(std::string(kPolicy) + "consent: {accept: {buttons: [x]}}\n");
        }).ends_with("unknown key 'buttons' in 'consent.accept' (known: selectors, labels)"));
  const auto has_item = [](const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  };
  CHECK(has_item(builtin_accept_buttons().labels, "Alles accepteren"));
  CHECK(has_item(builtin_refuse_buttons().labels, "Alleen noodzakelijke cookies"));
  CHECK(has_item(builtin_accept_buttons().selectors,
                 "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll"));
  CHECK(has_item(builtin_refuse_buttons().selectors, "#CybotCookiebotDialogBodyButtonDecline"));
  for (const char* cmp : {"onetrust", "didomi", "cmplz", "cky", "qc-cmp2"}) {
    INFO(cmp);
    CHECK(std::any_of(builtin_accept_buttons().selectors.begin(),
                      builtin_accept_buttons().selectors.end(),
                      [&](const std::string& s) { return s.find(cmp) != std::string::npos; }));
    CHECK(std::any_of(builtin_refuse_buttons().selectors.begin(),
                      builtin_refuse_buttons().selectors.end(),
                      [&](const std::string& s) { return s.find(cmp) != std::string::npos; }));
  }
}

TEST_CASE("a browser scan's phases are checked each by its own rule") {
  const std::string scan =
      R"({"format": "telcomply-cookie-scan", "version": 2, "started": "2026-11-02T10:00:00Z",
  "phases": [
    {"phase": "before-consent", "pages": [], "cookies": [
       {"name": "PHPSESSID", "domain": "www.voipgrid.nl", "path": "/", "expires": null, "secure": true, "http_only": true, "captured": "2026-11-02T10:00:00Z", "set_by": "http"},
       {"name": "MUID", "domain": "bing.com", "path": "/", "expires": "2027-11-02T10:00:00Z", "captured": "2026-11-02T10:00:00Z", "set_by": "http", "refused": "third-party cookies are blocked"}],
     "storage": [], "requests": [{"url": "https://www.google.com/pagead/1p-user-list/1/", "type": "Image", "initiator": "https://www.voipgrid.nl/", "page": "https://www.voipgrid.nl/", "status": 200, "pixel": true}]},
    {"phase": "consent-given", "button": "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll", "pages": [], "cookies": [
       {"name": "bcookie", "domain": "linkedin.com", "path": "/", "expires": "2027-11-02T10:00:00Z", "captured": "2026-11-02T10:00:00Z", "set_by": "javascript"}],
     "storage": [{"origin": "https://www.voipgrid.nl", "kind": "localStorage", "key": "_hjid", "page": "https://www.voipgrid.nl/"}],
     "requests": []},
    {"phase": "consent-refused", "button": null, "pages": [], "cookies": [], "storage": [], "requests": []}]})";
  const Inventory inv = read_inventory("scan.json", scan, {});
  CHECK(inv.browser);
  const auto findings = check_cookies(policy(), {inv}, {});
  CHECK(has(findings, "set-before-consent", "www.google.com/pagead/1p-user-list/1/"));
  CHECK(has(findings, "set-before-consent", "MUID"));  // attempted before consent
  CHECK_FALSE(has(findings, "set-before-consent", "bcookie"));
  CHECK(has(findings, "undeclared-storage", "_hjid"));
  CHECK(has(findings, "consent-button-not-found", "consent-refused"));
  for (const auto& f : findings)
    if (f.rule == "set-before-consent" && f.entry == "MUID")
      CHECK(f.message ==
            "cookie 'MUID' (category tracking) needs consent but was attempted before "
            "consent (refused by the browser: third-party cookies are blocked)");
  // A browser shows storage and pixels: the declared ones not seen are reported.
  CHECK(has(findings, "never-observed", "theme"));
}
