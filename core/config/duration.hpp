#pragma once
// The one duration parser: "90s", "15m", "1h", "1h30m", "2d" (units d, h, m, s,
// each at most once, largest first).
#include <chrono>
#include <string>
#include <string_view>

namespace booking {

using Seconds = std::chrono::seconds;

// Throws Invalid (field "duration") with a message that quotes the text.
Seconds parse_duration(std::string_view text);

// The shortest text parse_duration reads back as the same value ("1h30m", "0s").
std::string format_duration(Seconds value);

}  // namespace booking
