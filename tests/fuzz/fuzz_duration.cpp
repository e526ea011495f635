// Durations, and the dates they are added to.
#include "core/duration.h"
#include "fuzz.h"

using namespace telcomply;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto duration = parse_duration(fuzz::text(data, size))) {
    (void)duration->approx_seconds();
    (void)duration->after(Date{2026, 11, 23}).iso();
    if (*parse_duration(duration->str()) != *duration) __builtin_trap();  // round trip
  }
  return 0;
}
