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

// What append_visible does with tab, line feed and carriage return: escape them (text that
// must stay on one line: messages, findings, reports) or keep them (markup and CSV, where
// they are only white space or quoted).
enum class LineBreaks { escape, keep };

// Appends `text` so that what it holds shows and nothing in it can change how it or what
// follows is shown: control characters (C0, DEL, C1), the bidirectional controls (U+061C,
// U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), the line and paragraph separators
// (U+2028, U+2029), the non-characters U+FFFE and U+FFFF and every byte that is not part of
// well-formed UTF-8 (overlong forms and surrogates included) are written as escapes: "\t",
// "\n", "\r", "\x1b" for other C0 controls and DEL, "\u202e" for the other characters, and
// "\xff" for a stray byte. Everything else, letters of every script included, is kept as it
// is. The result is well-formed UTF-8 and XML 1.0 character data.
void append_visible(std::string& out, std::string_view text,
                    LineBreaks breaks = LineBreaks::escape);
std::string visible(std::string_view text);

// File content as an error message quotes it: in quotes, cut to its first 40 characters. A
// message never repeats more of a file than that, nor content of a file that turned out not
// to be of the expected kind, which may be anything, a password file included. The caller's
// message goes through visible() like every other.
std::string excerpt(std::string_view text);

// "a, b, c": `items` with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace telcomply
