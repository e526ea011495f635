// telcomply cookies check|scan|table: what a site really sets against the declared cookie
// policy, a scan of a site's Set-Cookie headers, and the table a privacy statement publishes.

#include <cstdlib>
#include <iostream>
#include <memory>

#include "commands.h"
#include "cookies/browser.h"
#include "cookies/cookies.h"
#include "cookies/scan.h"
#include "core/input.h"
#include "core/text.h"
#include "io/output_file.h"
#include "policy/load.h"
#include "progress.h"

namespace telcomply::cli {

namespace {

struct Options {
  std::vector<std::string> policy_files;
  std::vector<std::string> inputs;
  std::string format;
  std::string input_format = "auto";
  std::string captured_at;
  std::string output;
  std::string phase;
  std::string lang;
  bool fragment = false;
  std::vector<std::string> cookies;
  std::vector<std::string> resolve;
  bool browser = false;
  long idle_ms = 500, delay_ms = 1000, page_timeout = 30, scan_timeout = 600;
  bool strict = false;
  bool before_consent = false;
  bool force = false;
  int max_pages = 1;
  int max_redirects = 5;
  long timeout = 30;
  std::size_t max_body = 5u << 20;
};

void add_policy_option(CLI::App* cmd, Options& o) {
  cmd->add_option("--policy", o.policy_files,
                  "Cookie policy file (repeatable; default: the files the configuration names "
                  "under policies.cookies)")
      ->type_name("FILE");
}

CookiePolicy cookie_policy(Globals& globals, const Options& o) {
  std::vector<std::filesystem::path> files(o.policy_files.begin(), o.policy_files.end());
  if (files.empty()) {
    if (!globals.config_path())
      throw_invalid(
          "no cookie policy: give --policy FILE, or a configuration that names "
          "policies.cookies (--config FILE, ./telcomply.yaml or $TELCOMPLY_CONFIG)");
    files = globals.config().cookies;
    if (files.empty())
      throw_invalid(located(globals.config().loc,
                            "the configuration names no cookie policy (policies.cookies); give "
                            "--policy FILE"));
  }
  return load_cookie_policy(read_yaml_sources(files));
}

// A scan whose start pages failed (no answer, or 4xx/5xx) ends in status 4 naming the first,
// and writes no inventory: one without its start pages would pass the check unseen.
void report_failed_start_pages(const std::vector<std::string>& failed) {
  if (failed.empty()) return;
  throw_operational("start page " + visible(failed.front()) +
                    (failed.size() > 1
                         ? " (and " + std::to_string(failed.size() - 1) + " more failed)"
                         : std::string()));
}

void register_check(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  o->format = "text";
  CLI::App* cmd = parent->add_subcommand(
      "check",
      "Check cookie inventories (HAR, EDPS collector, cookies.txt, Playwright, "
      "gdpr-cookie-scanner, CSV, scan) against the declared cookie policy");
  help_footer(cmd, "telcomply-cookies",
              {"telcomply cookies check site.har",
               "telcomply cookies check --format junit --before-consent site.har > cookies.xml"});
  cmd->add_option("INVENTORY", o->inputs, "Inventory files; '-' reads standard input")
      ->type_name("")
      ->required();
  add_policy_option(cmd, *o);
  add_format_option(cmd, o->format, "Output format", {"text", "json", "junit", "sarif", "github"});
  cmd->add_option("--input-format", o->input_format,
                  "Inventory format: auto, har, edps, netscape, playwright, csv, scan or "
                  "gdpr-cookie-scanner")
      ->type_name("FORMAT")
      ->capture_default_str();
  cmd->add_flag("--before-consent", o->before_consent,
                "The inventories were captured before the visitor gave consent");
  cmd->add_option("--captured-at", o->captured_at,
                  "Capture time (ISO 8601) for inventories that record none (cookies.txt, "
                  "Playwright, CSV); default: the file's modification time")
      ->type_name("TIME");
  cmd->add_flag("--strict", o->strict, "Warnings count as findings too (exit 1)");
  cmd->callback([&globals, &status, o] {
    const ReportFormat format =
        parse_report_format(o->format, {ReportFormat::text, ReportFormat::json, ReportFormat::junit,
                                        ReportFormat::sarif, ReportFormat::github});
    InventoryOptions read_options;
    read_options.format = parse_inventory_format(o->input_format);
    if (!o->captured_at.empty()) {
      read_options.captured_at = parse_iso_time(o->captured_at);
      if (!read_options.captured_at)
        throw_invalid("--captured-at: '" + o->captured_at + "' is not an ISO 8601 time");
    }
    status = report_check(globals, format, ReportContext{"telcomply cookies check", cookie_rules()},
                          o->strict, [&globals, &o, &read_options] {
                            const CookiePolicy policy = cookie_policy(globals, *o);
                            std::vector<Inventory> inventories;
                            for (const auto& input : o->inputs) {
                              if (input != "-") require_regular_file(input, "inventory");
                              inventories.push_back(read_inventory_file(input, read_options));
                            }
                            CookieCheckOptions check_options;
                            check_options.before_consent = o->before_consent;
                            return check_cookies(policy, inventories, check_options);
                          });
  });
}

// `scan --browser`: the consent buttons come from the cookie policy when one is given or
// configured, else only the built-in ones are tried.
void browser_scan(Globals& globals, const Options& o, CLI::App* cmd, Exit& status) {
  for (const char* http_only :
       {"--cookie", "--phase", "--max-redirects", "--max-body", "--timeout"})
    if (cmd->count(http_only))
      throw_invalid(std::string(http_only) +
                    " applies to the HTTP scan only; --browser gives consent by clicking the "
                    "banner and times visits with --page-timeout");
  BrowserScanOptions options;
  options.urls = o.inputs;
  options.max_pages = o.max_pages;
  options.resolve = o.resolve;
  options.idle_ms = o.idle_ms;
  options.delay_ms = o.delay_ms;
  options.page_timeout_seconds = o.page_timeout;
  options.scan_timeout_seconds = o.scan_timeout;
  if (const char* chromium = std::getenv("TELCOMPLY_CHROMIUM"); chromium && *chromium)
    options.executable = chromium;
  const bool configured =
      !o.policy_files.empty() || (globals.config_path() && !globals.config().cookies.empty());
  if (configured) {
    const CookiePolicy policy = cookie_policy(globals, o);
    options.accept = policy.accept;
    options.refuse = policy.refuse;
  }
  OutputFile out(o.output.empty() ? "-" : o.output, o.force, globals.inputs(o.policy_files));
  const BrowserScanResult result = scan_with_browser(options, globals.progress());
  end_progress();
  std::vector<std::string> failed;  // start pages
  for (const auto& phase : result.phases)
    for (const auto& page : phase.pages)
      if (!page.error.empty() && page.start)
        failed.push_back(to_string(phase.phase) + std::string(": ") + page.url + ": " + page.error);
  report_failed_start_pages(failed);
  write_browser_scan(out.stream(), result);
  out.commit();
  for (const auto& phase : result.phases) {
    if (!phase.button_found)
      globals.warn(std::string(to_string(phase.phase)) +
                   ": no consent button found on the banner; the phase was not scanned");
    for (const auto& page : phase.pages)
      if (!page.error.empty() && !page.start) globals.warn(page.url + ": " + page.error);
  }
  status = Exit::ok;
}

void register_scan(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = parent->add_subcommand(
      "scan",
      "Fetch pages over HTTP(S) and record every Set-Cookie as an inventory for 'check'. "
      "Cookies set by JavaScript need a browser: --browser visits the pages with Chromium before "
      "consent, after accepting and after refusing");
  help_footer(cmd, "telcomply-cookies",
              {"telcomply cookies scan https://www.example.nl -o scan.json",
               "telcomply cookies scan --browser https://www.example.nl -o scan.json"});
  cmd->add_option("URL", o->inputs, "Start pages (http or https)")->type_name("")->required();
  add_output_option(cmd, o->output, o->force);
  cmd->add_option("--max-pages", o->max_pages, "Pages to fetch in all, following same-site links")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--max-redirects", o->max_redirects, "Redirects followed per page")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--timeout", o->timeout, "Seconds allowed per request")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd->add_option("--max-body", o->max_body, "Bytes of a page read for links; the rest is dropped")
      ->type_name("BYTES")
      ->capture_default_str();
  cmd->add_option("--cookie", o->cookies,
                  "Sent with every request, e.g. a consent cookie, to scan after consent "
                  "(repeatable)")
      ->type_name("NAME=VALUE");
  cmd->add_option("--phase", o->phase,
                  "Consent phase recorded: before-consent, consent-refused or consent-given "
                  "(default: before-consent without --cookie, else consent-given)")
      ->type_name("PHASE");
  cmd->add_flag("--browser", o->browser,
                "Visit the pages with Chromium (headless, a fresh profile per consent phase): "
                "cookies set by JavaScript, refused cookies, requests and web storage too");
  add_policy_option(cmd, *o);
  cmd->add_option("--resolve", o->resolve, "Reach HOST on PORT at ADDRESS (--browser; repeatable)")
      ->type_name("HOST:PORT:ADDRESS");
  cmd->add_option("--idle", o->idle_ms,
                  "Milliseconds without a request after which a page has settled (--browser)")
      ->type_name("MS")
      ->capture_default_str();
  cmd->add_option("--delay", o->delay_ms, "Milliseconds waited after a page settled (--browser)")
      ->type_name("MS")
      ->capture_default_str();
  cmd->add_option("--page-timeout", o->page_timeout,
                  "Seconds allowed per visit of a page, settling included (--browser)")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd->add_option("--scan-timeout", o->scan_timeout,
                  "Seconds allowed for the whole browser scan, all phases (--browser)")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd->callback([&globals, &status, o, cmd] {
    if (o->browser) return browser_scan(globals, *o, cmd, status);
    for (const char* only : {"--resolve", "--policy"})
      if (cmd->count(only)) throw_invalid(std::string(only) + " needs --browser");
    ScanOptions options;
    options.urls = o->inputs;
    options.max_pages = o->max_pages;
    options.max_redirects = o->max_redirects;
    options.timeout_seconds = o->timeout;
    options.max_body = o->max_body;
    options.cookies = o->cookies;
    if (!o->phase.empty()) {
      options.phase = parse_consent_phase(o->phase);
      if (!options.phase || *options.phase == ConsentPhase::unknown)
        throw_invalid("--phase must be before-consent, consent-refused or consent-given");
    }
    // Fails before any network traffic when the output file cannot be written.
    OutputFile out(o->output.empty() ? "-" : o->output, o->force, globals.inputs());
    auto client = make_curl_client(options);
    const ScanResult result = scan_site(*client, options, globals.progress());
    end_progress();
    std::vector<std::string> failed;  // start pages
    for (const auto& page : result.pages)
      if (!page.error.empty() && page.start) failed.push_back(page.url + ": " + page.error);
    report_failed_start_pages(failed);
    write_scan(out.stream(), result);
    out.commit();
    for (const auto& page : result.pages)
      if (!page.error.empty() && !page.start) globals.warn(page.url + ": " + page.error);
    status = Exit::ok;
  });
}

void register_table(CLI::App* parent, Globals& globals, Exit& status) {
  auto o = std::make_shared<Options>();
  o->format = "md";
  CLI::App* cmd = parent->add_subcommand(
      "table", "Write the declared cookies as the table a privacy statement publishes");
  help_footer(cmd, "telcomply-cookies",
              {"telcomply cookies table -o cookies.md",
               "telcomply cookies table --format html -o cookies.html",
               "telcomply cookies table --format html --fragment --lang nl -o cookies-nl.html"});
  add_policy_option(cmd, *o);
  add_format_option(cmd, o->format, "Output format", {"md", "html", "csv", "json"});
  add_lang_option(cmd, o->lang);
  cmd->add_flag("--fragment", o->fragment,
                "html: the table alone, to place in a page of the site's own, not a whole page");
  add_output_option(cmd, o->output, o->force);
  cmd->callback([&globals, &status, o] {
    const TableFormat format = parse_table_format(o->format);
    if (o->fragment && format != TableFormat::html)
      throw_invalid("--fragment is for --format html");
    TableOptions options;
    options.language = chosen_language(globals, o->lang);
    options.fragment = o->fragment;
    if (globals.config_path()) options.templates = globals.config().templates;
    const CookiePolicy policy = cookie_policy(globals, *o);
    OutputFile out(o->output.empty() ? "-" : o->output, o->force, globals.inputs(o->policy_files));
    write_cookie_table(out.stream(), policy, format, options);
    out.commit();
    status = Exit::ok;
  });
}

}  // namespace

void register_cookies(CLI::App& app, Globals& globals, Exit& status) {
  CLI::App* cmd = app.add_subcommand(
      "cookies", "Check what a site really sets against the declared cookie policy");
  help_footer(cmd, "telcomply-cookies",
              {"telcomply cookies scan https://www.example.nl -o scan.json",
               "telcomply cookies check scan.json"});
  cmd->require_subcommand(1);
  register_check(cmd, globals, status);
  register_scan(cmd, globals, status);
  register_table(cmd, globals, status);
}

}  // namespace telcomply::cli
