// Every policy file loader and the kind detection, on the same bytes.
#include "fuzz.h"
#include "lint/lint.h"
#include "policy/load.h"

using namespace telcomply;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<YamlSource> sources{YamlSource{"fuzz.yaml", std::string(fuzz::text(data, size))}};
  fuzz::rejecting_errors([&] { load_config(sources.front()); });
  fuzz::rejecting_errors([&] { detect_policy_kind(sources.front()); });
  fuzz::rejecting_errors([&] {
    Policy policy;
    policy.data_map = load_data_map(sources);
    policy.has_data_map = true;
    check_policy(policy);
    for (const Table& table : policy.data_map.tables) policy.data_map.path_to_subject(table);
  });
  fuzz::rejecting_errors([&] { load_retention(sources); });
  fuzz::rejecting_errors([&] { load_cookie_policy(sources); });
  fuzz::rejecting_errors([&] { load_subprocessors(sources); });
  fuzz::rejecting_errors([&] { load_transfers(sources); });
  return 0;
}
