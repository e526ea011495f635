#include "store/server_common.h"

#include <nlohmann/json.hpp>

namespace telcomply {

std::string first_line(const char* message) {
  std::string text = message != nullptr ? message : "";
  const std::size_t end = text.find_first_of("\r\n");
  if (end != std::string::npos) text.resize(end);
  return text.empty() ? std::string("database error") : text;
}

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace telcomply
