// telcomply: GDPR (AVG) compliance toolkit for telecom operators.
// Parses the command line, dispatches to a subcommand, and maps every error to one line on
// standard error and the documented exit status.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "core/input.h"
#include "core/text.h"
#include "io/output_file.h"

namespace {

using telcomply::Exit;
using namespace telcomply::cli;

constexpr Register kCommands[] = {
    register_export, register_scrub,    register_cookies, register_subprocessors,
    register_lint,   register_register, register_audit,
};

// Descriptors 0, 1 and 2 left closed by the caller get /dev/null, so that no file the command
// opens takes their number (output meant for the terminal would land in the database).
// Standard output gets it read-only: every write to it fails, and the command with it.
void keep_standard_descriptors_open() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null = ::open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
}

// Every argument is UTF-8: values reach JSON reports, audit records and queries, and are
// refused before anything happens rather than failing half-way. The value is never repeated.
void require_utf8_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!telcomply::first_invalid_utf8(argv[i])) continue;
    std::string message = "argument " + std::to_string(i);
    if (i > 1 && argv[i - 1][0] == '-') message += std::string(" (after ") + argv[i - 1] + ")";
    throw telcomply::Error(Exit::invalid, message + " is not valid UTF-8");
  }
}

// "telcomply cookies check" for that command's App.
std::string command_path(const CLI::App* command) {
  std::string path = command->get_name();
  for (const CLI::App* up = command->get_parent(); up; up = up->get_parent())
    path = up->get_name() + " " + path;
  return path;
}

// A command line CLI11 refused, as one line: an unknown command or option gets "did you
// mean" for the closest one the command has (its own options and its parents'), and every
// message points at the help of the command it was given to.
std::string usage_error(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
  const std::string help = " (see '" + command_path(at) + " --help')";
  std::vector<std::string> extras = app.remaining();
  if (extras.empty()) extras = at->remaining();
  if (extras.empty()) {
    std::string message = e.what();
    if (!message.empty()) message[0] = static_cast<char>(std::tolower(message[0]));
    return message + help;
  }
  // Option groups (export's subject) are nameless subcommands: their options are the
  // command's, and they are no command to suggest.
  std::vector<std::string> options, commands;
  auto add_options = [&options](const CLI::App* from) {
    for (const CLI::Option* option : from->get_options()) {
      for (const auto& name : option->get_lnames()) options.push_back("--" + name);
      for (const auto& name : option->get_snames()) options.push_back("-" + name);
    }
  };
  for (const CLI::App* up = at; up; up = up->get_parent()) {
    add_options(up);
    for (const CLI::App* sub : up->get_subcommands({}))
      if (sub->get_name().empty()) add_options(sub);
  }
  for (const CLI::App* sub : at->get_subcommands({}))
    if (!sub->get_name().empty()) commands.push_back(sub->get_name());

  const std::string& word = extras.front();
  const bool option = word.starts_with('-');
  if (!option && commands.empty()) return "unexpected argument '" + word + "'" + help;
  const std::string name = option ? word.substr(0, word.find('=')) : word;
  std::string message = (option ? "unknown option '" : "unknown command '") + name + "'";
  if (auto hint = telcomply::closest_match(name, option ? options : commands))
    message += "; did you mean '" + *hint + "'?";
  return message + help;
}

int run(int argc, char** argv) {
  require_utf8_arguments(argc, argv);
  CLI::App app{"telcomply: keep an operator's privacy promises from the command line", "telcomply"};
  app.set_version_flag("--version", std::string("telcomply ") + TELCOMPLY_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();  // global options may follow the subcommand

  Globals globals;
  Exit status = Exit::ok;
  app.add_option("--config", globals.config_option,
                 "Configuration file (default: $TELCOMPLY_CONFIG, then ./telcomply.yaml, then "
                 "/etc/telcomply/telcomply.yaml)")
      ->type_name("FILE");
  app.add_option("--db", globals.db_option,
                 "Database: an SQLite file, or a PostgreSQL URL or service= name (overrides "
                 "the configuration's)")
      ->type_name("LOCATION");
  CLI::Option* quiet = app.add_flag(
      "-q,--quiet", globals.quiet, "Print only errors and findings: nothing on success (for cron)");
  app.add_flag("-v,--verbose", globals.verbose, "Also say which configuration file is used")
      ->excludes(quiet);
  bool print_config_path = false;
  CLI::Option* print_config =
      app.add_flag("--print-config-path", print_config_path,
                   "Print the configuration file that would be used, and exit");
  for (Register add : kCommands) add(app, globals, status);
  for (CLI::App* command : app.get_subcommands({})) command->excludes(print_config);
  help_footer(&app, "telcomply",
              {"telcomply --config examples/telcomply.yaml lint --db voipgrow.db",
               "telcomply export --customer C-0001 -o C-0001.json",
               "telcomply -q scrub --apply --report scrub.json"});

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw telcomply::Error(Exit::invalid, usage_error(app, e));
  }
  if (print_config_path) {
    const auto path = globals.config_path();
    if (!path) globals.config();  // throws: no configuration, and where it was looked for
    std::cout << path->string() << "\n";
    return static_cast<int>(Exit::ok);
  }
  if (app.get_subcommands().empty())
    throw telcomply::Error(Exit::invalid, "no command given; run 'telcomply --help' for the list");
  return static_cast<int>(status);
}

}  // namespace

int main(int argc, char** argv) {
  // A reader that goes away is a write error (EPIPE) to report, not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
  keep_standard_descriptors_open();
  std::cout.rdbuf(&telcomply::standard_output());
  try {
    const int status = run(argc, argv);
    // What standard output holds is written out before the exit status is decided: a closed
    // pipe, a full disk or a closed descriptor fails the command (exit 4), whatever it did.
    std::cout.flush();
    telcomply::check_standard_output();
    return status;
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
