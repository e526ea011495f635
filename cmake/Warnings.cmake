# Warnings applied to every telcomply target through telcomply_warnings.
add_library(telcomply_warnings INTERFACE)
target_compile_options(telcomply_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
# GCC 12 at -O3 reports -Wrestrict for "literal" + std::string inside libstdc++ (GCC bug
# reports 105329 and 105651): a false positive in every such expression.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(telcomply_warnings INTERFACE -Wno-restrict)
endif()
option(TELCOMPLY_WERROR "Treat warnings as errors" OFF)
if(TELCOMPLY_WERROR)
  target_compile_options(telcomply_warnings INTERFACE -Werror)
endif()
