// Inventory readers: the EDPS Website Evidence Collector's inspection.json, Netscape
// cookies.txt, Playwright storageState, a simple CSV and telcomply's scan format, and the
// choice of reader (HAR 1.2 files stream through cookies_har.cpp). Each keeps cookie names
// and attributes with their place in the file, never values.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <system_error>

#include "cookies/inventory.h"
#include "cookies/text.h"
#include "core/text.h"

namespace telcomply {

namespace {

using nlohmann::json;

constexpr std::uintmax_t kMaxInventorySize = 512ull << 20;

using cookie_text::lower;
using cookie_text::trim;

std::string strip_dot(std::string domain) {
  domain = lower(domain);
  while (!domain.empty() && domain.front() == '.') domain.erase(0, 1);
  return domain;
}

// Typed accessors that tolerate absent or mistyped fields (producers differ).
std::string str(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<bool> flag(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const json& array_or_empty(const json& object, const char* key) {
  static const json empty = json::array();
  const json* m = member(object, key);
  return m && m->is_array() ? *m : empty;
}

}  // namespace

std::optional<std::int64_t> whole_number(const json& value) {
  constexpr std::int64_t kLimit = 1'000'000'000'000;
  if (value.is_number_unsigned()) {
    const std::uint64_t u = value.get<std::uint64_t>();
    if (u < static_cast<std::uint64_t>(kLimit)) return static_cast<std::int64_t>(u);
  } else if (value.is_number_integer()) {
    const std::int64_t i = value.get<std::int64_t>();
    if (i > -kLimit && i < kLimit) return i;
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d > -1e12 && d < 1e12) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

namespace {
constexpr std::int64_t kBeyondLatest = kLatestExpiry + 1;
}  // namespace

std::optional<std::int64_t> expiry_number(const json& value) {
  if (!value.is_number()) return std::nullopt;
  if (auto time = whole_number(value)) return time;
  return value.get<double>() > 0 ? kBeyondLatest : -kBeyondLatest;
}

std::optional<std::int64_t> expiry_digits(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min(value * 10 + (c - '0'), kBeyondLatest);
  }
  return value;
}

std::int64_t clamp_expiry(std::int64_t time, bool& clamped) {
  if (time <= kLatestExpiry) return time;
  clamped = true;
  return kLatestExpiry;
}

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

ObservedCookie observe_cookie(const CookieAttributes& c) {
  ObservedCookie o;
  o.name = c.name;
  o.host_only = c.domain.empty() || c.domain.front() != '.';
  o.domain = strip_dot(c.domain);
  o.path = c.path.empty() ? "/" : c.path;
  o.secure = c.secure;
  o.http_only = c.http_only;
  o.same_site = c.same_site;
  return o;
}

namespace {

// The capture time for formats that carry none.
std::int64_t fallback_time(const InventoryOptions& options, std::optional<std::int64_t> file_time) {
  if (options.captured_at) return *options.captured_at;
  if (file_time) return *file_time;
  return unix_now();
}

// A cookie object of an EDPS or Playwright file.
ObservedCookie json_cookie(const json& c) {
  return observe_cookie(CookieAttributes{str(c, "name"), str(c, "domain"), str(c, "path"),
                                         str(c, "sameSite"), flag(c, "secure"),
                                         flag(c, "httpOnly")});
}

// A request to `url`, as a pixel item: named by host and path.
ObservedCookie request_item(const UrlParts& url) {
  ObservedCookie px;
  px.type = CookieType::pixel;
  px.name = url.host + url.path;
  px.domain = url.host;
  px.path = url.path;
  return px;
}

// An expiry as browsers' tools write it: a Unix time in seconds, -1 or null for a session
// cookie. Throws naming the cookie when it is anything else.
std::optional<std::int64_t> seconds_expiry(const PositionedJson& doc, const json& cookie,
                                           const std::string& ptr, const std::string& name) {
  const json* e = member(cookie, "expires");
  auto t = e ? expiry_number(*e) : std::nullopt;
  if (e && !e->is_null() && !t)
    throw_invalid(doc.where(ptr), "cookie '" + name + "': 'expires' is not a number");
  if (t && *t >= 0) return t;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// EDPS Website Evidence Collector: inspection.json

void read_edps(const PositionedJson& doc, Inventory& inv) {
  const json& root = doc.root();
  const std::optional<std::int64_t> start = parse_iso_time(str(root, "start_time"));
  std::string first_page;
  if (auto u = parse_url(str(root, "uri_dest").empty() ? str(root, "uri_ins") : str(root, "uri_dest")))
    first_page = u->page;
  // The collector never answers a consent banner: without preset cookies (which may carry
  // a consent), what it saw was set before consent.
  const json* browser = member(root, "browser");
  const json* preset = browser ? member(*browser, "preset_cookies") : nullptr;
  inv.phase = (preset && !preset->is_null() && !preset->empty()) ? ConsentPhase::unknown
                                                                : ConsentPhase::before_consent;
  const json& cookies = array_or_empty(root, "cookies");
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    const json& c = cookies[i];
    const std::string ptr = "/cookies/" + std::to_string(i);
    ObservedCookie o = json_cookie(c);
    if (o.name.empty()) continue;
    const json* log = member(c, "log");
    o.captured = log ? parse_iso_time(str(*log, "timestamp")) : std::nullopt;
    if (!o.captured) o.captured = start;
    if (!o.captured) o.captured = unix_now();
    auto location = log ? parse_url(str(*log, "location")) : std::nullopt;
    o.page = location ? location->page : first_page;
    if (o.domain.empty()) {  // a JavaScript cookie without a domain: the page's host
      if (auto page = parse_url(o.page)) o.domain = page->host;
    }
    const json* e = member(c, "expires");
    if (flag(c, "session").value_or(false) || !e || e->is_null()) {
      o.expires = std::nullopt;
    } else if (e->is_string()) {
      o.expires = parse_iso_time(e->get<std::string>());
      if (!o.expires) throw_invalid(doc.where(ptr), "cookie '" + o.name + "': 'expires' is not a time");
    } else {
      auto t = expiry_number(*e);
      if (!t) throw_invalid(doc.where(ptr), "cookie '" + o.name + "': 'expires' is not a time");
      if (*t >= 0) o.expires = t;  // -1: session
    }
    o.loc = doc.where(ptr);
    inv.items.push_back(std::move(o));
  }
  const json& beacons = array_or_empty(root, "beacons");
  for (std::size_t i = 0; i < beacons.size(); ++i) {
    auto url = parse_url(str(beacons[i], "url"));
    if (!url) continue;
    ObservedCookie px = request_item(*url);
    const json* log = member(beacons[i], "log");
    px.captured = log ? parse_iso_time(str(*log, "timestamp")) : start;
    px.page = first_page;
    px.evidence = PixelEvidence::listed;
    px.loc = doc.where("/beacons/" + std::to_string(i));
    inv.items.push_back(std::move(px));
  }
  if (const json* storage = member(root, "localStorage"); storage && storage->is_object()) {
    for (const auto& [origin, keys] : storage->items()) {
      auto url = parse_url(origin);
      if (!url || !keys.is_object()) continue;
      for (const auto& [key, entry] : keys.items()) {
        ObservedCookie o;
        o.type = CookieType::local_storage;
        o.name = key;
        o.domain = url->host;
        o.path = "/";
        o.captured = start;
        o.page = first_page;
        o.loc = doc.where("/localStorage/" + PositionedJson::escape(origin) + "/" +
                          PositionedJson::escape(key));
        if (!o.loc.line) o.loc = doc.where("/localStorage/" + PositionedJson::escape(origin));
        inv.items.push_back(std::move(o));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Playwright storageState, or the array context.cookies() returns (cookies only).

void read_playwright(const PositionedJson& doc, Inventory& inv, std::int64_t captured) {
  const json& root = doc.root();
  const bool list = root.is_array();
  const json& cookies = list ? root : array_or_empty(root, "cookies");
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    const json& c = cookies[i];
    const std::string ptr = (list ? "/" : "/cookies/") + std::to_string(i);
    ObservedCookie o = json_cookie(c);
    if (o.name.empty()) continue;
    o.expires = seconds_expiry(doc, c, ptr, o.name);
    o.captured = captured;
    o.loc = doc.where(ptr);
    inv.items.push_back(std::move(o));
  }
  const json& origins = array_or_empty(root, "origins");
  for (std::size_t i = 0; i < origins.size(); ++i) {
    auto url = parse_url(str(origins[i], "origin"));
    if (!url) continue;
    const json& storage = array_or_empty(origins[i], "localStorage");
    for (std::size_t j = 0; j < storage.size(); ++j) {
      ObservedCookie o;
      o.type = CookieType::local_storage;
      o.name = str(storage[j], "name");
      if (o.name.empty()) continue;
      o.domain = url->host;
      o.path = "/";
      o.captured = captured;
      o.page = url->page;
      o.loc = doc.where("/origins/" + std::to_string(i) + "/localStorage/" + std::to_string(j));
      inv.items.push_back(std::move(o));
    }
  }
}

// ---------------------------------------------------------------------------------------
// The JSON report of @slashgear/gdpr-cookie-scanner: the jar (context.cookies()) and the
// network requests of each phase, the phases in fresh browser sessions.

void read_gdpr_cookie_scanner(const PositionedJson& doc, Inventory& inv) {
  const json& root = doc.root();
  std::optional<std::int64_t> scanned = parse_iso_time(str(root, "scanDate"));
  if (!scanned) scanned = unix_now();
  std::string page;
  if (auto url = parse_url(str(root, "url"))) page = url->page;
  struct Phase {
    const char* cookies;
    const char* network;
    ConsentPhase phase;
  };
  for (const Phase& phase :
       {Phase{"cookiesBeforeInteraction", "networkBeforeInteraction", ConsentPhase::before_consent},
        Phase{"cookiesAfterReject", "networkAfterReject", ConsentPhase::consent_refused},
        Phase{"cookiesAfterAccept", "networkAfterAccept", ConsentPhase::consent_given}}) {
    const json& cookies = array_or_empty(root, phase.cookies);
    for (std::size_t i = 0; i < cookies.size(); ++i) {
      const std::string ptr = std::string("/") + phase.cookies + "/" + std::to_string(i);
      ObservedCookie o = json_cookie(cookies[i]);
      if (o.name.empty()) continue;
      o.expires = seconds_expiry(doc, cookies[i], ptr, o.name);
      o.captured = scanned;
      o.page = page;
      o.phase = phase.phase;
      o.loc = doc.where(ptr);
      inv.items.push_back(std::move(o));
    }
    const json& requests = array_or_empty(root, phase.network);
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const json& r = requests[i];
      auto url = parse_url(str(r, "url"));
      if (!url) continue;
      ObservedCookie px = request_item(*url);
      // The scanner names trackers from its list; a third-party image or ping is a pixel
      // by its look; a CDN is no tracker.
      const std::string tracker = str(r, "trackerCategory");
      const std::string type = str(r, "resourceType");
      if (!tracker.empty() && tracker != "cdn")
        px.evidence = PixelEvidence::listed;
      else if ((type == "image" || type == "ping" || type == "beacon") &&
               flag(r, "isThirdParty").value_or(false))
        px.evidence = PixelEvidence::heuristic;
      px.captured = scanned;
      px.page = page;
      px.phase = phase.phase;
      px.loc = doc.where(std::string("/") + phase.network + "/" + std::to_string(i));
      inv.items.push_back(std::move(px));
    }
  }
}

// ---------------------------------------------------------------------------------------
// telcomply's own scan format (written by `telcomply cookies scan`)

// The cookies at `ptr` (an array) of a scan: the whole scan's (version 1) or a phase's.
void read_scan_cookies(const PositionedJson& doc, const std::string& ptr,
                       std::optional<std::int64_t> started, ConsentPhase phase, Inventory& inv) {
  const json* cookies = doc.root().contains(json::json_pointer(ptr))
                            ? &doc.root().at(json::json_pointer(ptr))
                            : nullptr;
  if (!cookies || !cookies->is_array()) return;
  for (std::size_t i = 0; i < cookies->size(); ++i) {
    const json& c = (*cookies)[i];
    const std::string at = ptr + "/" + std::to_string(i);
    ObservedCookie o;
    o.name = str(c, "name");
    o.domain = strip_dot(str(c, "domain"));
    if (o.name.empty() || o.domain.empty())
      throw_invalid(doc.where(at), "a scanned cookie needs 'name' and 'domain'");
    o.host_only = flag(c, "host_only").value_or(false);
    o.path = str(c, "path").empty() ? "/" : str(c, "path");
    if (const json* e = member(c, "expires"); e && !e->is_null()) {
      o.expires = parse_iso_time(str(c, "expires"));
      if (!o.expires)
        throw_invalid(doc.where(at), "cookie '" + o.name + "': 'expires' is not a time");
    }
    o.expiry_clamped = flag(c, "expiry_clamped").value_or(false);
    o.captured = parse_iso_time(str(c, "captured"));
    if (!o.captured) o.captured = started ? started : std::optional<std::int64_t>(unix_now());
    o.secure = flag(c, "secure");
    o.http_only = flag(c, "http_only");
    o.same_site = str(c, "same_site");
    o.page = str(c, "page");
    o.refused = str(c, "refused");
    o.phase = phase;
    o.loc = doc.where(at);
    inv.items.push_back(std::move(o));
  }
}

// A phase of a browser scan (version 2): its cookies, web storage keys and requests.
void read_scan_phase(const PositionedJson& doc, std::size_t index,
                     std::optional<std::int64_t> started, Inventory& inv) {
  const std::string ptr = "/phases/" + std::to_string(index);
  const json& p = doc.root()["phases"][index];
  const auto phase = parse_consent_phase(str(p, "phase"));
  if (!phase || *phase == ConsentPhase::unknown)
    throw_invalid(doc.where(ptr),
                  "a phase needs 'phase': before-consent, consent-given or "
                  "consent-refused");
  if (const json* button = member(p, "button"); button && button->is_null()) {
    const char* what = *phase == ConsentPhase::consent_given ? "accept" : "refuse";
    inv.notes.push_back(Finding{"consent-button-not-found", Severity::warning,
                                std::string(to_string(*phase)) + " phase: no button to " + what +
                                    " cookies was found on the banner, so that phase was not "
                                    "scanned (declare its selector or label under 'consent' in "
                                    "the cookie policy)",
                                doc.where(ptr), to_string(*phase)});
  }
  read_scan_cookies(doc, ptr + "/cookies", started, *phase, inv);
  const json& storage = array_or_empty(p, "storage");
  for (std::size_t i = 0; i < storage.size(); ++i) {
    auto origin = parse_url(str(storage[i], "origin") + "/");
    if (!origin || str(storage[i], "key").empty()) continue;
    ObservedCookie o;
    o.type = CookieType::local_storage;
    o.name = str(storage[i], "key");
    o.domain = origin->host;
    o.path = "/";
    o.captured = started;
    o.page = str(storage[i], "page");
    o.phase = *phase;
    o.loc = doc.where(ptr + "/storage/" + std::to_string(i));
    inv.items.push_back(std::move(o));
  }
  const json& requests = array_or_empty(p, "requests");
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto url = parse_url(str(requests[i], "url"));
    if (!url) continue;
    ObservedCookie px = request_item(*url);
    if (flag(requests[i], "pixel").value_or(false)) px.evidence = PixelEvidence::heuristic;
    px.captured = started;
    px.page = str(requests[i], "page");
    px.phase = *phase;
    px.loc = doc.where(ptr + "/requests/" + std::to_string(i));
    inv.items.push_back(std::move(px));
  }
}

void read_scan(const PositionedJson& doc, Inventory& inv) {
  const json& root = doc.root();
  if (auto phase = parse_consent_phase(str(root, "phase")))
    inv.phase = *phase;
  else if (member(root, "phase"))
    throw_invalid(doc.where(""), "unknown consent phase in 'phase'");
  const std::optional<std::int64_t> started = parse_iso_time(str(root, "started"));
  if (const json* phases = member(root, "phases")) {
    if (!phases->is_array()) throw_invalid(doc.where("/phases"), "'phases' must be an array");
    inv.browser = true;
    for (std::size_t i = 0; i < phases->size(); ++i) read_scan_phase(doc, i, started, inv);
  }
  read_scan_cookies(doc, "/cookies", started, ConsentPhase::unknown, inv);
}

// ---------------------------------------------------------------------------------------
// Netscape cookies.txt (curl, wget, browser extensions)

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = line.find(separator, start);
    out.push_back(line.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

void read_netscape(const std::string& name, const std::string& text, Inventory& inv,
                   std::int64_t captured) {
  // Nothing but white space is no inventory, as in every other format (a jar without
  // cookies has its comment lines at least).
  if (trim(text).empty()) throw_invalid(SourceLocation{name, 1, 1}, "empty cookies.txt inventory");
  std::istringstream in(text);
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    bool http_only = false;
    if (line.starts_with("#HttpOnly_")) {
      http_only = true;
      line.erase(0, 10);
    } else if (trim(line).empty() || line.front() == '#') {
      continue;
    }
    const SourceLocation loc{name, line_number, 1};
    auto fields = split(line, '\t');
    if (fields.size() != 7 && fields.size() != 6)
      throw_invalid(loc, "not a cookies.txt line: expected 7 tab-separated fields, found " +
                             std::to_string(fields.size()));
    auto truth = [&](const std::string& field, const char* what) {
      if (field == "TRUE") return true;
      if (field == "FALSE") return false;
      throw_invalid(loc, std::string(what) + " must be TRUE or FALSE");
    };
    ObservedCookie o;
    o.name = fields[5];
    if (o.name.empty()) throw_invalid(loc, "cookie without a name");
    o.host_only = !truth(fields[1], "the subdomain flag (field 2)");
    o.domain = strip_dot(fields[0]);
    o.path = fields[2].empty() ? "/" : fields[2];
    o.secure = truth(fields[3], "the secure flag (field 4)");
    o.http_only = http_only;
    const auto expires = expiry_digits(fields[4]);
    if (!expires)
      throw_invalid(loc, "cookie '" + o.name + "': the expiry (field 5) must be a Unix time or 0");
    if (*expires != 0) o.expires = expires;  // 0: session
    o.captured = captured;
    o.loc = loc;
    inv.items.push_back(std::move(o));
  }
}

// ---------------------------------------------------------------------------------------
// Simple CSV: a header row naming the columns, then one cookie per row.

// Splits RFC 4180 CSV into records, each with the line it starts on.
std::vector<std::pair<int, std::vector<std::string>>> parse_csv(const std::string& name,
                                                                const std::string& text) {
  std::vector<std::pair<int, std::vector<std::string>>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, in_record = false;
  int line = 1, record_line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_record) {
      in_record = true;
      record_line = line;
    }
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      fields.push_back(std::move(field));
      field.clear();
      records.emplace_back(record_line, std::move(fields));
      fields.clear();
      in_record = false;
      ++line;
    } else {
      field += c;
    }
  }
  if (quoted) throw_invalid(SourceLocation{name, record_line, 1}, "unterminated quoted field");
  if (in_record) {
    fields.push_back(std::move(field));
    records.emplace_back(record_line, std::move(fields));
  }
  return records;
}

void read_csv(const std::string& name, const std::string& text, Inventory& inv,
              std::int64_t fallback) {
  auto records = parse_csv(name, text);
  records.erase(std::remove_if(records.begin(), records.end(),
                               [](const auto& r) {
                                 return r.second.size() == 1 && trim(r.second[0]).empty();
                               }),
                records.end());
  if (records.empty()) throw_invalid(SourceLocation{name, 1, 1}, "empty CSV inventory");
  static const std::vector<std::string> kColumns{
      "name", "domain", "path", "expires", "lifetime", "secure", "httponly",
      "samesite", "type", "page", "captured", "value"};
  const auto& [header_line, header] = records.front();
  std::vector<std::string> keys;
  for (const auto& field : header) {
    std::string key = lower(trim(field));
    key.erase(std::remove_if(key.begin(), key.end(),
                             [](char c) { return c == '_' || c == '-' || c == ' '; }),
              key.end());
    if (key == "host") key = "domain";
    if (key == "url") key = "page";
    keys.push_back(std::move(key));
  }
  // A first line that names none of the columns is not a cookie inventory's header; what it
  // holds may be anything (a file given by mistake), so the message repeats nothing of it.
  const auto known = [&](const std::string& key) {
    return std::find(kColumns.begin(), kColumns.end(), key) != kColumns.end();
  };
  if (std::none_of(keys.begin(), keys.end(), known))
    throw_invalid(SourceLocation{name, header_line, 1},
                  "not a CSV cookie inventory: its first line names none of its columns "
                  "(at least 'name' and 'domain')");
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!known(keys[i])) {
      std::string message = "unknown CSV column " + excerpt(trim(header[i]));
      if (auto hint = closest_match(keys[i], kColumns))
        message += "; did you mean '" + *hint + "'?";
      throw_invalid(SourceLocation{name, header_line, 1}, message);
    }
    column[keys[i]] = i;
  }
  if (!column.count("name") || !column.count("domain"))
    throw_invalid(SourceLocation{name, header_line, 1},
                  "the CSV header must name at least the columns 'name' and 'domain'");
  for (std::size_t r = 1; r < records.size(); ++r) {
    const int line = records[r].first;
    const std::vector<std::string>& fields = records[r].second;
    const SourceLocation loc{name, line, 1};
    auto get = [&](const char* key) -> std::string {
      auto it = column.find(key);
      if (it == column.end() || it->second >= fields.size()) return {};
      return std::string(trim(fields[it->second]));
    };
    auto boolean = [&](const char* key) -> std::optional<bool> {
      const std::string v = lower(get(key));
      if (v.empty()) return std::nullopt;
      if (v == "true" || v == "yes" || v == "1" || v == "y") return true;
      if (v == "false" || v == "no" || v == "0" || v == "n") return false;
      throw_invalid(loc, std::string("column '") + key + "' must be true or false");
    };
    ObservedCookie o;
    o.name = get("name");
    const std::string domain = get("domain");
    if (o.name.empty() || domain.empty()) throw_invalid(loc, "a row needs 'name' and 'domain'");
    const std::string type = lower(get("type"));
    if (type.empty() || type == "http" || type == "cookie") o.type = CookieType::http;
    else if (type == "pixel") o.type = CookieType::pixel;
    else if (type == "local-storage" || type == "localstorage") o.type = CookieType::local_storage;
    else throw_invalid(loc, "column 'type' must be http, pixel or local-storage");
    o.host_only = domain.front() != '.';
    o.domain = strip_dot(domain);
    o.path = get("path").empty() ? "/" : get("path");
    if (o.type == CookieType::pixel) {
      // A pixel row names the request: host in 'domain', URL path in 'path' or 'name'.
      if (get("path").empty()) o.path = o.name.starts_with("/") ? o.name : "/" + o.name;
      o.name = o.domain + o.path;
      o.evidence = PixelEvidence::listed;
    }
    o.page = get("page");
    if (!get("captured").empty()) {
      o.captured = parse_iso_time(get("captured"));
      if (!o.captured) throw_invalid(loc, "column 'captured' must be an ISO 8601 time");
    } else {
      o.captured = fallback;
    }
    const std::string expires = get("expires"), lifetime = get("lifetime");
    if (!expires.empty()) {
      if (lower(expires) == "session" || expires == "-1" || expires == "0") {
        o.expires = std::nullopt;
      } else if (auto time = expiry_digits(expires)) {
        o.expires = time;
      } else {
        o.expires = parse_iso_time(expires);
        if (!o.expires) throw_invalid(loc, "column 'expires' must be an ISO 8601 time, a Unix time or 'session'");
      }
    } else if (!lifetime.empty()) {
      auto d = parse_duration(lifetime);
      if (!d) throw_invalid(loc, "column 'lifetime' must be a duration such as '1 year' or 'Session'");
      if (!d->is_session()) o.expires = *o.captured + d->approx_seconds();
    } else {
      o.expiry_known = false;
    }
    o.secure = boolean("secure");
    o.http_only = boolean("httponly");
    o.same_site = get("samesite");
    o.loc = loc;
    inv.items.push_back(std::move(o));
  }
}

// ---------------------------------------------------------------------------------------
// Detection

std::string_view skip_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

bool looks_like_json(std::string_view text) {
  text = trim(skip_bom(text));
  return !text.empty() && (text.front() == '{' || text.front() == '[');
}

std::optional<InventoryFormat> detect_text(std::string_view text) {
  std::istringstream in{std::string(skip_bom(text))};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    if (line.starts_with("# Netscape HTTP Cookie File") || line.starts_with("# HTTP Cookie File") ||
        line.starts_with("#HttpOnly_"))
      return InventoryFormat::netscape;
    if (line.front() == '#') continue;
    auto fields = split(line, '\t');
    if ((fields.size() == 7 || fields.size() == 6) && (fields[1] == "TRUE" || fields[1] == "FALSE"))
      return InventoryFormat::netscape;
    std::string header = lower(line);
    auto columns = split(header, ',');
    bool has_name = false, has_domain = false;
    for (auto& c : columns) {
      const std::string_view t = trim(c);
      has_name = has_name || t == "name" || t == "\"name\"";
      has_domain = has_domain || t == "domain" || t == "host" || t == "\"domain\"";
    }
    if (has_name && has_domain) return InventoryFormat::csv;
    return std::nullopt;
  }
  return std::nullopt;
}

// Cookie and storage values are dropped while a JSON inventory is parsed: `parent` is the
// pointer of the object holding the string.
bool drop_values(std::string_view parent, std::string_view key) {
  if (key != "value") return false;
  if (parent.starts_with("/localStorage/")) return true;  // EDPS storage values
  // A cookie object: cookies/N (EDPS, Playwright) or origins/N/localStorage/N.
  const std::size_t slash = parent.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == parent.size()) return false;
  const std::string_view index = parent.substr(slash + 1);
  if (!std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  // The root array of a context.cookies() file, or the phases of a gdpr-cookie-scanner report
  // (cookiesBeforeInteraction, cookiesAfterAccept, ...).
  const std::string_view list = parent.substr(0, slash);
  return list.empty() || list.starts_with("/cookies") || list.ends_with("/cookies") ||
         list.ends_with("/localStorage");
}

[[noreturn]] void unknown_format(const std::string& name) {
  throw_invalid(SourceLocation{name, 0, 0},
                "not a cookie inventory telcomply knows (HAR 1.2, EDPS inspection.json, Netscape "
                "cookies.txt, Playwright storageState, CSV with a 'name,domain,...' header, or a "
                "telcomply scan); give --input-format to say which");
}

// Refuses a document forced to be read as `format` when its shape is not that format's.
[[noreturn]] void not_of_format(const PositionedJson& doc, InventoryFormat format) {
  std::string expected;
  switch (format) {
    case InventoryFormat::edps:
      expected =
          "an EDPS inspection.json: an object with a 'cookies' array and 'uri_ins', "
          "'beacons' or 'browsing_history'";
      break;
    case InventoryFormat::playwright:
      expected =
          "a Playwright inventory: a storageState object ('cookies' and 'origins') or a "
          "context.cookies() array";
      break;
    case InventoryFormat::scan:
      expected = "a telcomply scan: an object with \"format\": \"telcomply-cookie-scan\"";
      break;
    default:
      expected = "a gdpr-cookie-scanner report: an object with a 'cookiesBeforeInteraction' array";
      break;
  }
  throw_invalid(doc.where(""), "not " + expected);
}

// A JSON inventory. The text streams by once for the HAR reader when it may be a HAR; the
// other formats are read from a document of `text()`, the whole text, and must have the
// shape of their format, whether it was guessed or given.
void read_json(const std::string& name, JsonInput& input,
               const std::function<std::string()>& text, InventoryFormat format,
               std::int64_t captured, Inventory& inv) {
  if (format == InventoryFormat::har || format == InventoryFormat::automatic) {
    HarContent har = read_har(name, input);
    if (format == InventoryFormat::har ||
        detect_json(har.shape) == std::optional(InventoryFormat::har)) {
      if (har.invalid) throw *har.invalid;
      inv.format = InventoryFormat::har;
      inv.items = std::move(har.items);
      inv.notes = std::move(har.notes);
      return;
    }
  }
  const std::string whole = text();
  PositionedJson doc(name, whole, drop_values);
  const std::optional<InventoryFormat> shape = detect_json(shape_of(doc.root()));
  if (format == InventoryFormat::automatic) {
    if (!shape) unknown_format(name);
    format = *shape;
  } else if (shape != format && !(format == InventoryFormat::playwright && doc.root().is_array())) {
    not_of_format(doc, format);
  }
  inv.format = format;
  switch (format) {
    case InventoryFormat::edps: read_edps(doc, inv); break;
    case InventoryFormat::playwright: read_playwright(doc, inv, captured); break;
    case InventoryFormat::scan: read_scan(doc, inv); break;
    case InventoryFormat::gdpr_cookie_scanner:
      read_gdpr_cookie_scanner(doc, inv);
      break;
    default: break;
  }
}

// A text inventory: Netscape cookies.txt or CSV.
void read_text(const std::string& name, const std::string& text, InventoryFormat format,
               std::int64_t captured, Inventory& inv) {
  if (format == InventoryFormat::automatic) {
    auto detected = detect_text(text);
    if (!detected) unknown_format(name);
    format = *detected;
  }
  inv.format = format;
  const std::string body(skip_bom(text));
  if (format == InventoryFormat::netscape) read_netscape(name, body, inv, captured);
  else read_csv(name, body, inv, captured);
}

bool is_json_format(InventoryFormat format) {
  return format == InventoryFormat::har || format == InventoryFormat::edps ||
         format == InventoryFormat::playwright || format == InventoryFormat::scan ||
         format == InventoryFormat::gdpr_cookie_scanner;
}

// The items as every reader leaves them: the inventory's consent phase where an item has
// none of its own, an expiry after kLatestExpiry clamped and flagged.
Inventory finished(Inventory inv) {
  for (auto& item : inv.items) {
    if (item.phase == ConsentPhase::unknown) item.phase = inv.phase;
    if (item.expires) item.expires = clamp_expiry(*item.expires, item.expiry_clamped);
  }
  return inv;
}

[[noreturn]] void not_text(const std::string& name) {
  throw_invalid(SourceLocation{name, 0, 0}, "not a text file (contains NUL bytes)");
}

// Reads up to `size` bytes of `in`.
std::size_t read_chunk(std::istream& in, const std::string& name, char* buffer, std::size_t size) {
  in.read(buffer, static_cast<std::streamsize>(size));
  const auto n = static_cast<std::size_t>(in.gcount());
  if (in.bad()) throw_invalid("cannot read '" + name + "': I/O error");
  return n;
}

// The whole text of `in`, refusing more than 512 MiB.
std::string read_all(std::istream& in, const std::string& name, std::size_t expected) {
  std::string text;
  text.reserve(expected);
  char chunk[65536];
  while (std::size_t n = read_chunk(in, name, chunk, sizeof chunk)) {
    if (text.size() + n > kMaxInventorySize)
      throw_invalid("cannot read '" + name + "': larger than 512 MiB");
    text.append(chunk, n);
  }
  return text;
}

// Reads a HAR, or what may be one, from `in` in chunks rather than whole, whatever its
// size; nullopt when the format is to be guessed and the text is no JSON. `whole` gives the
// whole text again, for the formats read from a document.
std::optional<Inventory> stream_json(const std::string& name, std::istream& in,
                                     const InventoryOptions& options,
                                     std::optional<std::int64_t> file_time = std::nullopt,
                                     const std::function<std::string()>& whole = {}) {
  JsonInput input([&](char* buffer, std::size_t n) {
    n = read_chunk(in, name, buffer, n);
    if (std::memchr(buffer, '\0', n)) not_text(name);
    return n;
  });
  if (options.format == InventoryFormat::automatic && !input.looks_like_json()) return std::nullopt;
  Inventory inv;
  inv.source = name;
  try {
    read_json(name, input, whole, options.format, fallback_time(options, file_time), inv);
  } catch (const Error&) {
    input.read_to_end();  // NUL bytes anywhere say more than a JSON error before them
    throw;
  }
  return finished(std::move(inv));
}

}  // namespace

JsonShape shape_of(const json& root) {
  JsonShape shape;
  shape.object = root.is_object();
  if (root.is_array())
    shape.cookie_list = !root.empty() && std::all_of(root.begin(), root.end(), [](const json& c) {
      return member(c, "name") != nullptr;
    });
  if (!shape.object) return shape;
  const json* before = member(root, "cookiesBeforeInteraction");
  shape.scanner_phases = before && before->is_array();
  shape.scan = str(root, "format") == "telcomply-cookie-scan";
  const json* log = member(root, "log");
  shape.log_entries = log && member(*log, "entries");
  const json* cookies = member(root, "cookies");
  shape.cookies_array = cookies && cookies->is_array();
  shape.edps_keys =
      member(root, "beacons") || member(root, "uri_ins") || member(root, "browsing_history");
  shape.origins = member(root, "origins");
  return shape;
}

std::optional<InventoryFormat> detect_json(const JsonShape& shape) {
  if (shape.cookie_list) return InventoryFormat::playwright;
  if (!shape.object) return std::nullopt;
  if (shape.scanner_phases) return InventoryFormat::gdpr_cookie_scanner;
  if (shape.scan) return InventoryFormat::scan;
  if (shape.log_entries) return InventoryFormat::har;
  if (shape.cookies_array) {
    if (shape.edps_keys) return InventoryFormat::edps;
    if (shape.origins) return InventoryFormat::playwright;
  }
  return std::nullopt;
}

InventoryFormat detect_inventory_format(std::string_view text) {
  if (looks_like_json(text)) {
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (auto f = detect_json(shape_of(root))) return *f;
    unknown_format("input");
  }
  if (auto f = detect_text(text)) return *f;
  unknown_format("input");
}

Inventory read_inventory(const std::string& name, const std::string& text,
                         const InventoryOptions& options, std::optional<std::int64_t> file_time) {
  if (text.find('\0') != std::string::npos) not_text(name);
  Inventory inv;
  inv.source = name;
  const std::int64_t captured = fallback_time(options, file_time);
  if (is_json_format(options.format) ||
      (options.format == InventoryFormat::automatic && looks_like_json(text))) {
    JsonInput input(text);
    read_json(name, input, [&] { return text; }, options.format, captured, inv);
  } else {
    read_text(name, text, options.format, captured, inv);
  }
  return finished(std::move(inv));
}

Inventory read_inventory_file(const std::filesystem::path& path, const InventoryOptions& options) {
  if (path == "-") {
    // Guessing the format may need the text twice, and standard input cannot be read again.
    if (options.format == InventoryFormat::har) return *stream_json("<stdin>", std::cin, options);
    return read_inventory("<stdin>", read_all(std::cin, "<stdin>", 0), options);
  }
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw_invalid("cannot read '" + name + "': is a directory");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw_invalid("cannot read '" + name + "': " + ec.message());
  std::optional<std::int64_t> file_time;
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (!ec) {
    const auto system = std::chrono::file_clock::to_sys(mtime);
    file_time = std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw_invalid("cannot read '" + name + "': cannot open");
  // Only a HAR streams, whatever its size; the other formats are read whole.
  auto whole = [&] {
    if (size > kMaxInventorySize) throw_invalid("cannot read '" + name + "': larger than 512 MiB");
    file.clear();
    file.seekg(0);
    return read_all(file, name, static_cast<std::size_t>(size));
  };
  if (options.format == InventoryFormat::har || options.format == InventoryFormat::automatic)
    if (auto inv = stream_json(name, file, options, file_time, whole)) return std::move(*inv);
  return read_inventory(name, whole(), options, file_time);
}

}  // namespace telcomply
