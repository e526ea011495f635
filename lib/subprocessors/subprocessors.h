// telcomply subprocessors: the published sub-processor list, the transfer check, and the
// change notice partners receive before a change takes effect (GDPR art. 28(2)).
//
// Every function reads a loaded registry (policy.h) and writes to the stream it is given;
// none prints by itself. Errors are thrown as telcomply::Error.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/duration.h"
#include "core/language.h"
#include "policy/policy.h"
#include "report/findings.h"

namespace telcomply {

// ---------------------------------------------------------------------------------------
// What the subcommands read.

struct RegistryInputs {
  std::optional<Config> config;              // the configuration, when there is one
  std::vector<std::filesystem::path> files;  // registry files given; empty: the configuration's
  std::filesystem::path transfers;           // a transfer list given; empty: the
                                             // configuration's, else the shipped one
};

// The registry files: those given, else the configuration's. Throws Error(invalid) when
// there are none.
std::vector<std::filesystem::path> registry_files(const RegistryInputs& inputs);

struct LoadedRegistry {
  SubprocessorRegistry registry;
  std::optional<TransferLists> transfers;  // when one is given, configured or shipped
  std::optional<DataMap> data_map;         // when the configuration names one
};

// Loads the registry, the transfer list and the data map (the configuration's other policy
// files are not read). Malformed files throw Error(invalid) with file:line:column.
LoadedRegistry load_registry(const RegistryInputs& inputs);

// ---------------------------------------------------------------------------------------
// Services: which reseller or product an entry serves.

// The entry with `id`, or nullptr.
const Subprocessor* find_subprocessor(const SubprocessorRegistry& registry, std::string_view id);

// The services `entry` serves: its own `services`, else its parent's (a sub-sub-processor
// serves what its parent serves); empty means every service.
std::vector<std::string> effective_services(const SubprocessorRegistry& registry,
                                            const Subprocessor& entry);
// True when `entry` serves `service` (compared without regard to case); an empty `service`
// matches everything.
bool serves(const SubprocessorRegistry& registry, const Subprocessor& entry,
            std::string_view service);
// Throws Error(invalid) when `service` is not empty and no entry of any of `registries`
// names it, listing the services that are named.
void require_known_service(const std::vector<const SubprocessorRegistry*>& registries,
                           std::string_view service);

// ---------------------------------------------------------------------------------------
// The published list.

enum class ListFormat { md, html, csv, json };
// "md", "markdown", "html", "csv", "json"; anything else throws Error(invalid).
ListFormat parse_list_format(std::string_view name);

struct ListOptions {
  ListFormat format = ListFormat::md;
  std::string service;                         // only what this service uses; empty: everything
  bool include_removed = false;                // also entries whose status is `removed`
  Date as_of = Date::today();                  // the date the list is stated to be current on
  const Organisation* organisation = nullptr;  // named in the heading when given
  const DataMap* data_map = nullptr;           // category names, when given
  const TransferLists* transfers = nullptr;    // marks EEA-only entries, when given
  Language language = Language::en;  // headings, phrases, dates, country names, mechanisms
  std::filesystem::path templates;   // the operator's template folder; empty: the built-in ones
};

// Writes the list of active and announced sub-processors (in file order; with
// include_removed, removed ones too) in `options.language`: every human-readable text
// follows it (CSV column names and JSON keys do not). HTML is one self-contained page
// (subprocessor-list.html.mustache in page.html.mustache: no scripts, no external
// resources, every value escaped). Returns the number of entries written. Throws
// Error(invalid) for an unknown service or a template that does not parse.
std::size_t write_subprocessor_list(std::ostream& out, const SubprocessorRegistry& registry,
                                    const ListOptions& options);

// ---------------------------------------------------------------------------------------
// The check.

struct CheckOptions {
  Date as_of = Date::today();         // adequacy decisions must be in force on this date
  const DataMap* data_map = nullptr;  // categories are checked against it when given
};

// Checks every entry (none is skipped for being incomplete): locations outside the EEA need
// a transfer mechanism; adequacy claims must match `lists` (country, scope, dates); SCCs
// need a module; categories and parents resolve; the notice period is kept; missing fields
// are findings. Each finding names the entry, the field, and where the field (or, when it
// is missing, the entry) is. Throws Error(invalid) when `lists` has no EEA list.
std::vector<Finding> check_subprocessors(const SubprocessorRegistry& registry,
                                         const TransferLists& lists, const CheckOptions& options);

// The rules check_subprocessors applies, for SARIF and JUnit reports.
const std::vector<RuleInfo>& subprocessor_rules();

// ---------------------------------------------------------------------------------------
// The change notice.

enum class ChangeKind {
  added,
  removed,
  renamed,           // a new id for the same legal entity, or a new legal name for an id
  location_changed,  // processing or access locations
  purpose_changed,
  data_changed,      // data categories or data subjects
  transfer_changed,  // transfer mechanisms or DPF certification
};
const char* to_string(ChangeKind kind);

struct FieldChange {
  std::string field;   // e.g. "locations"
  std::string before;  // rendered for people, e.g. "DE, IE"
  std::string after;
};

struct Change {
  ChangeKind kind = ChangeKind::added;
  std::string id;      // the id in the new registry (the old one for a removal)
  std::string old_id;  // renamed: the id it had
  std::string legal_name;
  std::vector<FieldChange> details;
  Date announced;                // the date partners are told
  Date effective;                // the date the change takes effect
  bool effective_stated = true;  // false: not in the registry, the earliest lawful date
  // The last day partners may object: the announcement plus the notice period. Empty for a
  // removal or a new id for the same entity, which partners need only know of.
  std::optional<Date> objection_deadline;
  bool short_notice = false;  // takes effect before the notice period has run
};

struct ChangeNotice {
  Date notice_date;
  Duration notice_period{Duration::Unit::days, 30};
  std::string service;  // the service the notice is limited to, if any
  std::vector<Change> changes;
};

struct DiffOptions {
  Date notice_date = Date::today();  // when partners are told, unless an entry says otherwise
  std::string service;               // only changes to what this service uses
  Language language = Language::en;  // the words of a change's details (transfer mechanisms)
};

// The changes from `before` to `after`, in the order of `after` (removals last). A change's
// dates come from the new entry's `announced` and `effective` when they are new in this
// version; otherwise the change is announced on the notice date and takes effect when the
// notice period (of `after`) has run. Throws Error(invalid) for an unknown service.
ChangeNotice diff_subprocessors(const SubprocessorRegistry& before,
                                const SubprocessorRegistry& after, const DiffOptions& options);

enum class NoticeFormat { md, html, json };
// "md", "markdown", "html", "json"; anything else throws Error(invalid).
NoticeFormat parse_notice_format(std::string_view name);

struct NoticeOptions {
  NoticeFormat format = NoticeFormat::md;
  Language language = Language::en;            // headings, phrases and dates
  const Organisation* organisation = nullptr;  // named, with its privacy contact, when given
  std::filesystem::path templates;             // the operator's template folder, if any
};

// Writes the notice for partners in `options.language` (JSON: its keys and kinds stay the
// same). HTML is one self-contained page (subprocessor-notice.html.mustache in
// page.html.mustache).
void write_change_notice(std::ostream& out, const ChangeNotice& notice,
                         const NoticeOptions& options);

}  // namespace telcomply
