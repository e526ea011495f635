// Text utilities that know nothing of GDPR.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telcomply {

// The candidate closest to `word` by edit distance, when close enough to suggest ("did you
// mean"). Words or candidates longer than kMaxHintLength get no suggestion: the distance
// costs the product of the two lengths.
inline constexpr std::size_t kMaxHintLength = 64;
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace telcomply
