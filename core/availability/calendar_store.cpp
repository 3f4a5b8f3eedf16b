#include "core/availability/calendar_store.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/services/services.hpp"

namespace booking::availability {
namespace {

// kind 0: the service (duration, buffer in minutes); kind 1: an active resource
// (in code order); kind 2: a slot; kind 3: a confirmed booking, as
// [start, blocked_until); kind 4: time off (code '' for all resources), which
// blocks like a booking. Times are epoch seconds. A slot can hold a start of
// the day only if it overlaps the day; a booking can collide with such a start
// only if it overlaps [day_start, day_end + duration + buffer).
const db::Statement kLoadDay{"availability_load_day", R"SQL(
WITH svc AS (
    SELECT duration_minutes, buffer_minutes FROM services WHERE code = $1 AND active
), res AS (
    SELECT id, code FROM resources WHERE active AND ($2::text IS NULL OR code = $2::text)
)
SELECT 0 AS kind, ''::text COLLATE "C" AS code, duration_minutes::bigint AS a, buffer_minutes::bigint AS b FROM svc
UNION ALL
SELECT 1, res.code, 0, 0 FROM res
UNION ALL
SELECT 2, res.code, floor(extract(epoch FROM s.starts_at))::bigint, floor(extract(epoch FROM s.ends_at))::bigint
  FROM slots s JOIN res ON res.id = s.resource_id
 WHERE s.starts_at < to_timestamp($4) AND s.ends_at > to_timestamp($3) AND EXISTS (SELECT 1 FROM svc)
UNION ALL
SELECT 3, res.code, floor(extract(epoch FROM b.starts_at))::bigint, floor(extract(epoch FROM b.blocked_until))::bigint
  FROM bookings b JOIN res ON res.id = b.resource_id
 WHERE b.status = 'confirmed' AND b.blocked_until > to_timestamp($3)
   AND b.starts_at < to_timestamp($4) + (SELECT make_interval(mins => duration_minutes + buffer_minutes) FROM svc)
UNION ALL
SELECT 4, coalesce(res.code, ''), floor(extract(epoch FROM t.starts_at))::bigint, ceil(extract(epoch FROM t.ends_at))::bigint
  FROM time_off t LEFT JOIN res ON res.id = t.resource_id
 WHERE (t.resource_id IS NULL OR res.id IS NOT NULL)
   AND tstzrange(t.starts_at, t.ends_at) && tstzrange(to_timestamp($3),
       to_timestamp($4) + (SELECT make_interval(mins => duration_minutes + buffer_minutes) FROM svc))
ORDER BY 1, 2, 3
)SQL"};

Interval interval(long long start, long long end) {
    return {Time(Seconds(start)), Time(Seconds(end))};
}

}  // namespace

DayCalendars load_day(pqxx::transaction_base& tx, const std::string& service_code,
                      const std::optional<std::string>& resource_code, Time day_start,
                      Time day_end) {
    const auto rows = db::exec(tx, kLoadDay, service_code, resource_code, db::epoch(day_start),
                               db::epoch(day_end));
    DayCalendars day;
    bool service_found = false;
    for (const auto& row : rows) {
        const int kind = row[0].as<int>();
        const long long a = row[2].as<long long>();
        const long long b = row[3].as<long long>();
        if (kind == 0) {
            service_found = true;
            day.duration = Seconds(a * 60);
            day.buffer = Seconds(b * 60);
            continue;
        }
        const auto code = row[1].as<std::string>();
        if (kind == 1) {
            day.calendars.push_back(ResourceCalendar{code, {}, {}, {}});
            continue;
        }
        if (kind == 4 && code.empty()) {  // the whole business is closed
            for (auto& c : day.calendars) c.closed.push_back(interval(a, b));
            continue;
        }
        // Rows are ordered by kind then code, and resources came first in code
        // order, so a binary search finds the calendar.
        auto it = std::lower_bound(
            day.calendars.begin(), day.calendars.end(), code,
            [](const ResourceCalendar& c, const std::string& k) { return c.code < k; });
        if (it == day.calendars.end() || it->code != code) continue;
        (kind == 2 ? it->slots : kind == 3 ? it->busy : it->closed).push_back(interval(a, b));
    }
    if (!service_found) throw NotFound("no such service: " + service_code);
    if (resource_code && day.calendars.empty())
        throw NotFound("no such resource: " + *resource_code);
    return day;
}

std::set<std::string> active_service_codes(pqxx::transaction_base& tx) {
    std::set<std::string> codes;
    for (const auto& s : services::list(tx, true)) codes.insert(s.code);
    return codes;
}

void learn_services(pqxx::transaction_base& tx, DayCache& cache) {
    if (cache.has_service({})) return;  // known (whether "" is a service or not)
    const auto ticket = cache.services_ticket();
    cache.offer_services(active_service_codes(tx), ticket);
}

}  // namespace booking::availability
