// Cookie inventories: format detection and every reader (the first byte picks the format,
// the rest is the file).
#include "cookies/cookies.h"
#include "fuzz.h"

using namespace telcomply;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr InventoryFormat kFormats[] = {
      InventoryFormat::automatic, InventoryFormat::har,        InventoryFormat::edps,
      InventoryFormat::netscape,  InventoryFormat::playwright, InventoryFormat::csv,
      InventoryFormat::scan};
  InventoryOptions options;
  options.format = kFormats[data[0] % std::size(kFormats)];
  options.captured_at = 1'790'000'000;
  const std::string body(fuzz::text(data + 1, size - 1));
  fuzz::rejecting_errors([&] { read_inventory("fuzz.har", body, options); });
  return 0;
}
