// telcomply export: not built yet.
#include "commands.h"

namespace telcomply::cli {

void register_export(CLI::App& app, Globals& /*globals*/, Exit& /*status*/) {
  CLI::App* cmd = app.add_subcommand("export", "Not built yet");
  cmd->allow_extras();
  cmd->callback([] { not_built_yet("export"); });
}

}  // namespace telcomply::cli
