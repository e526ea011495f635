// Database locations: a file path (SQLite) or a database server's connection string.
// A connection string is a URL (`postgresql://user@host:5432/db?sslmode=verify-full`) or a
// libpq service name (`service=crm`, possibly with more `key=value` settings). Passwords never
// belong in one: the client library's own files and variables hold them (~/.pgpass,
// PGPASSFILE, PGSERVICEFILE, PGPASSWORD).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telcomply {

enum class LocationKind { file, postgresql };

// What `location` names: postgresql:// and postgres:// URLs and `service=` strings are
// PostgreSQL; anything else is a file path.
LocationKind location_kind(std::string_view location);

// Whether a connection string holds a password: `user:password@` in a URL, or a `password`
// setting (in a URL's query or a key=value string). Always false for a file path.
bool location_has_password(std::string_view location);

// The location as messages, reports and audit records may show it: a file path as it is; a
// connection string with any password and every query or key=value setting other than the
// database, host, port, user and service left out.
std::string shown_location(std::string_view location);

// The one-line refusal of a connection string holding a password, pointing at the client
// library's own mechanisms.
std::string password_refusal();

}  // namespace telcomply
