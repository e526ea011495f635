// Small text helpers shared by the cookie readers, the check and the scan.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace telcomply::cookie_text {

// ASCII lowercase (host names, header and attribute names).
inline std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace telcomply::cookie_text
