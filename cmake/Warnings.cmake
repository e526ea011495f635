# Warnings applied to every telcomply target through telcomply_warnings.
add_library(telcomply_warnings INTERFACE)
target_compile_options(telcomply_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
option(TELCOMPLY_WERROR "Treat warnings as errors" OFF)
if(TELCOMPLY_WERROR)
  target_compile_options(telcomply_warnings INTERFACE -Werror)
endif()
