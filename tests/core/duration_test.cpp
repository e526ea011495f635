#include <doctest/doctest.h>

#include "core/duration.h"

using namespace telcomply;

TEST_CASE("durations in English and Dutch, singular and plural") {
  CHECK(parse_duration("Session")->is_session());
  CHECK(parse_duration("sessie")->is_session());
  CHECK(parse_duration("30 days") == Duration{Duration::Unit::days, 30});
  CHECK(parse_duration("1 day") == Duration{Duration::Unit::days, 1});
  CHECK(parse_duration("2 day") == Duration{Duration::Unit::days, 2});
  CHECK(parse_duration("6 months") == Duration{Duration::Unit::months, 6});
  CHECK(parse_duration("2 years") == Duration{Duration::Unit::years, 2});
  CHECK(parse_duration("2 year") == Duration{Duration::Unit::years, 2});
  CHECK(parse_duration("2 jaar") == Duration{Duration::Unit::years, 2});
  CHECK(parse_duration("3 maanden") == Duration{Duration::Unit::months, 3});
  CHECK(parse_duration("1 dag") == Duration{Duration::Unit::days, 1});
  CHECK(parse_duration("  13 Months ") == Duration{Duration::Unit::months, 13});
  CHECK(parse_duration("12h") == Duration{Duration::Unit::hours, 12});
}

TEST_CASE("garbage is not a duration") {
  for (const char* text : {"", "days", "2", "-3 days", "2.5 years", "2 fortnights", "two years",
                           "99999999999999999999 days", "1 day 2 hours"})
    CHECK_FALSE(parse_duration(text));
}

TEST_CASE("approximate seconds count a month as 30 days and a year as 365") {
  CHECK(parse_duration("1 year")->approx_seconds() == 365 * 86400);
  CHECK(parse_duration("13 months")->approx_seconds() == 390 * 86400);
  CHECK(parse_duration("Session")->approx_seconds() == 0);
}

TEST_CASE("durations after a date use the calendar") {
  const Date start{2026, 5, 23};
  CHECK(parse_duration("6 months")->after(start) == Date{2026, 11, 23});
  CHECK(parse_duration("7 years")->after(Date{2019, 11, 23}) == Date{2026, 11, 23});
  CHECK(parse_duration("30 days")->after(start) == Date{2026, 6, 22});
  CHECK(parse_duration("2 weeks")->after(start) == Date{2026, 6, 6});
}

TEST_CASE("canonical text") {
  CHECK(parse_duration("2 jaar")->str() == "2 years");
  CHECK(parse_duration("1 dag")->str() == "1 day");
  CHECK(parse_duration("session")->str() == "Session");
}
