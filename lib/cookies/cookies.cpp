// Cookie names, domains, URLs, times and Set-Cookie headers: the vocabulary every reader
// and the check share.
#include "cookies/cookies.h"

#include <libpsl.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "cookies/inventory.h"
#include "cookies/text.h"
#include "core/date.h"
#include "io/curl_api.h"

namespace telcomply {

namespace {

using cookie_text::lower;
using cookie_text::trim;

bool is_ip_address(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

const psl_ctx_t* psl_context() {
  // The newest list on the system (Debian's publicsuffix), else libpsl's built-in copy.
  static const psl_ctx_t* context = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return context;
}

bool id_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Matches pattern[pi..] against text[ti..]; at the pattern's end the text must end too, or,
// with `segment`, reach a '/'.
bool match_from(std::string_view pattern, std::size_t pi, std::string_view text, std::size_t ti,
                bool segment) {
  if (pi == pattern.size()) return ti == text.size() || (segment && text[ti] == '/');
  const char c = pattern[pi];
  if (c == '*') {
    for (std::size_t k = ti; k <= text.size(); ++k)
      if (match_from(pattern, pi + 1, text, k, segment)) return true;
    return false;
  }
  if (c == '#') {
    for (std::size_t k = ti; k < text.size() && id_char(text[k]); ++k)
      if (match_from(pattern, pi + 1, text, k + 1, segment)) return true;
    return false;
  }
  return ti < text.size() && text[ti] == c && match_from(pattern, pi + 1, text, ti + 1, segment);
}

// A date with an expanded year ("+033715-03-14", ISO 8601, as JavaScript's toISOString
// writes years beyond 9999): a sign and four to six digits; `rest` is what follows the day.
std::optional<Date> parse_expanded_date(std::string_view text, std::string_view& rest) {
  const std::size_t dash = text.find('-', 1);
  if (dash == std::string_view::npos || dash < 5 || dash > 7 || text.size() < dash + 6)
    return std::nullopt;
  const std::string_view year = text.substr(1, dash - 1), month = text.substr(dash + 1, 2),
                         day = text.substr(dash + 4, 2);
  auto all_digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text[dash + 3] != '-' || !all_digits(year) || !all_digits(month) || !all_digits(day))
    return std::nullopt;
  const int y = std::stoi(std::string(year)) * (text.front() == '-' ? -1 : 1);
  const Date date{y, std::stoi(std::string(month)), std::stoi(std::string(day))};
  if (date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > days_in_month(date.year, date.month))
    return std::nullopt;
  rest = text.substr(dash + 6);
  return date;
}

}  // namespace

std::string registrable_domain(std::string_view host) {
  std::string h = lower(trim(host));
  while (!h.empty() && h.front() == '.') h.erase(0, 1);
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (h.empty() || is_ip_address(h) || h.find('.') == std::string::npos) return h;
  const char* registrable = psl_registrable_domain(psl_context(), h.c_str());
  return registrable ? std::string(registrable) : h;
}

bool match_cookie_name(std::string_view pattern, std::string_view name) {
  return !name.empty() && match_from(pattern, 0, name, 0, false);
}

bool match_pixel_path(std::string_view pattern, std::string_view path) {
  while (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1);
  if (pattern.empty()) return false;
  for (std::size_t i = 0; i < path.size(); ++i)
    if ((i == 0 || path[i - 1] == '/') && path[i] != '/' && match_from(pattern, 0, path, i, true))
      return true;
  return false;
}

std::optional<UrlParts> parse_url(std::string_view url) {
  const auto handle = curl_url_of(std::string(url));
  if (!handle) return std::nullopt;
  auto part = [&](CURLUPart which) { return curl_url_part(handle->get(), which); };
  UrlParts parts;
  parts.scheme = lower(part(CURLUPART_SCHEME).value_or(""));
  if (parts.scheme != "http" && parts.scheme != "https") return std::nullopt;
  parts.host = lower(part(CURLUPART_HOST).value_or(""));
  if (parts.host.empty()) return std::nullopt;
  if (parts.host.size() > 2 && parts.host.front() == '[') parts.host = parts.host.substr(1, parts.host.size() - 2);
  parts.path = part(CURLUPART_PATH).value_or("/");
  const auto port = part(CURLUPART_PORT);
  const bool ipv6 = parts.host.find(':') != std::string::npos;
  parts.page = parts.scheme + "://" + (ipv6 ? "[" + parts.host + "]" : parts.host) +
               (port ? ":" + *port : "") + parts.path;
  return parts;
}

std::optional<SetCookie> parse_set_cookie(std::string_view header, std::int64_t now) {
  std::size_t semi = header.find(';');
  const std::string_view pair = header.substr(0, semi);
  const std::size_t eq = pair.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  SetCookie cookie;
  cookie.name = std::string(trim(pair.substr(0, eq)));
  if (cookie.name.empty()) return std::nullopt;
  std::optional<std::int64_t> max_age, expires;
  while (semi != std::string_view::npos) {
    const std::size_t start = semi + 1;
    semi = header.find(';', start);
    const std::string_view attr = header.substr(start, semi == std::string_view::npos ? semi : semi - start);
    const std::size_t aeq = attr.find('=');
    const std::string key = lower(trim(attr.substr(0, aeq)));
    const std::string_view value = aeq == std::string_view::npos ? std::string_view{} : trim(attr.substr(aeq + 1));
    if (key == "secure") cookie.secure = true;
    else if (key == "httponly") cookie.http_only = true;
    else if (key == "samesite") cookie.same_site = std::string(value);
    else if (key == "path") cookie.path = std::string(value);
    else if (key == "domain") {
      std::string domain = lower(value);
      while (!domain.empty() && domain.front() == '.') domain.erase(0, 1);
      cookie.domain = domain;
    } else if (key == "max-age") {
      const bool negative = value.starts_with('-');
      if (auto seconds = expiry_digits(value.substr(negative ? 1 : 0)))
        max_age = negative ? -*seconds : *seconds;
    } else if (key == "expires") {
      const std::string text(value);
      const time_t t = curl_getdate(text.c_str(), nullptr);
      if (t != -1) expires = static_cast<std::int64_t>(t);
    }
  }
  if (max_age && *max_age <= 0)
    cookie.expires = now;  // a deletion
  else if (max_age)
    cookie.expires = clamp_expiry(now + *max_age, cookie.expiry_clamped);
  else if (expires)
    cookie.expires = clamp_expiry(*expires, cookie.expiry_clamped);
  return cookie;
}

ObservedCookie observe_set_cookie(const SetCookie& c, const UrlParts& url, std::int64_t time) {
  ObservedCookie o;
  o.name = c.name;
  o.host_only = c.domain.empty();
  o.domain = c.domain.empty() ? url.host : c.domain;
  o.path = c.path.empty() ? "/" : c.path;
  o.expires = c.expires;
  o.expiry_clamped = c.expiry_clamped;
  o.captured = time;
  o.secure = c.secure;
  o.http_only = c.http_only;
  o.same_site = c.same_site;
  o.page = url.page;
  return o;
}

std::optional<std::int64_t> parse_iso_time(std::string_view text) {
  text = trim(text);
  std::optional<Date> date;
  std::string_view rest;
  if (text.starts_with('+') || text.starts_with('-')) {
    date = parse_expanded_date(text, rest);
  } else if (text.size() >= 10) {
    date = parse_date(text.substr(0, 10));
    rest = text.substr(10);
  }
  if (!date) return std::nullopt;
  std::int64_t seconds = date->days_since_epoch() * 86400;
  if (rest.empty()) return seconds;
  if (rest.front() != 'T' && rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(1);
  auto digits = [&](std::size_t n, int max) -> std::optional<int> {
    if (rest.size() < n) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return std::nullopt;
      v = v * 10 + (rest[i] - '0');
    }
    if (v > max) return std::nullopt;
    rest.remove_prefix(n);
    return v;
  };
  auto hour = digits(2, 23);
  if (!hour || rest.empty() || rest.front() != ':') return std::nullopt;
  rest.remove_prefix(1);
  auto minute = digits(2, 59);
  if (!minute) return std::nullopt;
  int second = 0;
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    auto s = digits(2, 60);
    if (!s) return std::nullopt;
    second = *s;
    if (!rest.empty() && (rest.front() == '.' || rest.front() == ',')) {
      rest.remove_prefix(1);
      while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
    }
  }
  seconds += *hour * 3600 + *minute * 60 + second;
  if (rest.empty() || rest == "Z" || rest == "z") return seconds;
  const char sign = rest.front();
  if (sign != '+' && sign != '-') return std::nullopt;
  rest.remove_prefix(1);
  auto oh = digits(2, 23);
  if (!oh) return std::nullopt;
  if (!rest.empty() && rest.front() == ':') rest.remove_prefix(1);
  auto om = rest.empty() ? std::optional<int>(0) : digits(2, 59);
  if (!om || !rest.empty()) return std::nullopt;
  const std::int64_t offset = *oh * 3600 + *om * 60;
  return sign == '+' ? seconds - offset : seconds + offset;
}

const char* to_string(ConsentPhase phase) {
  switch (phase) {
    case ConsentPhase::unknown: return "unknown";
    case ConsentPhase::before_consent: return "before-consent";
    case ConsentPhase::consent_refused: return "consent-refused";
    case ConsentPhase::consent_given: return "consent-given";
  }
  return "unknown";
}

std::optional<ConsentPhase> parse_consent_phase(std::string_view text) {
  for (ConsentPhase phase : {ConsentPhase::unknown, ConsentPhase::before_consent,
                             ConsentPhase::consent_refused, ConsentPhase::consent_given})
    if (text == to_string(phase)) return phase;
  return std::nullopt;
}

const char* to_string(InventoryFormat format) {
  switch (format) {
    case InventoryFormat::automatic: return "auto";
    case InventoryFormat::har: return "har";
    case InventoryFormat::edps: return "edps";
    case InventoryFormat::netscape: return "netscape";
    case InventoryFormat::playwright: return "playwright";
    case InventoryFormat::csv: return "csv";
    case InventoryFormat::scan: return "scan";
    case InventoryFormat::gdpr_cookie_scanner:
      return "gdpr-cookie-scanner";
  }
  return "auto";
}

InventoryFormat parse_inventory_format(std::string_view name) {
  for (InventoryFormat format :
       {InventoryFormat::automatic, InventoryFormat::har, InventoryFormat::edps,
        InventoryFormat::netscape, InventoryFormat::playwright, InventoryFormat::csv,
        InventoryFormat::scan, InventoryFormat::gdpr_cookie_scanner})
    if (name == to_string(format)) return format;
  throw_invalid("unknown inventory format '" + std::string(name) +
                "' (known: auto, har, edps, netscape, playwright, csv, scan, gdpr-cookie-scanner)");
}

}  // namespace telcomply
