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

// The kind of a policy file, told from its top-level keys (telcomply-policy(5)). Throws
// Error(invalid) when the kind cannot be told.
PolicyKind detect_policy_kind(const YamlSource& source);

// Cross-references within and between policy files: the data map's structure
// (check_data_map_structure: links reach the subject, rules and holds name its tables),
// every category used is defined, every rule names a known column and category, rules do not
// overlap (warnings: two delete rules on one table, two rules masking one column), every
// sub-processor's categories and parent exist, and so on. Only the kinds in `kinds` that
// are loaded are checked; a check that needs a kind outside them (a sub-processor's
// categories without the data map) is skipped.
std::vector<Finding> check_policy(const Policy& policy, PolicyKinds kinds = PolicyKinds::all());

// Throws Error(invalid) naming the first error check_policy(policy, kinds) finds, with a
// hint to run lint. A command passes the kinds it loaded, so that it is stopped only by
// mistakes in what it uses.
void ensure_consistent(const Policy& policy, PolicyKinds kinds);

struct LintOptions {
  std::vector<std::filesystem::path> files;  // given files; empty: the configuration's
  // Compare with this database's schema and values: every finding of resolve_data_map
  // (datamap/resolved.h) and of read_date_columns (datamap/dates.h) is added.
  std::optional<std::filesystem::path> database;
};

// Loads the configuration's policy files plus `options.files` (sorted into their kinds) and
// returns every finding. Malformed files throw Error(invalid) with file:line:column.
std::vector<Finding> lint(const std::optional<Config>& config, const LintOptions& options);

// Every rule lint reports, for SARIF and JUnit.
const std::vector<RuleInfo>& lint_rules();

}  // namespace telcomply
