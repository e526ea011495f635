#include "core/progress.h"

#include <doctest/doctest.h>

using namespace telcomply;

TEST_CASE("progress lines: counts, percentage, and the time left once it can be told") {
  const Progress rows{"scrubbing", "call_records", 500, 1000, "rows"};
  CHECK(progress_line(rows, 0.2) == "scrubbing call_records: 500 of 1000 rows (50%)");
  CHECK(progress_line(rows, 3.0) ==
        "scrubbing call_records: 500 of 1000 rows (50%, about 3 s left)");
  CHECK(progress_line(Progress{"exporting", "", 1, 4, "records"}, 100.0) ==
        "exporting: 1 of 4 records (25%, about 5 min left)");
  CHECK(progress_line(Progress{"scanning", "", 1, 100, "pages"}, 100.0) ==
        "scanning: 1 of 100 pages (1%, about 2 h 45 min left)");
  CHECK(progress_line(Progress{"scrubbing", "t", 1000, 1000, "rows"}, 9.0) ==
        "scrubbing t: 1000 of 1000 rows (100%)");
  CHECK(progress_line(Progress{"scanning", "https://x/\x1b[2J", 7, 0, "pages"}, 9.0) ==
        "scanning https://x/\\x1b[2J: 7 pages");
}
