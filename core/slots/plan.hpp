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
// mon-sun, all (and combinations such as mon-wed,fri). Throws Invalid("days", ...).
std::bitset<7> parse_days(std::string_view text);

struct HoursRange {
    Minutes from;  // since local midnight
    Minutes to;    // > from; 24:00 allowed
};
// "09:00-12:00"; throws Invalid("hours", ...).
HoursRange parse_hours(std::string_view text);

// One interval per chosen day in [from, to] (inclusive) and range, in local
// time of the zone; a wall-clock time skipped by DST throws Invalid("hours").
// Ranges that overlap each other on one day throw Invalid("hours").
std::vector<Interval> plan_slots(const BusinessZone& zone, Date from, Date to, std::bitset<7> days,
                                 const std::vector<HoursRange>& hours);

}  // namespace booking
