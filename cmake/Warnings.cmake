# Warnings, sanitizers and hardening.
#
# Warnings are errors only where the compiler is the one the project is tested
# with (the dev, ci, fuzz and tsan presets set BOOKING_WERROR): a packager's
# release build on a newer compiler, with new warnings, must still build.
#
# Every build that is not sanitized gets the flags Debian's hardening uses
# (dpkg-buildflags with hardening=+all): _FORTIFY_SOURCE with optimisation,
# stack protector, stack clash protection, CET (x86), PIE, full RELRO and
# immediate binding. tests/install/test_hardening.sh (install_hardening) runs
# `hardening-check` (devscripts) on both binaries; CET is checked there by its
# endbr64 instructions, because Debian 12's glibc start files carry no CET note.
include(CheckCXXCompilerFlag)
include(CheckPIESupported)

option(BOOKING_WERROR "Treat compiler warnings as errors (the dev, ci, fuzz and tsan presets)" OFF)
set(BOOKING_SANITIZER "" CACHE STRING
    "Sanitizer build: empty (none), thread (the tsan preset) or fuzzer (the fuzz preset)")
set_property(CACHE BOOKING_SANITIZER PROPERTY STRINGS "" thread fuzzer)

add_compile_options(-Wall -Wextra -Wformat -Werror=format-security)
if(BOOKING_WERROR)
  add_compile_options(-Werror)
endif()

# --- hardening (every build) ------------------------------------------------
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
check_pie_supported(LANGUAGES CXX)
add_compile_options(-fstack-protector-strong)
foreach(flag -fstack-clash-protection -fcf-protection)
  string(MAKE_C_IDENTIFIER "BOOKING_HAS${flag}" var)
  check_cxx_compiler_flag(${flag} ${var})
  if(${var})
    add_compile_options(${flag})
  endif()
endforeach()
add_link_options(-Wl,-z,relro -Wl,-z,now)
add_compile_definitions($<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)

# _FORTIFY_SOURCE needs optimisation, and the sanitizers replace it (their
# interceptors do not see the __*_chk functions). A value the packager passes
# (dpkg-buildflags: -D_FORTIFY_SOURCE=2 or 3 in CPPFLAGS/CXXFLAGS) wins.
set(_booking_sanitized OFF)
if(BOOKING_SANITIZE OR BOOKING_SANITIZER)
  set(_booking_sanitized ON)
endif()
if(NOT _booking_sanitized AND NOT "${CMAKE_CXX_FLAGS} $ENV{CPPFLAGS}" MATCHES "_FORTIFY_SOURCE")
  add_compile_definitions($<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
endif()

# --- sanitizers ------------------------------------------------------------------
if(BOOKING_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(BOOKING_SANITIZER STREQUAL "thread")
  if(BOOKING_SANITIZE)
    message(FATAL_ERROR "BOOKING_SANITIZER=thread cannot be combined with BOOKING_SANITIZE (ASan)")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(BOOKING_SANITIZER STREQUAL "fuzzer")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "the fuzz preset needs clang (libFuzzer): CMAKE_CXX_COMPILER=clang++")
  endif()
  # Everything is instrumented for coverage; only the fuzz_* executables link
  # libFuzzer's main (tests/fuzz/CMakeLists.txt adds -fsanitize=fuzzer there).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(BOOKING_SANITIZER)
  message(FATAL_ERROR "BOOKING_SANITIZER must be empty, thread or fuzzer, not ${BOOKING_SANITIZER}")
endif()

# GCC 12 at -O2/-O3 reports -Wrestrict inside libstdc++ for `"x" + std::string`
# (GCC bug 105651, fixed in GCC 13): a false positive, noise in release builds
# and an error in any optimised build with BOOKING_WERROR.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()
