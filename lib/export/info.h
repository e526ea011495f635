// The GDPR art. 15(1)(a)-(h) and 15(2) information of an access package, built from the
// policy model: the data map (categories, roles, automated decisions), the retention rules,
// the sub-processor registry with the transfer lists, and the configuration (controller,
// rights, supervisory authority). telcomply-export(1) documents its shape.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace telcomply {

// The categories of the data map in the order they are declared (file by file).
std::vector<const Category*> categories_in_order(const DataMap& map);

// The categories a retention rule is about: its own `categories`, else those of the
// columns it affects (every classified column of its table for a delete, the masked
// columns for an anonymisation).
std::vector<std::string> retention_rule_categories(const RetentionRule& rule, const DataMap& map);

// The `information` object of the package, as of `on`, the date the package is generated:
// only adequacy decisions in force on that date are cited (policy/transfers.h).
// `warnings` receives the gaps found (a category without a retention rule, a registry that
// is not configured, a third country without a decision in force or a safeguard).
nlohmann::ordered_json export_information(const Policy& policy, const Date& on,
                                          std::vector<std::string>& warnings);

// The `controller` object of the package: the organisation from the configuration.
nlohmann::ordered_json export_controller(const Organisation& organisation);

}  // namespace telcomply
