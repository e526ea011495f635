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
  CHECK(location_kind("mariadb://crm@db/voip") == LocationKind::mariadb);
  CHECK(location_kind("MySQL://crm@db/voip") == LocationKind::mariadb);
  CHECK(location_kind("data/mariadb.db") == LocationKind::file);
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
  CHECK(location_has_password("mariadb://crm:s3cret@db/voip"));
  CHECK(location_has_password("mysql://crm@db/voip?password=s3cret"));
  CHECK_FALSE(location_has_password("mariadb://crm@db/voip?ssl-mode=VERIFY_IDENTITY"));
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

TEST_CASE("location: a server URL's parts, percent-decoded") {
  const std::optional<ServerUrl> url =
      parse_server_url("mariadb://scrub@db.example.nl:3307/crm?socket=%2Frun%2Fmy%20sql&group=x");
  REQUIRE(url);
  CHECK(url->user == "scrub");
  CHECK(url->host == "db.example.nl");
  CHECK(url->port == 3307);
  CHECK(url->database == "crm");
  CHECK(url->settings == std::vector<std::pair<std::string, std::string>>{{"socket", "/run/my sql"},
                                                                          {"group", "x"}});
  const std::optional<ServerUrl> bare = parse_server_url("mysql://[::1]/crm");
  REQUIRE(bare);
  CHECK(bare->host == "::1");
  CHECK_FALSE(bare->port);
  CHECK(bare->user.empty());
  CHECK(parse_server_url("mariadb:///crm")->host.empty());
  CHECK_FALSE(parse_server_url("mariadb://db:0/crm"));
  CHECK_FALSE(parse_server_url("mariadb://db:99999/crm"));
  CHECK_FALSE(parse_server_url("mariadb://db/crm/extra"));
  CHECK_FALSE(parse_server_url("mariadb://db/cr%2"));
  CHECK_FALSE(parse_server_url("mariadb://db/cr%00m"));
  CHECK_FALSE(parse_server_url("voipgrow.db"));
  CHECK(shown_location("mariadb://crm:s3cret@db:3306/voip?socket=%2Ftmp%2Fs&ssl-ca=x") ==
        "mariadb://crm@db:3306/voip?socket=%2Ftmp%2Fs");
}
