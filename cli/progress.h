// Progress on a terminal: one line on standard error, redrawn in place.
#pragma once

#include "core/progress.h"

namespace telcomply::cli {

// A sink that draws progress on standard error when it is a terminal (at most five times a
// second), or an empty sink when it is not, so scripts and cron get no progress lines.
ProgressSink terminal_progress();
// Clears the progress line, if one was drawn.
void end_progress();

}  // namespace telcomply::cli
