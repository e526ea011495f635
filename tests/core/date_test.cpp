#include "core/date.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace telcomply;

TEST_CASE("parse_date accepts real dates and keeps only the date of a timestamp") {
  CHECK(parse_date("2026-11-23") == Date{2026, 11, 23});
  CHECK(parse_date("2024-02-29") == Date{2024, 2, 29});
  CHECK(parse_date("2026-11-23T10:15:00Z") == Date{2026, 11, 23});
  CHECK(parse_date("2026-11-23 10:15:00") == Date{2026, 11, 23});
}

TEST_CASE("a date as a person reads it, in English and Dutch") {
  CHECK(Date{2026, 1, 5}.text(Language::en) == "5 January 2026");
  CHECK(Date{2026, 1, 5}.text(Language::nl) == "5 januari 2026");
  CHECK(Date{2026, 3, 31}.text(Language::nl) == "31 maart 2026");
  CHECK(Date{2026, 12, 15}.text(Language::en) == "15 December 2026");
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

TEST_CASE("date formats are named as the policy writes them") {
  for (const std::string& name : date_format_names()) {
    const std::optional<DateFormat> format = parse_date_format(name);
    REQUIRE(format);
    CHECK(to_string(*format) == name);
  }
  CHECK(parse_date_format("unix-seconds") == DateFormat::unix_seconds);
  CHECK_FALSE(parse_date_format("unix"));
  CHECK_FALSE(parse_date_format("ISO-8601"));
}

TEST_CASE("parse_iso_moment reads dates, times and offsets as Unix time") {
  const std::int64_t day = 1779494400;  // 2026-05-23T00:00:00Z
  auto seconds = [](std::string_view text) { return parse_iso_moment(text).value().seconds; };
  CHECK(seconds("2026-05-23") == day);
  CHECK(seconds("2026-05-23T23:30") == day + 84600);
  CHECK(seconds("2026-05-23 23:30:15") == day + 84615);
  CHECK(seconds("2026-05-23T23:30:15.999") == day + 84615);
  CHECK(seconds("2026-05-23T23:30:00Z") == day + 84600);
  CHECK(seconds("2026-05-23T23:30:00+02:00") == day + 84600 - 7200);
  CHECK(seconds("2026-05-23T20:00:00-05:00") == day + 86400 + 3600);  // the next day in UTC
  CHECK(seconds("2026-05-23T08:00+14:00") == day - 6 * 3600);
  CHECK(seconds("1969-12-31T23:59:59Z") == -1);
  CHECK_FALSE(parse_iso_moment("2026-05-23").value().offset);
  CHECK_FALSE(parse_iso_moment("2026-05-23T10:00").value().offset);
  CHECK(parse_iso_moment("2026-05-23T10:00Z").value().offset);
  CHECK(parse_iso_moment("2026-05-23T10:00-01:00").value().offset);
}

TEST_CASE("parse_iso_moment refuses what a database would read differently or not at all") {
  for (const char* text :
       {"", "2026-02-30", "2026-05-23T", "2026-05-23T24:00", "2026-05-23T23:60",
        "2026-05-23T23:30:60", "2026-05-23T23:30:00.", "2026-05-23T23:30:00+0200",
        "2026-05-23T23:30:00+02", "2026-05-23T23:30:00z", "2026-05-23T23:30:00 +02:00",
        "2026-05-23T23:30:00+15:00", "2026-05-23T23:30:00+14:30", "2026-05-23x10:00", "1779494400",
        "23-05-2026", "2026-5-23", "2026-05-23T9:00"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_iso_moment(text));
  }
}

TEST_CASE("numbers are read as moments in their format, within years 0000-9999") {
  CHECK(moment_of_number(DateFormat::unix_seconds, std::int64_t{1779494400}) == 1779494400);
  CHECK(moment_of_number(DateFormat::unix_seconds, 1779494400.75) == 1779494400);
  CHECK(moment_of_number(DateFormat::unix_milliseconds, std::int64_t{1779494400999}) == 1779494400);
  CHECK(moment_of_number(DateFormat::unix_milliseconds, std::int64_t{-1}) == -1);
  CHECK(moment_of_number(DateFormat::julian_day, 2440587.5) == 0);
  CHECK(moment_of_number(DateFormat::julian_day, std::int64_t{2461184}) == 1779537600);
  CHECK(moment_of_number(DateFormat::unix_seconds, kLatestMoment) == kLatestMoment);
  CHECK_FALSE(moment_of_number(DateFormat::unix_seconds, kLatestMoment + 1));
  CHECK_FALSE(moment_of_number(DateFormat::unix_seconds, kEarliestMoment - 1));
  CHECK_FALSE(moment_of_number(DateFormat::julian_day, 12.5));
  CHECK_FALSE(moment_of_number(DateFormat::unix_seconds, std::nan("")));
  CHECK_FALSE(moment_of_number(DateFormat::iso8601, std::int64_t{0}));
}

TEST_CASE("format_moment writes UTC ISO 8601") {
  CHECK(format_moment(0) == "1970-01-01T00:00:00Z");
  CHECK(format_moment(-1) == "1969-12-31T23:59:59Z");
  CHECK(format_moment(1779579000) == "2026-05-23T23:30:00Z");
  CHECK(format_moment(start_of_day(Date{2026, 5, 24})) == "2026-05-24T00:00:00Z");
}
