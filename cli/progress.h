// Progress on a terminal: one line on standard error, redrawn in place.
#pragma once

#include "core/progress.h"

namespace telcomply::cli {

// A sink that draws progress (progress_line: percentage and time left) on standard error
// when it is a terminal, one line redrawn in place at most five times a second, or with
// TERM=dumb (or unset) plain lines at most every five seconds; an empty sink when standard
// error is not a terminal, so scripts and cron get no progress lines.
ProgressSink terminal_progress();
// Clears the progress line, if one was drawn.
void end_progress();

}  // namespace telcomply::cli
