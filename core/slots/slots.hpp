#pragma once
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/bookings/rules.hpp"
#include "core/slots/plan.hpp"
#include "core/slots/slot.hpp"

namespace booking::slots {

// Conflict when it overlaps another slot of the resource; Invalid when end <= start.
Slot add(pqxx::transaction_base& tx, const std::string& resource, Time start, Time end);

struct GenerateResult {
    std::vector<Interval> created;
    std::vector<Interval> skipped;  // already covered by (or overlapping) existing slots
};
// Adds each planned interval unless an existing slot of the resource overlaps it.
GenerateResult generate(pqxx::transaction_base& tx, const std::string& resource,
                        const std::vector<Interval>& planned, bool dry_run);

struct SlotFilter {
    std::optional<std::string> resource;
    std::optional<Time> from;  // slots ending after this
    std::optional<Time> to;    // slots starting before this
};
std::vector<Slot> list(pqxx::transaction_base& tx, const SlotFilter& filter);
Slot find(pqxx::transaction_base& tx, long long id);  // NotFound

// Refuses (Conflict) while confirmed bookings lie inside, unless cancel_bookings,
// which cancels them (with cancellation emails). Returns the bookings cancelled.
std::vector<long long> remove(pqxx::transaction_base& tx, long long id, bool cancel_bookings,
                              const BookingPolicy& policy, Time now);

}  // namespace booking::slots
