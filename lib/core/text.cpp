#include "core/text.h"

#include <unistr.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace telcomply {

namespace {

// Characters append_visible writes as an escape, beyond the C0 controls and DEL.
bool must_escape(char32_t c) {
  return (c >= 0x80 && c <= 0x9f) ||                   // C1 controls
         c == 0x061c || c == 0x200e || c == 0x200f ||  // bidi marks
         (c >= 0x202a && c <= 0x202e) ||               // embeddings, overrides
         (c >= 0x2066 && c <= 0x2069) ||               // isolates
         c == 0x2028 || c == 0x2029 || c == 0xfffe || c == 0xffff;
}

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%0*x", digits, value);
  out += prefix;
  out += buffer;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  if (word.size() > kMaxHintLength) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 2) + 1;
  for (const auto& candidate : candidates) {
    if (candidate.size() > kMaxHintLength) continue;
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

void append_visible(std::string& out, std::string_view text, LineBreaks breaks) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  std::size_t plain = 0;  // start of the run of text copied as it is
  auto flush = [&](std::size_t end) { out.append(text.substr(plain, end - plain)); };
  for (std::size_t i = 0; i < text.size();) {
    const std::uint8_t c = bytes[i];
    if (c >= 0x20 && c < 0x7f) {
      ++i;
      continue;
    }
    if (c < 0x80) {  // C0 control or DEL
      const bool line_break = c == '\t' || c == '\n' || c == '\r';
      if (line_break && breaks == LineBreaks::keep) {
        ++i;
        continue;
      }
      flush(i);
      if (c == '\t')
        out += "\\t";
      else if (c == '\n')
        out += "\\n";
      else if (c == '\r')
        out += "\\r";
      else
        append_hex(out, "\\x", c, 2);
      plain = ++i;
      continue;
    }
    ucs4_t code = 0;
    const int length = u8_mbtoucr(&code, bytes + i, text.size() - i);
    if (length < 0) {  // not the start of well-formed UTF-8: one stray byte
      flush(i);
      append_hex(out, "\\x", c, 2);
      plain = ++i;
      continue;
    }
    if (must_escape(code)) {
      flush(i);
      append_hex(out, "\\u", code, 4);
      plain = i + static_cast<std::size_t>(length);
    }
    i += static_cast<std::size_t>(length);
  }
  flush(text.size());
}

std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_visible(out, text);
  return out;
}

std::string excerpt(std::string_view text) {
  constexpr std::size_t kMaxCharacters = 40;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) continue;  // inside a character
    if (++characters > kMaxCharacters) return "'" + std::string(text.substr(0, i)) + "...'";
  }
  return "'" + std::string(text) + "'";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace telcomply
