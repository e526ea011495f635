#include "core/location.h"

#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace telcomply {

namespace {

constexpr std::array<std::string_view, 2> kPgSchemes = {"postgresql://", "postgres://"};
constexpr std::array<std::string_view, 2> kMariadbSchemes = {"mariadb://", "mysql://"};
// The settings a shown location keeps: they say which database, never how to get in.
constexpr std::array<std::string_view, 7> kShown = {"dbname", "host",    "hostaddr", "port",
                                                    "user",   "service", "socket"};

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  return text;
}

template <std::size_t N>
bool has_scheme(std::string_view location, const std::array<std::string_view, N>& schemes) {
  for (std::string_view scheme : schemes)
    if (starts_with_nocase(location, scheme)) return true;
  return false;
}

bool is_url(std::string_view location) {
  return has_scheme(location, kPgSchemes) || has_scheme(location, kMariadbSchemes);
}

bool is_shown(std::string_view key) {
  for (std::string_view shown : kShown)
    if (key == shown) return true;
  return false;
}

// A key=value connection string's settings, as libpq reads them: values in single quotes may
// hold spaces, a backslash escapes the next character.
std::vector<std::pair<std::string, std::string>> settings_of(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  const auto space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  while (true) {
    space();
    if (i >= text.size()) break;
    std::string key;
    while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i])))
      key += text[i++];
    space();
    if (i < text.size() && text[i] == '=') ++i;
    space();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
      ++i;
    } else {
      for (; i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

struct UrlParts {
  std::string_view scheme, userinfo, hostport, path, query;
};

UrlParts url_parts(std::string_view url) {
  UrlParts parts;
  const std::size_t scheme_end = url.find("://") + 3;
  parts.scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end);
  const std::size_t query = rest.find('?');
  if (query != std::string_view::npos) {
    parts.query = rest.substr(query + 1);
    rest = rest.substr(0, query);
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) parts.path = rest.substr(slash);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    parts.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  parts.hostport = authority;
  return parts;
}

// A URL query's parameters, in order, undecoded.
std::vector<std::pair<std::string_view, std::string_view>> query_of(std::string_view query) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const std::size_t eq = item.find('=');
    out.emplace_back(item.substr(0, eq),
                     eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0)
      return std::nullopt;
    out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    i += 2;
  }
  return out;
}

}  // namespace

LocationKind location_kind(std::string_view location) {
  if (has_scheme(location, kPgSchemes)) return LocationKind::postgresql;
  if (has_scheme(location, kMariadbSchemes)) return LocationKind::mariadb;
  if (starts_with_nocase(trim_left(location), "service=")) return LocationKind::postgresql;
  return LocationKind::file;
}

bool location_has_password(std::string_view location) {
  if (location_kind(location) == LocationKind::file) return false;
  if (is_url(location)) {
    const UrlParts parts = url_parts(location);
    if (parts.userinfo.find(':') != std::string_view::npos) return true;
    for (const auto& [key, value] : query_of(parts.query))
      if (key == "password") return true;
    return false;
  }
  for (const auto& [key, value] : settings_of(location))
    if (key == "password") return true;
  return false;
}

std::string shown_location(std::string_view location) {
  if (location_kind(location) == LocationKind::file) return std::string(location);
  std::string out;
  if (is_url(location)) {
    const UrlParts parts = url_parts(location);
    out = std::string(parts.scheme);
    if (!parts.userinfo.empty())
      out += std::string(parts.userinfo.substr(0, parts.userinfo.find(':'))) + "@";
    out += std::string(parts.hostport) + std::string(parts.path);
    char separator = '?';
    for (const auto& [key, value] : query_of(parts.query)) {
      if (!is_shown(key)) continue;
      out += separator + std::string(key) + "=" + std::string(value);
      separator = '&';
    }
    return out;
  }
  for (const auto& [key, value] : settings_of(location)) {
    if (!is_shown(key)) continue;
    if (!out.empty()) out += ' ';
    out += key + "=" + value;
  }
  return out;
}

std::string password_refusal(LocationKind kind) {
  if (kind == LocationKind::mariadb)
    return "the database's connection string holds a password: leave it out and let the "
           "MariaDB client library find it in an option file (~/.my.cnf, or the URL's "
           "option-file= and group=) or MYSQL_PWD";
  return "the database's connection string holds a password: leave it out and let libpq find "
         "it in ~/.pgpass, PGPASSFILE, a service file (PGSERVICEFILE) or PGPASSWORD";
}

std::optional<ServerUrl> parse_server_url(std::string_view url) {
  if (!is_url(url)) return std::nullopt;
  const UrlParts parts = url_parts(url);
  ServerUrl out;
  const auto decoded = [](std::string_view text, std::string& into) {
    std::optional<std::string> value = percent_decoded(text);
    if (!value || value->find('\0') != std::string::npos) return false;
    into = std::move(*value);
    return true;
  };
  std::string_view hostport = parts.hostport;
  if (hostport.starts_with('[')) {  // an IPv6 address
    const std::size_t close = hostport.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(hostport.substr(1, close - 1));
    hostport.remove_prefix(close + 1);
    if (!hostport.empty() && !hostport.starts_with(':')) return std::nullopt;
  } else {
    const std::size_t colon = hostport.find(':');
    if (!decoded(hostport.substr(0, colon), out.host)) return std::nullopt;
    hostport = colon == std::string_view::npos ? std::string_view() : hostport.substr(colon);
  }
  if (!hostport.empty()) {
    const std::string_view digits = hostport.substr(1);
    if (digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    const int port = std::stoi(std::string(digits));
    if (port < 1 || port > 65535) return std::nullopt;
    out.port = port;
  }
  if (!decoded(parts.userinfo.substr(0, parts.userinfo.find(':')), out.user)) return std::nullopt;
  std::string_view path = parts.path;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.find('/') != std::string_view::npos || !decoded(path, out.database)) return std::nullopt;
  for (const auto& [key, value] : query_of(parts.query)) {
    std::string k, v;
    if (!decoded(key, k) || !decoded(value, v)) return std::nullopt;
    out.settings.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

}  // namespace telcomply
