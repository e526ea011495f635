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

// The `information` object of the package, as of `on`, the date the package is generated:
// only adequacy decisions in force on that date are cited (policy/transfers.h).
// `warnings` receives the gaps found (a category without a retention rule, a registry that
// is not configured, a third country without a decision in force or a safeguard).
// The rights are described in `language`; their codes (`right`) stay the same in every one.
nlohmann::ordered_json export_information(const Policy& policy, const Date& on,
                                          std::vector<std::string>& warnings,
                                          Language language = Language::en);

// The `controller` object of the package: the organisation from the configuration.
nlohmann::ordered_json export_controller(const Organisation& organisation);

}  // namespace telcomply
