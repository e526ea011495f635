// The subcommands of telcomply. Adding one: a library part in lib/ with its tests, a
// cmd_<name>.cpp here that only wires options to it, an entry in kCommands (main.cpp),
// a man page man/telcomply-<name>.1, and an end-to-end test (see CONTRIBUTING.md).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/progress.h"
#include "io/output_file.h"
#include "policy/policy.h"
#include "report/findings.h"

namespace telcomply::cli {

// Global options and the lazily loaded configuration, shared by every subcommand.
class Globals {
 public:
  std::string config_option;  // --config
  std::string db_option;      // --db
  bool quiet = false;         // -q/--quiet: only errors (and findings) on success or failure
  bool verbose = false;       // -v/--verbose: also say which files are used

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
  // A warning on standard error ("telcomply: warning: " and the text made visible), unless
  // --quiet.
  void warn(const std::string& text) const;
  // A line on standard error that says what a command did, unless --quiet.
  void note(const std::string& text) const;
  // Progress on standard error when it is a terminal, unless --quiet (terminal_progress).
  ProgressSink progress() const;
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

// Runs a check (lint, cookies check, subprocessors check), writes its findings to standard
// output in `format` and returns its exit status (findings_status with `strict`). When the
// check cannot run because an input is invalid (a policy file that does not load), the
// machine formats (JSON, GitHub, JUnit, SARIF) still get a report carrying that error as one
// finding at its file:line:column, and the error then ends the command as usual (status 2).
// With --quiet the text report has no summary line.
Exit report_check(const Globals& globals, ReportFormat format, ReportContext context, bool strict,
                  const std::function<std::vector<Finding>()>& check);

// Options several commands share, with one placeholder and one wording everywhere; the man
// pages use the same placeholders (tests/e2e/man.sh compares them with --help).
// --format FORMAT: "`what`: a, b or c" listing `names`, with the default shown.
void add_format_option(CLI::App* cmd, std::string& format, const std::string& what,
                       std::initializer_list<const char*> names);
// -o,--output FILE, written with mode 0600 instead of standard output, and --force.
void add_output_option(CLI::App* cmd, std::string& output, bool& force);
// --lang LANG: en or nl, overriding the configuration's language.
void add_lang_option(CLI::App* cmd, std::string& lang);
// The language of what people read: --lang's when given, else the configuration's (English
// without a configuration). Throws Error(invalid) for a language telcomply does not know.
Language chosen_language(Globals& globals, const std::string& lang);
// The date an option such as --as-of gives (YYYY-MM-DD, nothing more); none when `text` is
// empty. Throws Error(invalid) naming `option` for anything else.
std::optional<Date> date_option(const char* option, const std::string& text);

// Ends the --help of `cmd` with `examples` (two or three command lines) and "See PAGE(1)."
void help_footer(CLI::App* cmd, const std::string& page,
                 std::initializer_list<const char*> examples);

// Each subcommand registers itself on `app`; its callback stores the exit status in
// `status`. Errors are thrown as telcomply::Error and handled in main.
using Register = void (*)(CLI::App& app, Globals& globals, Exit& status);

void register_export(CLI::App& app, Globals& globals, Exit& status);
void register_scrub(CLI::App& app, Globals& globals, Exit& status);
void register_cookies(CLI::App& app, Globals& globals, Exit& status);
void register_subprocessors(CLI::App& app, Globals& globals, Exit& status);
void register_lint(CLI::App& app, Globals& globals, Exit& status);
void register_register(CLI::App& app, Globals& globals, Exit& status);
void register_audit(CLI::App& app, Globals& globals, Exit& status);

}  // namespace telcomply::cli
