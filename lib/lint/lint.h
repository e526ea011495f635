// telcomply lint: policy files checked for their schema (by the loaders), for consistency
// across files, and optionally against the real database schema.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/findings.h"
#include "policy/load.h"
#include "store/store.h"

namespace telcomply {

// The kind of a policy file, told from its top-level keys (telcomply-policy(5)).
enum class PolicyKind { config, data_map, retention, cookies, subprocessors, transfers };
const char* to_string(PolicyKind kind);
// Throws Error(invalid) when the kind cannot be told.
PolicyKind detect_policy_kind(const YamlSource& source);

// Cross-references within and between policy files: the data map's structure
// (check_data_map_structure: links reach the subject, rules and holds name its tables),
// every category used is defined, every rule names a known column and category, every
// sub-processor's categories and parent exist, and so on.
std::vector<Finding> check_policy(const Policy& policy);

// Throws Error(invalid) naming the first error check_policy finds, with a hint to run lint.
void ensure_consistent(const Policy& policy);

struct LintOptions {
  std::vector<std::filesystem::path> files;  // given files; empty: the configuration's
  // Compare with this database's schema: every finding of resolve_data_map
  // (datamap/resolved.h) is added.
  std::optional<std::filesystem::path> database;
};

// Loads the configuration's policy files plus `options.files` (sorted into their kinds) and
// returns every finding. Malformed files throw Error(invalid) with file:line:column.
std::vector<Finding> lint(const std::optional<Config>& config, const LintOptions& options);

// Every rule lint reports, for SARIF and JUnit.
const std::vector<RuleInfo>& lint_rules();

}  // namespace telcomply
