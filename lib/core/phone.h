// Telephone numbers: normalising the notations people write to E.164, and showing them
// grouped or masked. The default country is the Netherlands (+31), so national notations
// such as "020-1234567", "(020) 123 45 67" and "06-12345678" are understood.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telcomply {

// The E.164 form ("+31201234567") of a number written in any common notation:
// "+31 20 123 4567", "+31 (0)20 123 4567", "0031201234567", "020-1234567", "(020) 123 45 67",
// "06-12345678", "tel:+31201234567". A national number (leading 0) gets
// `default_country_code` (digits only, e.g. "31"). Returns nullopt for anything that is not a
// plausible telephone number: letters, stray symbols, unbalanced parentheses, a missing trunk
// or international prefix, or a length E.164 does not allow (and, for +31, a national number
// that is not 9 digits long, service numbers 0800/090x excepted).
std::optional<std::string> normalise_phone(std::string_view text,
                                           std::string_view default_country_code = "31");

// The length of the country calling code at the start of `digits` (E.164 without '+'):
// 1 for +1 and +7, 2 for the two-digit zones, 3 otherwise.
int country_code_length(std::string_view digits);

// An E.164 number grouped for reading: "+31 20 123 4567", "+31 6 1234 5678",
// "+31 229 123 456"; other countries as "+44 2079460000". Returns `e164` unchanged when it
// does not start with '+'.
std::string format_phone(std::string_view e164);

// The grouped form with the last four digits replaced by '*': "+31 20 123 ****".
std::string mask_phone(std::string_view e164);

}  // namespace telcomply
