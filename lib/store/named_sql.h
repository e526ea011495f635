// SQL with `:name` parameters (store.h), split at each one for a backend to put its own
// placeholder ($1 on PostgreSQL) or the value itself (MariaDB's text protocol) in its place.
// Quoted strings and identifiers, comments and `::` casts are copied as they are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace telcomply {

struct NamedSql {
  // The SQL between the parameters: text[0], parameter 0, text[1], ..., text[n].
  std::vector<std::string> text;
  // For each parameter in the SQL, its index in `names` (a name used twice has one index).
  std::vector<std::size_t> params;
  // The distinct names in the order of their first use.
  std::vector<std::string> names;
  // The statement starts with SELECT, VALUES, WITH or TABLE (after blanks and parentheses).
  bool query = false;

  // The SQL with `placeholder(i)` for each parameter of index i.
  template <typename F>
  std::string join(F&& placeholder) const {
    std::string out = text.front();
    for (std::size_t p = 0; p < params.size(); ++p) {
      out += placeholder(params[p]);
      out += text[p + 1];
    }
    return out;
  }
};

NamedSql split_named_sql(std::string_view sql);

}  // namespace telcomply
