// telcomply register: the records of processing (GDPR art. 30) from the policy files.
#include "commands.h"
#include "register/register.h"

namespace telcomply::cli {

void register_register(CLI::App& app, Globals& globals, Exit& status) {
  struct Options {
    std::string format = "md";
    std::string lang;
    std::string output;
    bool force = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "register", "Write the records of processing (GDPR art. 30) as controller and as processor");
  help_footer(cmd, "telcomply-register",
              {"telcomply register -o register.md",
               "telcomply register --format html --lang en -o register.html"});
  add_format_option(cmd, o->format, "Output format", {"md", "html", "csv", "json"});
  add_lang_option(cmd, o->lang);
  add_output_option(cmd, o->output, o->force);
  cmd->callback([&globals, &status, o] {
    const RegisterFormat format = parse_register_format(o->format);
    const Language language = chosen_language(globals, o->lang);
    const Policy& policy = globals.policy(PolicyKind::data_map | PolicyKind::retention |
                                          PolicyKind::subprocessors | PolicyKind::transfers);
    if (!policy.has_data_map)
      throw_invalid(located(policy.config.loc, "the configuration names no data map"));
    const telcomply::Register reg = build_register(policy, Date::today());
    OutputFile out(o->output.empty() ? "-" : o->output, o->force, globals.inputs());
    write_register(out.stream(), reg, format, language, policy.config.templates);
    out.commit();
    status = Exit::ok;
  });
}

}  // namespace telcomply::cli
