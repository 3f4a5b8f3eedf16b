#pragma once
// Bookings in the database. The exclusion constraint of sql/0001 is the
// guarantee against double booking; these functions turn its violation into
// Conflict and write each change's email into the outbox in the same transaction.
#include <functional>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <utility>
#include <vector>

#include "core/bookings/booking.hpp"
#include "core/bookings/rules.hpp"

namespace booking::bookings {

struct NewBooking {
    long long user_id = 0;
    std::string service;  // code
    Time start{};
    std::optional<std::string> resource;  // code; any free one when absent
    std::string notes;
    bool override_notice = false;  // staff only: lifts min_notice and horizon
};

// Invalid (off the grid, outside every slot, past, notice, horizon, notes too
// long), NotFound (service, resource, user), Conflict (the time is taken).
Booking create(pqxx::transaction_base& tx, const BookingPolicy& policy, const NewBooking& request,
               Time now);

// create in two steps, for a caller that checks outside a transaction (one
// round trip, and a taken time refused without opening one) and books inside
// one: prepare throws what create throws; book writes the booking and its
// email, or throws Conflict when every resource found free is taken since.
struct PreparedBooking {
    NewBooking request;  // notes checked
    long long service_id = 0;
    Time end{};
    Time blocked_until{};                               // end + the service's buffer
    std::vector<std::pair<long long, long long>> free;  // (resource id, slot id), preferred first
    // Set when business.assign is least_busy and several resources are free:
    // book() orders them by that local day's bookings (of this zone) first.
    std::optional<std::string> least_busy_zone;
};
PreparedBooking prepare(pqxx::transaction_base& tx, const BookingPolicy& policy,
                        const NewBooking& request, Time now);
Booking book(pqxx::transaction_base& tx, const PreparedBooking& prepared);

// NotFound also when the actor may not see it.
Booking get(pqxx::transaction_base& tx, const Actor& actor, long long id);

Booking cancel(pqxx::transaction_base& tx, const BookingPolicy& policy, const Actor& actor,
               long long id, Time now, bool send_email = true);

Booking reschedule(pqxx::transaction_base& tx, const BookingPolicy& policy, const Actor& actor,
                   long long id, Time new_start, const std::optional<std::string>& resource,
                   Time now);

struct BookingFilter {
    std::optional<Time> from;  // start >= from
    std::optional<Time> to;    // start < to
    std::optional<std::string> status;
    std::optional<long long> user_id;
    std::optional<std::string> resource;
    // Keyset pagination: rows after (start, id).
    std::optional<std::pair<Time, long long>> after;
    int limit = 0;  // 0 = no limit
};
// Customers' filters are narrowed to their own bookings.
std::vector<Booking> list(pqxx::transaction_base& tx, const Actor& actor,
                          const BookingFilter& filter);

// Confirmed bookings whose held time (start to end plus the service's buffer)
// overlaps [from, to), of one resource (code) or all, by resource code then start.
struct HeldBooking {
    Booking booking;
    Time blocked_until{};  // end + buffer
};
std::vector<HeldBooking> held(pqxx::transaction_base& tx, Time from, Time to,
                              const std::optional<std::string>& resource);

// How many bookings match (from, to, status, user_id, resource; no limit):
// what a staff list cut short by its limit leaves out.
long long count(pqxx::transaction_base& tx, const BookingFilter& filter);

// Streams every matching booking, sorted by start then id, through a
// server-side cursor: memory does not grow with the number of rows.
void for_each(pqxx::transaction_base& tx, const BookingFilter& filter,
              const std::function<void(const Booking&)>& visit);

}  // namespace booking::bookings
