#pragma once
// Confirmed bookings in the way of a change staff make (a slot removed, time
// off added): cancelled, their customers emailed, or the change refused with
// their names. One rule for every such change (SPEC §5: slots remove,
// time-off add and import, each with --cancel-bookings).
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/bookings/rules.hpp"
#include "core/time/business_time.hpp"

namespace booking::bookings {

// Found and locked by the caller.
struct InTheWay {
    long long id = 0;
    std::string resource;  // code
    Time start{};
};

// With cancel_them, cancels each one (emailing its customer) and returns
// their ids; else throws Conflict naming them (at most 20), e.g. "confirmed
// booking(s) lie inside <where>: 12 (main, 2026-12-24T10:00:00Z); cancel them
// first or use --cancel-bookings". Nothing in the way: nothing done.
std::vector<long long> clear_the_way(pqxx::transaction_base& tx, const BookingPolicy& policy,
                                     const std::vector<InTheWay>& in_the_way, bool cancel_them,
                                     const std::string& where, Time now);

}  // namespace booking::bookings
