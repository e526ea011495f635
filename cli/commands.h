// The subcommands of telcomply. Adding one: a library part in lib/ with its tests, a
// cmd_<name>.cpp here that only wires options to it, an entry in kCommands (main.cpp),
// a man page man/telcomply-<name>.1, and an end-to-end test (see CONTRIBUTING.md).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/output_file.h"
#include "policy/policy.h"

namespace telcomply::cli {

// Global options and the lazily loaded configuration, shared by every subcommand.
class Globals {
 public:
  std::string config_option;  // --config
  std::string db_option;      // --db

  // The configuration file: --config, else $TELCOMPLY_CONFIG, else ./telcomply.yaml, else
  // /etc/telcomply/telcomply.yaml (find_config); nullopt when there is none.
  std::optional<std::filesystem::path> config_path() const;
  // The configuration at config_path(); --db overrides its database. Loaded once.
  const Config& config();
  // The policy files of `kinds` the configuration names (the files of other kinds are not
  // read), loaded once and checked for consistency among themselves. A later call that asks
  // for more kinds loads them too.
  const Policy& policy(PolicyKinds kinds);
  // The database path: --db, else the configuration's; invalid input when neither is set.
  std::filesystem::path database();
  // The files this run reads or appends to, which no output may replace: `files` (input files
  // named on the command line; empty ones are skipped), --db, and, once loaded, the
  // configuration and every file it names (policy files, database, audit log) and the
  // retention policy's pseudonym key file.
  std::vector<ProtectedFile> inputs(const std::vector<std::string>& files = {}) const;

 private:
  std::optional<Config> config_;
  std::optional<Policy> policy_;
  PolicyKinds policy_kinds_;  // what policy_ was loaded for
};

// Each subcommand registers itself on `app`; its callback stores the exit status in
// `status`. Errors are thrown as telcomply::Error and handled in main.
using Register = void (*)(CLI::App& app, Globals& globals, Exit& status);

void register_export(CLI::App& app, Globals& globals, Exit& status);
void register_scrub(CLI::App& app, Globals& globals, Exit& status);
void register_cookies(CLI::App& app, Globals& globals, Exit& status);
void register_subprocessors(CLI::App& app, Globals& globals, Exit& status);
void register_lint(CLI::App& app, Globals& globals, Exit& status);
void register_register(CLI::App& app, Globals& globals, Exit& status);

// For subcommands not built yet: a callback that says so and exits 2.
[[noreturn]] void not_built_yet(const std::string& name);

}  // namespace telcomply::cli
