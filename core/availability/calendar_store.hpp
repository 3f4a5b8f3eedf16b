#pragma once
// Loading what compute_availability needs for one local day and service: the
// service's duration and buffer and, per active resource (by code), its slots
// and confirmed bookings near the day — in ONE round trip to the database.
#include <optional>
#include <pqxx/transaction_base>
#include <set>
#include <string>
#include <vector>

#include "core/availability/availability.hpp"
#include "core/availability/day_cache.hpp"

namespace booking::availability {

struct DayCalendars {
    Seconds duration{};
    Seconds buffer{};
    std::vector<ResourceCalendar> calendars;  // active resources by code
};

// Slots that could hold a start in [day_start, day_end) and bookings that could
// overlap such a start. NotFound for an unknown or inactive service, or an
// unknown or inactive resource when one is named.
DayCalendars load_day(pqxx::transaction_base& tx, const std::string& service_code,
                      const std::optional<std::string>& resource_code, Time day_start,
                      Time day_end);

// The active services' codes (DayCache::has_service, DayCache::enable).
std::set<std::string> active_service_codes(pqxx::transaction_base& tx);
// Reads them into the cache unless it already knows them: bookingd's LISTEN
// connection does this after each change that made it forget them.
void learn_services(pqxx::transaction_base& tx, DayCache& cache);

}  // namespace booking::availability
