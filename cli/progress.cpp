#include "progress.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>

#include "core/text.h"

namespace telcomply::cli {

namespace {

bool drawn = false;

}  // namespace

ProgressSink terminal_progress() {
  if (::isatty(STDERR_FILENO) != 1) return {};
  using Clock = std::chrono::steady_clock;
  return [last = Clock::time_point{}](const Progress& p) mutable {
    const auto now = Clock::now();
    if (drawn && now - last < std::chrono::milliseconds(200) && p.done < p.total) return;
    last = now;
    drawn = true;
    std::cerr << '\r' << p.task;
    if (!p.item.empty()) std::cerr << ' ' << visible(p.item);
    std::cerr << ": " << p.done;
    if (p.total > 0) std::cerr << " of " << p.total;
    if (!p.unit.empty()) std::cerr << ' ' << p.unit;
    std::cerr << "\x1b[K" << std::flush;
  };
}

void end_progress() {
  if (!drawn) return;
  std::cerr << "\r\x1b[K" << std::flush;
  drawn = false;
}

}  // namespace telcomply::cli
