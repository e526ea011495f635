// telcomply subprocessors: not built yet.
#include "commands.h"

namespace telcomply::cli {

void register_subprocessors(CLI::App& app, Globals& /*globals*/, Exit& /*status*/) {
  CLI::App* cmd = app.add_subcommand("subprocessors", "Not built yet");
  cmd->allow_extras();
  cmd->callback([] { not_built_yet("subprocessors"); });
}

}  // namespace telcomply::cli
