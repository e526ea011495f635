// telcomply export: the access and portability package for one customer (GDPR art. 15, 20).
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "export/export.h"

namespace telcomply::cli {

void register_export(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd = app.add_subcommand(
      "export", "Write the access and portability package (GDPR art. 15 and 20) of one customer");
  struct Options {
    std::string customer, email, phone, kvk;
    std::string output = "-";
    std::string format = "json";
    bool force = false;
    bool unmask = false;
    std::string ticket;
    std::string operator_name;
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
  cmd->add_option("--format", options->format, "Package format: json or html")
      ->type_name("FORMAT")
      ->capture_default_str();
  cmd->add_flag("--force", options->force, "Replace an existing output file");
  cmd->add_flag("--unmask", options->unmask,
                "Include other people's data (e.g. numbers called) in full; recorded in the "
                "audit log");
  cmd->add_option("--ticket", options->ticket, "Reference of the request, for the audit log")
      ->type_name("REF");
  cmd->add_option("--operator", options->operator_name,
                  "Who handles the request, for the audit log (default: $USER)")
      ->type_name("NAME");

  cmd->callback([&globals, &status, options, customer, email, phone] {
    ExportRequest request;
    if (customer->count() > 0) {
      request.query = {IdentifierKind::customer_number, options->customer};
    } else if (email->count() > 0) {
      request.query = {IdentifierKind::email, options->email};
    } else if (phone->count() > 0) {
      request.query = {IdentifierKind::phone, options->phone};
    } else {
      request.query = {IdentifierKind::kvk, options->kvk};
    }
    request.options.format = parse_export_format(options->format);
    request.options.unmask = options->unmask;
    request.output = options->output;
    request.force = options->force;
    request.ticket = options->ticket;
    request.operator_name = options->operator_name;
    const Policy& policy = globals.policy(PolicyKind::data_map | PolicyKind::retention |
                                          PolicyKind::subprocessors | PolicyKind::transfers);
    request.database = globals.database();

    const bool show_progress = ::isatty(STDERR_FILENO) == 1;
    if (show_progress) {
      request.options.progress = [](const ExportProgress& p) {
        std::cerr << "\rexporting " << p.category << ": " << p.done << " of " << p.total
                  << " records\x1b[K" << std::flush;
      };
    }
    const ExportResult result = run_export(policy, request);
    if (show_progress) std::cerr << "\r\x1b[K";
    for (const auto& warning : result.warnings)
      std::cerr << "telcomply: warning: " << warning << "\n";
    if (request.output != "-") {
      std::int64_t records = 0;
      for (const auto& [category, count] : result.counts) records += count;
      std::cerr << "exported " << records << " records in " << result.counts.size()
                << " categories to " << request.output.string() << "\n";
    }
    status = Exit::ok;
  });
}

}  // namespace telcomply::cli
