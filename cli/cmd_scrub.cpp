// telcomply scrub: not built yet.
#include "commands.h"

namespace telcomply::cli {

void register_scrub(CLI::App& app, Globals& /*globals*/, Exit& /*status*/) {
  CLI::App* cmd = app.add_subcommand("scrub", "Not built yet");
  cmd->allow_extras();
  cmd->callback([] { not_built_yet("scrub"); });
}

}  // namespace telcomply::cli
