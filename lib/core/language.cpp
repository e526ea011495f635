#include "core/language.h"

namespace telcomply {

std::optional<Language> parse_language(std::string_view name) {
  if (name == "en") return Language::en;
  if (name == "nl") return Language::nl;
  return std::nullopt;
}

const char* to_string(Language language) { return language == Language::nl ? "nl" : "en"; }

}  // namespace telcomply
