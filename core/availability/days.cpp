#include "core/availability/days.hpp"

#include <chrono>

namespace booking::availability {
namespace {

// The longest a service and its buffer can last (sql/0001 allows a day each).
constexpr auto kLongestService = std::chrono::hours(24);
constexpr auto kLongestBuffer = std::chrono::hours(24);
// Service and resource combinations the cache is sized for (a business with
// 20 services and 9 resources asks for at most 200: each service alone and
// with each resource).
constexpr std::size_t kCombinations = 200;

}  // namespace

OfferRules offer_rules(const BookingPolicy& policy) {
    return OfferRules{policy.slot_step, policy.min_notice, policy.horizon};
}

LocalDay local_day(const BusinessZone& zone, Date date) {
    return LocalDay{date, zone.start_of_day(date), zone.start_of_day(add_days(date, 1))};
}

OfferedDates offered_dates(const BusinessZone& zone, const OfferRules& rules, Time now) {
    return OfferedDates{zone.date_of(now), zone.date_of(now + rules.horizon)};
}

Interval offered_times(const OfferRules& rules, Time now) {
    return Interval{now + rules.min_notice, now + rules.horizon};
}

Interval day_dependencies(const LocalDay& day) {
    return Interval{day.start, day.end + kLongestService + kLongestBuffer};
}

Interval booking_reach(Time start, Time end) { return Interval{start, end + kLongestBuffer}; }

std::shared_ptr<const DayAnswer> compute_day(const DayCalendars& calendars, const LocalDay& day,
                                             Seconds step) {
    // The whole day, whatever the time: min_notice and horizon are applied per answer.
    AvailabilityQuery whole_day;
    whole_day.duration = calendars.duration;
    whole_day.buffer = calendars.buffer;
    whole_day.step = step;
    whole_day.window_start = whole_day.earliest = day.start;
    whole_day.window_end = whole_day.latest = day.end;
    return std::make_shared<const DayAnswer>(
        compute_availability(whole_day, calendars.calendars),
        Interval{day.start, day.end + calendars.duration + calendars.buffer});
}

std::string day_key(const std::string& service, const std::optional<std::string>& resource,
                    Date date) {
    std::string key = service;
    key += '\0';
    key += resource.value_or("");
    key += '\0';
    key += std::to_string(days_since_epoch(date));
    return key;
}

std::size_t cache_capacity(const OfferRules& rules) {
    const auto days = static_cast<std::size_t>(
        std::chrono::duration_cast<std::chrono::days>(rules.horizon).count() + 3);
    return days * kCombinations;
}

}  // namespace booking::availability
