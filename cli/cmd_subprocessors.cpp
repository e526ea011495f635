// telcomply subprocessors list|check|diff: the published sub-processor list, the transfer
// check, and the change notice for partners.
#include <memory>

#include "policy/load.h"
#include "commands.h"
#include "io/output_file.h"
#include "subprocessors/subprocessors.h"
#include "io/git.h"

namespace telcomply::cli {

namespace {

struct Options {
  std::vector<std::string> files;
  std::string format;
  std::string service;
  std::string output;
  std::string transfers;
  std::string date;
  std::string git;
  std::string lang;
  bool force = false;
  bool all = false;
  bool strict = false;
};

// The configuration when one is named or found; with files given, none is needed.
RegistryInputs inputs(Globals& globals, const Options& o, bool files_are_registries) {
  RegistryInputs in;
  const bool files_given = files_are_registries && !o.files.empty();
  if (!files_given || globals.config_path()) in.config = globals.config();
  if (files_are_registries)
    for (const auto& f : o.files) in.files.emplace_back(f);
  in.transfers = o.transfers;
  return in;
}

void add_service(CLI::App* cmd, Options& o, const char* what) {
  cmd->add_option("--service", o.service, what)->type_name("NAME");
}

void register_list(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  o->format = "md";
  CLI::App* cmd = parent->add_subcommand("list", "Write the published sub-processor list");
  help_footer(cmd, "telcomply-subprocessors",
              {"telcomply subprocessors list -o subprocessors.md",
               "telcomply subprocessors list --format html --service hosting -o hosting.html",
               "telcomply subprocessors list --format html --lang nl -o subverwerkers.html"});
  cmd->add_option("FILE", o->files, "Registry files (default: the configuration's)")->type_name("");
  add_format_option(cmd, o->format, "Output format", {"md", "html", "csv", "json"});
  add_service(cmd, *o, "Only what the service (reseller, product) NAME uses");
  cmd->add_flag("--all", o->all, "Include removed sub-processors");
  cmd->add_option("--date", o->date, "The date the list is stated as current on (default: today)")
      ->type_name("DATE");
  add_lang_option(cmd, o->lang);
  add_output_option(cmd, o->output, o->force);
  cmd->callback([&globals, &status, o] {
    ListOptions options;
    options.format = parse_list_format(o->format);
    options.language = chosen_language(globals, o->lang);
    options.service = o->service;
    options.include_removed = o->all;
    options.as_of = date_option("--date", o->date).value_or(Date::today());
    const RegistryInputs in = inputs(globals, *o, true);
    const LoadedRegistry loaded = load_registry(in);
    if (in.config) {
      options.organisation = &in.config->organisation;
      options.templates = in.config->templates;
    }
    if (loaded.data_map) options.data_map = &*loaded.data_map;
    if (loaded.transfers) options.transfers = &*loaded.transfers;
    OutputFile out(o->output.empty() ? "-" : o->output, o->force, globals.inputs(o->files));
    write_subprocessor_list(out.stream(), loaded.registry, options);
    out.commit();
    status = Exit::ok;
  });
}

void register_check(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  o->format = "text";
  CLI::App* cmd = parent->add_subcommand(
      "check", "Check transfers, adequacy claims, references, notice periods and completeness");
  help_footer(cmd, "telcomply-subprocessors",
              {"telcomply subprocessors check",
               "telcomply subprocessors check --format github policies/subprocessors.yaml"});
  cmd->add_option("FILE", o->files, "Registry files (default: the configuration's)")->type_name("");
  add_format_option(cmd, o->format, "Output format", {"text", "json", "junit", "github", "sarif"});
  cmd->add_option("--transfers", o->transfers,
                  "Transfer list (EEA and adequacy) to check against (default: the "
                  "configuration's, else the shipped policies/transfers.yaml)")
      ->type_name("FILE");
  cmd->add_option("--date", o->date,
                  "Check adequacy decisions and statuses as of this date (default: today)")
      ->type_name("DATE");
  cmd->add_flag("--strict", o->strict, "Warnings count as findings too (exit 1)");
  cmd->callback([&globals, &status, o] {
    const ReportFormat format =
        parse_report_format(o->format, {ReportFormat::text, ReportFormat::json, ReportFormat::junit,
                                        ReportFormat::github, ReportFormat::sarif});
    CheckOptions options;
    options.as_of = date_option("--date", o->date).value_or(Date::today());
    status = report_check(
        globals, format, ReportContext{"telcomply subprocessors check", subprocessor_rules()},
        o->strict, [&globals, &o, &options] {
          const LoadedRegistry loaded = load_registry(inputs(globals, *o, true));
          if (loaded.data_map) options.data_map = &*loaded.data_map;
          return check_subprocessors(loaded.registry, loaded.transfers.value_or(TransferLists{}),
                                     options);
        });
  });
}

void register_diff(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  o->format = "md";
  CLI::App* cmd = parent->add_subcommand(
      "diff", "Compare two versions of the registry and write the change notice for partners");
  help_footer(
      cmd, "telcomply-subprocessors",
      {"telcomply subprocessors diff old.yaml new.yaml -o notice.md",
       "telcomply subprocessors diff --git v1.4 --format html --lang nl -o wijzigingen.html"});
  cmd->add_option("FILE", o->files,
                  "OLD NEW registry files; with --git, the registry files (default: the "
                  "configuration's)")
      ->type_name("");
  cmd->add_option("--git", o->git,
                  "Compare the registry as committed at git revision REV with the file as it "
                  "is now")
      ->type_name("REV");
  add_format_option(cmd, o->format, "Output format", {"md", "html", "json"});
  add_service(cmd, *o, "Only changes to what the service (reseller, product) NAME uses");
  cmd->add_option("--date", o->date,
                  "The notice date: changes without dates of their own are announced on it "
                  "(default: today)")
      ->type_name("DATE");
  add_lang_option(cmd, o->lang);
  add_output_option(cmd, o->output, o->force);
  cmd->callback([&globals, &status, o] {
    NoticeOptions notice_options;
    notice_options.format = parse_notice_format(o->format);
    notice_options.language = chosen_language(globals, o->lang);
    DiffOptions options;
    options.language = notice_options.language;
    options.notice_date = date_option("--date", o->date).value_or(Date::today());
    options.service = o->service;
    std::optional<Config> config;
    SubprocessorRegistry before, after;
    if (!o->git.empty()) {
      const RegistryInputs in = inputs(globals, *o, true);
      config = in.config;
      std::vector<YamlSource> old_sources;
      for (const auto& file : registry_files(in))
        old_sources.push_back(read_yaml_at_revision(file, o->git));
      before = load_subprocessors(old_sources);
      after = load_subprocessors(read_yaml_sources(registry_files(in)));
    } else {
      if (o->files.size() != 2)
        throw_invalid("diff needs two registry files, OLD and NEW, or --git REV");
      if (globals.config_path()) config = globals.config();
      before = load_subprocessors({read_yaml_source(o->files[0])});
      after = load_subprocessors({read_yaml_source(o->files[1])});
    }
    const ChangeNotice notice = diff_subprocessors(before, after, options);
    OutputFile out(o->output.empty() ? "-" : o->output, o->force, globals.inputs(o->files));
    if (config) {
      notice_options.organisation = &config->organisation;
      notice_options.templates = config->templates;
    }
    write_change_notice(out.stream(), notice, notice_options);
    out.commit();
    for (const Change& c : notice.changes)
      if (c.short_notice)
        globals.warn(c.id + " (" + to_string(c.kind) + ") takes effect on " + c.effective.iso() +
                     ", before the notice period of " + notice.notice_period.str() + " has run");
    status = Exit::ok;
  });
}

}  // namespace

void register_subprocessors(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd = app.add_subcommand(
      "subprocessors", "The sub-processor list, its transfer check and change notices");
  help_footer(cmd, "telcomply-subprocessors",
              {"telcomply subprocessors list -o subprocessors.md",
               "telcomply subprocessors check --format junit > subprocessors.xml"});
  cmd->require_subcommand(1);
  register_list(cmd, globals, status);
  register_check(cmd, globals, status);
  register_diff(cmd, globals, status);
}

}  // namespace telcomply::cli
