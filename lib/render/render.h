// HTML documents from Mustache templates (kainjow's Mustache, Debian's
// libkainjow-mustache-dev).
//
// telcomply's own templates are the files in templates/, built into the binary and installed
// in /usr/share/telcomply/templates. The configuration's `templates` folder may hold an
// operator's own: a file there replaces the built-in one of the same name (wording, logo,
// colours). Every {{value}} is escaped as HTML (report/escape.h); {{{value}}} is only ever
// given markup that telcomply rendered itself. The phrases a template shows come in its data
// (key `t`), in the chosen language.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"

namespace telcomply {

// The names of the built-in templates: "page.html.mustache" (the shell every HTML page shares:
// <html lang>, styles for screen and print) and one per output.
std::vector<std::string_view> template_names();

// Renders the template `name` (from `folder` when it holds a file of that name, else the
// built-in one) with `data`: JSON objects, arrays, strings, numbers and booleans, where a
// missing key and false are what a {{#section}} skips. Throws Error(invalid) naming the
// operator's file and the parser's message when a template does not parse.
std::string render_template(std::string_view name, const nlohmann::json& data,
                            const std::filesystem::path& folder);

// A complete HTML page: page.html.mustache around `content` (markup already rendered), with
// <html lang> and <title> set.
std::string render_page(Language language, const std::string& title, const std::string& content,
                        const std::filesystem::path& folder);

// Checks every file of an operator's template folder: each must be named as a built-in
// template and parse. Throws Error(invalid) naming the file.
void check_template_folder(const std::filesystem::path& folder);

}  // namespace telcomply
