#include "core/config/duration.hpp"

#include <array>
#include <charconv>
#include <limits>

#include "core/errors.hpp"

namespace booking {
namespace {

struct Unit {
    char suffix;
    long long seconds;
};
constexpr std::array<Unit, 4> kUnits{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

[[noreturn]] void bad(std::string_view text, const std::string& why) {
    throw Invalid("duration", "\"" + std::string(text) + "\" is not a duration (" + why +
                                  "; use e.g. 90s, 15m, 1h30m, 2d)");
}

}  // namespace

Seconds parse_duration(std::string_view text) {
    if (text.empty()) bad(text, "empty");
    long long total = 0;
    std::size_t next_unit = 0;  // units must come largest first, each once
    std::string_view rest = text;
    while (!rest.empty()) {
        if (rest.front() < '0' || rest.front() > '9') bad(text, "expected a number");
        long long number = 0;
        auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
        if (ec == std::errc::result_out_of_range) bad(text, "number too large");
        if (ec != std::errc() || end == rest.data()) bad(text, "expected a number");
        if (end == rest.data() + rest.size()) bad(text, "missing unit after the number");
        char suffix = *end;
        std::size_t u = next_unit;
        while (u < kUnits.size() && kUnits[u].suffix != suffix) ++u;
        if (u == kUnits.size())
            bad(text, std::string("unknown or misplaced unit '") + suffix + "'");
        if (number > std::numeric_limits<int>::max() / kUnits[u].seconds) bad(text, "too large");
        total += number * kUnits[u].seconds;
        if (total > std::numeric_limits<int>::max()) bad(text, "too large");
        next_unit = u + 1;
        rest = std::string_view(end + 1, rest.data() + rest.size() - (end + 1));
    }
    return Seconds(total);
}

std::string format_duration(Seconds value) {
    long long left = value.count();
    if (left == 0) return "0s";
    std::string out;
    if (left < 0) {
        out = "-";
        left = -left;
    }
    for (const auto& unit : kUnits) {
        if (left >= unit.seconds) {
            out += std::to_string(left / unit.seconds) + unit.suffix;
            left %= unit.seconds;
        }
    }
    return out;
}

}  // namespace booking
