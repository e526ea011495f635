# TELCOMPLY_SANITIZE=ON builds everything with ASan and UBSan, and makes UBSan fatal.
if(TELCOMPLY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
