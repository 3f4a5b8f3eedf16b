#pragma once
// Turning "mon-fri, 09:00-12:00 and 13:00-17:00, from D1 to D2" into slots:
// pure, so DST days can be tested without a database.
#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "core/availability/availability.hpp"

namespace booking {

// Bit 0 = Monday ... bit 6 = Sunday. Accepts mon-fri, mon,wed,fri, sat-sun,
// mon-sun, all (and combinations such as mon-wed,fri): three-letter names in
// any case, spaces around entries ignored. A range runs forward through the
// week and may wrap past Sunday ("fri-mon" = fri,sat,sun,mon; "wed-wed" = wed).
// Throws Invalid("days", ...) for an unknown name or an empty entry.
std::bitset<7> parse_days(std::string_view text);

struct HoursRange {
    Minutes from;  // since local midnight
    Minutes to;    // > from; 24:00 allowed
};
// "09:00-12:00"; throws Invalid("hours", ...).
HoursRange parse_hours(std::string_view text);

// One interval per chosen day in [from, to] (inclusive) and range, in local
// time of the zone, sorted by start; a wall-clock time skipped by DST throws
// Invalid("hours"), a repeated one is its earlier instant, and 00:00 and 24:00
// are the day's own boundaries. Ranges that overlap each other on one day (or
// none at all) throw Invalid("hours"); to before from throws Invalid("to").
std::vector<Interval> plan_slots(const BusinessZone& zone, Date from, Date to, std::bitset<7> days,
                                 const std::vector<HoursRange>& hours);

}  // namespace booking
