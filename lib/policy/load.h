// Loading the policy model from YAML files (telcomply-policy(5)).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/yaml_doc.h"
#include "policy/policy.h"

namespace telcomply {

// Loaders: each reads one or more files of its kind (merging sections; a key defined twice
// is an error naming both places) and validates what one file can know. Cross-file checks
// live in lint. All throw Error(Exit::invalid) with file:line:column.
Config load_config(const YamlSource& source);
Config load_config_file(const std::filesystem::path& path);

// The system-wide configuration, the last place find_config looks.
inline constexpr const char* kSystemConfig = "/etc/telcomply/telcomply.yaml";
// Which configuration file to use: `option` (--config) when given, else $TELCOMPLY_CONFIG
// when set, else ./telcomply.yaml when it exists, else `system_file` when it exists; nullopt
// when there is none.
std::optional<std::filesystem::path> find_config(
    const std::string& option, const std::filesystem::path& system_file = kSystemConfig);
DataMap load_data_map(const std::vector<YamlSource>& sources);
RetentionPolicy load_retention(const std::vector<YamlSource>& sources);
CookiePolicy load_cookie_policy(const std::vector<YamlSource>& sources);
SubprocessorRegistry load_subprocessors(const std::vector<YamlSource>& sources);
TransferLists load_transfers(const std::vector<YamlSource>& sources);

std::vector<YamlSource> read_yaml_sources(const std::vector<std::filesystem::path>& paths);

// The `format` key of `parent` (a date column of the data map, a retention rule): one of
// date_format_names(); nullopt when absent.
std::optional<DateFormat> load_date_format(const YamlDoc& doc, const YamlNode& parent);

// The policy files of `kinds` the configuration names, loaded (the files of other kinds are
// not read). A kind the configuration does not name, or that is not in `kinds`, stays
// empty, with `has_*` false.
Policy load_policy(const Config& config, PolicyKinds kinds);

// The folder of the shipped `policies/` set (`shipped:NAME` in a configuration, the default
// transfer lists): $TELCOMPLY_POLICIES, else PREFIX/share/telcomply/policies beside the
// running binary's PREFIX/bin, else the source tree's (a binary run from its build).
std::filesystem::path shipped_policies_dir();

// The shipped transfer lists (policies/transfers.yaml) when installed, else nothing: what a
// configuration that names no transfer lists uses.
std::vector<std::filesystem::path> shipped_transfer_lists();

}  // namespace telcomply
