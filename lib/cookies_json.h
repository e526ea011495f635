// JSON inventories read with the position of every object, so that findings can point at
// the line and column of a cookie in a HAR or inspection.json file.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "error.h"

namespace telcomply {

class PositionedJson {
 public:
  // Which string values to leave out while parsing: given the JSON pointer of the object
  // that holds the value and its key, true drops it (kept as ""). Cookie values and response
  // bodies are never needed, and bodies can be most of a HAR.
  using Drop = std::function<bool(std::string_view parent, std::string_view key)>;

  // Parses `text`; malformed JSON throws Error(invalid) with name:line:column (the message
  // never quotes the input, which may hold cookie values).
  PositionedJson(const std::string& name, std::string_view text, const Drop& drop = {});

  const nlohmann::json& root() const { return root_; }
  const std::string& name() const { return name_; }
  // Where the object at `pointer` (a JSON pointer such as "/log/entries/3") starts; the
  // file alone when unknown (arrays are not recorded).
  SourceLocation where(const std::string& pointer) const;
  // `key` escaped for use in a JSON pointer ('~' and '/').
  static std::string escape(const std::string& key);

 private:
  std::string name_;
  nlohmann::json root_;
  std::unordered_map<std::string, std::pair<int, int>> positions_;
};

}  // namespace telcomply
