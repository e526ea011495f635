// telcomply cookies: not built yet.
#include "commands.h"

namespace telcomply::cli {

void register_cookies(CLI::App& app, Globals& /*globals*/, Exit& /*status*/) {
  CLI::App* cmd = app.add_subcommand("cookies", "Not built yet");
  cmd->allow_extras();
  cmd->callback([] { not_built_yet("cookies"); });
}

}  // namespace telcomply::cli
