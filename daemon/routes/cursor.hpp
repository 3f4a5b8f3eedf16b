#pragma once
// The keyset cursor of GET /v1/bookings, opaque to clients: "<start epoch>.<id>"
// of the last row shown. A pure decoder (the fuzz target fuzz_cursor).
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/bookings/booking.hpp"

namespace booking::daemon {

std::string encode_cursor(const Booking& b);
// The start and id of a cursor this server gave out; nullopt for anything else.
std::optional<std::pair<Time, long long>> decode_cursor(std::string_view text);

}  // namespace booking::daemon
