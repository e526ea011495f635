// The Autoriteit Persoonsgegevens' list of processing for which a data protection impact
// assessment is always required (GDPR art. 35(4); "Besluit inzake lijst van verwerkingen van
// persoonsgegevens waarvoor een gegevensbeschermingseffectbeoordeling (DPIA) verplicht is",
// Staatscourant 2019, 64418), as a table: the register's DPIA pre-screen marks a purpose that
// meets a criterion. A purpose meets one when its `dpia` names it, or when it is large-scale
// or systematic and one of its categories is of a kind the criterion lists.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace telcomply {

struct DpiaCriterion {
  std::string_view id;  // as a purpose's `dpia` names it, e.g. "communication-data"
  int number;           // its number in the list
  std::string_view title_nl, title_en;
  std::string_view text_nl, text_en;  // what the list says, in short
  // Category kinds (data_kinds()) whose large-scale processing meets it; empty: only when a
  // purpose names it.
  std::array<std::string_view, 2> kinds;
};

// The criteria in the order of the list.
std::span<const DpiaCriterion> dpia_criteria();
// The criterion with `id`, or nullptr.
const DpiaCriterion* find_dpia_criterion(std::string_view id);

// The kinds a data map category may have (its `kind`): what the pre-screen matches on.
std::span<const std::string_view> data_kinds();

}  // namespace telcomply
