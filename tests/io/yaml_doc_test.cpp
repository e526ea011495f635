#include "io/yaml_doc.h"

#include <sys/stat.h>

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
  CHECK(error_of([] { YamlDoc doc(YamlSource{"d.yaml", "a: 1\nb: 2\na: 3\n"}); }) ==
        "d.yaml:3:1: duplicate key 'a' (first at line 1, column 1)");
  // In nested and flow mappings too, and a quoted key is the same key as a plain one.
  CHECK(error_of([] { YamlDoc doc(YamlSource{"d.yaml", "m:\n  x: 1\n  'x': 2\n"}); }) ==
        "d.yaml:3:3: duplicate key 'x' (first at line 2, column 3)");
  CHECK(error_of([] { YamlDoc doc(YamlSource{"d.yaml", "m: {k: 1, j: 2, k: 3}\n"}); }) ==
        "d.yaml:1:17: duplicate key 'k' (first at line 1, column 5)");
  // Large mappings are checked the same way.
  std::string many;
  for (int i = 0; i < 100; ++i) many += "k" + std::to_string(i) + ": v\n";
  CHECK_NOTHROW(YamlDoc(YamlSource{"m.yaml", many}));
  CHECK(error_of([&] { YamlDoc doc(YamlSource{"m.yaml", many + "k42: again\n"}); }) ==
        "m.yaml:101:1: duplicate key 'k42' (first at line 43, column 1)");
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

TEST_CASE("every node has its line and column") {
  YamlDoc doc(YamlSource{"m.yaml",
                         "# a comment\n"
                         "name: Voipgrow\n"
                         "list:\n"
                         "  - one\n"
                         "  - \"two\"\n"
                         "flow: {a: [x, y]}\n"
                         "nested:\n"
                         "    deep: !!str 12\n"});
  const YamlNode& root = doc.root();
  CHECK(root.is_map());
  CHECK(doc.where(root).str() == "m.yaml:2:1");
  CHECK(doc.where(root["name"]).str() == "m.yaml:2:7");
  CHECK(doc.where(root["list"]).str() == "m.yaml:4:3");
  CHECK(doc.where(root["list"][1]).str() == "m.yaml:5:5");
  CHECK(doc.where(root["flow"]).str() == "m.yaml:6:7");
  CHECK(doc.where(root["flow"]["a"][1]).str() == "m.yaml:6:15");
  CHECK(doc.where(root["nested"]["deep"]).str() == "m.yaml:8:11");
  std::vector<std::string> keys;
  for (const auto& item : root.pairs()) {
    keys.push_back(item.first.text());
    CHECK(item.first.column() == 1);
  }
  CHECK(keys == std::vector<std::string>{"name", "list", "flow", "nested"});
  CHECK(root.size() == 4);
  // What is not there has no position.
  CHECK_FALSE(root["absent"].defined());
  CHECK_FALSE(root["list"][2].defined());
  CHECK_FALSE(root["name"]["x"].defined());
  CHECK(doc.where(root["absent"]).str() == "m.yaml");
  CHECK(error_of([&] { doc.string(root["list"], "x"); }) == "m.yaml:4:3: missing required key 'x'");
}

TEST_CASE("scalars keep their text, style and tag") {
  YamlDoc doc(YamlSource{"s.yaml",
                         "plain: a b\n"
                         "single: 'it''s'\n"
                         "double: \"tab\\there\"\n"
                         "number: 012\n"
                         "quoted_number: \"12\"\n"
                         "str: !!str 12\n"
                         "yes_word: yes\n"
                         "quoted_yes: \"yes\"\n"
                         "literal: |\n"
                         "  line one\n"
                         "  line two\n"
                         "folded: >\n"
                         "  folded\n"
                         "  text\n"
                         "stripped: |-\n"
                         "  no newline\n"
                         "multi: a\n"
                         "  continued\n"});
  const YamlNode& root = doc.root();
  CHECK(root["plain"].text() == "a b");
  CHECK(root["plain"].style() == YamlNode::Style::plain);
  CHECK(root["single"].text() == "it's");
  CHECK(root["single"].style() == YamlNode::Style::single_quoted);
  CHECK(root["double"].text() == "tab\there");
  CHECK(root["double"].style() == YamlNode::Style::double_quoted);
  CHECK(root["number"].text() == "012");
  CHECK(root["str"].text() == "12");
  CHECK(root["str"].tag() == "tag:yaml.org,2002:str");
  CHECK(root["plain"].tag().empty());
  CHECK(root["literal"].text() == "line one\nline two\n");
  CHECK(root["literal"].style() == YamlNode::Style::literal);
  CHECK(root["folded"].text() == "folded text\n");
  CHECK(root["folded"].style() == YamlNode::Style::folded);
  CHECK(root["stripped"].text() == "no newline");
  CHECK(root["multi"].text() == "a continued");
  // Numbers and booleans are read from the text, quoted or not.
  CHECK(doc.optional_integer(root, "number") == 12);
  CHECK(doc.optional_integer(root, "quoted_number") == 12);
  CHECK(doc.optional_integer(root, "str") == 12);
  CHECK(doc.boolean(root, "yes_word", false));
  CHECK(doc.boolean(root, "quoted_yes", false));
  CHECK(error_of([&] { doc.boolean(root, "plain", false); }) ==
        "s.yaml:1:8: 'plain' must be true or false, not 'a b'");
}

TEST_CASE("booleans are true, false, yes, no, on and off") {
  YamlDoc doc(YamlSource{"b.yaml",
                         "a: true\nb: yes\nc: on\nd: True\ne: false\nf: no\ng: off\nh: False\n"
                         "i: TRUE\nj:\n"});
  const YamlNode& root = doc.root();
  for (const char* key : {"a", "b", "c", "d"}) CHECK(doc.boolean(root, key, false));
  for (const char* key : {"e", "f", "g", "h"}) CHECK_FALSE(doc.boolean(root, key, true));
  CHECK(error_of([&] { doc.boolean(root, "i", false); }).find("b.yaml:9:4:") == 0);
  CHECK(doc.boolean(root, "j", true));
  CHECK_FALSE(doc.boolean(root, "absent", false));
}

TEST_CASE("null is plain null, Null, NULL, ~ or nothing, or tagged !!null") {
  YamlDoc doc(YamlSource{"n.yaml",
                         "a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: !!null \"\"\n"
                         "g: \"null\"\nh: 'null'\ni: !!str null\nj: \"\"\nk: nul\nl: [~, x, ]\n"});
  const YamlNode& root = doc.root();
  for (const char* key : {"a", "b", "c", "d", "e", "f"}) {
    CAPTURE(key);
    CHECK(root[key].is_null());
    CHECK(root[key].defined());
    CHECK_FALSE(doc.optional_string(root, key));
  }
  for (const char* key : {"g", "h", "i"}) {
    CAPTURE(key);
    CHECK(root[key].is_scalar());
    CHECK(doc.optional_string(root, key) == "null");
  }
  CHECK(root["j"].is_scalar());
  CHECK(root["j"].text().empty());
  CHECK(root["k"].is_scalar());
  CHECK(root["l"].size() == 2);
  CHECK(root["l"][0].is_null());
  CHECK(doc.where(root["e"]).line > 0);
  // A document that is nothing but null is empty.
  for (const char* text : {"~\n", "# only a comment\n", "---\n...\n", "null\n"}) {
    CAPTURE(text);
    CHECK(error_of([&] { YamlDoc d(YamlSource{"e.yaml", text}); }) ==
          "e.yaml:1:1: empty policy file");
  }
}

TEST_CASE("aliases stand for their anchored node, and report where they are used") {
  YamlDoc doc(YamlSource{"a.yaml",
                         "base: &base\n"
                         "  legal_basis: contract\n"
                         "  purposes: [billing]\n"
                         "name: &n Voipgrow\n"
                         "copy: *base\n"
                         "again: *n\n"
                         "list: [*n, *base]\n"});
  const YamlNode& root = doc.root();
  CHECK(root["copy"].is_map());
  CHECK(doc.string(root["copy"], "legal_basis") == "contract");
  CHECK(doc.string_list(root["copy"], "purposes") == std::vector<std::string>{"billing"});
  CHECK(root["again"].text() == "Voipgrow");
  CHECK(root["list"][1]["purposes"][0].text() == "billing");
  CHECK(doc.where(root["copy"]).str() == "a.yaml:5:7");
  CHECK(doc.where(root["list"][0]).str() == "a.yaml:7:8");
  // The contents are the anchored node's: an error inside points at the anchor's text.
  CHECK(doc.where(root["copy"]["legal_basis"]).str() == "a.yaml:2:16");
  CHECK(error_of([&] { doc.string(root, "copy"); }) ==
        "a.yaml:5:7: 'copy' must be a single value, not a mapping");

  CHECK(error_of([] { YamlDoc d(YamlSource{"u.yaml", "a: 1\nb: *nowhere\n"}); }) ==
        "u.yaml:2:4: alias '*nowhere' names no anchor defined before it");
  CHECK(error_of([] { YamlDoc d(YamlSource{"u.yaml", "b: *later\nc: &later x\n"}); })
            .find("u.yaml:1:4: alias '*later' names no anchor") == 0);
  CHECK(error_of([] { YamlDoc d(YamlSource{"r.yaml", "a: &self\n  b: *self\n"}); }) ==
        "r.yaml:2:6: alias '*self' is inside the node it names");
}

TEST_CASE("aliases may not expand past the node budget") {
  // Ten levels of ten aliases each: 10^10 nodes if expanded.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  const std::string message = error_of([&] { YamlDoc d(YamlSource{"bomb.yaml", bomb}); });
  CHECK(message.rfind("bomb.yaml:", 0) == 0);
  CHECK(message.find("aliases expand to more than 100000 nodes") != std::string::npos);
  // Within the budget, aliases are fine.
  CHECK_NOTHROW(YamlDoc(YamlSource{"ok.yaml", bomb.substr(0, bomb.find("e:"))}));
}

TEST_CASE("<< merges aliased mappings; keys written in the mapping win") {
  YamlDoc doc(YamlSource{"m.yaml",
                         "defaults: &d {legal_basis: contract, role: controller, portable: yes}\n"
                         "more: &m {source: customer, role: processor}\n"
                         "one:\n"
                         "  name: One\n"
                         "  <<: *d\n"
                         "  role: processor\n"
                         "two:\n"
                         "  <<: [*m, *d]\n"
                         "inline:\n"
                         "  <<: {a: 1}\n"
                         "quoted:\n"
                         "  '<<': not a merge\n"});
  const YamlNode& root = doc.root();
  const YamlNode& one = root["one"];
  std::vector<std::string> keys;
  for (const auto& item : one.pairs()) keys.push_back(item.first.text());
  // Merged keys come where the merge is written, minus those the mapping writes itself.
  CHECK(keys == std::vector<std::string>{"name", "legal_basis", "portable", "role"});
  CHECK(one["role"].text() == "processor");
  CHECK(doc.boolean(one, "portable", false));
  CHECK(doc.where(one["legal_basis"]).str() == "m.yaml:1:28");
  // In a list of mappings, the first to give a key wins.
  CHECK(root["two"]["role"].text() == "processor");
  CHECK(root["two"]["legal_basis"].text() == "contract");
  CHECK(root["two"].size() == 4);
  CHECK(root["inline"]["a"].text() == "1");
  CHECK(root["quoted"]["<<"].text() == "not a merge");
  CHECK(error_of([&] { doc.expect_map(one, "one", {"name", "role"}); })
            .find("m.yaml:1:15: unknown key 'legal_basis' in one") == 0);

  CHECK(error_of([] { YamlDoc d(YamlSource{"m.yaml", "a: &a x\nb:\n  <<: *a\n"}); }) ==
        "m.yaml:3:7: '<<' merges a mapping or a list of mappings");
  CHECK(error_of([] { YamlDoc d(YamlSource{"m.yaml", "a: &a {x: 1}\nb:\n  <<: [*a, y]\n"}); }) ==
        "m.yaml:3:12: '<<' merges a mapping or a list of mappings");
  CHECK(error_of([] {
          YamlDoc d(YamlSource{"m.yaml", "a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n"});
        }).find("m.yaml:4:3: duplicate key '<<'") == 0);
}

TEST_CASE("nesting is limited to 64 levels") {
  auto nested = [](int levels) {
    return "a: " + std::string(static_cast<std::size_t>(levels - 1), '[') + "x" +
           std::string(static_cast<std::size_t>(levels - 1), ']') + "\n";
  };
  CHECK_NOTHROW(YamlDoc(YamlSource{"ok.yaml", nested(64)}));
  CHECK(error_of([&] { YamlDoc d(YamlSource{"deep.yaml", nested(65)}); }) ==
        "deep.yaml:1:67: nested deeper than 64 levels");
  std::string block = "k0:\n";
  for (int i = 1; i < 2000; ++i)
    block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k" + std::to_string(i) + ":\n";
  CHECK(error_of([&] { YamlDoc d(YamlSource{"block.yaml", block}); }) ==
        "block.yaml:65:129: nested deeper than 64 levels");
}

TEST_CASE("one document per file; streams of several are refused") {
  CHECK(error_of([] { YamlDoc d(YamlSource{"two.yaml", "a: 1\n---\nb: 2\n"}); }) ==
        "two.yaml:2:1: more than one YAML document; a policy file holds one");
  CHECK(error_of([] { YamlDoc d(YamlSource{"two.yaml", "--- a\n--- b\n"}); })
            .find("two.yaml:2:1:") == 0);
  YamlDoc one(YamlSource{"one.yaml", "%YAML 1.1\n---\na: 1\n...\n"});
  CHECK(one.root()["a"].text() == "1");
}

TEST_CASE("syntax errors name what the parser expected and where") {
  CHECK(error_of([] {
          YamlDoc d(YamlSource{"s.yaml", "a: b: c\n"});
        }) == "s.yaml:1:5: illegal map value");
  CHECK(error_of([] {
          YamlDoc d(YamlSource{"s.yaml", "a:\n  - x\n  y: 1\n"});
        }) == "s.yaml:3:3: end of map not found");
  CHECK(error_of([] {
          YamlDoc d(YamlSource{"s.yaml", "a: \"open\n"});
        }) == "s.yaml:2:1: the quoted scalar at line 1, column 4 has no closing quote");
  CHECK(error_of([] { YamlDoc d(YamlSource{"s.yaml", "a: \x01\n"}); }) ==
        "s.yaml:1:4: control characters are not allowed");
  CHECK(error_of([] { YamlDoc d(YamlSource{"u.yaml", "a: caf\xc3\x28\n"}); }) ==
        "u.yaml:1:7: invalid UTF-8");
}

TEST_CASE("text after the end of the document is refused, not ignored") {
  // The first key is indented: the mapping ends before 'b', which must not be dropped.
  CHECK(error_of([] { YamlDoc d(YamlSource{"i.yaml", " a: 1\nb: 2\n"}); }) ==
        "i.yaml:2:1: text after the end of the document (is this line indented less than the "
        "first?)");
  CHECK(error_of([] { YamlDoc d(YamlSource{"i.yaml", "just text\nb: 2\n"}); }).find("i.yaml:2:") ==
        0);
  // A plain scalar may hold '? ' and ': ' does not end a flow value it is quoted in.
  YamlDoc doc(YamlSource{"p.yaml", "link: {parent: custo? mers, q: \"a: b\"}\n"});
  CHECK(doc.root()["link"]["parent"].text() == "custo? mers");
  CHECK(doc.root()["link"]["q"].text() == "a: b");
}

TEST_CASE("a '?' inside a plain scalar of a flow collection is text") {
  YamlDoc doc(YamlSource{"q.yaml",
                         "u: {url: https://x.nl/a?b=c, k: [a ?b, c?, 'd?']}\n"
                         "x: [? a : b]\n"});
  const YamlNode& u = doc.root()["u"];
  CHECK(u["url"].text() == "https://x.nl/a?b=c");
  CHECK(doc.where(u["k"]).str() == "q.yaml:1:33");
  CHECK(u["k"][0].text() == "a ?b");
  CHECK(u["k"][1].text() == "c?");
  CHECK(u["k"][2].text() == "d?");
  // At the start of a node it is the key indicator.
  CHECK(doc.root()["x"][0]["a"].text() == "b");
}

TEST_CASE("an empty value is where its ':' or '-' is, not on the next line") {
  YamlDoc doc(YamlSource{"e.yaml",
                         "e:\n"
                         "f: x\n"
                         "g: # a comment\n"
                         "h:\n"
                         "  # a comment\n"
                         "\n"
                         "  -\n"
                         "  - x\n"
                         "i:"});
  const YamlNode& root = doc.root();
  CHECK(doc.where(root["e"]).str() == "e.yaml:1:3");
  CHECK(doc.where(root["g"]).str() == "e.yaml:3:3");
  CHECK(doc.where(root["h"][0]).str() == "e.yaml:7:4");
  CHECK(doc.where(root["i"]).str() == "e.yaml:9:3");
  CHECK(error_of([&] { doc.expect_sequence(root["g"], "'g'"); }) ==
        "e.yaml:3:3: 'g' must be a list, not empty");
}

TEST_CASE("characters outside YAML's set are refused; tab, NEL and the rest of Unicode are not") {
  for (const std::string text :
       {"a: x\x7f\n", "a: x\xc2\x80\n", "a: x\xc2\x9f\n", "a: x\xef\xbf\xbe\n", "a: x\x1b[31m\n"}) {
    CAPTURE(text);
    CHECK(error_of([&] {
            YamlDoc d(YamlSource{"c.yaml", text});
          }) == "c.yaml:1:5: control characters are not allowed");
  }
  YamlDoc ok(
      YamlSource{"ok.yaml", "a: \"x\ty\"\nb: x\xc2\x85\xc2\xa0\xef\xbf\xbd\xf0\x9f\x98\x80\r\n"});
  CHECK(ok.root()["a"].text() == "x\ty");
  CHECK(ok.root()["b"].text() == "x\xc2\x85\xc2\xa0\xef\xbf\xbd\xf0\x9f\x98\x80");
}

TEST_CASE("flow nesting is refused before the parser reads it; other brackets do not count") {
  // yaml-cpp would read all of this before its first event (hostile.sh checks time and memory).
  const std::string deep(4u << 20, '[');
  CHECK(error_of([&] {
          YamlDoc d(YamlSource{"deep.yaml", deep});
        }) == "deep.yaml:1:65: nested deeper than 64 levels");
  const std::string braces = "a: " + std::string(100, '{');
  CHECK(error_of([&] {
          YamlDoc d(YamlSource{"deep.yaml", braces});
        }) == "deep.yaml:1:68: nested deeper than 64 levels");
  // Brackets in comments and in quoted, block and plain scalars are text.
  const std::string many(100, '[');
  std::string text = "# " + many + "\n";
  text += "a: '" + many + "'\n";
  text += "b: \"" + many + "\\\"" + many + "\"\n";
  text += "c: |\n  " + many + "\n\n  " + many + "\n";
  text += "d: x " + many + "\n";
  text += "e: [x, \"" + many + "\", '" + many + "'] # " + many + "\n";
  text += "f: >-\n    " + many + "\n";
  YamlDoc doc(YamlSource{"ok.yaml", text});
  CHECK(doc.root()["a"].text() == many);
  CHECK(doc.root()["b"].text() == many + "\"" + many);
  CHECK(doc.root()["c"].text() == many + "\n\n" + many + "\n");
  CHECK(doc.root()["d"].text() == "x " + many);
  CHECK(doc.root()["e"][1].text() == many);
  CHECK(doc.root()["f"].text() == many);
}

TEST_CASE("columns count characters, not bytes") {
  // As an editor shows them, and as the position of invalid UTF-8 is given.
  YamlDoc doc(YamlSource{"c.yaml", "naam: {a: \"café\", b: x}\n"});
  CHECK(doc.where(doc.root()["naam"]["b"]).str() == "c.yaml:1:22");  // 23rd byte
}

TEST_CASE("a FIFO or device named as a policy file is refused without being opened") {
  test::TempDir dir;
  const auto fifo = dir / "policy.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Opening the FIFO for reading would wait for a writer forever.
  CHECK(error_of([&] { read_yaml_source(fifo); }) ==
        "cannot open '" + fifo.string() + "': not a regular file (a FIFO)");
  CHECK(error_of([] { read_yaml_source("/dev/zero"); }) ==
        "cannot open '/dev/zero': not a regular file (a character device)");
  CHECK(error_of([&] { read_yaml_source(dir.path()); }).find("is a directory") !=
        std::string::npos);
  CHECK(read_yaml_source(dir.write("ok.yaml", "a: 1\n")).text == "a: 1\n");
}

TEST_CASE("a file of another kind is refused without repeating its content") {
  // A password file reads as a mapping of its lines (each ends in ':'); none of it appears.
  const std::string shadow =
      "root:$6$Kq8x9ZAb$Xy7hashhashhashhash:19000:0:99999:7:::\n"
      "daemon:*:19000:0:99999:7:::\n";
  YamlDoc doc(YamlSource{"shadow", shadow});
  const std::string message = error_of([&] {
    doc.expect_map(doc.root(), "the configuration", {"organisation", "database", "policies"});
  });
  CHECK(message ==
        "shadow:1:1: not the configuration: it has none of the keys organisation, database, "
        "policies");
  // A top-level typo still gets its did-you-mean.
  YamlDoc typo(YamlSource{"t.yaml", "databse: x\n"});
  CHECK(error_of([&] { typo.expect_map(typo.root(), "the configuration", {"database"}); }) ==
        "t.yaml:1:1: unknown key 'databse' in the configuration; did you mean 'database'?");
}

TEST_CASE("messages quote at most a short excerpt of a value") {
  const std::string secret(200, 'x');
  YamlDoc doc(YamlSource{"v.yaml", "name: ok\nflag: " + secret + "\n" + secret + ": 1\n"});
  CHECK(error_of([&] { doc.boolean(doc.root(), "flag", false); }) ==
        "v.yaml:2:7: 'flag' must be true or false, not '" + std::string(40, 'x') + "...'");
  CHECK(error_of([&] {
          doc.expect_map(doc.root(), "a category", {"name", "flag"});
        }) == "v.yaml:3:1: unknown key '" + std::string(40, 'x') +
                  "...' in a category (known: name, flag)");
  // Characters are counted, not bytes: a multi-byte character is never cut.
  std::string wide;
  for (int i = 0; i < 50; ++i) wide += "\xc3\xa9";  // é
  YamlDoc accents(YamlSource{"w.yaml", "flag: " + wide + "\n"});
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "\xc3\xa9";
  CHECK(error_of([&] { accents.boolean(accents.root(), "flag", false); }) ==
        "w.yaml:1:7: 'flag' must be true or false, not '" + forty + "...'");
}
