// Shared by the libFuzzer targets: run a parser on arbitrary bytes; telcomply::Error is the
// documented way to reject input, anything else escaping (another exception, a crash, a
// sanitizer report) is a bug the fuzzer reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace telcomply::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

template <typename F>
void rejecting_errors(F&& f) {
  try {
    f();
  } catch (const telcomply::Error&) {
  }
}

}  // namespace telcomply::fuzz
