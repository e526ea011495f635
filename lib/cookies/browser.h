// `telcomply cookies scan --browser`: a site visited by Debian's Chromium, headless, driven
// through the DevTools protocol over a pipe (--remote-debugging-pipe: commands on the
// browser's fd 3, answers and events on its fd 4, each a JSON text ended by a NUL byte). Each
// consent phase runs in a fresh temporary profile: before any interaction, after accepting
// all, after refusing. What the browser stored, refused, requested and kept in web storage is
// recorded per phase; cookie and storage values are never written anywhere.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cookies/cookies.h"
#include "core/progress.h"

namespace telcomply {

struct BrowserScanOptions {
  std::vector<std::string> urls;  // start pages, http or https
  int max_pages = 1;              // pages beyond the start pages only while fewer were visited
  // HOST:PORT:ADDRESS, as curl's --resolve: HOST on PORT is reached at ADDRESS.
  std::vector<std::string> resolve;
  long idle_ms = 500;               // a page has settled after this long without a request...
  long delay_ms = 1000;             // ...and this long more
  long page_timeout_seconds = 30;   // per visit of a page, settling included
  long scan_timeout_seconds = 600;  // the whole scan, every phase
  std::string executable = "/usr/bin/chromium";
  ConsentButtons accept, refuse;  // the policy's own, tried before the built-in ones
};

// Where a request came from and what it fetched (never its query).
struct BrowserRequest {
  std::string url;        // scheme://host[:port]/path
  std::string type;       // the browser's resource type: Document, Script, Image, Ping, ...
  std::string initiator;  // the URL of the document or script that made it, else its kind
  std::string page;       // the page being visited
  long status = 0;        // 0: no answer
  bool pixel = false;     // a ping, a 204 answer or an image of at most 1 KiB
};

struct BrowserRedirect {
  std::string from, to;  // without query
  long status = 0;
};

// A localStorage or sessionStorage key (never its value).
struct StorageKey {
  std::string origin;  // scheme://host[:port]
  std::string key;
  bool session = false;  // sessionStorage
  std::string page;
};

struct BrowserPage {
  std::string url;  // as asked for, without query
  long status = 0;  // of the document's last answer
  std::string error;
  bool start = false;
};

struct BrowserPhase {
  ConsentPhase phase = ConsentPhase::before_consent;
  // The consent button clicked: its selector or label. Empty in the before-consent phase,
  // and when `button_found` is false (nothing was then recorded for the phase).
  std::string button;
  bool button_found = true;
  std::vector<BrowserPage> pages;
  // Every cookie the jar held after a page settled (first sighting; `http_only`, `secure`,
  // exact expiry, set by HTTP or by JavaScript in `set_by_http`) and every Set-Cookie the
  // browser refused (`refused` says why).
  std::vector<ObservedCookie> cookies;
  std::vector<bool> set_by_http;  // per cookie
  std::vector<StorageKey> storage;
  std::vector<BrowserRequest> requests;
  std::vector<BrowserRedirect> redirects;
};

struct BrowserScanResult {
  std::int64_t started = 0, finished = 0;
  std::string browser;  // the browser's product and version
  std::vector<BrowserPhase> phases;
};

// Runs the three phases. Throws Error(operational) when the browser is missing (naming the
// Debian package), cannot start, breaks off, takes longer than the scan's bound, or the
// process receives SIGINT or SIGTERM; the browser and its temporary profile are gone by the
// time it returns or throws. Error(invalid) for bad options. `progress` hears of each page.
BrowserScanResult scan_with_browser(const BrowserScanOptions& options,
                                    const ProgressSink& progress = {});

// The built-in consent buttons of the common consent platforms (Cookiebot with its Dutch
// labels, OneTrust, Didomi, Complianz, CookieYes, Quantcast Choice) and common labels.
const ConsentButtons& builtin_accept_buttons();
const ConsentButtons& builtin_refuse_buttons();

// Writes the scan as telcomply's scan format, version 2 (one entry per phase), which
// `cookies check` reads.
void write_browser_scan(std::ostream& out, const BrowserScanResult& result);

// Chromium's --host-resolver-rules for curl-style HOST:PORT:ADDRESS mappings; throws
// Error(invalid) naming a mapping that is not of that form.
std::string host_resolver_rules(const std::vector<std::string>& resolve);

}  // namespace telcomply
