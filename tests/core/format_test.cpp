#include "core/format.h"

#include <doctest/doctest.h>

#include <cstdint>

#include "core/timezone.h"

using namespace telcomply;

TEST_CASE("money: Dutch and English forms, grouping, negative amounts, other currencies") {
  CHECK(money_text(18900, "EUR", Language::nl) == "€ 189,00");
  CHECK(money_text(18900, "EUR", Language::en) == "€189.00");
  CHECK(money_text(123456789, "EUR", Language::nl) == "€ 1.234.567,89");
  CHECK(money_text(123456789, "EUR", Language::en) == "€1,234,567.89");
  CHECK(money_text(-250, "EUR", Language::nl) == "€ -2,50");
  CHECK(money_text(-250, "EUR", Language::en) == "-€2.50");
  CHECK(money_text(5, "EUR", Language::nl) == "€ 0,05");
  CHECK(money_text(0, "EUR", Language::en) == "€0.00");
  CHECK(money_text(1200, "USD", Language::en) == "$12.00");
  CHECK(money_text(1200, "CHF", Language::nl) == "CHF 12,00");
  CHECK(money_text(1200, "CHF", Language::en) == "CHF 12.00");
  CHECK(money_text(INT64_MIN, "EUR", Language::en) == "-€92,233,720,368,547,758.08");
}

TEST_CASE("durations in seconds") {
  CHECK(seconds_text(83, Language::nl) == "1 min 23 s");
  CHECK(seconds_text(83, Language::en) == "1 min 23 s");
  CHECK(seconds_text(0, Language::nl) == "0 s");
  CHECK(seconds_text(60, Language::en) == "1 min");
  CHECK(seconds_text(3725, Language::nl) == "1 u 2 min 5 s");
  CHECK(seconds_text(3725, Language::en) == "1 h 2 min 5 s");
  CHECK(seconds_text(-10, Language::en) == "-10 s");
}

TEST_CASE("yes and no, dates") {
  CHECK(yes_no_text(true, Language::nl) == "ja");
  CHECK(yes_no_text(false, Language::nl) == "nee");
  CHECK(yes_no_text(true, Language::en) == "yes");
  CHECK(Date{2026, 1, 5}.text(Language::nl) == "5 januari 2026");
  CHECK(Date{2026, 1, 5}.text(Language::en) == "5 January 2026");
  CHECK(Date{2019, 3, 14}.text(Language::nl) == "14 maart 2019");
}

TEST_CASE("time zones: Europe/Amsterdam across daylight saving time") {
  const auto amsterdam = TimeZone::find("Europe/Amsterdam");
  REQUIRE(amsterdam);
  CHECK(amsterdam->name() == "Europe/Amsterdam");
  CHECK_FALSE(TimeZone::find("Europe/Amsterdan"));
  CHECK_FALSE(TimeZone::find("../../etc/passwd"));
  CHECK_FALSE(TimeZone::find(""));
  CHECK(TimeZone::find("UTC")->is_utc());
  CHECK(TimeZone::known("Europe/Amsterdam"));
  CHECK(TimeZone::known("UTC"));
  CHECK(TimeZone::known("America/Argentina/Buenos_Aires"));
  CHECK_FALSE(TimeZone::known("Europe"));
  CHECK_FALSE(TimeZone::known("zone.tab"));
  CHECK_FALSE(TimeZone::known("../zoneinfo/Europe/Amsterdam"));
  CHECK_FALSE(TimeZone::known("Europe//Amsterdam"));
  const TimeZone utc;
  // 2026-01-05T10:00:00Z: winter time, UTC+1.
  const std::int64_t winter = 1767607200;
  CHECK(moment_text(winter, *amsterdam, Language::nl) == "5 januari 2026 11:00");
  CHECK(moment_text(winter, *amsterdam, Language::en) == "5 January 2026 11:00");
  CHECK(moment_text(winter, utc, Language::en) == "5 January 2026 10:00");
  CHECK(amsterdam->local(winter).abbreviation == "CET");
  // 2026-03-29: clocks go from 02:00 to 03:00 at 01:00Z.
  const std::int64_t before_spring = 1774745940;  // 00:59Z
  CHECK(moment_text(before_spring, *amsterdam, Language::nl) == "29 maart 2026 01:59");
  CHECK(moment_text(before_spring + 60, *amsterdam, Language::nl) == "29 maart 2026 03:00");
  CHECK(amsterdam->local(before_spring + 60).offset_seconds == 7200);
  // 2026-10-25: clocks go from 03:00 back to 02:00 at 01:00Z; 02:30 happens twice.
  const std::int64_t first = 1792888200;  // 00:30Z
  CHECK(moment_text(first, *amsterdam, Language::en) == "25 October 2026 02:30");
  CHECK(moment_text(first + 3600, *amsterdam, Language::en) == "25 October 2026 02:30");
  CHECK(amsterdam->local(first + 3600).abbreviation == "CET");
  // Seconds show only when they are not zero; a moment near midnight changes the date.
  CHECK(moment_text(1767657599, *amsterdam, Language::nl) == "6 januari 2026 00:59:59");
}
