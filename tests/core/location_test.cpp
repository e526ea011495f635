#include "core/location.h"

#include <doctest/doctest.h>

using namespace telcomply;

TEST_CASE("location: URLs and service names are PostgreSQL, anything else a file") {
  CHECK(location_kind("postgresql://crm@db.example.nl:5432/voip") == LocationKind::postgresql);
  CHECK(location_kind("POSTGRES://db/voip") == LocationKind::postgresql);
  CHECK(location_kind("service=crm") == LocationKind::postgresql);
  CHECK(location_kind("  service=crm sslmode=verify-full") == LocationKind::postgresql);
  CHECK(location_kind("voipgrow.db") == LocationKind::file);
  CHECK(location_kind("/var/lib/postgresql.db") == LocationKind::file);
  CHECK(location_kind("data/service=crm.db") == LocationKind::file);
}

TEST_CASE("location: a password in a connection string is found wherever it is written") {
  CHECK(location_has_password("postgresql://crm:s3cret@db/voip"));
  CHECK(location_has_password("postgresql://crm:@db/voip"));
  CHECK(location_has_password("postgresql://crm@db/voip?sslmode=require&password=s3cret"));
  CHECK(location_has_password("service=crm password=s3cret"));
  CHECK(location_has_password("service=crm password = 's3 cret'"));
  CHECK_FALSE(location_has_password("postgresql://crm@db:5432/voip?sslmode=verify-full"));
  CHECK_FALSE(location_has_password("postgresql:///voip?host=%2Frun%2Fpostgresql"));
  CHECK_FALSE(location_has_password("service=crm passfile=/etc/telcomply/pgpass"));
  CHECK_FALSE(location_has_password("user:password@file.db"));  // a file name
}

TEST_CASE("location: what messages show of a connection string") {
  CHECK(shown_location("postgresql://crm:s3cret@db:5432/voip?sslmode=require&password=x") ==
        "postgresql://crm@db:5432/voip");
  CHECK(shown_location("postgresql://crm@/voip?host=%2Ftmp%2Fpg&application_name=x") ==
        "postgresql://crm@/voip?host=%2Ftmp%2Fpg");
  CHECK(shown_location("service=crm password='a b' user=scrub") == "service=crm user=scrub");
  CHECK(shown_location("data/voipgrow.db") == "data/voipgrow.db");
  CHECK(shown_location("postgresql://crm:s3cret@db/voip").find("s3cret") == std::string::npos);
}
