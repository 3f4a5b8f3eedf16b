#include "core/slots/slots.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/bookings/in_the_way.hpp"
#include "core/db/database.hpp"
#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/resources/resources.hpp"

namespace booking {

void to_json(nlohmann::json& out, const Slot& slot) {
    out = nlohmann::json{{"id", slot.id},
                         {"resource", slot.resource},
                         {"start", format_utc(slot.start)},
                         {"end", format_utc(slot.end)}};
}

namespace slots {
namespace {

#define SLOT_COLUMNS                                                                            \
    "sl.id, r.code, floor(extract(epoch FROM sl.starts_at))::bigint, floor(extract(epoch FROM " \
    "sl.ends_at))::bigint"

const db::Statement kInsert{"slots_insert",
                            "WITH sl AS (INSERT INTO slots (resource_id, starts_at, ends_at) "
                            "VALUES ($1, to_timestamp($2), to_timestamp($3)) "
                            "ON CONFLICT DO NOTHING RETURNING *) SELECT " SLOT_COLUMNS
                            " FROM sl JOIN resources r ON r.id = sl.resource_id"};
const db::Statement kOverlapping{
    "slots_overlapping",
    "SELECT " SLOT_COLUMNS
    " FROM slots sl JOIN resources r ON r.id = sl.resource_id WHERE sl.resource_id = $1 "
    "AND tstzrange(sl.starts_at, sl.ends_at) && tstzrange(to_timestamp($2), to_timestamp($3)) "
    "ORDER BY sl.starts_at"};
// Serialises slot changes of one resource (generate checks, then inserts).
const db::Statement kLockResource{"slots_lock_resource",
                                  "SELECT pg_advisory_xact_lock(7, $1::int)"};
const db::Statement kList{
    "slots_list",
    "SELECT " SLOT_COLUMNS
    " FROM slots sl JOIN resources r ON r.id = sl.resource_id "
    "WHERE ($1::text IS NULL OR r.code = $1) "
    "AND ($2::bigint IS NULL OR sl.ends_at > to_timestamp($2)) "
    "AND ($3::bigint IS NULL OR sl.starts_at < to_timestamp($3)) ORDER BY sl.starts_at, r.code"};
const db::Statement kFind{
    "slots_find", "SELECT " SLOT_COLUMNS
                  " FROM slots sl JOIN resources r ON r.id = sl.resource_id WHERE sl.id = $1 "
                  "FOR UPDATE OF sl"};
const db::Statement kBookingsInside{
    "slots_bookings_inside",
    "SELECT b.id, r.code, floor(extract(epoch FROM b.starts_at))::bigint FROM bookings b "
    "JOIN slots sl ON sl.resource_id = b.resource_id JOIN resources r ON r.id = b.resource_id "
    "WHERE sl.id = $1 "
    "AND b.status = 'confirmed' AND tstzrange(b.starts_at, b.ends_at) && tstzrange(sl.starts_at, "
    "sl.ends_at) "
    "ORDER BY b.starts_at"};
const db::Statement kDelete{"slots_delete", "DELETE FROM slots WHERE id = $1"};

Slot from_row(const pqxx::row& r) {
    return Slot{r[0].as<long long>(), r[1].as<std::string>(), db::as_time(r[2]), db::as_time(r[3])};
}

std::string describe(const Slot& s) {
    return "slot " + std::to_string(s.id) + " (" + s.resource + ", " + format_utc(s.start) +
           " to " + format_utc(s.end) + ")";
}

}  // namespace

Slot add(pqxx::transaction_base& tx, const std::string& resource, Time start, Time end) {
    if (end <= start) throw Invalid("end", "must be after the start");
    auto r = resources::find(tx, resource);
    db::exec(tx, kLockResource, r.id);
    auto inserted = db::exec(tx, kInsert, r.id, db::epoch(start), db::epoch(end));
    if (!inserted.empty()) return from_row(inserted[0]);
    auto overlapping = db::exec(tx, kOverlapping, r.id, db::epoch(start), db::epoch(end));
    throw Conflict("overlaps " + (overlapping.empty() ? std::string("another slot")
                                                      : describe(from_row(overlapping[0]))));
}

GenerateResult generate(pqxx::transaction_base& tx, const std::string& resource,
                        const std::vector<Interval>& planned, bool dry_run) {
    auto r = resources::find(tx, resource);
    db::exec(tx, kLockResource, r.id);
    GenerateResult result;
    for (const auto& interval : planned) {
        if (interval.end <= interval.start)
            throw Invalid("hours", "a slot must end after it starts");
        bool covered =
            !db::exec(tx, kOverlapping, r.id, db::epoch(interval.start), db::epoch(interval.end))
                 .empty();
        if (covered) {
            result.skipped.push_back(interval);
            continue;
        }
        if (!dry_run)
            db::exec(tx, kInsert, r.id, db::epoch(interval.start), db::epoch(interval.end));
        result.created.push_back(interval);
    }
    return result;
}

std::vector<Slot> list(pqxx::transaction_base& tx, const SlotFilter& filter) {
    if (filter.resource) resources::find(tx, *filter.resource);
    std::optional<long long> from, to;
    if (filter.from) from = db::epoch(*filter.from);
    if (filter.to) to = db::epoch(*filter.to);
    std::vector<Slot> out;
    for (const auto& row : db::exec(tx, kList, filter.resource, from, to))
        out.push_back(from_row(row));
    return out;
}

Slot find(pqxx::transaction_base& tx, long long id) {
    auto result = db::exec(tx, kFind, id);
    if (result.empty()) throw NotFound("no slot with id " + std::to_string(id));
    return from_row(result[0]);
}

std::vector<long long> remove(pqxx::transaction_base& tx, long long id, bool cancel_bookings,
                              const BookingPolicy& policy, Time now) {
    Slot slot = find(tx, id);  // locked: no booking can be made inside it until we finish
    std::vector<bookings::InTheWay> inside;
    for (const auto& row : db::exec(tx, kBookingsInside, id))
        inside.push_back({row[0].as<long long>(), row[1].as<std::string>(), db::as_time(row[2])});
    auto cancelled =
        bookings::clear_the_way(tx, policy, inside, cancel_bookings, describe(slot), now);
    db::exec(tx, kDelete, id);
    return cancelled;
}

}  // namespace slots
}  // namespace booking
