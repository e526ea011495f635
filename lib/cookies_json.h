// JSON inventories read with the position of every object, so that findings can point at
// the line and column of a cookie in a HAR or inspection.json file.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <unordered_map>

#include "error.h"

namespace telcomply {

class PositionedJson {
 public:
  // Parses `text`; malformed JSON throws Error(invalid) with name:line:column (the message
  // never quotes the input, which may hold cookie values).
  PositionedJson(const std::string& name, const std::string& text);

  const nlohmann::json& root() const { return root_; }
  const std::string& name() const { return name_; }
  // Where the object at `pointer` (a JSON pointer such as "/log/entries/3") starts; the
  // file alone when unknown.
  SourceLocation where(const std::string& pointer) const;
  // `key` escaped for use in a JSON pointer ('~' and '/').
  static std::string escape(const std::string& key);

 private:
  std::string name_;
  nlohmann::json root_;
  std::unordered_map<std::string, std::pair<int, int>> positions_;
};

}  // namespace telcomply
