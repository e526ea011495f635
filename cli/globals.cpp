#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "core/input.h"
#include "core/text.h"
#include "lint/lint.h"
#include "policy/load.h"
#include "progress.h"

namespace telcomply::cli {

std::optional<std::filesystem::path> Globals::config_path() const {
  return find_config(config_option);
}

const Config& Globals::config() {
  if (config_) return *config_;
  const auto path = config_path();
  if (!path)
    throw_invalid(
        "no configuration: give --config FILE, set TELCOMPLY_CONFIG, create ./telcomply.yaml "
        "or /etc/telcomply/telcomply.yaml");
  if (verbose) std::cerr << "telcomply: configuration " << visible(path->string()) << "\n";
  config_ = load_config_file(*path);
  if (!db_option.empty()) config_->database = db_option;
  return *config_;
}

const Policy& Globals::policy(PolicyKinds kinds) {
  if (!policy_ || !policy_kinds_.contains(kinds)) {
    const PolicyKinds wanted = policy_kinds_ | kinds;
    Policy loaded = load_policy(config(), wanted);
    ensure_consistent(loaded, wanted);
    // The pseudonym key file is read later, while scrub runs: a FIFO or device there must
    // not hang it (a missing file is scrub's to report, if it needs the key).
    std::error_code ec;
    if (const auto& key = loaded.retention.pseudonym_key.file;
        !key.empty() && std::filesystem::exists(key, ec))
      require_regular_file(key, "pseudonym key file");
    policy_ = std::move(loaded);
    policy_kinds_ = wanted;
  }
  return *policy_;
}

std::filesystem::path Globals::database() {
  if (!db_option.empty()) return db_option;
  const Config& c = config();
  if (c.database.empty())
    throw_invalid(located(c.loc, "no database: the configuration names none and --db is not given"));
  return c.database;
}

void Globals::warn(const std::string& text) const {
  if (!quiet) std::cerr << "telcomply: warning: " << visible(text) << "\n";
}

void Globals::note(const std::string& text) const {
  if (!quiet) std::cerr << visible(text) << "\n";
}

ProgressSink Globals::progress() const { return quiet ? ProgressSink{} : terminal_progress(); }

std::vector<ProtectedFile> Globals::inputs(const std::vector<std::string>& files) const {
  std::vector<ProtectedFile> out;
  for (const auto& file : files) out.push_back({"an input file", file});
  out.push_back({"the database", db_option});
  if (config_) {
    const Config& c = *config_;
    out.push_back({"the configuration", c.file});
    out.push_back({"the database", c.database});
    out.push_back({"the audit log", c.audit_log});
    out.push_back({"the erasure ledger", c.erasure_ledger});
    for (const auto* list : {&c.data_map, &c.retention, &c.cookies, &c.subprocessors, &c.transfers})
      for (const auto& file : *list) out.push_back({"a policy file", file});
  }
  if (policy_) out.push_back({"the pseudonym key file", policy_->retention.pseudonym_key.file});
  return out;
}

Exit report_check(const Globals& globals, ReportFormat format, ReportContext context, bool strict,
                  const std::function<std::vector<Finding>()>& check) {
  context.summary = !globals.quiet;
  std::vector<Finding> findings;
  try {
    findings = check();
  } catch (const Error& e) {
    if (e.status() != Exit::invalid || format == ReportFormat::text) throw;
    context.rules.push_back({kInvalidInputRule, "An input file that cannot be read or loaded"});
    write_findings(std::cout, {load_error_finding(e)}, format, context);
    throw;
  }
  write_findings(std::cout, findings, format, context);
  return findings_status(findings, strict);
}

void add_format_option(CLI::App* cmd, std::string& format, const std::string& what,
                       std::initializer_list<const char*> names) {
  std::string list;
  std::size_t i = 0;
  for (const char* name : names) {
    list += i == 0 ? "" : i + 1 == names.size() ? " or " : ", ";
    list += name;
    ++i;
  }
  cmd->add_option("--format", format, what + ": " + list)
      ->type_name("FORMAT")
      ->capture_default_str();
}

void add_output_option(CLI::App* cmd, std::string& output, bool& force) {
  cmd->add_option("-o,--output", output, "Write to FILE (mode 0600) instead of standard output")
      ->type_name("FILE");
  cmd->add_flag("--force", force, "Replace an existing output file");
}

void add_lang_option(CLI::App* cmd, std::string& lang) {
  cmd->add_option("--lang", lang, "Language: en or nl (default: the configuration's language)")
      ->type_name("LANG");
}

Language chosen_language(Globals& globals, const std::string& lang) {
  if (lang.empty()) return globals.config_path() ? globals.config().language : Language::en;
  if (auto language = parse_language(lang)) return *language;
  throw_invalid("--lang: unknown language '" + lang + "' (known: " + kLanguageNames + ")");
}

std::optional<Date> date_option(const char* option, const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::optional<Date> date = text.size() == 10 ? parse_date(text) : std::nullopt;
  if (!date) throw_invalid(std::string(option) + ": '" + text + "' is not a date (YYYY-MM-DD)");
  return date;
}

void help_footer(CLI::App* cmd, const std::string& page,
                 std::initializer_list<const char*> examples) {
  std::string text = "\nExamples:\n";
  for (const char* example : examples) text += std::string("  ") + example + "\n";
  cmd->footer(text + "\nSee " + page + "(1).");
}

}  // namespace telcomply::cli
