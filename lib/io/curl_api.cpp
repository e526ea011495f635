#include "io/curl_api.h"

#include <dlfcn.h>

#include <cstring>
#include <string>

#include "core/error.h"

namespace telcomply {

namespace {

template <typename Function>
void bind(void* library, const char* name, Function& target) {
  void* symbol = dlsym(library, name);
  if (!symbol)
    throw_operational(std::string("cannot use ") + TELCOMPLY_CURL_SONAME + ": it has no " + name);
  static_assert(sizeof(symbol) == sizeof(target));
  std::memcpy(&target, &symbol, sizeof(target));  // POSIX: a dlsym result is callable
}

CurlApi load() {
  void* library = dlopen(TELCOMPLY_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    throw_operational(std::string("cannot load libcurl: ") + (why ? why : TELCOMPLY_CURL_SONAME));
  }
  CurlApi api{};
#define TELCOMPLY_CURL_BIND(name) bind(library, "curl_" #name, api.name);
  TELCOMPLY_CURL_FUNCTIONS(TELCOMPLY_CURL_BIND)
#undef TELCOMPLY_CURL_BIND
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw_operational("cannot initialise libcurl");
  return api;  // the library stays loaded for the life of the process
}

}  // namespace

const CurlApi& curl_api() {
  static const CurlApi api = load();
  return api;
}

}  // namespace telcomply
