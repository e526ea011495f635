// Telephone numbers in any notation, and their masking.
#include "fuzz.h"
#include "core/phone.h"

using namespace telcomply;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto e164 = normalise_phone(fuzz::text(data, size))) {
    if (e164->empty() || (*e164)[0] != '+') __builtin_trap();
    if (normalise_phone(*e164) != e164) __builtin_trap();  // idempotent
    (void)format_phone(*e164);
    (void)mask_phone(*e164);
  }
  return 0;
}
