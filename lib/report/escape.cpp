#include "report/escape.h"

#include "core/text.h"

namespace telcomply {

namespace {

// Appends `text` through append_visible, with every ASCII character for which `replace`
// gives a replacement written as that replacement. (No byte of a multi-byte UTF-8 sequence is
// ASCII, so cutting the text at ASCII characters never splits a character.)
template <class Replace>
void append_replaced(std::string& out, std::string_view text, LineBreaks breaks, Replace replace) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* replacement = replace(text[i]);
    if (replacement == nullptr) continue;
    append_visible(out, text.substr(from, i - from), breaks);
    out += replacement;
    from = i + 1;
  }
  append_visible(out, text.substr(from), breaks);
}

const char* html_reference(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    default:
      return nullptr;
  }
}

const char* markdown_replacement(char c) {
  switch (c) {
    case '\n':
    case '\r':
    case '\t':
      return " ";
    case '|':
      return "\\|";
    case '*':
      return "\\*";
    case '_':
      return "\\_";
    case '`':
      return "\\`";
    case '[':
      return "\\[";
    case ']':
      return "\\]";
    case '\\':
      return "\\\\";
    case '<':
    case '>':
    case '&':
      return html_reference(c);
    default:
      return nullptr;
  }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  append_replaced(out, text, LineBreaks::keep, [](char c) { return html_reference(c); });
}

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html_escaped(out, text);
  return out;
}

std::string markdown_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_replaced(out, text, LineBreaks::keep, [](char c) { return markdown_replacement(c); });
  return out;
}

std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    cell += '\'';
  append_visible(cell, text, LineBreaks::keep);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string md_cell(std::string_view text) {
  std::string out = markdown_escaped(text);
  return out.empty() ? kNone : out;
}

}  // namespace telcomply
