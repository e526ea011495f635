#include "core/text.h"

#include <doctest/doctest.h>

#include <string>

using namespace telcomply;

TEST_CASE("visible keeps text of every script as it is") {
  const std::string text =
      "Ørsted, Иванов, Γιώργος, محمد ٠١٢٣, 東京都, ３１, e\xCC\x81, 👩‍👩‍👧 🇳🇱 "
      "~!@#";
  CHECK(visible(text) == text);
  CHECK(visible("") == "");
  CHECK(visible("a\\x41") == "a\\x41");  // a backslash stays as it is
}

TEST_CASE("visible escapes control characters, so data cannot forge lines or drive a terminal") {
  CHECK(visible("C-0006\x1b]0;OWNED\x07\x1b[2J") == "C-0006\\x1b]0;OWNED\\x07\\x1b[2J");
  CHECK(visible("a\nerror: forged [rule]") == "a\\nerror: forged [rule]");
  CHECK(visible("a\r\tb") == "a\\r\\tb");
  CHECK(visible(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(visible("\x7f") == "\\x7f");
  CHECK(visible("\xC2\x9B"
                "31m") == "\\u009b31m");    // C1 CSI
  CHECK(visible("\xC2\x85") == "\\u0085");  // next line
}

TEST_CASE("visible escapes bidirectional controls and line separators") {
  CHECK(visible("invoice\xE2\x80\xAEtxt.exe") == "invoice\\u202etxt.exe");
  const std::string controls[] = {"\xD8\x9C",     "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA",
                                  "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE",
                                  "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9",
                                  "\xE2\x80\xA8", "\xE2\x80\xA9", "\xEF\xBF\xBE", "\xEF\xBF\xBF"};
  const char* escapes[] = {"\\u061c", "\\u200e", "\\u200f", "\\u202a", "\\u202b", "\\u202c",
                           "\\u202d", "\\u202e", "\\u2066", "\\u2067", "\\u2068", "\\u2069",
                           "\\u2028", "\\u2029", "\\ufffe", "\\uffff"};
  for (std::size_t i = 0; i < std::size(controls); ++i) CHECK(visible(controls[i]) == escapes[i]);
  CHECK(visible("\xE2\x80\x8D") == "\xE2\x80\x8D");  // a zero-width joiner is no control
}

TEST_CASE("visible shows every byte that is not UTF-8") {
  CHECK(visible("C-0009\xff") == "C-0009\\xff");
  CHECK(visible("\xC3") == "\\xc3");                             // cut short at the end
  CHECK(visible("\xC3(") == "\\xc3(");                           // cut short before ASCII
  CHECK(visible("\xED\xA0\x80") == "\\xed\\xa0\\x80");           // a surrogate
  CHECK(visible("\xC0\xAF") == "\\xc0\\xaf");                    // overlong '/'
  CHECK(visible("\xF4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
  CHECK(visible("\x80\xC3\xA9") == "\\x80\xC3\xA9");             // a stray byte, then é
}

TEST_CASE("append_visible can keep line breaks for markup, and appends") {
  std::string out = "x:";
  append_visible(out, "a\tb\nc\r\x1b", LineBreaks::keep);
  CHECK(out == "x:a\tb\nc\r\\x1b");
}
