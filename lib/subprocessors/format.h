// Text helpers shared by the sub-processor list and the change notice (internal to
// lib/subprocessors*.cpp): the ones every table format uses.
#pragma once

#include "core/text.h"
#include "report/escape.h"

namespace telcomply::subprocessors_format {

using ::telcomply::join;
using ::telcomply::kNone;
using ::telcomply::md_cell;

}  // namespace telcomply::subprocessors_format
