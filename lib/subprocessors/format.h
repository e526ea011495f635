// Text helpers shared by the sub-processor list and the change notice (internal to
// lib/subprocessors*.cpp).
#pragma once

#include <string>
#include <vector>

namespace telcomply::subprocessors_format {

// "a, b, c".
std::string join(const std::vector<std::string>& items, const char* separator = ", ");
// Text safe in a Markdown table cell (markdown_escaped in report/escape.h); an em dash when
// empty.
std::string md_cell(const std::string& text);
// An em dash (U+2014): nothing stated.
inline constexpr const char* kNone = "\xE2\x80\x94";

}  // namespace telcomply::subprocessors_format
