#include "yaml_doc.h"

#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

TEST_CASE("syntax errors carry file, line and column") {
  const std::string message =
      error_of([] { YamlDoc doc(YamlSource{"bad.yaml", "a: 1\nb: [1, 2\n"}); });
  CHECK(message.rfind("bad.yaml:", 0) == 0);
  CHECK(message.find("bad.yaml:3:") == 0);
}

TEST_CASE("empty files and NUL bytes are rejected") {
  CHECK(error_of([] { YamlDoc doc(YamlSource{"e.yaml", ""}); }).find("e.yaml:1:1: empty") == 0);
  CHECK(error_of([] { YamlDoc doc(YamlSource{"n.yaml", std::string("a: 1\0", 5)}); })
            .find("NUL") != std::string::npos);
}

TEST_CASE("unknown keys are errors with a did-you-mean at their position") {
  YamlDoc doc(YamlSource{"k.yaml", "name: x\npurpose: y\n"});
  const std::string message =
      error_of([&] { doc.expect_map(doc.root(), "a category", {"name", "purposes"}); });
  CHECK(message == "k.yaml:2:1: unknown key 'purpose' in a category; did you mean 'purposes'?");
}

TEST_CASE("duplicate keys are errors") {
  YamlDoc doc(YamlSource{"d.yaml", "a: 1\nb: 2\na: 3\n"});
  CHECK(error_of([&] { doc.expect_any_map(doc.root(), "x"); }) ==
        "d.yaml:3:1: duplicate key 'a' in x");
}

TEST_CASE("typed getters check types and report where") {
  YamlDoc doc(YamlSource{"t.yaml",
                         "flag: maybe\nn: 12x\nd: 2 fortnights\ndate: 2026-02-30\nlist: [a, b]\n"
                         "one: a\nmap: {x: 1}\nok: 2 jaar\n"});
  const auto& root = doc.root();
  CHECK(error_of([&] { doc.boolean(root, "flag", false); }).find("t.yaml:1:7:") == 0);
  CHECK(error_of([&] { doc.optional_integer(root, "n"); }).find("t.yaml:2:4:") == 0);
  CHECK(error_of([&] { doc.duration(root, "d"); }).find("not a duration") != std::string::npos);
  CHECK(error_of([&] { doc.optional_date(root, "date"); }).find("t.yaml:4:7:") == 0);
  CHECK(doc.string_list(root, "list") == std::vector<std::string>{"a", "b"});
  CHECK(doc.string_list(root, "one") == std::vector<std::string>{"a"});
  CHECK(doc.string_list(root, "absent").empty());
  CHECK(error_of([&] { doc.string(root, "map"); }).find("must be a single value") != std::string::npos);
  CHECK(error_of([&] { doc.string(root, "absent"); }).find("missing required key 'absent'") !=
        std::string::npos);
  CHECK(doc.duration(root, "ok") == Duration{Duration::Unit::years, 2});
  CHECK(error_of([&] { doc.choice(root, "one", {"alpha", "beta"}); })
            .find("must be one of alpha, beta") != std::string::npos);
}

TEST_CASE("closest_match suggests only near words") {
  CHECK(closest_match("purpose", {"purposes", "name"}) == std::optional<std::string>("purposes"));
  CHECK_FALSE(closest_match("zzzzzz", {"purposes", "name"}));
}

TEST_CASE("deeply nested documents are rejected, not crashed on") {
  std::string deep(100000, '[');
  const std::string message = error_of([&] { YamlDoc doc(YamlSource{"deep.yaml", deep}); });
  CHECK(message.rfind("deep.yaml:", 0) == 0);
}
