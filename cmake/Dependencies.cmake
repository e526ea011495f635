# Every dependency comes from the system (Debian packages), found through its CMake
# package configuration or CMake's own find modules. Nothing is vendored or downloaded.
find_package(CLI11 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(SQLite3 REQUIRED)
# yaml-cpp: the YAML parser under lib/io/yaml_doc.cpp (its events, not its node tree).
find_package(yaml-cpp REQUIRED)
# libcurl: HTTP for `cookies scan` and URL parsing (lib/io/curl_api.h), linked normally so
# that ldd and dpkg-shlibdeps see it.
find_package(CURL 7.85 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(PkgConfig REQUIRED)
# libpq: the PostgreSQL backend (store/postgres/). The C library rather than libpqxx: the
# backend needs its own cursor batching, SQLSTATE codes and notice handling, which libpq
# gives directly and libpqxx wraps in a second layer of types and exceptions.
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
# MariaDB Connector/C: the MariaDB and MySQL backend (store/mariadb/), Debian's
# libmariadb-dev. The C library the server's own client uses; it speaks to MySQL too.
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
# libpsl: registrable domains (eTLD+1) from the public suffix list.
pkg_check_modules(PSL REQUIRED IMPORTED_TARGET libpsl)
# libunistring: UTF-8 decoding, Unicode character categories and grapheme clusters (masks,
# visible escapes). It ships neither a pkg-config file nor a CMake package; libpsl loads it
# already (through libidn2), so linking it costs no start-up time.
find_path(UNISTRING_INCLUDE_DIR unigbrk.h REQUIRED)
find_library(UNISTRING_LIBRARY unistring REQUIRED)
add_library(Unistring::unistring UNKNOWN IMPORTED)
set_target_properties(Unistring::unistring PROPERTIES
  IMPORTED_LOCATION "${UNISTRING_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${UNISTRING_INCLUDE_DIR}")
# libphonenumber: parsing, validating and grouping telephone numbers (lib/core/phone.cpp).
# Debian ships neither a pkg-config file nor a CMake package for it. Its types are protobuf
# messages, so code that uses them (UBSan's type checks included) also links libprotobuf.
pkg_check_modules(PROTOBUF REQUIRED IMPORTED_TARGET protobuf)
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(PhoneNumber::phonenumber UNKNOWN IMPORTED)
set_target_properties(PhoneNumber::phonenumber PROPERTIES
  IMPORTED_LOCATION "${PHONENUMBER_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${PHONENUMBER_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES PkgConfig::PROTOBUF)
# iso-codes: the ISO 3166-1 country list and its translations (lib/policy/country.cpp), data
# read at run time from where the package installs it.
pkg_check_modules(ISO_CODES REQUIRED iso-codes)
pkg_get_variable(ISO_CODES_PREFIX iso-codes prefix)
# Howard Hinnant's date library (libhowardhinnant-date-dev): time zones from the system's
# tzdata (USE_OS_TZDB), for moments shown in the configuration's `timezone`
# (lib/core/timezone.cpp). GCC 12's libstdc++ has no std::chrono::tzdb; libdate-tz is a
# small shared library that reads /usr/share/zoneinfo and downloads nothing.
find_package(date REQUIRED)
# kainjow's Mustache: the HTML templates (lib/render/). Header-only, without a package file.
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
if(TELCOMPLY_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()
