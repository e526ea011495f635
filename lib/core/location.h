// Database locations: a file path (SQLite) or a database server's connection string.
// A connection string is a URL (`postgresql://user@host:5432/db?sslmode=verify-full`,
// `mariadb://user@host:3306/db?ssl-mode=VERIFY_IDENTITY`, `mysql://...`) or a libpq service
// name (`service=crm`, possibly with more `key=value` settings). Passwords never belong in
// one: the client library's own files and variables hold them (~/.pgpass, PGPASSFILE,
// PGSERVICEFILE, PGPASSWORD; MariaDB's option files and MYSQL_PWD).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telcomply {

enum class LocationKind { file, postgresql, mariadb };

// What `location` names: postgresql:// and postgres:// URLs and `service=` strings are
// PostgreSQL, mariadb:// and mysql:// URLs MariaDB (or MySQL); anything else is a file path.
LocationKind location_kind(std::string_view location);

// Whether a connection string holds a password: `user:password@` in a URL, or a `password`
// setting (in a URL's query or a key=value string). Always false for a file path.
bool location_has_password(std::string_view location);

// The location as messages, reports and audit records may show it: a file path as it is; a
// connection string with any password and every query or key=value setting other than the
// database, host, port, user and service left out.
std::string shown_location(std::string_view location);

// The one-line refusal of a connection string holding a password, pointing at the client
// library's own mechanisms for `kind`.
std::string password_refusal(LocationKind kind);

// A server URL's parts, percent-decoded: scheme://user@host:port/database?key=value&...
struct ServerUrl {
  std::string user, host, database;  // empty when the URL leaves them out
  std::optional<int> port;
  std::vector<std::pair<std::string, std::string>> settings;  // the query, in order
};

// The parts of a postgresql://, mariadb:// or mysql:// URL; nullopt for anything else, and for
// a URL with a bad percent escape, a NUL, a port that is not 1 to 65535 or a path of more
// than one part.
std::optional<ServerUrl> parse_server_url(std::string_view url);

}  // namespace telcomply
