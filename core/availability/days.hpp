#pragma once
// The availability rules of SPEC §3 around the pure computation: which local
// days can offer anything at a given moment, the whole-day answer that the
// daemon caches (min_notice and horizon are applied per request by slicing it),
// what each day's answer depends on, and how many days the cache may hold.
// /v1/availability and /v1/availability/days both go through these.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "core/availability/availability.hpp"
#include "core/availability/calendar_store.hpp"
#include "core/availability/day_cache.hpp"
#include "core/bookings/rules.hpp"

namespace booking::availability {

struct OfferRules {
    Seconds step{1800};           // business.slot_step
    Seconds min_notice{3600};     // nothing sooner than now + this
    Seconds horizon{60 * 86400};  // nothing later than now + this
};

OfferRules offer_rules(const BookingPolicy& policy);

// A local date and its instants [start, end).
struct LocalDay {
    Date date;
    Time start;
    Time end;
};
LocalDay local_day(const BusinessZone& zone, Date date);

// The local dates that can hold an offered start time at `now`: from today to
// the date of now + horizon. A date outside them answers nothing, without any
// database work (SPEC §3, "Limits that protect the daemon").
struct OfferedDates {
    Date first;
    Date last;
    bool contains(Date d) const { return first <= d && d <= last; }
};
OfferedDates offered_dates(const BusinessZone& zone, const OfferRules& rules, Time now);

// The instants a start time may have at `now`: [now + min_notice, now + horizon].
Interval offered_times(const OfferRules& rules, Time now);

// What a day's answer can depend on: its slots, and bookings up to a
// service's longest duration and buffer (a day each, sql/0001) after it. A
// read that joins another must not have missed a change in this range.
Interval day_dependencies(const LocalDay& day);

// The instants a booking's change can matter to: from its start to its end
// plus its service's buffer, which is at most a day (sql/0001).
Interval booking_reach(Time start, Time end);

// The whole day's free start times from what load_day read (which may cover
// more than the day: a month read once serves each of its days), with no time
// limits applied. What the day's calendars hold beyond slots and bookings
// belongs in DayCalendars and is applied here, so every caller gets it.
std::shared_ptr<const DayAnswer> compute_day(const DayCalendars& calendars, const LocalDay& day,
                                             Seconds step);

// The cache key of one day of one service (and resource, or any).
std::string day_key(const std::string& service, const std::optional<std::string>& resource,
                    Date date);

// How many days the cache holds at most: only days inside the horizon (plus
// today and a day of slack at either end) are ever stored, for the known
// services and resources, so this bounds it for any sensible catalogue; past
// it the cache starts over (core/availability/day_cache).
std::size_t cache_capacity(const OfferRules& rules);

}  // namespace booking::availability
