#include "progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace telcomply::cli {

namespace {

bool drawn = false;

}  // namespace

ProgressSink terminal_progress() {
  if (::isatty(STDERR_FILENO) != 1) return {};
  const char* term = std::getenv("TERM");
  // A terminal that cannot move the cursor (TERM=dumb, or none: an Emacs shell, a CI log
  // viewer) gets plain lines, at most one every five seconds; others one line redrawn in
  // place, at most five times a second.
  const bool plain = !term || !*term || std::string_view(term) == "dumb";
  using Clock = std::chrono::steady_clock;
  return [plain, last = Clock::time_point{}, started = Clock::time_point{},
          current = std::string()](const Progress& p) mutable {
    const auto now = Clock::now();
    std::string what = std::string(p.task) + '\0' + std::string(p.item);
    if (what != current) {
      current = std::move(what);
      started = now;
      last = Clock::time_point{};
    }
    const auto every = plain ? std::chrono::seconds(5) : std::chrono::milliseconds(200);
    if (last != Clock::time_point{} && now - last < every && p.done < p.total) return;
    last = now;
    const std::string line = progress_line(p, std::chrono::duration<double>(now - started).count());
    if (plain) {
      std::cerr << line << '\n' << std::flush;
      return;
    }
    drawn = true;
    std::cerr << '\r' << line << "\x1b[K" << std::flush;
  };
}

void end_progress() {
  if (!drawn) return;
  std::cerr << "\r\x1b[K" << std::flush;
  drawn = false;
}

}  // namespace telcomply::cli
