// ISO 3166-1 alpha-2 country codes.
#include "policy/country.h"
#include "fuzz.h"

using namespace telcomply;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view code = fuzz::text(data, size);
  const bool valid = is_country_code(code);
  if (valid == country_code_error(code).has_value()) __builtin_trap();  // exactly one holds
  if (valid) (void)country_name(code);
  return 0;
}
