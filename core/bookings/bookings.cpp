#include "core/bookings/bookings.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/availability/availability.hpp"
#include "core/db/database.hpp"
#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/mail/outbox.hpp"
#include "core/resources/resources.hpp"
#include "core/services/services.hpp"
#include "core/text.hpp"
#include "core/tokens/manage.hpp"
#include "core/users/users.hpp"
#include "core/webhooks/webhooks.hpp"

namespace booking {

void to_json(nlohmann::json& out, const Booking& b) {
    out = nlohmann::json{
        {"id", b.id},
        {"user_id", b.user_id},
        {"service", b.service},
        {"resource", b.resource},
        {"start", format_utc(b.start)},
        {"end", format_utc(b.end)},
        {"duration_minutes", b.duration_minutes},
        {"status", b.status},
        {"notes", b.notes},
        {"created_at", format_utc(b.created_at)},
        {"updated_at", format_utc(b.updated_at)},
        {"cancelled_at", b.cancelled_at ? nlohmann::json(format_utc(*b.cancelled_at)) : nullptr}};
}

namespace bookings {
namespace {

// Every booking query returns these columns, in this order (see from_row).
// clang-format off
#define BOOKING_COLUMNS                                                                 \
    "b.id, b.user_id, s.code, r.code, "                                                 \
    "floor(extract(epoch FROM b.starts_at))::bigint, "                                  \
    "floor(extract(epoch FROM b.ends_at))::bigint, "                                    \
    "b.status, b.notes, "                                                               \
    "floor(extract(epoch FROM b.created_at))::bigint, "                                 \
    "floor(extract(epoch FROM b.updated_at))::bigint, "                                 \
    "floor(extract(epoch FROM b.cancelled_at))::bigint, "                               \
    "b.sequence, u.name, u.email, s.name, r.name"
// clang-format on
#define BOOKING_JOINS                                                                              \
    " JOIN services s ON s.id = b.service_id JOIN resources r ON r.id = b.resource_id JOIN users " \
    "u ON u.id = b.user_id"

const db::Statement kGet{
    "bookings_get", "SELECT " BOOKING_COLUMNS " FROM bookings b" BOOKING_JOINS " WHERE b.id = $1"};
const db::Statement kGetForUpdate{"bookings_get_for_update",
                                  "SELECT " BOOKING_COLUMNS " FROM bookings b" BOOKING_JOINS
                                  " WHERE b.id = $1 FOR UPDATE OF b"};

// Everything a booking or a move needs to know, in one round trip: whether user
// $1 is active (NULL: no such user); service $2 (NULL: none); and, when that
// service is active, each active resource (only resource $3 when given) with a
// slot holding [start $4, start + duration), and whether a confirmed booking
// other than $6 already blocks [start, start + duration + buffer) there (the
// exclusion constraint's range). Since the confirmed bookings of a resource
// never overlap (bookings_no_overlap), such a booking is either the first one
// to start at or after start (and starts inside the range) or the last one to
// start before it (and holds past start): two probes of
// bookings_resource_start_idx, each one B-tree descent, where asking the
// exclusion constraint's GiST index for an overlap cost about half as much
// again (bench/README.md, "The booking check"). Both are written in that
// index's own order (resource, then ORDER BY starts_at LIMIT 1): an EXISTS
// over the range instead was planned, on a new database whose bookings table
// was still empty, with another index that it then read whole for every
// resource as the table filled. A resource whose time off (or
// the business's) overlaps that range is no candidate: time off closes slots,
// hand-made ones too. Resource $5 first, then in code order.
//
// Two forms. A booking's check locks nothing: POST /v1/bookings runs it
// outside any transaction, where a lock would end with the statement, and
// bookings_insert locks its slot itself and checks that it still holds the
// booking. (A lock there would cost a WAL record for every attempt, 409s
// included: bench/README.md.) A move locks the slots it finds against removal
// until its transaction ends (kPlanLocked): bookings_move does not look at
// slots.
#define BOOKINGS_PLAN(LOCK)                                                                     \
    "SELECT (SELECT disabled_at IS NULL FROM users WHERE id = $1), s.id, s.duration_minutes, "  \
    "s.buffer_minutes, s.active, c.id, c.code, c.slot_id, c.slot_start, c.slot_end, c.taken "   \
    "FROM (SELECT 1) AS one LEFT JOIN services s ON s.code = $2 "                               \
    "LEFT JOIN LATERAL (SELECT r.id, r.code, sl.id AS slot_id, "                                \
    "floor(extract(epoch FROM sl.starts_at))::bigint AS slot_start, "                           \
    "floor(extract(epoch FROM sl.ends_at))::bigint AS slot_end, "                               \
    "(coalesce((SELECT b.starts_at < to_timestamp($4) + "                                       \
    "make_interval(mins => s.duration_minutes + s.buffer_minutes) FROM bookings b "             \
    "WHERE b.resource_id = r.id AND b.status = 'confirmed' AND b.id <> $6 "                     \
    "AND b.starts_at >= to_timestamp($4) ORDER BY b.starts_at LIMIT 1), false) "                \
    "OR coalesce((SELECT b.blocked_until > to_timestamp($4) FROM bookings b "                   \
    "WHERE b.resource_id = r.id AND b.status = 'confirmed' AND b.id <> $6 "                     \
    "AND b.starts_at < to_timestamp($4) ORDER BY b.starts_at DESC LIMIT 1), false)) AS taken "  \
    "FROM slots sl JOIN resources r ON r.id = sl.resource_id "                                  \
    "WHERE s.active AND r.active AND ($3::text IS NULL OR r.code = $3) "                        \
    "AND sl.starts_at <= to_timestamp($4) "                                                     \
    "AND sl.ends_at >= to_timestamp($4) + make_interval(mins => s.duration_minutes) "           \
    "AND NOT EXISTS (SELECT 1 FROM time_off t WHERE (t.resource_id IS NULL OR t.resource_id = " \
    "r.id) "                                                                                    \
    "AND tstzrange(t.starts_at, t.ends_at) && tstzrange(to_timestamp($4), to_timestamp($4) + "  \
    "make_interval(mins => s.duration_minutes + s.buffer_minutes))) " LOCK                      \
    ") AS c ON true "                                                                           \
    "ORDER BY (c.code = $5) DESC, c.code"
const db::Statement kPlan{"bookings_plan", BOOKINGS_PLAN("")};
const db::Statement kPlanLocked{"bookings_plan_locked", BOOKINGS_PLAN("FOR KEY SHARE OF sl")};
#undef BOOKINGS_PLAN

// The slot $8, locked against removal, must still hold the booking; the
// exclusion constraint decides the rest, and ON CONFLICT DO NOTHING turns its
// violation into "no row" without aborting the transaction.
const db::Statement kInsert{
    "bookings_insert",
    "WITH sl AS (SELECT 1 FROM slots WHERE id = $8 AND starts_at <= to_timestamp($4) "
    "AND ends_at >= to_timestamp($5) FOR KEY SHARE), "
    "b AS (INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
    "blocked_until, notes) "
    "SELECT $1::bigint, $2::bigint, $3::bigint, to_timestamp($4), to_timestamp($5), "
    "to_timestamp($6), $7::text FROM sl "
    "ON CONFLICT DO NOTHING RETURNING *) "
    "SELECT " BOOKING_COLUMNS " FROM b" BOOKING_JOINS};

// least_busy: auto-assigned bookings of one local day ($1 a time in it, $2 the
// zone) are made one at a time, so that each one counts the ones before it.
const db::Statement kLockDay{
    "bookings_lock_day",
    "SELECT pg_advisory_xact_lock(11, (extract(epoch FROM date_trunc('day', to_timestamp($1), "
    "$2)) / 86400)::int)"};
// Confirmed bookings of each resource of $1 starting on the local day of $2
// in zone $3 (served by bookings_resource_start_idx).
const db::Statement kDayCounts{
    "bookings_day_counts",
    "SELECT r.id, count(b.id) FROM unnest($1::bigint[]) AS r(id) LEFT JOIN bookings b "
    "ON b.resource_id = r.id AND b.status = 'confirmed' "
    "AND b.starts_at >= date_trunc('day', to_timestamp($2), $3) "
    "AND b.starts_at < (date_trunc('day', to_timestamp($2), $3) AT TIME ZONE $3 + interval '1 "
    "day') "
    "AT TIME ZONE $3 GROUP BY r.id"};

const db::Statement kCancel{
    "bookings_cancel",
    "UPDATE bookings SET status = 'cancelled', cancelled_at = now(), updated_at = now(), "
    "sequence = sequence + 1 WHERE id = $1"};

const db::Statement kMove{"bookings_move",
                          "UPDATE bookings SET resource_id = $2, starts_at = to_timestamp($3), "
                          "ends_at = to_timestamp($4), blocked_until = to_timestamp($5), "
                          "sequence = sequence + 1, updated_at = now() WHERE id = $1"};

// Filters that are NULL are not applied. One statement for a user's own
// bookings (served by bookings_user_start_idx), one for everyone's.
#define LIST_FILTERS                                                                       \
    " AND ($2::bigint IS NULL OR b.starts_at >= to_timestamp($2)) "                        \
    "AND ($3::bigint IS NULL OR b.starts_at < to_timestamp($3)) AND ($4::text IS NULL OR " \
    "b.status = $4) "                                                                      \
    "AND ($5::text IS NULL OR r.code = $5) "                                               \
    "AND ($6::bigint IS NULL OR (b.starts_at, b.id) > (to_timestamp($6), $7::bigint)) "    \
    "ORDER BY b.starts_at, b.id LIMIT $8"
const db::Statement kListForUser{"bookings_list_user",
                                 "SELECT " BOOKING_COLUMNS " FROM bookings b" BOOKING_JOINS
                                 " WHERE b.user_id = $1" LIST_FILTERS};
const db::Statement kListAll{"bookings_list_all",
                             "SELECT " BOOKING_COLUMNS " FROM bookings b" BOOKING_JOINS
                             " WHERE ($1::bigint IS NULL OR b.user_id = $1)" LIST_FILTERS};

// How many bookings list would give without a limit (for "N more"), with the
// same filters; served by the same indexes as the lists.
const db::Statement kCount{
    "bookings_count",
    "SELECT count(*) FROM bookings b JOIN resources r ON r.id = b.resource_id"
    " WHERE ($1::bigint IS NULL OR b.user_id = $1)"
    " AND ($2::bigint IS NULL OR b.starts_at >= to_timestamp($2))"
    " AND ($3::bigint IS NULL OR b.starts_at < to_timestamp($3))"
    " AND ($4::text IS NULL OR b.status = $4)"
    " AND ($5::text IS NULL OR r.code = $5)"};

// Confirmed bookings whose held time [start, blocked_until) overlaps [$1, $2),
// of resource $3 when given, by resource code then start. A booking holds at
// most two days (duration and buffer are each at most 1440 minutes), so the
// lower bound on starts_at lets bookings_resource_start_idx (or
// bookings_start_idx) read only those days.
const db::Statement kHeld{
    "bookings_held", "SELECT " BOOKING_COLUMNS
                     ", floor(extract(epoch FROM b.blocked_until))::bigint "
                     "FROM bookings b" BOOKING_JOINS
                     " WHERE b.status = 'confirmed' AND b.starts_at < to_timestamp($2) "
                     "AND b.starts_at > to_timestamp($1) - interval '2 days' "
                     "AND b.blocked_until > to_timestamp($1) AND ($3::text IS NULL OR r.code = $3) "
                     "ORDER BY r.code, b.starts_at, b.id"};

Booking from_row(const pqxx::row& r) {
    Booking b;
    b.id = r[0].as<long long>();
    b.user_id = r[1].as<long long>();
    b.service = r[2].as<std::string>();
    b.resource = r[3].as<std::string>();
    b.start = db::as_time(r[4]);
    b.end = db::as_time(r[5]);
    b.duration_minutes = static_cast<int>((b.end - b.start).count() / 60);
    b.status = r[6].as<std::string>();
    b.notes = r[7].as<std::string>();
    b.created_at = db::as_time(r[8]);
    b.updated_at = db::as_time(r[9]);
    if (!r[10].is_null()) b.cancelled_at = db::as_time(r[10]);
    b.sequence = r[11].as<int>();
    b.customer_name = r[12].as<std::string>();
    b.customer_email = r[13].as<std::string>();
    b.service_name = r[14].as<std::string>();
    b.resource_name = r[15].as<std::string>();
    return b;
}

std::string not_found(long long id) { return "no booking with id " + std::to_string(id); }

// A resource that can take the booking: a slot holds it, on the grid.
struct Candidate {
    long long resource_id;
    long long slot_id;
    bool taken;  // by a confirmed booking (other than the one being moved)
};

// What kPlan (or kPlanLocked) found.
struct Options {
    std::optional<bool> user_active;
    bool service_bookable = false;  // it exists and is active
    long long service_id = 0;
    Seconds duration{0};
    Seconds buffer{0};
    std::vector<Candidate> candidates;  // in order of preference, on the grid
};

Options options_for(pqxx::transaction_base& tx, const BookingPolicy& policy, long long user_id,
                    const std::string& service, const std::optional<std::string>& resource,
                    Time start, const std::string& preferred_resource, long long moving) {
    Options out;
    // Only a move (moving: its booking's id) keeps its slots locked.
    const auto rows = db::exec(tx, moving ? kPlanLocked : kPlan, user_id, service, resource,
                               db::epoch(start), preferred_resource, moving);
    if (rows.empty()) return out;
    const auto& first = rows[0];
    if (!first[0].is_null()) out.user_active = first[0].as<bool>();
    if (first[1].is_null()) return out;
    out.service_bookable = first[4].as<bool>();
    out.service_id = first[1].as<long long>();
    out.duration = Seconds(first[2].as<long long>() * 60);
    out.buffer = Seconds(first[3].as<long long>() * 60);
    for (const auto& row : rows) {
        if (row[5].is_null()) continue;
        Interval slot{db::as_time(row[8]), db::as_time(row[9])};
        if (is_start_in_slot(slot, start, out.duration, policy.slot_step))
            out.candidates.push_back(
                {row[5].as<long long>(), row[7].as<long long>(), row[10].as<bool>()});
    }
    return out;
}

void check_service(const Options& options, const std::string& code) {
    if (!options.service_bookable)
        throw NotFound("no bookable service with code \"" + printable(code) + "\"", "service");
}

// Invalid when no resource can take it (a named one that does not take
// bookings, or no open slot on the grid); NotFound for a named one that does not exist.
void check_candidates(pqxx::transaction_base& tx, const BookingPolicy& policy,
                      const Options& options, const std::optional<std::string>& resource,
                      Time start) {
    if (resource) {
        auto r = resources::find(tx, *resource);
        if (!r.active)
            throw Invalid("resource", "resource \"" + r.code + "\" is not taking bookings");
    }
    if (options.candidates.empty())
        throw Invalid("start",
                      format_utc(start) + " is not a bookable start time" +
                          (resource ? " for resource \"" + *resource + "\"" : std::string()) +
                          " (outside every open slot, or off the " +
                          format_duration(policy.slot_step) + " grid)");
}

Conflict taken(Time start, bool any_resource) {
    return Conflict(format_utc(start) + " is already booked" +
                    (any_resource ? " on every resource that offers it" : ""));
}

// Time off added while the booking was being made (sql/0012's check).
Conflict closed(Time start) {
    return Conflict(format_utc(start) + " is no longer free: time off was added there");
}

std::string validate_notes(const std::string& notes) {
    if (!is_valid_utf8(notes)) throw Invalid("notes", "is not valid UTF-8");
    if (utf8_length(notes) > 1000) throw Invalid("notes", "must be at most 1000 characters");
    return notes;
}

Booking locked(pqxx::transaction_base& tx, const Actor& actor, long long id) {
    auto result = db::exec(tx, kGetForUpdate, id);
    if (result.empty()) throw NotFound(not_found(id));
    Booking b = from_row(result[0]);
    if (!may_see(actor, b)) throw NotFound(not_found(id));
    return b;
}

}  // namespace

PreparedBooking prepare(pqxx::transaction_base& tx, const BookingPolicy& policy,
                        const NewBooking& request, Time now) {
    const auto options = options_for(tx, policy, request.user_id, request.service, request.resource,
                                     request.start, std::string(), 0);
    if (!options.user_active)
        throw NotFound("no user with id " + std::to_string(request.user_id), "user");
    if (!*options.user_active)
        throw Invalid("user", "user " + std::to_string(request.user_id) + " is disabled");
    check_service(options, request.service);
    PreparedBooking out;
    out.request = request;
    out.request.notes = validate_notes(request.notes);
    check_start_time(policy, now, request.start, request.override_notice);
    check_candidates(tx, policy, options, request.resource, request.start);
    out.service_id = options.service_id;
    out.end = request.start + options.duration;
    out.blocked_until = out.end + options.buffer;
    for (const auto& c : options.candidates)
        if (!c.taken) out.free.push_back({c.resource_id, c.slot_id});
    if (out.free.empty()) throw taken(request.start, !request.resource);
    if (policy.least_busy && !request.resource && out.free.size() > 1)
        out.least_busy_zone = policy.time_zone;
    return out;
}

namespace {

enum class Change { Created, Cancelled, Rescheduled };

// What a booking change tells the outside, queued in the change's own
// transaction (so both are sent if and only if it commits): the customer's
// email, unless `email` is false, and a webhook delivery to every endpoint
// subscribed to the event (SPEC §9). Every change, from the API, bookingctl,
// a manage link, time off or a removed slot, comes through here.
void announce(pqxx::transaction_base& tx, Change change, const Booking& b, bool email = true) {
    switch (change) {
        case Change::Created:
            if (email) mail::queue_booking_email(tx, b.id, mail::kConfirmation);
            webhooks::enqueue(tx, webhooks::kCreated, b);
            return;
        case Change::Cancelled:
            if (email) mail::queue_booking_email(tx, b.id, mail::kCancellation);
            webhooks::enqueue(tx, webhooks::kCancelled, b);
            return;
        case Change::Rescheduled:
            if (email) mail::queue_booking_email(tx, b.id, mail::kRescheduled);
            webhooks::enqueue(tx, webhooks::kRescheduled, b);
            return;
    }
}

// The free resources, least busy that local day first (ties: the order found,
// which is by code), counted after the day's lock: a booking made at the same
// moment is counted or waits for this one.
std::vector<std::pair<long long, long long>> least_busy_first(pqxx::transaction_base& tx,
                                                              const PreparedBooking& prepared) {
    const auto& zone = *prepared.least_busy_zone;
    const long long start = db::epoch(prepared.request.start);
    db::exec(tx, kLockDay, start, zone);
    std::vector<long long> free_ids;
    for (const auto& [resource_id, _] : prepared.free) free_ids.push_back(resource_id);
    const std::string ids = db::int_array(free_ids);
    std::map<long long, long long> count;
    for (const auto& row : db::exec(tx, kDayCounts, ids, start, zone))
        count[row[0].as<long long>()] = row[1].as<long long>();
    auto free = prepared.free;
    std::stable_sort(free.begin(), free.end(),
                     [&](const auto& a, const auto& b) { return count[a.first] < count[b.first]; });
    return free;
}

}  // namespace

Booking book(pqxx::transaction_base& tx, const PreparedBooking& prepared) {
    const auto& request = prepared.request;
    const auto free = prepared.least_busy_zone ? least_busy_first(tx, prepared) : prepared.free;
    for (const auto& [resource_id, slot_id] : free) {
        pqxx::result inserted;
        try {
            inserted = db::exec(tx, kInsert, request.user_id, prepared.service_id, resource_id,
                                db::epoch(request.start), db::epoch(prepared.end),
                                db::epoch(prepared.blocked_until), request.notes, slot_id);
        } catch (const pqxx::sql_error& e) {
            if (e.sqlstate() == db::kInsideTimeOff) throw closed(request.start);
            throw;
        }
        if (inserted.empty()) continue;  // taken since (or its slot removed): try the next
        Booking b = from_row(inserted[0]);
        tokens::create_manage_link(tx, b.id);
        announce(tx, Change::Created, b);
        return b;
    }
    throw taken(request.start, !request.resource);
}

Booking create(pqxx::transaction_base& tx, const BookingPolicy& policy, const NewBooking& request,
               Time now) {
    return book(tx, prepare(tx, policy, request, now));
}

Booking get(pqxx::transaction_base& tx, const Actor& actor, long long id) {
    auto result = db::exec(tx, kGet, id);
    if (result.empty()) throw NotFound(not_found(id));
    Booking b = from_row(result[0]);
    if (!may_see(actor, b)) throw NotFound(not_found(id));
    return b;
}

Booking cancel(pqxx::transaction_base& tx, const BookingPolicy& policy, const Actor& actor,
               long long id, Time now, bool send_email) {
    Booking b = locked(tx, actor, id);
    if (b.status == "cancelled") return b;
    check_may_cancel(policy, actor, b, now);
    db::exec(tx, kCancel, id);
    Booking cancelled = from_row(db::exec(tx, kGet, id)[0]);
    announce(tx, Change::Cancelled, cancelled, send_email);
    return cancelled;
}

Booking reschedule(pqxx::transaction_base& tx, const BookingPolicy& policy, const Actor& actor,
                   long long id, Time new_start, const std::optional<std::string>& resource,
                   Time now) {
    Booking b = locked(tx, actor, id);
    check_may_reschedule(policy, actor, b, now);
    const auto options =
        options_for(tx, policy, b.user_id, b.service, resource, new_start, b.resource, id);
    check_service(options, b.service);
    check_start_time(policy, now, new_start, false);
    check_candidates(tx, policy, options, resource, new_start);
    const Time end = new_start + options.duration;
    for (const auto& candidate : options.candidates) {
        if (candidate.taken) continue;
        try {
            db::exec(tx, kMove, id, candidate.resource_id, db::epoch(new_start), db::epoch(end),
                     db::epoch(end + options.buffer));
        } catch (const pqxx::sql_error& e) {
            // A concurrent booking took it between the check and the move.
            if (e.sqlstate() == db::kExclusionViolation)
                throw Conflict(format_utc(new_start) + " is already booked");
            if (e.sqlstate() == db::kInsideTimeOff) throw closed(new_start);
            throw;
        }
        Booking moved = from_row(db::exec(tx, kGet, id)[0]);
        announce(tx, Change::Rescheduled, moved);
        return moved;
    }
    throw Conflict(format_utc(new_start) + " is already booked");
}

namespace {

template <class Visit>
void run_list(pqxx::transaction_base& tx, const Actor& actor, const BookingFilter& f,
              long long limit, Visit&& visit) {
    std::optional<long long> from, to, after_start, after_id;
    if (f.from) from = db::epoch(*f.from);
    if (f.to) to = db::epoch(*f.to);
    if (f.after) after_start = db::epoch(f.after->first), after_id = f.after->second;
    std::optional<long long> user = f.user_id;
    if (!is_staff(actor.role)) user = actor.user_id;
    const db::Statement& statement = user ? kListForUser : kListAll;
    for (const auto& row : db::exec(tx, statement, user, from, to, f.status, f.resource,
                                    after_start, after_id, limit))
        visit(from_row(row));
}

}  // namespace

std::vector<Booking> list(pqxx::transaction_base& tx, const Actor& actor,
                          const BookingFilter& filter) {
    std::vector<Booking> out;
    long long limit = filter.limit > 0 ? filter.limit : std::numeric_limits<long long>::max();
    run_list(tx, actor, filter, limit, [&](Booking b) { out.push_back(std::move(b)); });
    return out;
}

std::vector<HeldBooking> held(pqxx::transaction_base& tx, Time from, Time to,
                              const std::optional<std::string>& resource) {
    std::vector<HeldBooking> out;
    for (const auto& row : db::exec(tx, kHeld, db::epoch(from), db::epoch(to), resource))
        out.push_back({from_row(row), db::as_time(row[16])});
    return out;
}

long long count(pqxx::transaction_base& tx, const BookingFilter& f) {
    std::optional<long long> from, to;
    if (f.from) from = db::epoch(*f.from);
    if (f.to) to = db::epoch(*f.to);
    return db::exec(tx, kCount, f.user_id, from, to, f.status, f.resource)[0][0].as<long long>();
}

// Rows an export reads at a time: its memory stays flat whatever the bookings.
constexpr pqxx::result::size_type kExportBatch = 5000;

void for_each(pqxx::transaction_base& tx, const BookingFilter& f,
              const std::function<void(const Booking&)>& visit) {
    std::optional<long long> from, to;
    if (f.from) from = db::epoch(*f.from);
    if (f.to) to = db::epoch(*f.to);
    // The whole export is read, so plan it for all its rows, not for the
    // first tenth (a cursor's default): with many customers the fast-start
    // plan looks each booking's customer up by index, a million lookups,
    // and took twice as long as joining by hash and sorting (bench/README.md,
    // "Export at scale").
    tx.exec("SET LOCAL cursor_tuple_fraction = 1");
    tx.exec_params("DECLARE booking_export NO SCROLL CURSOR FOR SELECT " BOOKING_COLUMNS
                   " FROM bookings b" BOOKING_JOINS
                   " WHERE ($1::bigint IS NULL OR b.user_id = $1)"
                   " AND ($2::bigint IS NULL OR b.starts_at >= to_timestamp($2))"
                   " AND ($3::bigint IS NULL OR b.starts_at < to_timestamp($3))"
                   " AND ($4::text IS NULL OR b.status = $4) AND ($5::text IS NULL OR r.code = $5)"
                   " ORDER BY b.starts_at, b.id",
                   f.user_id, from, to, f.status, f.resource);
    // One batch ahead: the server reads the next batch while this thread
    // writes the last ones, instead of each side waiting for the other.
    const std::string fetch = "FETCH " + std::to_string(kExportBatch) + " FROM booking_export";
    {
        pqxx::pipeline ahead(tx);
        ahead.retain(0);
        auto next = ahead.insert(fetch);
        while (true) {
            const pqxx::result batch = ahead.retrieve(next);
            const bool more = batch.size() == kExportBatch;
            if (more) next = ahead.insert(fetch);
            for (const auto& row : batch) visit(from_row(row));
            if (!more) break;
        }
        ahead.complete();
    }
    tx.exec("CLOSE booking_export");
}

}  // namespace bookings
}  // namespace booking
