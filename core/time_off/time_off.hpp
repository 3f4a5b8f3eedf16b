#pragma once
// Time off (SPEC §5 `time-off`, §10): closed ranges for one resource or for
// all, added by hand or imported from an iCalendar file. No start time inside
// them is offered or booked (core/availability, core/bookings).
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>
#include <vector>

#include "core/availability/availability.hpp"
#include "core/bookings/rules.hpp"

namespace booking::time_off {

struct TimeOff {
    long long id = 0;
    std::optional<std::string> resource;  // code; none = every resource
    Time start{};
    Time end{};
    std::string reason;
    std::optional<std::string> source_uid;  // the iCalendar UID it was imported from
};
// {id, resource (null = all), start, end, reason, source ("manual" or the UID)}
void to_json(nlohmann::json& out, const TimeOff& t);

struct NewTimeOff {
    std::optional<std::string> resource;  // none = all
    Time start{};
    Time end{};
    std::string reason;
    std::optional<std::string> source_uid;
};

// What add and import did: the rows added and the bookings they cancelled.
struct Added {
    std::vector<TimeOff> added;
    std::size_t already_there = 0;  // imported before: not added again
    std::vector<long long> cancelled;
};

// Refused (Conflict naming the bookings) while confirmed bookings lie inside
// one of them, unless cancel_bookings: then they are cancelled and each
// customer's cancellation email is queued, in the caller's transaction.
// Invalid for end <= start or a reason too long; NotFound for the resource.
Added add(pqxx::transaction_base& tx, const std::vector<NewTimeOff>& entries, bool cancel_bookings,
          const BookingPolicy& policy, Time now);

struct Filter {
    std::optional<std::string> resource;  // its own and the business's
    std::optional<Time> from;             // ending after this
    std::optional<Time> to;               // starting before this
};
std::vector<TimeOff> list(pqxx::transaction_base& tx, const Filter& filter);
void remove(pqxx::transaction_base& tx, long long id);  // NotFound

// The largest iCalendar file import reads, and the most it expands one file to:
// steps of its RRULEs from their DTSTART to the horizon, and closed ranges.
inline constexpr std::size_t kMaxCalendarBytes = 10 * 1024 * 1024;
inline constexpr long long kMaxCalendarRepetitions = 100'000;
inline constexpr std::size_t kMaxCalendarClosedTimes = 10'000;

// One closed range per VEVENT occurrence of an iCalendar text: DATE values are
// whole local days (DTEND exclusive, one day without it), floating times are
// business-local, recurrences (RRULE, RDATE, EXDATE) are expanded up to
// `until`; occurrences ending before `since` are left out, and so are
// cancelled events. Invalid("file", ...) when the text is not iCalendar or asks
// for more than the limits above.
struct CalendarEvent {
    std::string uid;
    std::string summary;
    Interval when;
};
std::vector<CalendarEvent> read_calendar(std::string_view text, const BusinessZone& zone,
                                         Time since, Time until);

}  // namespace booking::time_off
