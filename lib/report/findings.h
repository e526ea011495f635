// Findings of a check (lint, cookies check, subprocessors check) and the report formats
// they are written in: text, JSON, GitHub annotations, JUnit XML, SARIF 2.1.0.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace telcomply {

enum class Severity { error, warning };
const char* to_string(Severity severity);

struct Finding {
  std::string rule;      // stable rule id, e.g. "undeclared-cookie"
  Severity severity = Severity::error;
  std::string message;   // one line, no personal data and no cookie values
  SourceLocation loc;    // where in the input (policy file or inventory), when known
  std::string entry;     // the entry concerned (cookie name, sub-processor id, table.column)
};

enum class ReportFormat { text, json, github, junit, sarif };

// Parses a format name; throws Error(invalid) listing `allowed` when it is not one of them.
ReportFormat parse_report_format(std::string_view name, const std::vector<ReportFormat>& allowed);
const char* to_string(ReportFormat format);

// A rule's one-line description, for SARIF and JUnit.
struct RuleInfo {
  std::string id;
  std::string description;
};

struct ReportContext {
  std::string tool;             // e.g. "telcomply lint"
  std::vector<RuleInfo> rules;  // every rule the check knows, for SARIF's rule table
  bool summary = true;          // text: end with the "N errors, N warnings" line
};

// The rule of an input that cannot be loaded, when a report carries that error
// (load_error_finding).
inline constexpr const char* kInvalidInputRule = "invalid-input";
// An input error (a policy file that does not load) as a finding at its file:line:column,
// for a report in a CI format that must carry it.
Finding load_error_finding(const Error& error);

// Writes `findings` in `format`. Text: "file:line:column: severity: message [rule]" per
// finding and (unless context.summary is false) a summary line. JSON: {"findings": [...], "errors":
// N, "warnings": N}. GitHub: "::error file=...,line=...,col=...,title=rule::message". JUnit: one
// test case per finding (an error fails it, a warning does not) and one passing test case per rule
// without findings, with the run's time and start timestamp. SARIF 2.1.0: one run with the rule
// table.
void write_findings(std::ostream& out, const std::vector<Finding>& findings, ReportFormat format,
                    const ReportContext& context);

// Exit::findings when there is an error (or, with `strict`, any finding), else Exit::ok.
Exit findings_status(const std::vector<Finding>& findings, bool strict);

}  // namespace telcomply
