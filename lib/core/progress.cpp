#include "core/progress.h"

#include <cmath>

#include "core/text.h"

namespace telcomply {

namespace {

// "about 40 s", "about 3 min", "about 2 h 5 min".
std::string about(double seconds) {
  const auto s = static_cast<std::int64_t>(std::ceil(seconds));
  if (s < 60) return "about " + std::to_string(s) + " s";
  const std::int64_t minutes = (s + 59) / 60;
  if (minutes < 60) return "about " + std::to_string(minutes) + " min";
  return "about " + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

}  // namespace

std::string progress_line(const Progress& p, double elapsed_seconds) {
  std::string line(p.task);
  if (!p.item.empty()) line += " " + visible(p.item);
  line += ": " + std::to_string(p.done);
  if (p.total > 0) line += " of " + std::to_string(p.total);
  if (!p.unit.empty()) line += " " + std::string(p.unit);
  if (p.total <= 0) return line;
  const std::int64_t done = std::min(p.done, p.total);
  line += " (" + std::to_string(done * 100 / p.total) + "%";
  if (done > 0 && done < p.total && elapsed_seconds >= 1.0)
    line +=
        ", " +
        about(elapsed_seconds * static_cast<double>(p.total - done) / static_cast<double>(done)) +
        " left";
  return line + ")";
}

}  // namespace telcomply
