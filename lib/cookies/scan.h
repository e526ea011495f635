// `telcomply cookies scan`: fetches a site's pages over HTTP(S) and records every cookie its
// responses set (Set-Cookie), with the attributes and the page that set it. Cookies set
// by JavaScript need a browser: a HAR or the EDPS collector's output.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cookies/cookies.h"
#include "core/progress.h"

namespace telcomply {

struct ScanOptions {
  std::vector<std::string> urls;      // start pages, http or https
  int max_pages = 1;                  // pages fetched in all, following same-site links
  int max_redirects = 5;              // per page
  long timeout_seconds = 30;          // per request
  std::size_t max_body = 5u << 20;    // bytes of a page read for links; the rest is dropped
  std::vector<std::string> cookies;   // NAME=VALUE sent with every request (e.g. consent)
  std::optional<ConsentPhase> phase;  // default: before-consent without cookies, else given
};

// One HTTP response, without following redirects.
struct HttpResponse {
  long status = 0;
  std::vector<std::string> set_cookies;  // Set-Cookie header values, kept in memory only
  std::string location;                  // Location header
  std::string content_type;
  std::string body;        // at most ScanOptions::max_body bytes
  bool truncated = false;  // the body was larger than the cap
  std::int64_t time = 0;   // Unix time the response arrived
};

// The network, behind an interface so tests can swap it.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GETs `url` (http or https only) without following redirects, sending the cookies it
  // received before. Throws Error(operational) when the transfer fails.
  virtual HttpResponse get(const std::string& url) = 0;
};

// The libcurl client: http and https only, TLS verified, the options' timeout, body cap
// and cookies, and a cookie store kept across requests like a browser's.
std::unique_ptr<HttpClient> make_curl_client(const ScanOptions& options);

struct ScannedPage {
  std::string url;                     // without query
  long status = 0;                     // of the last response; 0 when it failed
  std::vector<std::string> redirects;  // the pages it passed through, without query
  std::string error;                   // why it failed (a start page: also an HTTP error status)
  bool truncated = false;
  bool start = false;  // one of the start pages
};

struct ScanResult {
  std::int64_t started = 0, finished = 0;
  ConsentPhase phase = ConsentPhase::unknown;
  std::vector<std::string> sent_cookies;  // names of the cookies sent, never values
  std::vector<ScannedPage> pages;
  std::vector<ObservedCookie> cookies;  // every Set-Cookie seen, in order
};

// Scans the options' URLs: every start page, then same-site links while fewer than
// `max_pages` pages were fetched. A page that cannot be fetched, and a start page answering
// 4xx or 5xx, is recorded with its `error`; the caller reports failed start pages. `progress` hears
// of each page ("scanning", its URL without the query, pages fetched of --max-pages).
ScanResult scan_site(HttpClient& client, const ScanOptions& options,
                     const ProgressSink& progress = {});

// Writes the scan as telcomply's scan format (JSON), which `cookies check` reads.
void write_scan(std::ostream& out, const ScanResult& result);

// One cookie of the scan format: name, domain, host_only, path, expires, secure, http_only,
// same_site, page, captured (`started` when the cookie has no capture time).
nlohmann::ordered_json scan_cookie_json(const ObservedCookie& cookie, std::int64_t started);

// The site a link must stay on: the registrable domain, or the host for IPs and localhost;
// empty for a URL that is not http(s).
std::string site_of(const std::string& url);

// The links of an HTML page (<a href>, <area href>) resolved against `base`, http(s) only,
// without fragments.
std::vector<std::string> extract_links(const std::string& html, const std::string& base);

}  // namespace telcomply
