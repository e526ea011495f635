// Telephone numbers: parsing the notations people write, validating them and grouping them
// for reading, with libphonenumber (Google's metadata for every numbering plan). A national
// notation ("020-1234567", "(020) 123 45 67", "06-12345678") is read in a default region, the
// organisation's (`phone_region` in the configuration, telcomply-policy(5); NL by default).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace telcomply {

// Sets libphonenumber up (its metadata and regular expressions: about 15 ms, which the first
// number validated would otherwise pay), for a caller that can do it on another thread
// beside other work; every function here is safe to call while it runs.
void prepare_phone_numbers();

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
// numbers, and validating a number costs microseconds. Numbers written in E.164 are also
// answered by group: where libphonenumber's patterns for a calling code look at no more than
// the first k digits of a national number (as they do for most: "+31 6 12" decides every
// Dutch mobile number from "+31 6 12 00 00 00" to "+31 6 12 99 99 99"), one number of the
// group is validated and grouped, and the others (from the 65th number masked on) take the
// same grouping with their own digits. It remembers up to 65,536 answers and as many groups
// (a few MiB), then starts afresh.
class PhoneMasks {
 public:
  explicit PhoneMasks(std::string region = "NL");

  // Valid until the next call.
  const std::optional<std::string>& mask(std::string_view text);

  // Per first digit of a national number of one calling code: how many leading digits
  // decide libphonenumber's answers for it (its validity, region and grouping), and whether
  // libphonenumber's parser may read a national prefix there ("+310201234567"), so that a
  // number that is invalid as written may still be read as a valid one.
  struct CallingCode {
    std::array<int, 10> depth{};
    std::array<bool, 10> may_strip{};
  };
  static CallingCode calling_code(int code);

 private:
  // What is known of the numbers of a group.
  struct Group {
    enum class Kind { valid, invalid, one_by_one } kind = Kind::one_by_one;
    std::string mask;  // of one valid number of the group
  };

  // The answer for shown_: from its group when the group's answer is known, else its own.
  std::optional<std::string> answer();
  // The answer for shown_ from its group, when there is one.
  std::optional<std::optional<std::string>> from_group();
  // The slot of e164_keys_ that holds `key` or, when it is not there, where it goes.
  std::size_t slot(std::uint64_t key) const;

  std::string region_;
  // How many numbers were answered on their own: groups are formed after the first 64, so
  // that masking a few numbers does not read libphonenumber's metadata (about 4 ms).
  int alone_ = 0;
  std::string shown_;  // the text with its last four digits as zeros
  std::string key_;    // shown_'s group
  // Answers for numbers in E.164 ("+" and up to 15 digits, nearly every number an export
  // masks), by the digits they show read as one integer: an open-addressing table (0: an
  // empty slot) of indices into e164_answers_. No strings to hash and compare, and a table a
  // few times smaller than a map's nodes, which an export looks up for every record.
  std::vector<std::uint64_t> e164_keys_;
  std::vector<std::uint32_t> e164_slots_;
  std::vector<std::optional<std::string>> e164_answers_;
  // The answers for anything else, by shown_.
  std::unordered_map<std::string, std::optional<std::string>> answers_;
  std::unordered_map<int, CallingCode> codes_;
  std::unordered_map<std::string, Group> groups_;
};

}  // namespace telcomply
