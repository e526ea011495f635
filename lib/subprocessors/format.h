// Text helpers shared by the sub-processor list and the change notice (internal to
// lib/subprocessors*.cpp): the ones every table format uses.
#pragma once

#include <string>
#include <vector>

#include "core/language.h"
#include "core/text.h"
#include "policy/country.h"
#include "report/escape.h"

namespace telcomply::subprocessors_format {

using ::telcomply::join;
using ::telcomply::kNone;
using ::telcomply::md_cell;

// Countries by their names in `language`, "Nederland, Duitsland"; a code without a name as it
// is.
inline std::string country_names(const std::vector<std::string>& codes, Language language) {
  std::vector<std::string> names;
  for (const auto& code : codes) {
    const std::string_view name = country_name(code, language);
    names.push_back(name.empty() ? code : std::string(name));
  }
  return join(names);
}

}  // namespace telcomply::subprocessors_format
