// telcomply export: the access and portability package for one customer (GDPR art. 15, 20).

#include <algorithm>
#include <thread>

#include "commands.h"
#include "core/phone.h"
#include "export/export.h"
#include "io/audit.h"
#include "io/output_file.h"
#include "progress.h"

namespace telcomply::cli {

void register_export(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd = app.add_subcommand(
      "export", "Write the access and portability package (GDPR art. 15 and 20) of one customer");
  help_footer(cmd, "telcomply-export",
              {"telcomply export --customer C-0001 -o C-0001.json --ticket REQ-1",
               "telcomply export --email jan@example.nl --format html --lang nl -o jan.html",
               "telcomply --db postgresql://export@db/crm export --phone 0612345678"});
  struct Options {
    std::string customer, email, phone, kvk;
    std::string output = "-";
    std::string format = "json";
    bool force = false;
    bool unmask = false;
    std::string ticket;
    std::string operator_name;
    std::string lang;
  };
  auto options = std::make_shared<Options>();
  CLI::Option_group* subject = cmd->add_option_group("subject", "Find the customer by one of");
  CLI::Option* customer =
      subject->add_option("--customer", options->customer, "Customer number, e.g. C-0001")
          ->type_name("NUMBER");
  CLI::Option* email =
      subject->add_option("--email", options->email, "Email address")->type_name("ADDRESS");
  CLI::Option* phone =
      subject
          ->add_option("--phone", options->phone,
                       "Phone number in any common notation (020-1234567, +31 20 123 4567, "
                       "0031201234567)")
          ->type_name("NUMBER");
  subject->add_option("--kvk", options->kvk, "KvK (Chamber of Commerce) number")
      ->type_name("NUMBER");
  subject->require_option(1);
  cmd->add_option("-o,--output", options->output, "Output file (default: standard output)")
      ->type_name("FILE");
  add_format_option(cmd, options->format, "Package format", {"json", "html"});
  cmd->add_flag("--force", options->force, "Replace an existing output file");
  cmd->add_flag("--unmask", options->unmask,
                "Include other people's data (e.g. numbers called) in full; recorded in the "
                "audit log");
  cmd->add_option("--ticket", options->ticket, "Reference of the request, for the audit log")
      ->type_name("REF");
  cmd->add_option("--operator", options->operator_name,
                  "Who handles the request, for the audit log (default: the login name)")
      ->type_name("NAME");
  add_lang_option(cmd, options->lang);

  cmd->callback([&globals, &status, options, customer, email, phone] {
    SubjectQuery query;
    if (customer->count() > 0) {
      query = {IdentifierKind::customer_number, options->customer};
    } else if (email->count() > 0) {
      query = {IdentifierKind::email, options->email};
    } else if (phone->count() > 0) {
      query = {IdentifierKind::phone, options->phone};
    } else {
      query = {IdentifierKind::kvk, options->kvk};
    }
    ExportOptions export_options;
    export_options.format = parse_export_format(options->format);
    export_options.unmask = options->unmask;
    export_options.language = chosen_language(globals, options->lang);
    const Policy& policy = globals.policy(PolicyKind::data_map | PolicyKind::retention |
                                          PolicyKind::subprocessors | PolicyKind::transfers);
    query.phone_region = policy.config.phone_region;
    export_options.timezone = policy.config.timezone;
    export_options.templates = policy.config.templates;
    if (!policy.has_data_map)
      throw_invalid(
          located(policy.config.loc, "the configuration names no data map (policies: data_map)"));
    if (policy.config.audit_log.empty())
      throw_invalid(located(policy.config.loc,
                            "the configuration names no audit_log: every export is recorded"));
    // Other parties' numbers are masked with libphonenumber: its set-up runs on another core
    // while the database is opened and the export planned (joined when this scope ends).
    std::jthread phones;
    const bool masks = std::any_of(
        policy.data_map.tables.begin(), policy.data_map.tables.end(), [](const Table& t) {
          return std::any_of(t.columns.begin(), t.columns.end(),
                             [](const Column& c) { return c.other_party; });
        });
    if (masks && !export_options.unmask) phones = std::jthread(prepare_phone_numbers);

    const std::unique_ptr<Store> store =
        open_store(globals.database().string(), StoreOptions{OpenMode::read_only});
    // The data map against the real schema, once; a map that does not fit is refused with
    // its first fault (lint --db lists them all). Nothing is written when the customer is
    // not found.
    const ResolvedMap resolved = resolve_data_map(policy.data_map, nullptr, store->schema());
    const Subject found = find_subject(*store, resolved, query);

    export_options.progress = globals.progress();
    // The package goes to an unnamed temporary file (mode 0600). A file is linked into place
    // only after its audit record is written, so an export the audit trail does not show
    // never appears, and a file --force would replace stays as it was when the record
    // fails. Standard output, a device or a FIFO gets the package only once it is complete
    // (output.sync()), so that an export that fails while it reads (a damaged database)
    // delivers nothing; when the delivery is cut off (a reader that went away, a full disk),
    // the audit record says how many bytes went out.
    OutputFile output(options->output, options->force, globals.inputs());
    ExportResult result;
    try {
      result = write_export(*store, resolved, policy, found, export_options, output.stream());
      output.sync();
    } catch (...) {
      end_progress();
      if (output.delivered() > 0) {
        ExportResult cut;
        cut.customer_number = found.customer_number;
        cut.bytes = output.delivered();
        cut.interrupted = true;
        append_audit_record(
            policy.config.audit_log,
            export_audit_record(cut, export_options, options->operator_name, options->ticket));
      }
      output.check();  // the output's own failure and cause, before what it caused
      throw;
    }
    append_audit_record(
        policy.config.audit_log,
        export_audit_record(result, export_options, options->operator_name, options->ticket));
    output.commit();
    end_progress();
    for (const auto& warning : result.warnings) globals.warn(warning);
    if (!output.to_stdout()) {
      std::int64_t records = 0;
      for (const auto& [category, count] : result.counts) records += count;
      globals.note("exported " + std::to_string(records) + " records in " +
                   std::to_string(result.counts.size()) + " categories to " + options->output);
    }
    status = Exit::ok;
  });
}

}  // namespace telcomply::cli
