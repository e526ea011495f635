#include "core/phone.h"

#include <doctest/doctest.h>

#include <string>

using namespace telcomply;

TEST_CASE("normalise_phone understands the common Dutch and international notations") {
  for (const char* text : {"020-1234567", "+31 20 123 4567", "0031201234567", "(020) 123 45 67",
                           "+31 (0)20 123 4567", "+31201234567", " 020 123 4567 ", "020.123.4567",
                           "tel:+31-20-1234567", "0031 (0)20 1234567", "+31 020 1234567",
                           "+31 20 123 4567 ext. 12", "020-1234567 x 3", "+31 20 1234567#99"})
    CHECK_MESSAGE(normalise_phone(text) == "+31201234567", text);
  CHECK(normalise_phone("06-12345678") == "+31612345678");
  CHECK(normalise_phone("0800-1234") == "+318001234");
  CHECK(normalise_phone("0900-1234567") == "+319001234567");
  CHECK(normalise_phone("+44 20 7946 0000") == "+442079460000");
  CHECK(normalise_phone("0044 20 7946 0000") == "+442079460000");
}

TEST_CASE("normalise_phone reads national notations in the region it is given") {
  CHECK(normalise_phone("02 555 12 34", "BE") == "+3225551234");
  CHECK(normalise_phone("0475 12 34 56", "BE") == "+32475123456");
  CHECK(normalise_phone("030 1234567", "DE") == "+49301234567");
  CHECK(normalise_phone("0151 23456789", "DE") == "+4915123456789");
  CHECK(normalise_phone("(650) 253-0000", "US") == "+16502530000");
  // The same digits are another country's, or no number at all, elsewhere.
  CHECK(normalise_phone("030 1234567", "NL") == "+31301234567");
  CHECK(!normalise_phone("02 555 12 34", "NL"));
  // An international notation does not depend on the region.
  CHECK(normalise_phone("+32 2 555 12 34", "DE") == "+3225551234");
  CHECK(normalise_phone("0032 2 555 12 34", "NL") == "+3225551234");
}

TEST_CASE("normalise_phone rejects what is not a valid number of a numbering plan") {
  for (const char* text : {"",
                           "abc",
                           "020-123456x",
                           "020-123456",
                           "020-12345678",
                           "+31 20 123",
                           "++31201234567",
                           "(020 1234567",
                           "020) 1234567",
                           "() 0201234567",
                           "+0201234567",
                           "0201234567;drop",
                           "+1234567890123456",
                           "+31 6 123",
                           "06-1234567890",
                           "+999 1234567",
                           "+31 20 123 4567 abc",
                           "1-800-FLOWERS",
                           "020-1234567 ext.",
                           "020-1234567 ext 12345678",
                           "tel:",
                           "+",
                           "112"})
    CHECK_MESSAGE(!normalise_phone(text), text);
}

TEST_CASE("normalise_phone is idempotent on what it returns") {
  for (const char* text : {"020-1234567", "+32 2 555 12 34", "+1 650 253 0000", "+44 20 7946 0000"})
    if (const auto e164 = normalise_phone(text)) CHECK(normalise_phone(*e164) == e164);
}

TEST_CASE("is_phone_region knows ISO 3166 codes as libphonenumber does") {
  CHECK(is_phone_region("NL"));
  CHECK(is_phone_region("BE"));
  CHECK(is_phone_region("GB"));
  CHECK(!is_phone_region("nl"));
  CHECK(!is_phone_region("XX"));
  CHECK(!is_phone_region("ZZ"));
  CHECK(!is_phone_region(""));
}

TEST_CASE("format_phone groups numbers as their numbering plan does") {
  CHECK(format_phone("+31201234567") == "+31 20 123 4567");
  CHECK(format_phone("+31612345678") == "+31 6 12345678");
  CHECK(format_phone("+31229123456") == "+31 229 123 456");
  CHECK(format_phone("+318001234") == "+31 800 1234");
  CHECK(format_phone("+442079460000") == "+44 20 7946 0000");
  CHECK(format_phone("+3225551234") == "+32 2 555 12 34");
  CHECK(format_phone("+49301234567") == "+49 30 1234567");
  CHECK(format_phone("12345") == "12345");
  CHECK(format_phone("+") == "+");
}

TEST_CASE("mask_phone hides the last four digits, and its grouping does not depend on them") {
  CHECK(mask_phone("+31201234567") == "+31 20 123 ****");
  CHECK(mask_phone("+31612345678") == "+31 6 1234****");
  CHECK(mask_phone("+442079460000") == "+44 20 7946 ****");
  CHECK(mask_phone("+3225551234") == "+32 2 555 ** **");
  for (const char* e164 : {"+31201230000", "+31201239999", "+31201234567"})
    CHECK_MESSAGE(mask_phone(e164) == "+31 20 123 ****", e164);
}

TEST_CASE("PhoneMasks masks telephone numbers in its region and remembers them by what they show") {
  PhoneMasks nl;
  CHECK(nl.mask("020-5551234") == "+31 20 555 ****");
  CHECK(nl.mask("+31 6 1234 5678") == "+31 6 1234****");
  CHECK(nl.mask("020-5559876") == "+31 20 555 ****");  // remembered by "020-5550000"
  CHECK(nl.mask("06-23456789") == "+31 6 2345****");
  CHECK(!nl.mask("Jan de Vries"));
  CHECK(!nl.mask(""));
  CHECK(!nl.mask("+999 1234567"));
  PhoneMasks be("BE");
  CHECK(be.mask("02 555 12 34") == "+32 2 555 ** **");
  CHECK(!nl.mask("02 555 12 34"));
}

TEST_CASE("numbers written in E.164 read the same with and without libphonenumber's parser") {
  // The E.164 reading skips the parser; "+31 ..." with a space goes through it.
  for (const char* e164 :
       {"+31201234567", "+31612345678", "+318001234", "+319001234567", "+3225551234",
        "+442079460000", "+16502530000", "+74951234567", "+390612345678", "+393123456789",
        "+35312345678", "+8613812345678", "+61212345678", "+97142345678", "+3548001234"}) {
    const std::string number = e164;
    const std::string spaced = std::string(e164).insert(3, " ");
    CHECK_MESSAGE(normalise_phone(number, "NL") == normalise_phone(spaced, "NL"), number);
    CHECK_MESSAGE(normalise_phone(number, "DE") == number, number);
    PhoneMasks masks("BE");
    CHECK_MESSAGE(masks.mask(number) == mask_phone(number), number);
  }
  // A trunk zero after the country code is not E.164, but the parser reads it.
  CHECK(normalise_phone("+310201234567") == "+31201234567");
  CHECK(!normalise_phone("+99912345678"));
  CHECK(!normalise_phone("+31123"));
}
