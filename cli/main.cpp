// telcomply: GDPR (AVG) compliance toolkit for telecom operators.
// Parses the command line, dispatches to a subcommand, and maps every error to one line on
// standard error and the documented exit status.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "core/text.h"

namespace {

using telcomply::Exit;
using namespace telcomply::cli;

constexpr Register kCommands[] = {
    register_export, register_scrub, register_cookies, register_subprocessors, register_lint,
};

int run(int argc, char** argv) {
  CLI::App app{"telcomply: keep an operator's privacy promises from the command line", "telcomply"};
  app.set_version_flag("--version", std::string("telcomply ") + TELCOMPLY_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand

  Globals globals;
  Exit status = Exit::ok;
  app.add_option("--config", globals.config_option,
                 "Configuration file (default: ./telcomply.yaml, then $TELCOMPLY_CONFIG)");
  app.add_option("--db", globals.db_option, "SQLite database, overriding the configuration's");
  for (Register add : kCommands) add(app, globals, status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "telcomply: error: " << telcomply::visible(e.what()) << "\n";
    std::cerr << "Run 'telcomply --help' for usage.\n";
    return static_cast<int>(Exit::invalid);
  }
  return static_cast<int>(status);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const telcomply::Error& e) {
    std::cerr << "telcomply: error: " << telcomply::visible(e.what()) << "\n";
    return static_cast<int>(e.status());
  } catch (const std::bad_alloc&) {
    std::cerr << "telcomply: error: out of memory\n";
    return static_cast<int>(Exit::operational);
  } catch (const std::exception& e) {
    std::cerr << "telcomply: error: " << telcomply::visible(e.what()) << "\n";
    return static_cast<int>(Exit::operational);
  }
}
