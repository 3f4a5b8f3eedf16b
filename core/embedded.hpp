#pragma once
// Files compiled into the binaries by cmake/Embed.cmake.
#include <string_view>
#include <vector>

namespace booking {

struct EmbeddedFile {
    std::string_view name;
    std::string_view content;
};

}  // namespace booking
