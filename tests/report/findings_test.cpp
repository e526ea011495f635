#include "report/findings.h"
#include "report/escape.h"

#include <nlohmann/json.hpp>

#include <sstream>

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

TEST_CASE("junit has one test case per rule and escapes XML") {
  const std::string out = render(ReportFormat::junit);
  CHECK(out.find("tests=\"3\" failures=\"2\"") != std::string::npos);
  CHECK(out.find("<testcase classname=\"telcomply test\" name=\"clean-rule\"/>") != std::string::npos);
  CHECK(out.find("&lt;b&gt;") != std::string::npos);
  CHECK(out.find("<b>") == std::string::npos);
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
  CHECK(html_escaped(std::string("a\x01" "b\tc\nd\x1f", 8)) == "a b\tc\nd ");
  CHECK(html_escaped("café") == "café");
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
