// ISO 8601 dates and times.
#include "cookies/cookies.h"
#include "core/date.h"
#include "fuzz.h"

using namespace telcomply;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text(data, size);
  if (auto date = parse_date(text)) {
    if (date->day > days_in_month(date->year, date->month)) __builtin_trap();
    if (Date::from_days_since_epoch(date->days_since_epoch()) != *date) __builtin_trap();
    (void)date->add_months(-1200).iso();
  }
  (void)parse_iso_time(text);
  return 0;
}
