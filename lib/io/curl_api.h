// libcurl, linked normally (so ldd and dpkg-shlibdeps see it): its one-time global set-up and
// the URL handle helpers that `cookies scan` and URL parsing share.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>

namespace telcomply {

// curl_global_init, once per process; throws Error(operational) when it fails.
void init_curl();

struct CurlUrlCleanup {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
// A libcurl URL handle (curl_url), cleaned up when it goes.
using CurlUrl = std::unique_ptr<CURLU, CurlUrlCleanup>;

// A new URL handle set to `text`; nullopt when libcurl refuses the URL.
std::optional<CurlUrl> curl_url_of(const std::string& text);

// One part of a URL handle, or nullopt when it has none.
std::optional<std::string> curl_url_part(CURLU* url, CURLUPart which);

}  // namespace telcomply
