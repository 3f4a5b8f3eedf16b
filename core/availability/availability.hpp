#pragma once
// Which start times are free: a pure function of the resources' slots and
// bookings, so that it can be tested without a database and cached.
#include <string>
#include <vector>

#include "core/config/duration.hpp"
#include "core/time/business_time.hpp"

namespace booking {

// A half-open interval [start, end).
struct Interval {
    Time start;
    Time end;
    auto operator<=>(const Interval&) const = default;
};

struct ResourceCalendar {
    std::string code;
    std::vector<Interval> slots;     // open windows, non-overlapping
    std::vector<Interval> busy;      // confirmed bookings: [start, end + their buffer)
    std::vector<Interval> closed{};  // time off (its own and the business's): like busy
};

struct AvailabilityQuery {
    Seconds duration{};   // the service's duration
    Seconds buffer{};     // the service's buffer after it
    Seconds step{};       // business.slot_step: start times are slot start + k * step
    Time window_start{};  // only start times in [window_start, window_end):
    Time window_end{};    //   the local day asked for
    Time earliest{};      // now + min_notice: nothing sooner
    Time latest{};        // now + horizon: nothing later
};

struct FreeStart {
    Time start;
    Time end;                            // start + duration
    std::vector<std::string> resources;  // the resources that can take it, in input order
    bool operator==(const FreeStart&) const = default;
};

// Every start time at which at least one resource can take the service: the
// service lies inside one of its slots (the buffer need not), on the step grid
// of that slot, and [start, end + buffer) overlaps none of its busy or closed
// intervals.
// Sorted by start.
std::vector<FreeStart> compute_availability(const AvailabilityQuery& query,
                                            const std::vector<ResourceCalendar>& calendars);

// The rule for one start time in one slot: inside it and on its grid.
bool is_start_in_slot(const Interval& slot, Time start, Seconds duration, Seconds step);

}  // namespace booking
