#include "core/bookings/in_the_way.hpp"

#include <algorithm>

#include "core/bookings/bookings.hpp"
#include "core/errors.hpp"
#include "core/users/user.hpp"

namespace booking::bookings {

std::vector<long long> clear_the_way(pqxx::transaction_base& tx, const BookingPolicy& policy,
                                     const std::vector<InTheWay>& in_the_way, bool cancel_them,
                                     const std::string& where, Time now) {
    std::vector<long long> ids;
    std::vector<std::string> names;  // "12 (main, 2026-12-24T10:00:00Z)"
    for (const auto& b : in_the_way) {
        if (std::find(ids.begin(), ids.end(), b.id) != ids.end()) continue;  // in two changes
        ids.push_back(b.id);
        names.push_back(std::to_string(b.id) + " (" + b.resource + ", " + format_utc(b.start) +
                        ")");
    }
    if (ids.empty() || cancel_them) {
        for (long long id : ids) cancel(tx, policy, Actor::terminal(), id, now, true);
        return ids;
    }
    std::string listed;
    for (std::size_t i = 0; i < names.size() && i < 20; ++i) listed += (i ? ", " : "") + names[i];
    if (names.size() > 20) listed += " and " + std::to_string(names.size() - 20) + " more";
    throw Conflict("confirmed booking(s) lie inside " + where + ": " + listed +
                   "; cancel them first or use --cancel-bookings");
}

}  // namespace booking::bookings
