// What the inventory readers share (cookies_inventory.cpp reads every format, cookies_har.cpp
// streams HAR files): telling a JSON inventory's format from its root, cookie attributes as
// browsers' tools write them, whole numbers, and the HAR reader itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cookies/cookies.h"
#include "io/json_doc.h"

namespace telcomply {

// What the root of a JSON inventory holds, as far as it tells the format.
struct JsonShape {
  bool object = false;         // the root is an object
  bool scan = false;           // "format": "telcomply-cookie-scan"
  bool log_entries = false;    // "log" is an object with "entries"
  bool cookies_array = false;  // "cookies" is an array
  bool edps_keys = false;      // "beacons", "uri_ins" or "browsing_history"
  bool origins = false;        // "origins"
  // Seen only by shape_of, which reads a whole document (the HAR reader does not look):
  bool scanner_phases = false;  // "cookiesBeforeInteraction" is an array (gdpr-cookie-scanner)
  bool cookie_list = false;     // the root is a non-empty array of objects with "name"
};
JsonShape shape_of(const nlohmann::json& root);
std::optional<InventoryFormat> detect_json(const JsonShape& shape);

// A cookie object's name and attributes as browsers' tools write them (HAR, EDPS,
// Playwright): name, domain (leading dot: not host-only), path, secure, httpOnly, sameSite.
struct CookieAttributes {
  std::string name, domain, path, same_site;
  std::optional<bool> secure, http_only;
};
ObservedCookie observe_cookie(const CookieAttributes& cookie);

// A whole number within ±10^12 (Unix times up to the year 33658; HTTP statuses, sizes), so
// that differences of times never overflow; nullopt for anything else.
std::optional<std::int64_t> whole_number(const nlohmann::json& value);

// Expiries as inventories write them, read with saturation: a number beyond kLatestExpiry,
// however large, gives kLatestExpiry + 1 (and one below -kLatestExpiry gives
// -kLatestExpiry - 1), which read_inventory clamps to kLatestExpiry and flags. From a JSON
// number (nullopt when it is none), or from decimal digits (nullopt when `digits` is empty
// or holds anything else).
std::optional<std::int64_t> expiry_number(const nlohmann::json& value);
std::optional<std::int64_t> expiry_digits(std::string_view digits);

// `time` as an expiry telcomply records: at most kLatestExpiry; sets `clamped` when it was
// later.
std::int64_t clamp_expiry(std::int64_t time, bool& clamped);

// The current Unix time.
std::int64_t unix_now();

// What read_har found in a JSON text.
struct HarContent {
  JsonShape shape;                    // of the root, whatever the text was
  std::vector<ObservedCookie> items;  // for a HAR: its cookies and requests, as in Inventory
  std::vector<Finding> notes;
  std::optional<Error> invalid;  // why the text is not a usable HAR (the first reason)
};

// Reads a HAR 1.2 file as it streams through nlohmann's SAX parser, keeping only what the
// check uses: the pages' URLs, and of each entry the request URL, startedDateTime, pageref,
// _resourceType, response status, content type and size, the request and response cookies
// (never their values) and the Cookie, Set-Cookie (without values) and Referer headers,
// with the position of each object kept. An item equal to one kept before in all but its
// position and capture time (a cookie with an expiry: with the same lifetime, set on the
// same day) is not kept again: a browser sends its cookies with every request, and the
// first sighting is the one reported. Memory grows with the distinct items, not with the
// file, except for entries whose pages the file lists after them. Malformed JSON throws
// Error(invalid) with name:line:column. Anything else wrong (not an object, no 'log.entries' array,
// an expiry that is not a time) is left in `invalid`, so that a caller still guessing the format
// can read the text as another one; the root's shape tells which.
HarContent read_har(const std::string& name, JsonInput& input);

}  // namespace telcomply
