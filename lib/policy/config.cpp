// The configuration file (telcomply.yaml) and loading every policy file it names.
#include <cstdlib>

#include "core/location.h"
#include "core/phone.h"
#include "core/text.h"
#include "core/timezone.h"
#include "policy/load.h"

namespace telcomply {

namespace {

constexpr std::string_view kShipped = "shipped:";

std::filesystem::path resolve(const std::filesystem::path& dir, const std::string& value) {
  std::filesystem::path path(value);
  if (path.is_relative() && !dir.empty()) path = dir / path;
  return path.lexically_normal();
}

std::vector<std::filesystem::path> path_list(const YamlDoc& doc, const YamlNode& parent,
                                             std::string_view key,
                                             const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& item : doc.string_list(parent, key)) {
    if (item.empty()) doc.fail(parent[std::string(key)], "empty file name in '" + std::string(key) + "'");
    if (!item.starts_with(kShipped)) {
      out.push_back(resolve(dir, item));
      continue;
    }
    // shipped:NAME: a file of the shipped policy set, wherever telcomply is installed.
    const std::string name = item.substr(kShipped.size());
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
      doc.fail(parent[std::string(key)],
               "'" + item + "' names no shipped policy file (shipped:FILE, as retention-nl.yaml)");
    out.push_back(shipped_policies_dir() / name);
  }
  return out;
}

}  // namespace

Config load_config(const YamlSource& source) {
  YamlDoc doc(source);
  const YamlNode& root = doc.root();
  doc.expect_map(root, "the configuration",
                 {"organisation", "language", "phone_region", "database", "audit_log",
                  "erasure_ledger", "templates", "timezone", "policies"});
  Config config;
  config.loc = doc.where(root);
  config.file = source.name;
  config.dir = std::filesystem::path(source.name).parent_path();

  const YamlNode& org = root["organisation"];
  if (!org.defined()) doc.fail(root, "missing required key 'organisation'");
  doc.expect_map(
      org, "'organisation'",
      {"name", "address", "privacy_contact", "dpo", "security", "supervisory_authority"});
  config.organisation.loc = doc.where(org);
  config.organisation.name = doc.string(org, "name");
  config.organisation.address = doc.optional_string(org, "address").value_or("");
  config.organisation.privacy_contact = doc.string(org, "privacy_contact");
  config.organisation.dpo = doc.optional_string(org, "dpo").value_or("");
  config.organisation.security = doc.optional_string(org, "security").value_or("");
  if (const YamlNode& sa = org["supervisory_authority"]; sa.defined() && !sa.is_null()) {
    doc.expect_map(sa, "'supervisory_authority'", {"name", "url", "address"});
    config.organisation.authority.name = doc.string(sa, "name");
    config.organisation.authority.url = doc.optional_string(sa, "url").value_or("");
    config.organisation.authority.address = doc.optional_string(sa, "address").value_or("");
  } else {
    config.organisation.authority.url = "https://autoriteitpersoonsgegevens.nl";
  }

  config.language = *parse_language(doc.choice(root, "language", {"en", "nl"}, "en"));
  if (auto region = doc.optional_string(root, "phone_region")) {
    if (!is_phone_region(*region))
      doc.fail(root["phone_region"], "unknown phone_region '" + *region +
                                         "' (expected an ISO 3166-1 country code such as NL, "
                                         "BE or DE, in capitals)");
    config.phone_region = *region;
  }
  if (auto zone = doc.optional_string(root, "timezone")) {
    if (!TimeZone::known(*zone))
      doc.fail(root["timezone"], "unknown timezone " + excerpt(*zone) +
                                     " (expected an IANA time zone name such as "
                                     "Europe/Amsterdam or UTC)");
    config.timezone = *zone;
  }
  if (auto db = doc.optional_string(root, "database")) {
    // A server's connection string is used as it is; a file path is relative to the file.
    if (location_kind(*db) == LocationKind::file) {
      config.database = resolve(config.dir, *db);
    } else {
      if (location_has_password(*db))
        throw_invalid(doc.where(root["database"]), password_refusal(location_kind(*db)));
      config.database = *db;
    }
  }
  if (auto log = doc.optional_string(root, "audit_log")) config.audit_log = resolve(config.dir, *log);
  if (auto folder = doc.optional_string(root, "templates"))
    config.templates = resolve(config.dir, *folder);
  if (auto ledger = doc.optional_string(root, "erasure_ledger")) {
    config.erasure_ledger = resolve(config.dir, *ledger);
  } else if (!config.audit_log.empty()) {
    // Beside the audit log: audit.jsonl has audit.erasures.jsonl.
    config.erasure_ledger = config.audit_log;
    config.erasure_ledger.replace_extension(".erasures.jsonl");
  }

  if (const YamlNode& policies = root["policies"]; policies.defined() && !policies.is_null()) {
    doc.expect_map(policies, "'policies'",
                   {"data_map", "retention", "cookies", "subprocessors", "transfers"});
    config.data_map = path_list(doc, policies, "data_map", config.dir);
    config.retention = path_list(doc, policies, "retention", config.dir);
    config.cookies = path_list(doc, policies, "cookies", config.dir);
    config.subprocessors = path_list(doc, policies, "subprocessors", config.dir);
    config.transfers = path_list(doc, policies, "transfers", config.dir);
  }
  if (config.transfers.empty()) config.transfers = shipped_transfer_lists();
  return config;
}

Config load_config_file(const std::filesystem::path& path) {
  return load_config(read_yaml_source(path));
}

std::optional<std::filesystem::path> find_config(const std::string& option,
                                                 const std::filesystem::path& system_file) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("TELCOMPLY_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists("telcomply.yaml", ec)) return "telcomply.yaml";
  if (std::filesystem::exists(system_file, ec)) return system_file;
  return std::nullopt;
}

std::vector<YamlSource> read_yaml_sources(const std::vector<std::filesystem::path>& paths) {
  std::vector<YamlSource> out;
  out.reserve(paths.size());
  for (const auto& path : paths) out.push_back(read_yaml_source(path));
  return out;
}

const char* to_string(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::config:
      return "configuration";
    case PolicyKind::data_map:
      return "data map";
    case PolicyKind::retention:
      return "retention";
    case PolicyKind::cookies:
      return "cookies";
    case PolicyKind::subprocessors:
      return "subprocessors";
    case PolicyKind::transfers:
      return "transfers";
  }
  return "configuration";
}

bool Policy::has(PolicyKind kind) const {
  switch (kind) {
    case PolicyKind::config:
      return true;
    case PolicyKind::data_map:
      return has_data_map;
    case PolicyKind::retention:
      return has_retention;
    case PolicyKind::cookies:
      return has_cookies;
    case PolicyKind::subprocessors:
      return has_subprocessors;
    case PolicyKind::transfers:
      return has_transfers;
  }
  return false;
}

Policy load_policy(const Config& config, PolicyKinds kinds) {
  Policy policy;
  policy.config = config;
  // Whether to load `kind`: asked for, and named by the configuration.
  auto wanted = [&](PolicyKind kind, const std::vector<std::filesystem::path>& files) {
    return kinds.contains(kind) && !files.empty();
  };
  if ((policy.has_data_map = wanted(PolicyKind::data_map, config.data_map)))
    policy.data_map = load_data_map(read_yaml_sources(config.data_map));
  if ((policy.has_retention = wanted(PolicyKind::retention, config.retention)))
    policy.retention = load_retention(read_yaml_sources(config.retention));
  if ((policy.has_cookies = wanted(PolicyKind::cookies, config.cookies)))
    policy.cookies = load_cookie_policy(read_yaml_sources(config.cookies));
  if ((policy.has_subprocessors = wanted(PolicyKind::subprocessors, config.subprocessors)))
    policy.subprocessors = load_subprocessors(read_yaml_sources(config.subprocessors));
  if ((policy.has_transfers = wanted(PolicyKind::transfers, config.transfers)))
    policy.transfers = load_transfers(read_yaml_sources(config.transfers));
  return policy;
}

std::filesystem::path shipped_policies_dir() {
  if (const char* env = std::getenv("TELCOMPLY_POLICIES"); env && *env) return env;
  // Installed: beside the binary's folder (PREFIX/bin/telcomply, PREFIX/share/telcomply/
  // policies), whatever the prefix (/usr, /usr/local, an unpacked package).
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = (exe.parent_path() / TELCOMPLY_POLICIES_FROM_BIN).lexically_normal();
    if (std::filesystem::exists(installed / "transfers.yaml", ec)) return installed;
  }
  return TELCOMPLY_SOURCE_POLICIES;  // run from a build tree
}

std::vector<std::filesystem::path> shipped_transfer_lists() {
  const auto shipped = shipped_policies_dir() / "transfers.yaml";
  if (!std::filesystem::exists(shipped)) return {};
  return {shipped};
}

}  // namespace telcomply
