// Escaping text for the markup and table formats telcomply writes (HTML, XML, Markdown, CSV):
// one place for each, used by every report, list, table and export. Each also shows control
// and bidirectional characters and bytes that are not UTF-8 as visible escapes
// (append_visible in core/text.h), so that no data can hide in or rearrange what a reader
// sees, and the output is always well-formed UTF-8 (and XML).
#pragma once

#include <string>
#include <string_view>

namespace telcomply {

// Appends `text` for HTML or XML element content and quoted attribute values: &, <, >, " and
// ' become references; tab, line feed and carriage return stay; other control characters,
// bidirectional controls, U+FFFE, U+FFFF and stray bytes become visible escapes ("\x1b").
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escaped(std::string_view text);

// Text for a Markdown table cell or paragraph: |, *, _, `, [, ] and backslash get a
// backslash; <, > and & become HTML references (no raw HTML); line breaks and tabs become
// spaces; other control and bidirectional characters and stray bytes become visible escapes.
std::string markdown_escaped(std::string_view text);

// An em dash (U+2014): what a table cell shows when nothing is stated.
inline constexpr const char* kNone = "\xE2\x80\x94";
// markdown_escaped(text) for a table cell, or kNone when `text` is empty.
std::string md_cell(std::string_view text);

// One RFC 4180 CSV cell: quoted when it holds a comma, quote or line break; a cell a
// spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) gets a leading ';
// control characters other than tab and line breaks, bidirectional controls and stray bytes
// become visible escapes.
std::string csv_cell(std::string_view text);

}  // namespace telcomply
