// Escaping text for the markup and table formats telcomply writes (HTML, XML, CSV): one
// place for each, used by every report, list, table and export.
#pragma once

#include <string>
#include <string_view>

namespace telcomply {

// Appends `text` for HTML or XML element content and quoted attribute values: &, <, >, " and
// ' become references, and control characters that neither allows (C0 other than tab, line
// feed and carriage return) become spaces.
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escaped(std::string_view text);

// One RFC 4180 CSV cell: quoted when it holds a comma, quote or line break; a cell a
// spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) gets a leading '.
std::string csv_cell(std::string_view text);

}  // namespace telcomply
