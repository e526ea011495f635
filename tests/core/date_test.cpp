#include <doctest/doctest.h>

#include "core/date.h"

using namespace telcomply;

TEST_CASE("parse_date accepts real dates and keeps only the date of a timestamp") {
  CHECK(parse_date("2026-11-23") == Date{2026, 11, 23});
  CHECK(parse_date("2024-02-29") == Date{2024, 2, 29});
  CHECK(parse_date("2026-11-23T10:15:00Z") == Date{2026, 11, 23});
  CHECK(parse_date("2026-11-23 10:15:00") == Date{2026, 11, 23});
}

TEST_CASE("parse_date rejects impossible and malformed dates") {
  CHECK_FALSE(parse_date("2026-02-30"));
  CHECK_FALSE(parse_date("2025-02-29"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-00-10"));
  CHECK_FALSE(parse_date("26-11-23"));
  CHECK_FALSE(parse_date("2026/11/23"));
  CHECK_FALSE(parse_date("2026-11-23x"));
  CHECK_FALSE(parse_date(""));
}

TEST_CASE("days since epoch round-trips across eras") {
  for (std::int64_t d : {-800000, -1, 0, 1, 59, 60, 365, 20000, 2932896}) {
    CHECK(Date::from_days_since_epoch(d).days_since_epoch() == d);
  }
  CHECK(Date{1970, 1, 1}.days_since_epoch() == 0);
  CHECK(Date{2000, 3, 1}.days_since_epoch() == 11017);
}

TEST_CASE("calendar months clamp to the end of the month") {
  CHECK(Date{2026, 1, 31}.add_months(1) == Date{2026, 2, 28});
  CHECK(Date{2024, 1, 31}.add_months(1) == Date{2024, 2, 29});
  CHECK(Date{2026, 11, 23}.add_months(-6) == Date{2026, 5, 23});
  CHECK(Date{2019, 12, 15}.add_months(84) == Date{2026, 12, 15});
  CHECK(Date{2026, 3, 1}.add_months(-15) == Date{2024, 12, 1});
  CHECK(Date{2026, 12, 31}.add_days(1) == Date{2027, 1, 1});
  CHECK(Date{2026, 11, 23}.iso() == "2026-11-23");
}
