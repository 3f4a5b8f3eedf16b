# Warnings are errors everywhere; hardening flags for every build type.
add_compile_options(-Wall -Wextra -Werror -Wno-deprecated-declarations
                    -fstack-protector-strong)
add_compile_definitions($<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
add_link_options(-Wl,-z,relro -Wl,-z,now)

if(BOOKING_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# GCC 12 at -O2/-O3 reports -Wrestrict inside libstdc++ for `"x" + std::string`
# (GCC bug 105651, fixed in GCC 13): a false positive that would break the
# release build under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()
