// The language of what a person reads (headings, fixed phrases, formatted values): the
// configuration's `language` key, or a command's --lang. Each output keeps its phrases in one
// table per language; this is only the setting.
#pragma once

#include <optional>
#include <string_view>

namespace telcomply {

enum class Language { en, nl };

// "en" or "nl"; nullopt for anything else.
std::optional<Language> parse_language(std::string_view name);
const char* to_string(Language language);
// The languages parse_language knows, for messages: "en, nl".
inline constexpr const char* kLanguageNames = "en, nl";

}  // namespace telcomply
