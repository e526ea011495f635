// libcurl, loaded when first needed. Only `cookies scan` and URL parsing use it, and linking
// it would make every command pay for mapping and relocating its 26 libraries at start-up
// (about half of `telcomply --version`; see bench/RESULTS.md).
#pragma once

#include <curl/curl.h>

namespace telcomply {

// The libcurl functions telcomply calls: curl_<name> of <curl/curl.h> for each name.
#define TELCOMPLY_CURL_FUNCTIONS(X)                                                         \
  X(global_init) X(easy_init) X(easy_setopt) X(easy_perform) X(easy_getinfo)              \
  X(easy_strerror) X(easy_cleanup) X(url) X(url_set) X(url_get) X(url_cleanup) X(free)    \
  X(getdate)

// Pointers to those functions, with their declared types.
struct CurlApi {
#define TELCOMPLY_CURL_MEMBER(name) decltype(&::curl_##name) name;
  TELCOMPLY_CURL_FUNCTIONS(TELCOMPLY_CURL_MEMBER)
#undef TELCOMPLY_CURL_MEMBER
};

// Loads libcurl (TELCOMPLY_CURL_SONAME) on the first call and initialises it once; throws
// Error(operational) naming the library when it is missing or lacks a function.
const CurlApi& curl_api();

}  // namespace telcomply
