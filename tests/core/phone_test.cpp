#include "core/phone.h"

#include <doctest/doctest.h>

#include <iterator>
#include <random>
#include <string>
#include <thread>

using namespace telcomply;

TEST_CASE("libphonenumber set up on another thread answers as set up on the first number") {
  // The export starts prepare_phone_numbers on a thread of its own while it plans; the first
  // numbers may be masked before it has finished.
  std::thread prepare(prepare_phone_numbers);
  PhoneMasks masks;
  const std::optional<std::string> first = masks.mask("+31201234567");
  const std::optional<std::string> national = normalise_phone("020-7654321");
  prepare.join();
  CHECK(first == "+31 20 123 ****");
  CHECK(national == "+31207654321");
  CHECK(masks.mask("+31612345678") == "+31 6 1234****");
}

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

TEST_CASE("PhoneMasks gives the numbers of a group their own digits in the group's grouping") {
  PhoneMasks masks;
  // The first 64 numbers are answered on their own; groups come after them.
  for (int i = 0; i < 64; ++i)
    CHECK(masks.mask("+3120" + std::to_string(100 + i) + "1234") ==
          "+31 20 " + std::to_string(100 + i) + " ****");
  // Belgian, German, British, American and Dutch numbers, two of each group in a row.
  CHECK(masks.mask("+32475123456") == "+32 475 12 ** **");
  CHECK(masks.mask("+32476987654") == "+32 476 98 ** **");
  CHECK(masks.mask("+3225551234") == "+32 2 555 ** **");
  CHECK(masks.mask("+3226667788") == "+32 2 666 ** **");
  CHECK(masks.mask("+4915123456789") == "+49 1512 345****");
  CHECK(masks.mask("+4915198765432") == "+49 1519 876****");
  CHECK(masks.mask("+49301234567") == "+49 30 123****");
  CHECK(masks.mask("+49309876543") == "+49 30 987****");
  CHECK(masks.mask("+442079460000") == "+44 20 7946 ****");
  CHECK(masks.mask("+442071234567") == "+44 20 7123 ****");
  CHECK(masks.mask("+447711223344") == "+44 7711 22****");
  CHECK(masks.mask("+16502530000") == "+1 650-253-****");
  CHECK(masks.mask("+12125550123") == "+1 212-555-****");
  CHECK(masks.mask("+31612345678") == "+31 6 1234****");
  CHECK(masks.mask("+31623456789") == "+31 6 2345****");
  CHECK(masks.mask("+3197012345678") == "+31 970 123 4****");
  // Invalid numbers, alone and in a group: a Dutch mobile number starts 06-1 to 06-5 or 06-8.
  CHECK(!masks.mask("+31691234567"));
  CHECK(!masks.mask("+31697654321"));
  CHECK(!masks.mask("+15555550123"));
  CHECK(!masks.mask("+4412345"));
  CHECK(!masks.mask("+999123456789"));
  // A trunk zero after the calling code: the parser reads each on its own.
  CHECK(masks.mask("+310201234567") == "+31 20 123 ****");
  CHECK(masks.mask("+310207654321") == "+31 20 765 ****");
  // Extensions are not E.164: read by the parser, the extension dropped.
  CHECK(masks.mask("+49 30 1234567 ext. 12") == "+49 30 123****");
  CHECK(masks.mask("+31201234567;ext=12") == "+31 20 123 ****");
  CHECK(masks.mask("+31201234567x3") == "+31 20 123 ****");
}

TEST_CASE("PhoneMasks groups Dutch mobile numbers by their first three national digits") {
  const PhoneMasks::CallingCode nl = PhoneMasks::calling_code(31);
  CHECK(nl.depth[6] == 3);  // "6[1-58]", "66" (pager) and "970" decide
  CHECK(!nl.may_strip[6]);  // the national prefix is "0"
  CHECK(nl.may_strip[0]);
}

TEST_CASE("PhoneMasks answers numbers near example numbers as each is answered on its own") {
  // libphonenumber's example numbers of every type for 40 regions and 7 non-geographic
  // codes, their later digits drawn at random, at times a digit longer or shorter: about half
  // of them valid.
  const char* const examples[] = {
      "+31101234567",   "+31612345678",    "+318001234",       "+319061234",
      "+31851234567",   "+31662345678",    "+3114020",         "+3212345678",
      "+32470123456",   "+3280012345",     "+3290012345",      "+3278791234",
      "+3278102345",    "+4930123456",     "+4915123456789",   "+498001234567890",
      "+499001234567",  "+4918012345",     "+4970012345678",   "+4916412345",
      "+4918500123456", "+49177991234567", "+441212345678",    "+447400123456",
      "+448001234567",  "+449012345678",   "+445612345678",    "+447012345678",
      "+447640123456",  "+445512345678",   "+12015550123",     "+18002345678",
      "+19002345678",   "+15002345678",    "+15062345678",     "+18002123456",
      "+19002123456",   "+16002012345",    "+13101234",        "+33123456789",
      "+33612345678",   "+33801234567",    "+33891123456",     "+33884012345",
      "+33912345678",   "+33806123456",    "+390212345678",    "+393123456789",
      "+39800123456",   "+39899123456",    "+39848123456",     "+395512345678",
      "+391781234567",  "+3933101234501",  "+34810123456",     "+34612345678",
      "+34800123456",   "+34803123456",    "+34901123456",     "+34701234567",
      "+34511234567",   "+431234567890",   "+43664123456",     "+43800123456",
      "+43900123456",   "+43810123456",    "+43780123456",     "+41212345678",
      "+41781234567",   "+41800123456",    "+41900123456",     "+41840123456",
      "+41878123456",   "+41740123456",    "+41581234567",     "+41860123456789",
      "+35227123456",   "+352628123456",   "+35280012345",     "+35290012345",
      "+35280112345",   "+35220201234",    "+3532212345",      "+353850123456",
      "+3531800123456", "+3531520123456",  "+3531850123456",   "+353761234567",
      "+353700123456",  "+353818123456",   "+3538551234567",   "+48123456789",
      "+48512345678",   "+48800123456",    "+48701234567",     "+48801234567",
      "+48391234567",   "+48641234567",    "+48804123456",     "+468123456",
      "+46701234567",   "+4620123456",     "+469001234567",    "+46771234567",
      "+46751234567",   "+46740123456",    "+46102345678",     "+46254123456789",
      "+4721234567",    "+4740612345",     "+4780012345",      "+4782012345",
      "+4781021234",    "+4785012345",     "+4788012345",      "+4702000",
      "+4781212345",    "+4532123456",     "+4580123456",      "+4590123456",
      "+358131234567",  "+358412345678",   "+358800123456",    "+358600123456",
      "+35810112345",   "+351212345678",   "+351912345678",    "+351800123456",
      "+351760123456",  "+351808123456",   "+351301234567",    "+351884123456",
      "+351622212345",  "+351707123456",   "+351600110000",    "+302123456789",
      "+306912345678",  "+308001234567",   "+309091234567",    "+308011234567",
      "+307012345678",  "+305005000123",   "+902123456789",    "+905012345678",
      "+908001234567",  "+909001234567",   "+908500123456",    "+905922121234",
      "+905123456789",  "+904441444",      "+73011234567",     "+79123456789",
      "+78001234567",   "+78091234567",    "+78081234567",     "+77123456789",
      "+77710009998",   "+77511234567",    "+861012345678",    "+8613123456789",
      "+868001234567",  "+8616812345",     "+864001234567",    "+917410410123",
      "+918123456789",  "+911800123456",   "+911861123456789", "+9118603451234",
      "+911409305260",  "+81312345678",    "+819012345678",    "+81120123456",
      "+81990123456",   "+815012345678",   "+81601234567",     "+812012345678",
      "+81570123456",   "+61212345678",    "+61412345678",     "+611800123456",
      "+611900123456",  "+611300123456",   "+61147101234",     "+611631234",
      "+551123456789",  "+5511961234567",  "+55800123456",     "+55300123456",
      "+5540041234",    "+541123456789",   "+5491123456789",   "+548001234567",
      "+546001234567",  "+548101234567",   "+522001234567",    "+522221234567",
      "+528001234567",  "+529001234567",   "+523001234567",    "+525001234567",
      "+27101234567",   "+27711234567",    "+27801234567",     "+27862345678",
      "+27860123456",   "+27871234567",    "+27861123456",     "+97122345678",
      "+971501234567",  "+971800123456",   "+971900234567",    "+971700012345",
      "+971600212345",  "+3780549886377",  "+37866661212",     "+37871123456",
      "+37858001110",   "+390669812345",   "+441534456789",    "+447797712345",
      "+448007354567",  "+449018105678",   "+447015115678",    "+441624756789",
      "+447924123456",  "+448081624567",   "+449016247890",    "+441481256789",
      "+447781123456",  "+6561234567",     "+6581234567",      "+6518001234567",
      "+6519001234567", "+6531234567",     "+6570001234567",   "+85221234567",
      "+85251234567",   "+852800123456",   "+85290012345678",  "+85281123456",
      "+85271123456",   "+85230161234",    "+97221234567",     "+972502345678",
      "+9721800123456", "+9721919123456",  "+9721700123456",   "+972771234567",
      "+9721599123456", "+97215112340000", "+80012345678",     "+80812345678",
      "+870301234567",  "+8823421234",     "+883510012345",    "+88812345678901",
      "+979123456789",
  };
  std::mt19937_64 random(20261202);
  for (const char* region : {"NL", "BE"}) {
    PhoneMasks masks(region);
    int valid = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string text = examples[random() % std::size(examples)];
      for (std::size_t at = 2 + random() % (text.size() - 1); at < text.size(); ++at)
        text[at] = static_cast<char>('0' + random() % 10);
      if (random() % 8 == 0)
        text += static_cast<char>('0' + random() % 10);
      else if (random() % 8 == 0)
        text.pop_back();
      std::string shown = text;
      int covered = 0;
      for (auto at = shown.rbegin(); at != shown.rend() && covered < 4; ++at) {
        if (*at >= '0' && *at <= '9') {
          *at = '0';
          ++covered;
        }
      }
      const std::optional<std::string> e164 = normalise_phone(shown, region);
      const std::optional<std::string> want =
          e164 ? std::optional<std::string>(mask_phone(*e164)) : std::nullopt;
      valid += want.has_value();
      CHECK_MESSAGE(masks.mask(text) == want, text);
    }
    CHECK(valid > 5000);
  }
}

TEST_CASE("PhoneMasks starts afresh after 65,536 answers and answers as before") {
  // German mobile numbers from +49 1510 000**** to +49 1599 999****: 90,000 shown alike by
  // none, 70,000 of them valid.
  const auto reference = [](const std::string& number) {
    const std::optional<std::string> e164 = normalise_phone(number.substr(0, 10) + "0000");
    return e164 ? std::optional<std::string>(mask_phone(*e164)) : std::nullopt;
  };
  PhoneMasks masks;
  int valid = 0;
  for (int i = 10000; i < 100000; ++i) {
    const std::string number = "+4915" + std::to_string(i) + "1234";
    const std::optional<std::string>& got = masks.mask(number);
    valid += got.has_value();
    if (i % 97 == 0) CHECK_MESSAGE(got == reference(number), number);
  }
  CHECK(valid > 65536);
  CHECK(masks.mask("+4915100001234") == "+49 1510 000****");
  CHECK(masks.mask("+4915999991234") == "+49 1599 999****");
}
