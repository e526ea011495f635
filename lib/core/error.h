// Errors and exit statuses.
//
// Library code reports failure by throwing telcomply::Error, which carries the exit status
// the command line must end with. The one place that maps errors to output and status is
// cli/main.cpp. Messages say what failed first, lowercase, no full stop, and start with
// "file:line:column: " where a position in an input file is known.
#pragma once

#include <stdexcept>
#include <string>

namespace telcomply {

// The documented exit statuses of every subcommand (telcomply(1), EXIT STATUS).
enum class Exit : int {
  ok = 0,           // success
  findings = 1,     // a check found violations
  invalid = 2,      // usage error or invalid input
  no_subject = 3,   // no such data subject
  operational = 4,  // database busy or corrupt, I/O, network
};

// A position in an input file; line and column are 1-based, 0 when unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:column", "file:line", "file", or "" as far as known.
  std::string str() const;
  bool known() const { return !file.empty(); }
};

class Error : public std::runtime_error {
 public:
  Error(Exit status, const std::string& message) : std::runtime_error(message), status_(status) {}
  // An error at a place in an input file: the message is "loc: message" (located()), and
  // where() keeps the place, so that a report can carry the error at it (lint --format sarif).
  Error(Exit status, const SourceLocation& loc, const std::string& message);
  Exit status() const { return status_; }
  const SourceLocation& where() const { return where_; }
  // The message without the "file:line:column: " that starts what() when where() is known.
  std::string message() const;

 private:
  Exit status_;
  SourceLocation where_;
};

// Throws Error(Exit::invalid) with "loc: message" (or just message when loc is unknown).
[[noreturn]] void throw_invalid(const SourceLocation& loc, const std::string& message);
[[noreturn]] void throw_invalid(const std::string& message);
// Throws Error(Exit::operational, message).
[[noreturn]] void throw_operational(const std::string& message);

// "message" prefixed with "loc: " when loc is known.
std::string located(const SourceLocation& loc, const std::string& message);

}  // namespace telcomply
