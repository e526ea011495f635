// Inventory readers: HAR 1.2, the EDPS Website Evidence Collector's inspection.json,
// Netscape cookies.txt, Playwright storageState, a simple CSV and telcomply's scan format.
// Each keeps cookie names and attributes with their place in the file, never values.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <system_error>

#include "cookies.h"
#include "cookies_text.h"
#include "cookies_json.h"

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

// A whole number within ±10^12 (Unix times up to the year 33658; HTTP statuses, sizes), so
// that differences of times never overflow.
std::optional<std::int64_t> number(const json& value) {
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

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// The capture time for formats that carry none.
std::int64_t fallback_time(const InventoryOptions& options, std::optional<std::int64_t> file_time) {
  if (options.captured_at) return *options.captured_at;
  if (file_time) return *file_time;
  return now();
}

// The name and attributes of a cookie object as browsers' tools write it (HAR, EDPS,
// Playwright): name, domain (leading dot: not host-only), path, secure, httpOnly, sameSite.
ObservedCookie json_cookie(const json& c) {
  ObservedCookie o;
  o.name = str(c, "name");
  const std::string domain = str(c, "domain");
  o.host_only = domain.empty() || domain.front() != '.';
  o.domain = strip_dot(domain);
  o.path = str(c, "path").empty() ? "/" : str(c, "path");
  o.secure = flag(c, "secure");
  o.http_only = flag(c, "httpOnly");
  o.same_site = str(c, "sameSite");
  return o;
}

// ---------------------------------------------------------------------------------------
// HAR 1.2

// The headers named `name` (any case) of a HAR headers list, with their index.
std::vector<std::pair<std::size_t, std::string>> headers_named(const json& headers,
                                                               std::string_view name) {
  std::vector<std::pair<std::size_t, std::string>> out;
  if (!headers.is_array()) return out;
  for (std::size_t k = 0; k < headers.size(); ++k)
    if (lower(str(headers[k], "name")) == name) out.emplace_back(k, str(headers[k], "value"));
  return out;
}

bool is_tiny_image(const json& response) {
  const json* content = member(response, "content");
  if (!content || !lower(str(*content, "mimeType")).starts_with("image/")) return false;
  std::optional<std::int64_t> size;
  if (const json* s = member(*content, "size")) size = number(*s);
  if ((!size || *size < 0) && member(response, "bodySize")) size = number(response["bodySize"]);
  return size && *size >= 0 && *size <= 1024;
}

void read_har(const PositionedJson& doc, Inventory& inv) {
  const json& root = doc.root();
  const json* log = member(root, "log");
  if (!log || !member(*log, "entries") || !(*log)["entries"].is_array())
    throw_invalid(doc.where(""), "not a HAR file: 'log.entries' is missing");
  std::map<std::string, std::string> pages;
  for (const auto& p : array_or_empty(*log, "pages")) {
    if (auto url = parse_url(str(p, "title"))) pages[str(p, "id")] = url->page;
  }
  bool saw_cookie_data = false;
  const json& entries = (*log)["entries"];
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const json& entry = entries[i];
    const std::string ptr = "/log/entries/" + std::to_string(i);
    const json* request = member(entry, "request");
    const json* response = member(entry, "response");
    if (!request) continue;
    auto url = parse_url(str(*request, "url"));
    if (!url) continue;  // data:, blob:, extension URLs
    const std::int64_t captured = parse_iso_time(str(entry, "startedDateTime")).value_or(now());
    std::string page;
    if (auto it = pages.find(str(entry, "pageref")); it != pages.end()) page = it->second;
    const json& request_headers = array_or_empty(*request, "headers");
    for (const auto& [k, value] : headers_named(request_headers, "referer"))
      if (auto ref = parse_url(value); ref && page.empty()) page = ref->page;
    if (page.empty()) page = url->page;

    // Cookies the response set: the cookies array, or else the Set-Cookie headers.
    if (response) {
      const json& cookies = array_or_empty(*response, "cookies");
      for (std::size_t j = 0; j < cookies.size(); ++j) {
        const json& c = cookies[j];
        saw_cookie_data = true;
        ObservedCookie o = json_cookie(c);
        if (o.name.empty()) continue;
        if (o.domain.empty()) o.domain = url->host;
        if (const json* e = member(c, "expires"); e && !e->is_null()) {
          if (e->is_string()) o.expires = parse_iso_time(e->get<std::string>());
          else o.expires = number(*e);
          if (!o.expires) throw_invalid(doc.where(ptr + "/response/cookies/" + std::to_string(j)),
                                        "cookie '" + o.name + "': 'expires' is not a time");
        }
        o.captured = captured;
        o.secure = o.secure.value_or(false);
        o.http_only = o.http_only.value_or(false);
        o.page = url->page;
        o.loc = doc.where(ptr + "/response/cookies/" + std::to_string(j));
        inv.items.push_back(std::move(o));
      }
      for (const auto& [k, value] : headers_named(array_or_empty(*response, "headers"), "set-cookie")) {
        saw_cookie_data = true;
        if (!cookies.empty()) continue;
        // A header may hold several cookies separated by newlines (Firefox).
        std::istringstream lines(value);
        for (std::string line; std::getline(lines, line);)
          if (auto c = parse_set_cookie(line, captured)) {
            ObservedCookie o = observe_set_cookie(*c, *url, captured);
            o.loc = doc.where(ptr + "/response/headers/" + std::to_string(k));
            inv.items.push_back(std::move(o));
          }
      }
    }

    // Cookies the browser sent: present, their expiry unknown.
    std::vector<std::pair<std::string, std::string>> sent;  // name, pointer
    const json& request_cookies = array_or_empty(*request, "cookies");
    for (std::size_t j = 0; j < request_cookies.size(); ++j)
      sent.emplace_back(str(request_cookies[j], "name"), ptr + "/request/cookies/" + std::to_string(j));
    for (const auto& [k, value] : headers_named(request_headers, "cookie")) {
      saw_cookie_data = true;
      if (!request_cookies.empty()) continue;
      std::istringstream pairs(value);
      for (std::string pair; std::getline(pairs, pair, ';');)
        sent.emplace_back(std::string(trim(pair.substr(0, pair.find('=')))),
                          ptr + "/request/headers/" + std::to_string(k));
    }
    for (auto& [name, pointer] : sent) {
      saw_cookie_data = true;
      if (name.empty()) continue;
      ObservedCookie o;
      o.name = name;
      o.domain = url->host;
      o.path = "/";
      o.expiry_known = false;
      o.captured = captured;
      o.page = page;
      o.loc = doc.where(pointer);
      inv.items.push_back(std::move(o));
    }

    // Every request may be a declared pixel; some look like tracking requests.
    ObservedCookie px;
    px.type = CookieType::pixel;
    px.name = url->host + url->path;
    px.domain = url->host;
    px.path = url->path;
    px.captured = captured;
    px.page = page;
    const std::string resource = lower(str(entry, "_resourceType"));
    if (resource == "ping" || resource == "beacon" ||
        (response && member(*response, "status") && number((*response)["status"]) == 204) ||
        (response && is_tiny_image(*response)))
      px.evidence = PixelEvidence::heuristic;
    px.loc = doc.where(ptr + "/request");
    inv.items.push_back(std::move(px));
  }
  if (!entries.empty() && !saw_cookie_data)
    inv.notes.push_back(Finding{
        "sanitised-har", Severity::warning,
        "the HAR holds no cookies and no Cookie or Set-Cookie headers: it was probably exported "
        "sanitised; export it with cookies (in Chrome: 'Export HAR (with sensitive data)')",
        doc.where(""), ""});
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
    if (!o.captured) o.captured = now();
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
      auto t = number(*e);
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
    ObservedCookie px;
    px.type = CookieType::pixel;
    px.name = url->host + url->path;
    px.domain = url->host;
    px.path = url->path;
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
// Playwright storageState

void read_playwright(const PositionedJson& doc, Inventory& inv, std::int64_t captured) {
  const json& root = doc.root();
  const json& cookies = array_or_empty(root, "cookies");
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    const json& c = cookies[i];
    const std::string ptr = "/cookies/" + std::to_string(i);
    ObservedCookie o = json_cookie(c);
    if (o.name.empty()) continue;
    const json* e = member(c, "expires");
    auto t = e ? number(*e) : std::nullopt;
    if (e && !e->is_null() && !t)
      throw_invalid(doc.where(ptr), "cookie '" + o.name + "': 'expires' is not a number");
    if (t && *t >= 0) o.expires = t;  // -1: session
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
// telcomply's own scan format (written by `telcomply cookies scan`)

void read_scan(const PositionedJson& doc, Inventory& inv) {
  const json& root = doc.root();
  if (auto phase = parse_consent_phase(str(root, "phase"))) inv.phase = *phase;
  else if (member(root, "phase")) throw_invalid(doc.where(""), "unknown consent phase in 'phase'");
  const std::optional<std::int64_t> started = parse_iso_time(str(root, "started"));
  const json& cookies = array_or_empty(root, "cookies");
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    const json& c = cookies[i];
    const std::string ptr = "/cookies/" + std::to_string(i);
    ObservedCookie o;
    o.name = str(c, "name");
    o.domain = strip_dot(str(c, "domain"));
    if (o.name.empty() || o.domain.empty())
      throw_invalid(doc.where(ptr), "a scanned cookie needs 'name' and 'domain'");
    o.host_only = flag(c, "host_only").value_or(false);
    o.path = str(c, "path").empty() ? "/" : str(c, "path");
    if (const json* e = member(c, "expires"); e && !e->is_null()) {
      o.expires = parse_iso_time(str(c, "expires"));
      if (!o.expires) throw_invalid(doc.where(ptr), "cookie '" + o.name + "': 'expires' is not a time");
    }
    o.captured = parse_iso_time(str(c, "captured"));
    if (!o.captured) o.captured = started ? started : std::optional<std::int64_t>(now());
    o.secure = flag(c, "secure");
    o.http_only = flag(c, "http_only");
    o.same_site = str(c, "same_site");
    o.page = str(c, "page");
    o.loc = doc.where(ptr);
    inv.items.push_back(std::move(o));
  }
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
    std::int64_t expires = 0;
    const std::string& e = fields[4];
    if (e.empty() || !std::all_of(e.begin(), e.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) || e.size() > 12)
      throw_invalid(loc, "cookie '" + o.name + "': the expiry (field 5) must be a Unix time or 0");
    expires = std::stoll(e);
    if (expires != 0) o.expires = expires;  // 0: session
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
  std::map<std::string, std::size_t> column;
  const auto& [header_line, header] = records.front();
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string key = lower(trim(header[i]));
    key.erase(std::remove_if(key.begin(), key.end(), [](char c) { return c == '_' || c == '-' || c == ' '; }), key.end());
    if (key == "host") key = "domain";
    if (key == "url") key = "page";
    if (std::find(kColumns.begin(), kColumns.end(), key) == kColumns.end()) {
      std::string message = "unknown CSV column '" + std::string(trim(header[i])) + "'";
      if (auto hint = closest_match(key, kColumns)) message += "; did you mean '" + *hint + "'?";
      throw_invalid(SourceLocation{name, header_line, 1}, message);
    }
    column[key] = i;
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
      } else if (std::all_of(expires.begin(), expires.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) && expires.size() <= 12) {
        o.expires = std::stoll(expires);
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

std::optional<InventoryFormat> detect_json(const json& root) {
  if (!root.is_object()) return std::nullopt;
  if (str(root, "format") == "telcomply-cookie-scan") return InventoryFormat::scan;
  if (const json* log = member(root, "log"); log && member(*log, "entries")) return InventoryFormat::har;
  const json* cookies = member(root, "cookies");
  if (cookies && cookies->is_array()) {
    if (member(root, "beacons") || member(root, "uri_ins") || member(root, "browsing_history"))
      return InventoryFormat::edps;
    if (member(root, "origins")) return InventoryFormat::playwright;
  }
  return std::nullopt;
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

// Cookie and storage values, and response bodies, are dropped while a JSON inventory is
// parsed: `parent` is the pointer of the object holding the string.
bool drop_values(std::string_view parent, std::string_view key) {
  if (key == "text") return parent.ends_with("/content");  // HAR response bodies
  if (key != "value") return false;
  if (parent.starts_with("/localStorage/")) return true;  // EDPS storage values
  // A cookie object: .../cookies/N (HAR, EDPS, Playwright) or origins/N/localStorage/N.
  const std::size_t slash = parent.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == parent.size()) return false;
  const std::string_view index = parent.substr(slash + 1);
  if (!std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const std::string_view list = parent.substr(0, slash);
  return list.ends_with("/cookies") || list.ends_with("/localStorage");
}

[[noreturn]] void unknown_format(const std::string& name) {
  throw_invalid(SourceLocation{name, 0, 0},
                "not a cookie inventory telcomply knows (HAR 1.2, EDPS inspection.json, Netscape "
                "cookies.txt, Playwright storageState, CSV with a 'name,domain,...' header, or a "
                "telcomply scan); give --input-format to say which");
}

}  // namespace

InventoryFormat detect_inventory_format(std::string_view text) {
  if (looks_like_json(text)) {
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (auto f = detect_json(root)) return *f;
    unknown_format("input");
  }
  if (auto f = detect_text(text)) return *f;
  unknown_format("input");
}

Inventory read_inventory(const std::string& name, const std::string& text,
                         const InventoryOptions& options, std::optional<std::int64_t> file_time) {
  if (text.find('\0') != std::string::npos)
    throw_invalid(SourceLocation{name, 0, 0}, "not a text file (contains NUL bytes)");
  Inventory inv;
  inv.source = name;
  InventoryFormat format = options.format;
  const bool json_format = format == InventoryFormat::har || format == InventoryFormat::edps ||
                           format == InventoryFormat::playwright || format == InventoryFormat::scan;
  const std::int64_t captured = fallback_time(options, file_time);
  if (json_format || (format == InventoryFormat::automatic && looks_like_json(text))) {
    PositionedJson doc(name, skip_bom(text), drop_values);
    if (format == InventoryFormat::automatic) {
      auto detected = detect_json(doc.root());
      if (!detected) unknown_format(name);
      format = *detected;
    }
    if (!doc.root().is_object()) throw_invalid(doc.where(""), "expected a JSON object");
    inv.format = format;
    switch (format) {
      case InventoryFormat::har: read_har(doc, inv); break;
      case InventoryFormat::edps: read_edps(doc, inv); break;
      case InventoryFormat::playwright: read_playwright(doc, inv, captured); break;
      case InventoryFormat::scan: read_scan(doc, inv); break;
      default: break;
    }
  } else {
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
  for (auto& item : inv.items)
    if (item.phase == ConsentPhase::unknown) item.phase = inv.phase;
  return inv;
}

Inventory read_inventory_file(const std::filesystem::path& path, const InventoryOptions& options) {
  std::string text;
  std::optional<std::int64_t> file_time;
  const std::string name = path == "-" ? "<stdin>" : path.string();
  std::istream* in = &std::cin;
  std::ifstream file;
  if (path != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw_invalid("cannot read '" + name + "': is a directory");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw_invalid("cannot read '" + name + "': " + ec.message());
    if (size > kMaxInventorySize) throw_invalid("cannot read '" + name + "': larger than 512 MiB");
    const auto mtime = std::filesystem::last_write_time(path, ec);
    if (!ec) {
      const auto system = std::chrono::file_clock::to_sys(mtime);
      file_time = std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
    }
    file.open(path, std::ios::binary);
    if (!file) throw_invalid("cannot read '" + name + "': cannot open");
    in = &file;
    text.reserve(static_cast<std::size_t>(size));
  }
  char chunk[65536];
  while (in->read(chunk, sizeof chunk) || in->gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in->gcount()));
    if (text.size() > kMaxInventorySize) throw_invalid("cannot read '" + name + "': larger than 512 MiB");
  }
  if (in->bad()) throw_invalid("cannot read '" + name + "': I/O error");
  return read_inventory(name, text, options, file_time);
}

}  // namespace telcomply
