// Telephone numbers: parsing the notations people write, validating them and grouping them
// for reading, with libphonenumber (Google's metadata for every numbering plan). A national
// notation ("020-1234567", "(020) 123 45 67", "06-12345678") is read in a default region, the
// organisation's (`phone_region` in the configuration, telcomply-policy(5); NL by default).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace telcomply {

// Whether libphonenumber knows `region` (an ISO 3166-1 alpha-2 code such as "NL" or "BE").
bool is_phone_region(std::string_view region);

// The E.164 form ("+31201234567") of a number written in any common notation:
// "+31 20 123 4567", "+31 (0)20 123 4567", "0031201234567", "020-1234567", "(020) 123 45 67",
// "06-12345678", "tel:+31201234567", "+49 30 1234567 ext. 12" (the extension is dropped: E.164
// has none). National notations are read in `region`. Returns nullopt for anything that is not
// a valid number of a numbering plan: letters other than an extension's marker, stray symbols,
// unbalanced or empty parentheses, a doubled '+', or digits that libphonenumber does not
// validate for the country (such as "+999 1234567" or a Dutch number one digit short).
std::optional<std::string> normalise_phone(std::string_view text, std::string_view region = "NL");

// An E.164 number grouped for reading, as libphonenumber groups it internationally:
// "+31 20 123 4567", "+31 6 12345678", "+44 20 7946 0000". Returns `e164` unchanged when it
// is not a number libphonenumber can read.
std::string format_phone(std::string_view e164);

// The grouped form with the last four digits replaced by '*': "+31 20 123 ****". The grouping
// is that of the number with those four digits read as zeros, so nothing in a mask depends on
// the digits it hides.
std::string mask_phone(std::string_view e164);

// The masked form of `text` when it is a telephone number (mask_phone of its E.164 form), or
// nullopt. Whether it is one is also decided with its last four digits read as zeros, so the
// answer is the same for every number that shows the same digits, and it can be remembered
// by them: an export masks millions of call records, most of them to the same few hundred
// numbers, and validating a number costs microseconds. It remembers up to 65,536 answers
// (a few MiB), then starts afresh.
class PhoneMasks {
 public:
  explicit PhoneMasks(std::string region = "NL");

  // Valid until the next call.
  const std::optional<std::string>& mask(std::string_view text);

 private:
  std::string region_;
  std::string shown_;  // the text with its last four digits as zeros
  std::unordered_map<std::string, std::optional<std::string>> answers_;
};

}  // namespace telcomply
