#include <cstdlib>
#include <iostream>

#include "policy/load.h"
#include "commands.h"
#include "lint/lint.h"

namespace telcomply::cli {

bool Globals::has_default_config() const {
  const char* env = std::getenv("TELCOMPLY_CONFIG");
  return std::filesystem::exists("telcomply.yaml") || (env && *env);
}

const Config& Globals::config() {
  if (config_) return *config_;
  std::filesystem::path path;
  if (!config_option.empty()) {
    path = config_option;
  } else if (std::filesystem::exists("telcomply.yaml")) {
    path = "telcomply.yaml";
  } else if (const char* env = std::getenv("TELCOMPLY_CONFIG"); env && *env) {
    path = env;
  } else {
    throw_invalid(
        "no configuration: give --config FILE, create ./telcomply.yaml, or set "
        "TELCOMPLY_CONFIG");
  }
  config_ = load_config_file(path);
  if (!db_option.empty()) config_->database = db_option;
  return *config_;
}

const Policy& Globals::policy(PolicyKinds kinds) {
  if (!policy_ || !policy_kinds_.contains(kinds)) {
    const PolicyKinds wanted = policy_kinds_ | kinds;
    Policy loaded = load_policy(config(), wanted);
    ensure_consistent(loaded, wanted);
    policy_ = std::move(loaded);
    policy_kinds_ = wanted;
  }
  return *policy_;
}

std::filesystem::path Globals::database() {
  if (!db_option.empty()) return db_option;
  const Config& c = config();
  if (c.database.empty())
    throw_invalid(located(c.loc, "no database: the configuration names none and --db is not given"));
  return c.database;
}

void not_built_yet(const std::string& name) {
  throw Error(Exit::invalid, "'telcomply " + name + "' is not built yet");
}

}  // namespace telcomply::cli
