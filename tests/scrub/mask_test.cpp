// Masks on text of every script: what a mask leaves must not carry the personal data, whatever
// alphabet, digits or encoding it is written in.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <string>

#include "core/text.h"
#include "scrub/scrub.h"

using namespace telcomply;

namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef";

// The partial mask keeping `keep` characters; checks that masking again changes nothing.
std::string partial(const std::string& value, int keep, bool unique = false) {
  const MaskSpec spec{MaskStrategy::partial, "", keep, false, unique, false};
  const std::optional<std::string> once = mask_value(spec, value, "7", kKey);
  REQUIRE(once);
  CHECK(mask_value(spec, once, "7", kKey) == once);
  return *once;
}

}  // namespace

TEST_CASE("partial masks letters of every script, with their accents") {
  CHECK(partial("Ørsted", 0) == "******");
  CHECK(partial("Ørsted", 1) == "Ø*****");
  CHECK(partial("José Müller-Lüdenscheidt", 1) == "J*** ******-************");
  CHECK(partial("Zoe\xCC\x88 Nin\xCC\x83o", 0) == "*** ****");  // decomposed: e + U+0308
  CHECK(partial("Иван Петров", 1) == "И*** ******");
  CHECK(partial("Γιώργος Παπαδόπουλος", 0) == "******* ************");
  CHECK(partial("محمد علي", 0) == "**** ***");
  CHECK(partial("山田太郎", 1) == "山***");
  CHECK(partial("東京都港区、六本木", 0) == "*****、***");  // the ideographic comma is punctuation
  CHECK(partial("やまだ たろう", 0) == "*** ***");
  CHECK(partial("김민준", 0) == "***");
  CHECK(partial("ＡＢＣ", 0) == "***");
}

TEST_CASE("partial masks digits of every script") {
  CHECK(partial("+31 20 123 4567", 3) == "+31 ** *** ****");
  CHECK(partial("+٣١ ٢٠ ١٢٣ ٤٥٦٧", 3) == "+٣١ ** *** ****");      // Arabic-Indic
  CHECK(partial("۰۹۱۲ ۳۴۵ ۶۷۸۹", 0) == "**** *** ****");          // extended Arabic-Indic
  CHECK(partial("０６－１２３４５６７８", 0) == "**－********");  // full-width, hyphen kept
  CHECK(partial("०९८७६", 0) == "*****");                          // Devanagari
}

TEST_CASE("partial masks emoji, marks and what is not text as one star per character") {
  CHECK(partial("Jan 👍🏽", 0) == "*** *");    // with its skin tone
  CHECK(partial("👩‍👩‍👧", 0) == "*");  // a family joined by U+200D
  CHECK(partial("a\xE2\x83\x9D", 0) == "*");       // an enclosing mark
  CHECK(partial("\xCC\x81x", 0) == "**");          // a mark with nothing before it
  CHECK(partial("a\xE2\x80\xAE"
                "b",
                0) == "***");  // a bidi override is no shape
  // Bytes that are not UTF-8 never pass: masked, or U+FFFD where kept.
  CHECK(partial("ab\xff\xfe"
                "cd",
                0) == "******");
  CHECK(partial("ab\xff\xfe"
                "cd",
                3) == "ab\xEF\xBF\xBD***");
  CHECK(partial("\xC3", 0) == "*");
  const std::string surrogate = partial("x\xED\xA0\x80y", 0);
  CHECK(surrogate.find_first_not_of('*') == std::string::npos);
}

TEST_CASE("partial keeps the shape: white space and punctuation of every script") {
  CHECK(partial("jan.de-vries@example.nl", 0) == "***.**-*****@*******.**");
  CHECK(partial("a\tb\r\nc", 0) == "*\t*\r\n*");
  CHECK(partial("محمد، علي", 0) == "****، ***");  // Arabic comma
  CHECK(partial("a\xC2\xA0"
                "b",
                0) == "*\xC2\xA0*");  // no-break space
  CHECK(partial("Ørsted", 1, true) == "Ø*****#7");
  CHECK(partial("Ørsted", 99) == "Ørsted");
}

TEST_CASE("partial on random text: nothing but the shape survives, and masking is idempotent") {
  const std::vector<std::string> secret{"a",
                                        "Z",
                                        "7",
                                        "é",
                                        "e\xCC\x81",
                                        "Ж",
                                        "ω",
                                        "٣",
                                        "۴",
                                        "山",
                                        "３",
                                        "Ａ",
                                        "👍🏽",
                                        "🇳🇱",
                                        "\xff",
                                        "\xC3",
                                        "\xED\xA0\x80",
                                        "\xE2\x80\xAE",
                                        "\xE2\x80\x8D",
                                        "\xCC\x81"};
  const std::vector<std::string> shape{" ", "-", ".", "@", "、", "،", "(", "+", "\xC2\xA0"};
  std::mt19937 random(20261102);
  for (int round = 0; round < 2000; ++round) {
    std::string value;
    const int pieces = static_cast<int>(random() % 12);
    for (int i = 0; i < pieces; ++i) {
      const auto& pool = random() % 3 == 0 ? shape : secret;
      value += pool[random() % pool.size()];
    }
    const int keep = static_cast<int>(random() % 4);
    const std::string masked = partial(value, keep);
    CHECK(visible(masked).find("\\x") == std::string::npos);  // always UTF-8
    if (keep == 0) {
      std::string rest = masked;
      for (const auto& s : shape)
        for (std::size_t at; (at = rest.find(s)) != std::string::npos;) rest.erase(at, s.size());
      CHECK_MESSAGE(rest.find_first_not_of('*') == std::string::npos, visible(value));
    }
  }
}

TEST_CASE("the other masks keep nothing of a value in any script") {
  auto mask = [](MaskStrategy strategy, const std::string& value) {
    return mask_value(MaskSpec{strategy, "(removed)", 0, false, false, false}, value, "7", kKey);
  };
  // Dates in other digits are no dates: the value goes (NULL), rather than staying.
  CHECK(mask(MaskStrategy::generalise_year, "２０２４-０５-１２") == std::nullopt);
  CHECK(mask(MaskStrategy::generalise_month, "٢٠٢٤-٠٥-١٢") == std::nullopt);
  CHECK(mask(MaskStrategy::generalise_month, "1980-05-17 Ørsted") == std::string("1980-05-01"));
  CHECK(mask(MaskStrategy::fixed, "Иван\xff") == std::string("(removed)"));
  const auto pseudonym = mask(MaskStrategy::pseudonym, "Иван\xff");
  REQUIRE(pseudonym);
  CHECK(is_pseudonym(*pseudonym));
}
