// What the server backends (store/postgres/, store/mariadb/) share.
#pragma once

#include <string>
#include <string_view>

namespace telcomply {

// The first line of a message from a client library or its server, without its line end;
// "database error" for none.
std::string first_line(const char* message);

// `text` as a JSON string (invalid UTF-8 replaced), for values a server shows as text that
// a JSON value holds: an array's or a set's members.
std::string json_string(std::string_view text);

}  // namespace telcomply
