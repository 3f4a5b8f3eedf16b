#pragma once
// What every fuzz target shares: the entry point's signature and a check that
// aborts (a crash libFuzzer reports, with the input) when an invariant breaks.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_ENTRY extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)

namespace booking::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

inline void check(bool condition, const char* what) {
    if (!condition) fail(what);
}

}  // namespace booking::fuzz
