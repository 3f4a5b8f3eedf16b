#include "daemon/routes/cursor.hpp"

#include <charconv>

#include "core/text.hpp"

namespace booking::daemon {

std::string encode_cursor(const Booking& b) {
    return std::to_string(b.start.time_since_epoch().count()) + "." + std::to_string(b.id);
}

std::optional<std::pair<Time, long long>> decode_cursor(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 12) return std::nullopt;
    long long epoch = 0;
    const auto digits = text.substr(0, dot);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), epoch);
    if (ec != std::errc() || p != digits.data() + digits.size() || epoch < 0) return std::nullopt;
    const auto id = parse_id(text.substr(dot + 1));
    if (!id) return std::nullopt;
    return std::make_pair(Time(std::chrono::seconds(epoch)), *id);
}

}  // namespace booking::daemon
