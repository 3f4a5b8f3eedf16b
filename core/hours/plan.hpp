#pragma once
// What the weekly hours call for (SPEC §10): pure, so DST days, hours changed
// from a date and time off can be tested without a database. The database
// side (core/hours/sync.hpp) loads the inputs and applies the answer.
#include <optional>
#include <string_view>
#include <vector>

#include "core/availability/availability.hpp"
#include "core/slots/plan.hpp"

namespace booking::hours {

// One row of a resource's weekly hours: on `weekday` (0 = Monday), from the
// local date `valid_from` on, open during `range`; no range = closed that day
// from then on. The rows of one weekday with the latest valid_from not after
// a date are the hours of that date.
struct WeeklyHours {
    int weekday = 0;
    Date valid_from{};
    std::optional<HoursRange> range;
};

// "09:00-17:00" for the weekly hours: like parse_hours, but a day's hours end
// by 23:59 (24:00 and later are refused). Throws Invalid("hours", ...).
HoursRange parse_weekly_range(std::string_view text);

// Ranges of one day that overlap each other throw Invalid("hours", ...).
void check_no_overlap(std::vector<HoursRange> ranges);

// The intervals a resource's hours call for on the local dates from..to
// (inclusive), minus the closed intervals (its time off and the business's),
// sorted by start. 09:00-17:00 stays 09:00-17:00 local on DST days; a
// wall-clock time the clocks skip moves to the first instant after the gap.
std::vector<Interval> planned_slots(const BusinessZone& zone, Date from, Date to,
                                    const std::vector<WeeklyHours>& hours,
                                    const std::vector<Interval>& closed);

// The parts of `intervals` (sorted, non-overlapping) that no interval of
// `minus` covers.
std::vector<Interval> subtract(const std::vector<Interval>& intervals, std::vector<Interval> minus);

// A slot of the resource that exists now, in the synced range.
struct ExistingSlot {
    long long id = 0;
    Interval interval;
    bool synced = false;  // made by the sync (else by hand: never touched)
    bool booked = false;  // a confirmed booking lies inside
};

struct SyncChanges {
    std::vector<Interval> create;
    std::vector<long long> remove;     // synced, not called for, no booking
    std::vector<long long> kept;       // synced, not called for, but booked: left alone
    std::vector<long long> unchanged;  // synced and called for as they are
};

// How to get from the existing slots to the planned ones: a hand-made slot and
// a booked one stay whatever the plan says, and the plan is cut around them
// (slots never overlap); the same existing and planned slots give no changes
// the second time.
SyncChanges diff(const std::vector<Interval>& planned, const std::vector<ExistingSlot>& existing);

}  // namespace booking::hours
