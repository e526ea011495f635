#include "io/json_doc.h"

#include "test_util.h"

using namespace telcomply;
using telcomply::test::error_of;

TEST_CASE("JSON errors give the position, never the input") {
  const auto error = [](std::string_view text) {
    return error_of([&] { PositionedJson doc("x.json", text); });
  };
  CHECK(error("{\"password\": secret-hunter2}") ==
        "x.json:1:14: malformed JSON: syntax error while parsing value - invalid literal");
  // nlohmann quotes a number out of range whole, however long.
  const std::string digits = "1" + std::string(5000, '7') + "e99999";
  CHECK(error("[" + digits + "]") == "x.json:1:5008: malformed JSON: number out of range");
  CHECK(error("root:$6$Kq8x9ZAb$Xy7hash:19000:0:99999:7:::\n").find("$6$") == std::string::npos);
}
