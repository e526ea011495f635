// telcomply audit verify|show: check the audit log's hash chain, find the record of a package
// handed out, and print the records readably.
#include <iostream>
#include <memory>

#include "commands.h"
#include "core/crypto.h"
#include "core/input.h"
#include "core/text.h"
#include "io/audit.h"

namespace telcomply::cli {

namespace {

struct Options {
  std::string log;
  std::string package;
  std::string command;
  std::string since;
  std::string until;
  std::string ticket;
  std::string format = "text";
  std::string lang;
};

void add_log(CLI::App* cmd, Options& o) {
  cmd->add_option("--log", o.log, "The audit log to read (default: the configuration's audit_log)")
      ->type_name("FILE");
}

// --log, else the configuration's audit_log.
std::filesystem::path log_path(Globals& globals, const Options& o) {
  std::filesystem::path log = o.log;
  if (log.empty()) {
    const Config& config = globals.config();
    if (config.audit_log.empty())
      throw_invalid(
          located(config.loc, "the configuration names no audit_log; name one with --log"));
    log = config.audit_log;
  }
  require_regular_file(log, "audit log");
  return log;
}

void register_verify(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = parent->add_subcommand(
      "verify", "Check the audit log's hash chain; with --package, find the export that made it");
  help_footer(
      cmd, "telcomply-audit",
      {"telcomply audit verify", "telcomply audit verify --log /var/log/telcomply/audit.jsonl",
       "telcomply audit verify --package C-0001.json"});
  add_log(cmd, *o);
  cmd->add_option("--package", o->package,
                  "An access export's package: find the export record naming its SHA-256")
      ->type_name("FILE");
  cmd->callback([&globals, &status, o] {
    const std::filesystem::path log = log_path(globals, *o);
    std::string sha;
    if (!o->package.empty()) {
      require_regular_file(o->package, "package");
      sha = sha256_file_hex(o->package);
    }
    const AuditChain chain = verify_audit_chain(log, sha);
    status = Exit::ok;
    if (chain.broken_line != 0) {
      std::cout << log.string() << ":" << chain.broken_line << ": broken link: " << chain.broken
                << "\n";
      status = Exit::findings;
    } else if (!globals.quiet) {
      std::cout << log.string() << ": " << chain.lines << " lines, chain intact";
      if (chain.chain_start > 1)
        std::cout << " from line " << chain.chain_start << " (lines 1-" << chain.chain_start - 1
                  << " predate the chain and are not protected by it)";
      else if (chain.chain_start == 0 && chain.lines > 0)
        std::cout << "; no line carries the chain yet (every line predates it)";
      std::cout << "\n";
      if (!chain.head.empty()) std::cout << "head " << chain.head << "\n";
    }
    if (o->package.empty()) return;
    if (chain.package_line == 0) {
      std::cout << o->package << ": SHA-256 " << sha << " is named by no delivered export in "
                << log.string() << "\n";
      status = Exit::findings;
      return;
    }
    const nlohmann::json& r = chain.package_record;
    std::cout << o->package << ": SHA-256 " << sha << " is named by " << log.string() << ":"
              << chain.package_line << " (export of "
              << visible(r.value("customer_number", nlohmann::json("?")).dump()) << " at "
              << visible(r.value("time", nlohmann::json("?")).dump()) << ", ticket "
              << visible(r.value("ticket", nlohmann::json(nullptr)).dump()) << ")\n";
  });
}

void register_show(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = parent->add_subcommand("show", "Print the audit log's records readably");
  help_footer(cmd, "telcomply-audit",
              {"telcomply audit show --command export --since 2026-01-01",
               "telcomply audit show --ticket REQ-2026-0042 --format json"});
  add_log(cmd, *o);
  cmd->add_option("--command", o->command, "Only records of this command (export, scrub)")
      ->type_name("NAME");
  cmd->add_option("--since", o->since, "Only records of this date or later, YYYY-MM-DD (UTC)")
      ->type_name("DATE");
  cmd->add_option("--until", o->until, "Only records of this date or earlier, YYYY-MM-DD (UTC)")
      ->type_name("DATE");
  cmd->add_option("--ticket", o->ticket, "Only records of this ticket (request reference)")
      ->type_name("REF");
  add_format_option(cmd, o->format, "Output format", {"text", "json"});
  add_lang_option(cmd, o->lang);
  cmd->callback([&globals, &status, o] {
    if (o->format != "text" && o->format != "json")
      throw_invalid("--format: '" + o->format + "' is not one of text, json");
    const Language language = chosen_language(globals, o->lang);
    AuditFilter filter;
    filter.command = o->command;
    filter.ticket = o->ticket;
    if (date_option("--since", o->since)) filter.since = o->since;
    if (date_option("--until", o->until)) filter.until = o->until;
    const std::filesystem::path log = log_path(globals, *o);
    const std::vector<nlohmann::json> records = audit_records(log, filter);
    if (o->format == "json") {
      std::cout << nlohmann::json(records).dump(2, ' ', false,
                                                nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      write_audit_text(std::cout, records, language);
    }
    status = Exit::ok;
  });
}

}  // namespace

void register_audit(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd =
      app.add_subcommand("audit", "Check the audit log's hash chain and print its records");
  help_footer(cmd, "telcomply-audit",
              {"telcomply audit verify", "telcomply audit verify --package C-0001.json",
               "telcomply audit show --command scrub --since 2026-11-01"});
  cmd->require_subcommand(1);
  register_verify(cmd, globals, status);
  register_show(cmd, globals, status);
}

}  // namespace telcomply::cli
