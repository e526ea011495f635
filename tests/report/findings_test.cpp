#include "report/findings.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/escape.h"
#include "test_util.h"

using namespace telcomply;

namespace {
std::vector<Finding> sample() {
  return {Finding{"undeclared-cookie", Severity::error, "cookie 'x, y' is not declared",
                  SourceLocation{"site.har", 12, 5}, "x"},
          Finding{"stale-entry", Severity::warning, "never seen: 50% <b>", SourceLocation{}, "y"}};
}
const ReportContext kContext{"telcomply test", {{"undeclared-cookie", "undeclared"}, {"stale-entry", "stale"}, {"clean-rule", "clean"}}};
std::string render(ReportFormat format) {
  std::ostringstream out;
  write_findings(out, sample(), format, kContext);
  return out.str();
}
}  // namespace

TEST_CASE("text findings: location, severity, message, rule, summary") {
  CHECK(render(ReportFormat::text) ==
        "site.har:12:5: error: cookie 'x, y' is not declared [undeclared-cookie]\n"
        "warning: never seen: 50% <b> [stale-entry]\n1 error, 1 warning\n");
}

TEST_CASE("text and GitHub findings show what data holds, one line per finding") {
  // A cookie name from an inventory, a file name and a rule with line breaks, terminal
  // escapes and a bidi override.
  const std::vector<Finding> hostile{
      Finding{"undeclared-cookie", Severity::error,
              "undeclared cookie 'x\nsite.har:1:1: error: forged [r]\x1b]0;OWNED\x07\x1b[2J'",
              SourceLocation{"in\xE2\x80\xAEv.har", 3, 1}, "x"},
      Finding{"r\r\x9b", Severity::warning, "bad \xff\xC3", SourceLocation{}, "y"}};
  std::ostringstream text, github;
  write_findings(text, hostile, ReportFormat::text, kContext);
  CHECK(text.str() ==
        "in\\u202ev.har:3:1: error: undeclared cookie 'x\\nsite.har:1:1: error: forged "
        "[r]\\x1b]0;OWNED\\x07\\x1b[2J' [undeclared-cookie]\n"
        "warning: bad \\xff\\xc3 [r\\r\\x9b]\n1 error, 1 warning\n");
  write_findings(github, hostile, ReportFormat::github, kContext);
  CHECK(github.str() ==
        "::error file=in\\u202ev.har,line=3,col=1,title=undeclared-cookie::undeclared cookie "
        "'x\\nsite.har:1:1: error: forged [r]\\x1b]0;OWNED\\x07\\x1b[2J'\n"
        "::warning title=r\\r\\x9b::bad \\xff\\xc3\n");
}

TEST_CASE("junit output is well-formed XML whatever the names hold") {
  const std::vector<Finding> hostile{Finding{"undeclared-cookie", Severity::error,
                                             "cookie 'a\xff\xEF\xBF\xBE\x01\x1b<b>&'",
                                             SourceLocation{"x\x02.har", 1, 1}, "a"}};
  std::ostringstream out;
  write_findings(out, hostile, ReportFormat::junit, kContext);
  const std::string xml = out.str();
  CHECK(xml.find("cookie &#39;a\\xff\\ufffe\\x01\\x1b&lt;b&gt;&amp;&#39;") != std::string::npos);
  CHECK(
      std::none_of(xml.begin(), xml.end(), [](char c) { return c != '\n' && c >= 0 && c < 0x20; }));
  CHECK(xml.find("\xEF\xBF\xBE") == std::string::npos);
  CHECK(xml.find('\xff') == std::string::npos);
}

TEST_CASE("json findings parse and count") {
  const auto j = nlohmann::json::parse(render(ReportFormat::json));
  CHECK(j["errors"] == 1);
  CHECK(j["warnings"] == 1);
  CHECK(j["findings"][0]["line"] == 12);
  CHECK(j["findings"][0]["entry"] == "x");
  CHECK_FALSE(j["findings"][1].contains("file"));
}

TEST_CASE("github annotations escape properties and data") {
  const std::string out = render(ReportFormat::github);
  CHECK(out.find("::error file=site.har,line=12,col=5,title=undeclared-cookie::cookie 'x, y' is not declared\n") == 0);
  CHECK(out.find("::warning title=stale-entry::never seen: 50%25 <b>\n") != std::string::npos);
}

TEST_CASE("junit: one test case per finding, warnings are not failures, time and timestamp") {
  const std::string out = render(ReportFormat::junit);
  CHECK(out.find("<testsuites name=\"telcomply test\" tests=\"3\" failures=\"1\"") !=
        std::string::npos);
  CHECK(out.find("<testcase classname=\"telcomply test\" name=\"clean-rule\"/>") != std::string::npos);
  CHECK(out.find("<testcase classname=\"telcomply test\" name=\"undeclared-cookie: x\">\n"
                 "      <failure type=\"error\"") != std::string::npos);
  CHECK(out.find("<testcase classname=\"telcomply test\" name=\"stale-entry: y\">\n"
                 "      <system-out>warning: never seen: 50% &lt;b&gt;</system-out>") !=
        std::string::npos);
  CHECK(out.find(" time=\"") != std::string::npos);
  CHECK(out.find(" timestamp=\"20") != std::string::npos);
  CHECK(out.find("<b>") == std::string::npos);

  std::ostringstream warnings_only;
  write_findings(warnings_only, {sample()[1]}, ReportFormat::junit, kContext);
  CHECK(warnings_only.str().find("failures=\"0\"") != std::string::npos);
  CHECK(warnings_only.str().find("<failure") == std::string::npos);
}

TEST_CASE("sarif 2.1.0 with rules and regions") {
  const auto j = nlohmann::json::parse(render(ReportFormat::sarif));
  CHECK(j["version"] == "2.1.0");
  const auto& run = j["runs"][0];
  CHECK(run["tool"]["driver"]["rules"].size() == 3);
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12);
  CHECK(run["results"][1]["level"] == "warning");
}

TEST_CASE("status: errors fail; warnings only with strict") {
  CHECK(findings_status(sample(), false) == Exit::findings);
  std::vector<Finding> warnings{sample()[1]};
  CHECK(findings_status(warnings, false) == Exit::ok);
  CHECK(findings_status(warnings, true) == Exit::findings);
  CHECK(findings_status({}, true) == Exit::ok);
}

TEST_CASE("unknown report formats are usage errors") {
  CHECK(test::error_of([] { parse_report_format("xml", {ReportFormat::text, ReportFormat::json}); }) ==
        "unknown format 'xml' (known: text, json)");
}

TEST_CASE("markup and CSV escaping, shared by every report and table") {
  CHECK(html_escaped(R"(<a href="x">Tom & 'Jerry'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  CHECK(html_escaped(std::string("a\x01"
                                 "b\tc\nd\x1f",
                                 8)) == "a\\x01b\tc\nd\\x1f");
  CHECK(html_escaped("café") == "café");
  // What XML 1.0 does not allow, and what would rearrange or hide text, shows as an escape.
  CHECK(html_escaped("a\xff\xEF\xBF\xBE\xED\xA0\x80<\xE2\x80\xAE") ==
        "a\\xff\\ufffe\\xed\\xa0\\x80&lt;\\u202e");
  CHECK(markdown_escaped("<script>x</script> | *a* _b_ `c` [d](e) \\") ==
        "&lt;script&gt;x&lt;/script&gt; \\| \\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\\\");
  CHECK(markdown_escaped("two\r\nlines\x1b[2J\xE2\x80\xAE\xff") ==
        "two  lines\\x1b\\[2J\\u202e\\xff");
  CHECK(markdown_escaped("O'Brien & \"Zoë\"") == "O'Brien &amp; \"Zoë\"");
  CHECK(csv_cell("a\x1b]0;x\x07\xE2\x80\xAE"
                 "b\xff") == "a\\x1b]0;x\\x07\\u202eb\\xff");
  CHECK(csv_cell("plain") == "plain");
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_cell("+31201234567") == "'+31201234567");
  CHECK(csv_cell("-1") == "'-1");
  CHECK(csv_cell("@sum") == "'@sum");
  CHECK(csv_cell("") == "");
}
