#include "report/findings.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "report/escape.h"

namespace telcomply {

const char* to_string(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

const char* to_string(ReportFormat format) {
  switch (format) {
    case ReportFormat::text: return "text";
    case ReportFormat::json: return "json";
    case ReportFormat::github: return "github";
    case ReportFormat::junit: return "junit";
    case ReportFormat::sarif: return "sarif";
  }
  return "text";
}

ReportFormat parse_report_format(std::string_view name, const std::vector<ReportFormat>& allowed) {
  std::string names;
  for (ReportFormat format : allowed) {
    if (name == to_string(format)) return format;
    names += names.empty() ? "" : ", ";
    names += to_string(format);
  }
  throw_invalid("unknown format '" + std::string(name) + "' (known: " + names + ")");
}

Finding load_error_finding(const Error& error) {
  return Finding{kInvalidInputRule, Severity::error, error.message(), error.where(), ""};
}

Exit findings_status(const std::vector<Finding>& findings, bool strict) {
  for (const auto& f : findings)
    if (strict || f.severity == Severity::error) return Exit::findings;
  return Exit::ok;
}

namespace {

// GitHub workflow commands: data escapes %, CR, LF; properties also : and ,. The text is
// made visible first (no control characters, line breaks or bidirectional controls reach the
// log), so only % and the property separators are left to escape.
std::string github_escape(std::string_view text, bool property) {
  std::string out;
  for (char c : visible(text)) {
    if (c == '%')
      out += "%25";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

// One line per finding: whatever the file name, message or rule hold, it stays one line and
// shows as written (append_visible).
void write_text(std::ostream& out, const std::vector<Finding>& findings, bool summary) {
  std::size_t errors = 0, warnings = 0;
  std::string line;
  for (const auto& f : findings) {
    (f.severity == Severity::error ? errors : warnings)++;
    line.clear();
    if (f.loc.known()) {
      append_visible(line, f.loc.str());
      line += ": ";
    }
    line += to_string(f.severity);
    line += ": ";
    append_visible(line, f.message);
    line += " [";
    append_visible(line, f.rule);
    line += "]\n";
    out << line;
  }
  if (!summary) return;
  out << errors << (errors == 1 ? " error, " : " errors, ") << warnings
      << (warnings == 1 ? " warning\n" : " warnings\n");
}

nlohmann::json finding_json(const Finding& f) {
  nlohmann::json j{{"rule", f.rule}, {"severity", to_string(f.severity)}, {"message", f.message}};
  if (!f.entry.empty()) j["entry"] = f.entry;
  if (f.loc.known()) {
    j["file"] = f.loc.file;
    if (f.loc.line > 0) j["line"] = f.loc.line;
    if (f.loc.column > 0) j["column"] = f.loc.column;
  }
  return j;
}

void write_json(std::ostream& out, const std::vector<Finding>& findings, const ReportContext& context) {
  nlohmann::json j{{"tool", context.tool}, {"findings", nlohmann::json::array()}};
  std::size_t errors = 0, warnings = 0;
  for (const auto& f : findings) {
    (f.severity == Severity::error ? errors : warnings)++;
    j["findings"].push_back(finding_json(f));
  }
  j["errors"] = errors;
  j["warnings"] = warnings;
  out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void write_github(std::ostream& out, const std::vector<Finding>& findings) {
  for (const auto& f : findings) {
    out << "::" << (f.severity == Severity::error ? "error" : "warning");
    std::string props;
    if (f.loc.known()) {
      props += " file=" + github_escape(f.loc.file, true);
      if (f.loc.line > 0) props += ",line=" + std::to_string(f.loc.line);
      if (f.loc.column > 0) props += ",col=" + std::to_string(f.loc.column);
      props += ",";
    } else {
      props += " ";
    }
    props += "title=" + github_escape(f.rule, true);
    out << props << "::" << github_escape(f.message, false) << "\n";
  }
}

// When the process started, for JUnit's time and timestamp: the check is the whole run.
const auto kStarted = std::chrono::steady_clock::now();
const auto kStartedWall = std::chrono::system_clock::now();

void write_junit(std::ostream& out, const std::vector<Finding>& findings, const ReportContext& context) {
  // One test case per finding, named after its rule and entry (or place), and one passing
  // test case per rule without findings. An error fails its case; a warning does not (a run
  // that exits 0 has no failures) and is written in the case's system-out.
  std::map<std::string, std::size_t> per_rule;
  for (const auto& rule : context.rules) per_rule[rule.id];
  std::size_t failures = 0;
  for (const auto& f : findings) {
    ++per_rule[f.rule];
    if (f.severity == Severity::error) ++failures;
  }
  std::size_t tests = findings.size();
  for (const auto& [rule, count] : per_rule) tests += count == 0 ? 1 : 0;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - kStarted).count();
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", seconds);
  const std::time_t started = std::chrono::system_clock::to_time_t(kStartedWall);
  std::tm tm{};
  gmtime_r(&started, &tm);
  char timestamp[32];
  std::strftime(timestamp, sizeof timestamp, "%Y-%m-%dT%H:%M:%S", &tm);
  const std::string tool = html_escaped(context.tool);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"" << tool << "\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"0\" time=\"" << time << "\">\n";
  out << "  <testsuite name=\"" << tool << "\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"0\" skipped=\"0\" time=\"" << time << "\" timestamp=\"" << timestamp
      << "\">\n";
  for (const auto& [rule, count] : per_rule)
    if (count == 0)
      out << "    <testcase classname=\"" << tool << "\" name=\"" << html_escaped(rule) << "\"/>\n";
  for (const auto& f : findings) {
    const std::string where = f.loc.known() ? f.loc.str() + ": " : "";
    const std::string subject = !f.entry.empty() ? f.entry : f.loc.str();
    out << "    <testcase classname=\"" << tool << "\" name=\""
        << html_escaped(subject.empty() ? f.rule : f.rule + ": " + subject) << "\">\n";
    if (f.severity == Severity::error)
      out << "      <failure type=\"error\" message=\"" << html_escaped(f.message) << "\">"
          << html_escaped(where + f.message) << "</failure>\n";
    else
      out << "      <system-out>warning: " << html_escaped(where + f.message) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

void write_sarif(std::ostream& out, const std::vector<Finding>& findings, const ReportContext& context) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& rule : context.rules)
    rules.push_back({{"id", rule.id}, {"shortDescription", {{"text", rule.description}}}});
  nlohmann::json results = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json result{{"ruleId", f.rule},
                          {"level", f.severity == Severity::error ? "error" : "warning"},
                          {"message", {{"text", f.message}}}};
    if (f.loc.known()) {
      nlohmann::json physical{{"artifactLocation", {{"uri", f.loc.file}}}};
      if (f.loc.line > 0) {
        physical["region"] = {{"startLine", f.loc.line}};
        if (f.loc.column > 0) physical["region"]["startColumn"] = f.loc.column;
      }
      result["locations"] = nlohmann::json::array({{{"physicalLocation", physical}}});
    }
    results.push_back(std::move(result));
  }
  nlohmann::json sarif{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       nlohmann::json::array({{{"tool",
                                {{"driver",
                                  {{"name", context.tool},
                                   {"informationUri", "https://github.com/telcomply/telcomply"},
                                   {"version", TELCOMPLY_VERSION},
                                   {"rules", rules}}}}},
                               {"results", results}}})}};
  out << sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

void write_findings(std::ostream& out, const std::vector<Finding>& findings, ReportFormat format,
                    const ReportContext& context) {
  switch (format) {
    case ReportFormat::text:
      write_text(out, findings, context.summary);
      break;
    case ReportFormat::json: write_json(out, findings, context); break;
    case ReportFormat::github: write_github(out, findings); break;
    case ReportFormat::junit: write_junit(out, findings, context); break;
    case ReportFormat::sarif: write_sarif(out, findings, context); break;
  }
}

}  // namespace telcomply
