// What the list, the check and the change notice share: loading, services, formats, text.
#include "policy/load.h"
#include "subprocessors/subprocessors.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "report/escape.h"
#include "subprocessors/format.h"

namespace telcomply {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::vector<std::filesystem::path> registry_files(const RegistryInputs& inputs) {
  if (!inputs.files.empty()) return inputs.files;
  if (inputs.config && !inputs.config->subprocessors.empty()) return inputs.config->subprocessors;
  throw_invalid(
      "no sub-processor registry: give a FILE, or name one under policies.subprocessors in the "
      "configuration");
}

LoadedRegistry load_registry(const RegistryInputs& inputs) {
  // The configuration's files, with the registry and transfer list given in their place.
  Config config = inputs.config.value_or(Config{});
  config.subprocessors = registry_files(inputs);
  if (!inputs.transfers.empty()) {
    config.transfers = {inputs.transfers};
  } else if (config.transfers.empty()) {
    config.transfers = shipped_transfer_lists();
  }
  // The data map only for its categories (names in the list, references in the check).
  Policy policy =
      load_policy(config, PolicyKind::subprocessors | PolicyKind::transfers | PolicyKind::data_map);
  LoadedRegistry loaded;
  loaded.registry = std::move(policy.subprocessors);
  if (policy.has_transfers) loaded.transfers = std::move(policy.transfers);
  if (policy.has_data_map) loaded.data_map = std::move(policy.data_map);
  return loaded;
}

const Subprocessor* find_subprocessor(const SubprocessorRegistry& registry, std::string_view id) {
  for (const auto& s : registry.subprocessors)
    if (s.id == id) return &s;
  return nullptr;
}

std::vector<std::string> effective_services(const SubprocessorRegistry& registry,
                                            const Subprocessor& entry) {
  const Subprocessor* current = &entry;
  // Follow parents (at most the registry's size, so a cycle ends).
  for (std::size_t hops = 0; hops <= registry.subprocessors.size(); ++hops) {
    if (!current->services.empty()) return current->services;
    if (current->parent.empty()) break;
    current = find_subprocessor(registry, current->parent);
    if (!current) break;
  }
  return {};
}

bool serves(const SubprocessorRegistry& registry, const Subprocessor& entry,
            std::string_view service) {
  if (service.empty()) return true;
  const auto services = effective_services(registry, entry);
  if (services.empty()) return true;
  return std::any_of(services.begin(), services.end(),
                     [&](const std::string& s) { return same_ignoring_case(s, service); });
}

void require_known_service(const std::vector<const SubprocessorRegistry*>& registries,
                           std::string_view service) {
  if (service.empty()) return;
  std::set<std::string> known;
  for (const SubprocessorRegistry* registry : registries)
    for (const auto& entry : registry->subprocessors)
      for (const auto& s : entry.services) {
        if (same_ignoring_case(s, service)) return;
        known.insert(s);
      }
  std::string message = "unknown service '" + std::string(service) + "'";
  if (known.empty()) {
    message += ": no sub-processor names any service";
  } else {
    message += " (known:";
    for (const auto& s : known) message += " " + s;
    message += ")";
  }
  throw_invalid(message);
}

ListFormat parse_list_format(std::string_view name) {
  if (name == "md" || name == "markdown") return ListFormat::md;
  if (name == "html") return ListFormat::html;
  if (name == "csv") return ListFormat::csv;
  if (name == "json") return ListFormat::json;
  throw_invalid("unknown list format '" + std::string(name) + "' (known: md, html, csv, json)");
}

NoticeFormat parse_notice_format(std::string_view name) {
  if (name == "md" || name == "markdown") return NoticeFormat::md;
  if (name == "html") return NoticeFormat::html;
  if (name == "json") return NoticeFormat::json;
  throw_invalid("unknown notice format '" + std::string(name) + "' (known: md, html, json)");
}

const char* to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return "added";
    case ChangeKind::removed:
      return "removed";
    case ChangeKind::renamed:
      return "renamed";
    case ChangeKind::location_changed:
      return "location-changed";
    case ChangeKind::purpose_changed:
      return "purpose-changed";
    case ChangeKind::data_changed:
      return "data-changed";
    case ChangeKind::transfer_changed:
      return "transfer-changed";
  }
  return "added";
}

}  // namespace telcomply
