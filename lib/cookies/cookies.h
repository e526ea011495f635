// Cookie inventories and the check of an inventory against the declared cookie policy.
//
// An inventory is what a site really set: cookies, tracking requests (pixels) and local
// storage, read from a HAR 1.2 file, the EDPS Website Evidence Collector's inspection.json,
// a Netscape cookies.txt, a Playwright storageState file or context.cookies() array, the JSON
// report of @slashgear/gdpr-cookie-scanner, a simple CSV, or telcomply's own scan format. Cookie
// values are never read into the model, so they can never be printed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "report/findings.h"
#include "policy/policy.h"

namespace telcomply {

// ---------------------------------------------------------------------------------------
// Domains and names.

// The registrable domain (eTLD+1) of `host` by the public suffix list: "www.voipgrid.nl"
// and ".voipgrid.nl" give "voipgrid.nl", "a.b.example.co.uk" gives "example.co.uk". The host
// is lowercased and a leading dot dropped; an IP address, "localhost" or a bare public
// suffix gives the host itself.
std::string registrable_domain(std::string_view host);

// True when `name` is matched by a declared name: exact, except that '#' stands for an id
// (one or more letters, digits, '-' or '_') and '*' for any text, possibly empty.
bool match_cookie_name(std::string_view pattern, std::string_view name);

// True when a declared pixel `pattern` (e.g. "collect", "pagead/1p-user-list/#") occurs in
// a URL `path` as whole path segments: "collect" matches "/collect" and "/g/collect", not
// "/collector.js".
bool match_pixel_path(std::string_view pattern, std::string_view path);

// The parts of an absolute http(s) URL that cookies care about; nullopt when `url` is not
// one. Host lowercased; `page` is scheme://host[:port]/path, without query or fragment (a
// query may carry identifiers).
struct UrlParts {
  std::string scheme, host, path, page;
};
std::optional<UrlParts> parse_url(std::string_view url);

// The latest expiry telcomply records: 9999-12-31T23:59:59Z, the last time an ISO 8601 date
// with a four-digit year can say. A later one (Max-Age=99999999999999999999, an expiry of
// 10^15 seconds) is clamped to it and flagged, and the check reports it
// (expiry-out-of-range), so a scan always writes what the check reads back.
inline constexpr std::int64_t kLatestExpiry = 253402300799;

// One Set-Cookie header: the cookie's name and attributes, never its value.
struct SetCookie {
  std::string name;
  std::string domain;  // the Domain attribute without leading dot; empty: host-only
  std::string path;
  std::optional<std::int64_t> expires;  // Unix time from Max-Age (preferred) or Expires
  bool expiry_clamped = false;          // asked for more than kLatestExpiry; that is `expires`
  bool secure = false, http_only = false;
  std::string same_site;
};
// Parses a Set-Cookie header value received at Unix time `now` (for Max-Age); nullopt when
// it names no cookie. A Max-Age of zero or less is a deletion: the cookie expires at `now`
// (RFC 6265, 5.2.2), however negative the number. An expiry after kLatestExpiry is clamped.
std::optional<SetCookie> parse_set_cookie(std::string_view header, std::int64_t now);

// ---------------------------------------------------------------------------------------
// The inventory model.

// When an inventory was captured, relative to the visitor's consent.
enum class ConsentPhase { unknown, before_consent, consent_refused, consent_given };
const char* to_string(ConsentPhase phase);
std::optional<ConsentPhase> parse_consent_phase(std::string_view text);

// Why a request counts as a pixel when no declared entry matches it.
enum class PixelEvidence {
  none,       // an ordinary request: only declared pixels are matched against it
  heuristic,  // a beacon, ping, 204 answer or tiny image: undeclared when third-party
  listed,     // named a tracker by the producing tool (the EDPS collector's beacons)
};

// One cookie, pixel request or local-storage key seen in an inventory. Never a value.
struct ObservedCookie {
  CookieType type = CookieType::http;
  std::string name;    // cookie name or storage key; a pixel: host and path of the request
  std::string domain;  // cookie domain (no leading dot); pixel: request host; storage: origin host
  bool host_only = false;
  std::string path;    // cookie path; pixel: the request's URL path
  // Unix time the cookie expires; nullopt for a session cookie. Meaningful only when
  // `expiry_known` (a cookie seen only in a request header has no known expiry).
  std::optional<std::int64_t> expires;
  bool expiry_known = true;
  // The input asked for an expiry after kLatestExpiry; `expires` holds kLatestExpiry.
  bool expiry_clamped = false;
  std::optional<std::int64_t> captured;  // Unix time it was set or seen
  std::optional<bool> secure, http_only;  // unknown when the input does not tell
  std::string same_site;
  std::string page;  // the page that set it or made the request (URL without query)
  PixelEvidence evidence = PixelEvidence::none;
  ConsentPhase phase = ConsentPhase::unknown;
  // Why the browser refused to store this cookie (third-party cookies blocked, SameSite=None
  // without Secure, ...); empty when it was stored. A refused cookie was attempted, not set.
  std::string refused;
  SourceLocation loc;  // where in the inventory file
};

// The cookie a Set-Cookie header received from `url` at Unix time `time` sets.
ObservedCookie observe_set_cookie(const SetCookie& cookie, const UrlParts& url, std::int64_t time);

// gdpr_cookie_scanner: the JSON report of @slashgear/gdpr-cookie-scanner.
enum class InventoryFormat {
  automatic,
  har,
  edps,
  netscape,
  playwright,
  csv,
  scan,
  gdpr_cookie_scanner
};
const char* to_string(InventoryFormat format);
InventoryFormat parse_inventory_format(std::string_view name);  // throws Error(invalid)

struct Inventory {
  std::string source;  // file name
  InventoryFormat format = InventoryFormat::automatic;
  ConsentPhase phase = ConsentPhase::unknown;  // as the inventory itself says
  std::vector<ObservedCookie> items;
  std::vector<Finding> notes;  // warnings about the input itself (e.g. a sanitised HAR)
  bool browser = false;        // a browser scan: it shows cookies, requests and storage alike
};

struct InventoryOptions {
  InventoryFormat format = InventoryFormat::automatic;
  // Capture time for formats that carry none (Netscape, Playwright, CSV without a
  // `captured` column). Unset: the file's modification time.
  std::optional<std::int64_t> captured_at;
};

// Recognises the format of an inventory from its text; throws Error(invalid) naming the
// formats it knows when none fits.
InventoryFormat detect_inventory_format(std::string_view text);

// Reads an inventory from `text`, reported under `name`. `file_time` is the capture time
// used when neither the input nor the options give one. Throws Error(invalid) with
// name:line:column when the input is malformed; messages never quote cookie values.
Inventory read_inventory(const std::string& name, const std::string& text,
                         const InventoryOptions& options,
                         std::optional<std::int64_t> file_time = std::nullopt);
// Reads the file at `path` (at most 512 MiB); "-" reads standard input.
Inventory read_inventory_file(const std::filesystem::path& path, const InventoryOptions& options);

// Parses an ISO 8601 time ("2026-11-01T10:00:00Z", "...+01:00", fractions allowed) or a
// date ("2026-11-01", taken as midnight UTC) to Unix time. A year beyond 9999 is written
// expanded, with a sign and up to six digits ("+033715-03-14T08:00:00.000Z", as JavaScript
// writes it).
std::optional<std::int64_t> parse_iso_time(std::string_view text);

// ---------------------------------------------------------------------------------------
// The check.

struct CookieCheckOptions {
  bool before_consent = false;  // every inventory was captured before consent
};

// Compares the inventories with the policy. Findings name the rule, the entry (cookie
// name) and the place in the inventory or the policy; see cookie_rules() for the rules.
std::vector<Finding> check_cookies(const CookiePolicy& policy,
                                   const std::vector<Inventory>& inventories,
                                   const CookieCheckOptions& options);
const std::vector<RuleInfo>& cookie_rules();

// Whether a category needs the visitor's consent, given the organisation's attestations.
bool needs_consent(const CookieCategory& category,
                   const std::map<std::string, Attestation>& attestations);

// ---------------------------------------------------------------------------------------
// The table a privacy statement publishes.

enum class TableFormat { markdown, html, csv, json };
TableFormat parse_table_format(std::string_view name);  // throws Error(invalid)

struct TableOptions {
  Language language = Language::en;  // of the headings, types and expiries (md, html)
  bool fragment = false;             // html: the table alone, for a page of the site's own
  std::filesystem::path templates;   // the operator's template folder (render/render.h)
};

// Writes the declared entries grouped by category (categories in the order they are first
// used), each with name, provider, type, expiry and purpose. Markdown and HTML are for people:
// in the chosen language, expiries as durations read ("2 years", "2 jaar"), whether the
// category needs consent; HTML is a complete page (page.html.mustache around
// cookie-table.html.mustache) or the fragment alone. CSV and JSON are for programs: keys,
// codes and expiries as written stay as they are.
void write_cookie_table(std::ostream& out, const CookiePolicy& policy, TableFormat format,
                        const TableOptions& options = {});

}  // namespace telcomply
