// telcomply lint [FILE...]: check policy files before they land.

#include "commands.h"
#include "lint/lint.h"

namespace telcomply::cli {

void register_lint(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd = app.add_subcommand(
      "lint", "Check policy files: their schema, their cross-references and, with --db, the database");
  help_footer(cmd, "telcomply-lint",
              {"telcomply lint", "telcomply lint --db voipgrow.db --format sarif > lint.sarif",
               "telcomply lint policies/retention.yaml"});
  struct Options {
    std::vector<std::string> files;
    std::string format = "text";
    bool strict = false;
  };
  auto options = std::make_shared<Options>();
  cmd->add_option("FILE", options->files,
                  "Policy files to check (default: every file the configuration names)")
      ->type_name("");
  add_format_option(cmd, options->format, "Output format",
                    {"text", "json", "github", "junit", "sarif"});
  cmd->add_flag("--strict", options->strict, "Warnings count as findings too (exit 1)");
  cmd->callback([&globals, &status, options] {
    const ReportFormat format = parse_report_format(
        options->format, {ReportFormat::text, ReportFormat::json, ReportFormat::github,
                          ReportFormat::junit, ReportFormat::sarif});
    status = report_check(globals, format, ReportContext{"telcomply lint", lint_rules()},
                          options->strict, [&globals, &options] {
                            std::optional<Config> config;
                            if (options->files.empty() || globals.config_path())
                              config = globals.config();
                            LintOptions lint_options;
                            for (const auto& file : options->files)
                              lint_options.files.emplace_back(file);
                            if (!globals.db_option.empty())
                              lint_options.database = globals.db_option;
                            return lint(config, lint_options);
                          });
  });
}

}  // namespace telcomply::cli
