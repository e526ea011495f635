// Reading a policy file as it was at a git revision, for `telcomply subprocessors diff
// --git REV`.
#pragma once

#include <filesystem>
#include <string_view>

#include "io/yaml_doc.h"

namespace telcomply {

// Reads `file` as committed at `revision` in the git work tree that holds it, by running
// `git -C <folder of file> show <revision>:./<file name>` directly (no shell; each argument
// passed as is). The source is named "<revision>:<file>" in messages.
// `revision` must be a revision name: 1 to 256 of the characters A-Z a-z 0-9 . _ / ~ ^ @ { } -,
// not starting with '-'. Throws Error(invalid) for another revision, or when git cannot find
// the file at the revision (with git's message); Error(operational) when git cannot be run.
YamlSource read_yaml_at_revision(const std::filesystem::path& file, std::string_view revision);

}  // namespace telcomply
