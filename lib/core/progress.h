// Progress of long work, reported by the library and drawn (or not) by the command line:
// the library never writes to a terminal itself.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace telcomply {

struct Progress {
  std::string_view task;  // what the command does: "exporting", "scrubbing", "scanning"
  std::string_view item;  // what it works on now: a category, a table, a page
  std::int64_t done = 0;
  std::int64_t total = 0;  // 0: not known in advance
  std::string_view unit;   // "records", "rows", "pages"
};

// Called now and then during long work; may be empty. The library calls it at most every
// few thousand units, so the sink decides how often to draw.
using ProgressSink = std::function<void(const Progress&)>;

// `p` as one line, after `elapsed_seconds` on the current task and item: "scrubbing
// call_records: 500 of 1000 rows (50%, about 3 s left)"; the estimate once a second has passed
// and some work is done, the percentage whenever the total is known, and without a total
// "scrubbing call_records: 500 rows". Text from data is made visible.
std::string progress_line(const Progress& p, double elapsed_seconds);

}  // namespace telcomply
