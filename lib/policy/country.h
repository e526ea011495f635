// Country codes: ISO 3166-1 alpha-2, the officially assigned codes only, as Debian's iso-codes
// lists them (read on first use; a missing list is an operational error, exit 4).
//
// Policy files name countries by their ISO code. Two codes people often write by habit are
// not ISO codes: `EL` (the EU's code for Greece; ISO has GR) and `UK` (ISO has GB); they
// are rejected with a hint rather than accepted silently, so lists compare exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"

namespace telcomply {

// True when `code` is one of the 249 officially assigned alpha-2 codes (upper case).
bool is_country_code(std::string_view code);

// The short name of an assigned code in `language` ("Germany", "Duitsland" for "DE"): the
// iso-codes name, or its common name where it has one ("Bolivia"), translated by iso-codes'
// catalogue; the English name where the catalogue has no translation. Empty when unassigned.
std::string_view country_name(std::string_view code, Language language = Language::en);

// Why `code` is not an assigned alpha-2 code, as a lowercase message with a hint where one
// helps ("'UK' is not an ISO 3166-1 code: use 'GB' (United Kingdom)"); nullopt when valid.
std::optional<std::string> country_code_error(std::string_view code);

// Every assigned code, sorted.
const std::vector<std::string_view>& country_codes();

}  // namespace telcomply
