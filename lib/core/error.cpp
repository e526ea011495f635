#include "core/error.h"

namespace telcomply {

std::string SourceLocation::str() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

std::string located(const SourceLocation& loc, const std::string& message) {
  return loc.known() ? loc.str() + ": " + message : message;
}

Error::Error(Exit status, const SourceLocation& loc, const std::string& message)
    : std::runtime_error(located(loc, message)), status_(status), where_(loc) {}

std::string Error::message() const {
  const std::string text = what();
  return where_.known() ? text.substr(where_.str().size() + 2) : text;
}

void throw_invalid(const SourceLocation& loc, const std::string& message) {
  throw Error(Exit::invalid, loc, message);
}

void throw_invalid(const std::string& message) { throw Error(Exit::invalid, message); }

void throw_operational(const std::string& message) { throw Error(Exit::operational, message); }

}  // namespace telcomply
