#pragma once
// The day at a glance (bookingctl agenda): per resource, the confirmed
// bookings of a local date in time order and the free gaps of its open slots.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/availability/availability.hpp"
#include "core/bookings/booking.hpp"

namespace booking::agenda {

// The parts of the `open` windows (slots) that no `held` range (a confirmed
// booking from its start to the end of its buffer) covers, exactly, not
// rounded to any grid; sorted, empty gaps left out. Either list may come in
// any order and ranges may overlap or touch. Pure.
std::vector<Interval> free_gaps(std::vector<Interval> open, std::vector<Interval> held);

struct ResourceDay {
    std::string resource;  // code
    std::string name;
    std::vector<Booking> bookings;  // confirmed, by start
    std::vector<Interval> free;     // inside the local date
};

struct Day {
    Date date;
    std::vector<ResourceDay> resources;  // by code
};

// The agenda of a local date: every resource with a slot or a confirmed
// booking that day (only `resource` when given: NotFound when unknown, shown
// even when it has nothing). Slots are cut at the day's bounds.
Day day(pqxx::transaction_base& tx, const BusinessZone& zone, Date date,
        const std::optional<std::string>& resource);

// {"date", "resources": [{"resource", "bookings": [booking + customer_name,
// customer_email], "free": [{"start", "end"}]}]}
void to_json(nlohmann::json& out, const Day& day);

}  // namespace booking::agenda
