# Warnings are errors everywhere; hardening flags for every build type.
add_compile_options(-Wall -Wextra -Werror -Wno-deprecated-declarations
                    -fstack-protector-strong)
add_compile_definitions($<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
add_link_options(-Wl,-z,relro -Wl,-z,now)

if(BOOKING_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
