// telcomply scrub: delete or anonymise what retention no longer allows; erasure requests.

#include <iostream>

#include "commands.h"
#include "core/input.h"
#include "io/output_file.h"
#include "progress.h"
#include "scrub/scrub.h"

namespace telcomply::cli {

void register_scrub(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd = app.add_subcommand(
      "scrub",
      "Delete or anonymise data past its retention (dry run unless --apply), or erase one "
      "customer's data (--customer)");
  help_footer(cmd, "telcomply-scrub",
              {"telcomply scrub", "telcomply scrub --apply --report scrub.json",
               "telcomply scrub --apply --customer C-0001 --operator alice",
               "telcomply scrub --replay --since 2026-11-01 --apply"});
  struct Options {
    bool apply = false;
    std::string as_of;
    std::string customer;
    bool replay = false;
    std::string since;
    std::string report;
    bool force = false;
    std::string format = "text";
    bool allow_mass_delete = false;
    std::string key_file;
    std::string operator_name;
    std::int64_t batch_size = 0;
    int busy_timeout = -1;  // not given
    bool no_vacuum = false;
    bool rebuild = false;
  };
  auto options = std::make_shared<Options>();
  cmd->add_flag("--apply", options->apply,
                "Carry the plan out (default: a dry run that changes nothing)");
  cmd->add_option("--as-of", options->as_of,
                  "Count retention up to this date, YYYY-MM-DD (default: today)")
      ->type_name("DATE");
  cmd->add_option("--customer", options->customer,
                  "Erasure request (GDPR art. 17): everything of this customer number that no "
                  "statutory retention still requires")
      ->type_name("NUMBER");
  CLI::Option* replay =
      cmd->add_flag("--replay", options->replay,
                    "After a restore from a backup: erase again every customer the erasure "
                    "ledger names, then run the retention rules")
          ->excludes("--customer");
  cmd->add_option("--since", options->since,
                  "With --replay: only erasures recorded on or after this date, YYYY-MM-DD")
      ->type_name("DATE")
      ->needs(replay);
  cmd->add_option("--report", options->report, "Also write the outcome as JSON to this file")
      ->type_name("FILE");
  cmd->add_flag("--force", options->force, "Replace an existing report file");
  add_format_option(cmd, options->format, "Output format", {"text", "json"});
  cmd->add_flag("--allow-mass-delete", options->allow_mass_delete,
                "Allow a plan that changes more than the policy's mass_delete_limit of a table");
  cmd->add_option("--key-file", options->key_file,
                  "File holding the pseudonym key (overrides the policy's pseudonym_key)")
      ->type_name("FILE");
  cmd->add_option("--operator", options->operator_name,
                  "Who runs the scrub, for the audit log (default: the login name)")
      ->type_name("NAME");
  cmd->add_option("--batch-size", options->batch_size,
                  "Rows changed per transaction, about (default: a quarter of what a table "
                  "loses, at least 100000)")
      ->type_name("N")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40).description(""));
  cmd->add_option("--busy-timeout", options->busy_timeout,
                  "Seconds to wait while another process keeps the database locked (default: "
                  "120 with --apply, 10 for a dry run; at most 86400)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0, 86400).description(""));
  cmd->add_flag("--no-vacuum", options->no_vacuum,
                "PostgreSQL: do not VACUUM the changed tables after --apply (for operators who "
                "schedule VACUUM themselves)");
  cmd->add_flag("--rebuild", options->rebuild,
                "MariaDB: rebuild the changed tables after --apply (ALTER TABLE ... FORCE), so "
                "that deleted rows leave the table files");

  cmd->callback([&globals, &status, options] {
    if (options->format != "text" && options->format != "json") {
      throw_invalid("--format: '" + options->format + "' is not one of text, json");
    }
    ScrubOptions so;
    if (const std::optional<Date> as_of = date_option("--as-of", options->as_of)) so.as_of = *as_of;
    const std::optional<Date> since = date_option("--since", options->since);
    so.apply = options->apply;
    so.vacuum = !options->no_vacuum;
    so.rebuild = options->rebuild;
    so.allow_mass_delete = options->allow_mass_delete;
    so.customer = options->customer;
    so.key_file = options->key_file;
    if (!so.key_file.empty()) require_regular_file(so.key_file, "pseudonym key file");
    so.operator_name = options->operator_name;
    so.batch_rows = options->batch_size;
    // Unless given: two minutes for an applied run, ten seconds for a dry run (as export).
    int wait_s = options->apply ? 120 : 10;
    if (options->busy_timeout >= 0) wait_s = options->busy_timeout;
    so.busy_wait_ms = wait_s * 1000;
    const Policy& policy = globals.policy(PolicyKind::data_map | PolicyKind::retention);
    if (!policy.has_data_map) throw_invalid("the configuration names no data map");
    if (!policy.has_retention) throw_invalid("the configuration names no retention policy");
    so.audit_log = policy.config.audit_log;
    so.ledger = policy.config.erasure_ledger;
    if (so.apply && so.audit_log.empty())
      throw_invalid(
          located(policy.config.loc,
                  "the configuration names no audit_log: every applied scrub is recorded"));
    so.progress = globals.progress();
    // The report file is checked before anything changes.
    std::optional<OutputFile> report;
    if (!options->report.empty())
      report.emplace(options->report, options->force, globals.inputs({options->key_file}));

    if (options->replay && so.ledger.empty())
      throw_invalid(located(policy.config.loc,
                            "the configuration names no erasure_ledger (nor an audit_log beside "
                            "which it lies): --replay reads it"));
    nlohmann::json json;
    bool refused = false;
    double max_share = 0;
    if (options->replay) {
      const ReplayResult result = replay_ledger(globals.database().string(), policy.retention,
                                                policy.data_map, so, so.ledger, since);
      end_progress();
      for (const std::string& w : result.warnings) globals.warn(w);
      for (const ScrubResult& e : result.erasures)
        for (const std::string& w : e.warnings) globals.warn(w);
      for (const std::string& w : result.retention.warnings) globals.warn(w);
      json = replay_to_json(result);
      refused = result.retention.refused;
      max_share = result.retention.max_share;
      if (options->format == "text" && (!globals.quiet || refused))
        write_replay_text(std::cout, result);
      status = replay_status(result);
    } else {
      const ScrubResult result =
          scrub_database(globals.database().string(), policy.retention, policy.data_map, so);
      end_progress();
      for (const std::string& w : result.warnings) globals.warn(w);
      json = scrub_to_json(result);
      refused = result.refused;
      max_share = result.max_share;
      if (options->format == "text" && (!globals.quiet || refused))
        write_scrub_text(std::cout, result);
      status = scrub_status(result);
    }
    const std::string text = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    if (options->format == "json") std::cout << text << "\n";
    if (report) {
      report->stream() << text << "\n";
      report->commit();
    }
    if (refused) {
      std::cerr << "telcomply: error: the plan changes more than "
                << static_cast<int>(max_share * 100)
                << "% of a table; nothing changed (check the rules or pass --allow-mass-delete)\n";
    }
  });
}

}  // namespace telcomply::cli
