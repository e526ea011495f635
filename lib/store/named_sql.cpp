#include "store/named_sql.h"

#include <cctype>

namespace telcomply {

namespace {

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

NamedSql split_named_sql(std::string_view sql) {
  NamedSql out;
  out.text.emplace_back();
  std::string* text = &out.text.back();
  text->reserve(sql.size());
  std::size_t i = 0;
  const auto copy_until = [&](char close) {
    *text += sql[i++];
    while (i < sql.size()) {
      const char c = sql[i++];
      *text += c;
      if (c == close) {
        if (i < sql.size() && sql[i] == close) {
          *text += sql[i++];  // a doubled quote
          continue;
        }
        return;
      }
    }
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_until(c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') *text += sql[i++];
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      text->append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      *text += "::";  // a cast
      i += 2;
    } else if (c == ':' && i + 1 < sql.size() &&
               (std::isalpha(static_cast<unsigned char>(sql[i + 1])) != 0 || sql[i + 1] == '_')) {
      std::size_t end = i + 1;
      while (end < sql.size() && identifier_char(sql[end])) ++end;
      const std::string name(sql.substr(i + 1, end - i - 1));
      std::size_t index = 0;
      while (index < out.names.size() && out.names[index] != name) ++index;
      if (index == out.names.size()) out.names.push_back(name);
      out.params.push_back(index);
      out.text.emplace_back();
      text = &out.text.back();
      i = end;
    } else {
      *text += c;
      ++i;
    }
  }
  std::size_t start = 0;
  while (start < sql.size() &&
         (std::isspace(static_cast<unsigned char>(sql[start])) != 0 || sql[start] == '('))
    ++start;
  std::string keyword;
  while (start < sql.size() && std::isalpha(static_cast<unsigned char>(sql[start])) != 0)
    keyword += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[start++])));
  out.query = keyword == "SELECT" || keyword == "VALUES" || keyword == "WITH" || keyword == "TABLE";
  return out;
}

}  // namespace telcomply
