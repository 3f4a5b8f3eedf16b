#include "core/time_off/time_off.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/bookings/in_the_way.hpp"
#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/resources/resources.hpp"
#include "core/text.hpp"

namespace booking {
namespace time_off {

void to_json(nlohmann::json& out, const TimeOff& t) {
    out = nlohmann::json{{"id", t.id},
                         {"resource", t.resource ? nlohmann::json(*t.resource) : nullptr},
                         {"start", format_utc(t.start)},
                         {"end", format_utc(t.end)},
                         {"reason", t.reason},
                         {"source", t.source_uid ? *t.source_uid : std::string("manual")}};
}

namespace {

#define TIME_OFF_COLUMNS                                             \
    "t.id, r.code, floor(extract(epoch FROM t.starts_at))::bigint, " \
    "ceil(extract(epoch FROM t.ends_at))::bigint, t.reason, t.source_uid"

// An imported occurrence that is already there is "no row", not an error.
const db::Statement kInsert{
    "time_off_insert",
    "WITH t AS (INSERT INTO time_off (resource_id, starts_at, ends_at, reason, source_uid) "
    "VALUES ($1, to_timestamp($2), to_timestamp($3), $4, $5) ON CONFLICT DO NOTHING RETURNING *) "
    "SELECT " TIME_OFF_COLUMNS " FROM t LEFT JOIN resources r ON r.id = t.resource_id"};
// The confirmed bookings whose time [start, end) overlaps a closed range,
// locked so that none is moved or cancelled meanwhile. The range with
// blocked_until finds them through the exclusion constraint's GiST index
// (with or without a resource); ends_at leaves out those only a buffer reaches.
const db::Statement kBookingsInside{
    "time_off_bookings_inside",
    "SELECT b.id, r.code, floor(extract(epoch FROM b.starts_at))::bigint FROM bookings b "
    "JOIN resources r ON r.id = b.resource_id WHERE b.status = 'confirmed' "
    "AND ($1::bigint IS NULL OR b.resource_id = $1) "
    "AND tstzrange(b.starts_at, b.blocked_until) && tstzrange(to_timestamp($2), to_timestamp($3)) "
    "AND b.ends_at > to_timestamp($2) ORDER BY b.starts_at, b.id FOR UPDATE OF b"};
// Held from before the first insert to the commit, so that no booking is made
// inside the new time off unseen (sql/0012: bookings take it shared).
const db::Statement kLockClosing{"time_off_lock_closing", "SELECT pg_advisory_xact_lock(12, 0)"};
const db::Statement kList{
    "time_off_list",
    "SELECT " TIME_OFF_COLUMNS
    " FROM time_off t LEFT JOIN resources r ON r.id = t.resource_id "
    "WHERE ($1::text IS NULL OR r.code = $1 OR t.resource_id IS NULL) "
    "AND ($2::bigint IS NULL OR t.ends_at > to_timestamp($2)) "
    "AND ($3::bigint IS NULL OR t.starts_at < to_timestamp($3)) ORDER BY t.starts_at, t.id"};
const db::Statement kDelete{"time_off_delete", "DELETE FROM time_off WHERE id = $1"};

TimeOff from_row(const pqxx::row& r) {
    TimeOff t;
    t.id = r[0].as<long long>();
    if (!r[1].is_null()) t.resource = r[1].as<std::string>();
    t.start = db::as_time(r[2]);
    t.end = db::as_time(r[3]);
    t.reason = r[4].as<std::string>();
    if (!r[5].is_null()) t.source_uid = r[5].as<std::string>();
    return t;
}

void check(const NewTimeOff& e) {
    if (e.end <= e.start)
        throw Invalid("to", format_utc(e.end) + " is not after the start " + format_utc(e.start));
    if (!is_valid_utf8(e.reason)) throw Invalid("reason", "is not valid UTF-8");
    if (e.reason.size() > 500) throw Invalid("reason", "must be at most 500 bytes");
}

}  // namespace

Added add(pqxx::transaction_base& tx, const std::vector<NewTimeOff>& entries, bool cancel_bookings,
          const BookingPolicy& policy, Time now) {
    for (const auto& e : entries) check(e);
    if (!entries.empty()) db::exec(tx, kLockClosing);
    std::map<std::string, long long> resource_ids;
    Added out;
    std::vector<bookings::InTheWay> inside;
    for (const auto& e : entries) {
        std::optional<long long> resource_id;
        if (e.resource) {
            auto it = resource_ids.find(*e.resource);
            if (it == resource_ids.end())
                it = resource_ids.emplace(*e.resource, resources::find(tx, *e.resource).id).first;
            resource_id = it->second;
        }
        auto inserted = db::exec(tx, kInsert, resource_id, db::epoch(e.start), db::epoch(e.end),
                                 e.reason, e.source_uid);
        if (inserted.empty()) {
            ++out.already_there;
            continue;
        }
        out.added.push_back(from_row(inserted[0]));
        for (const auto& row :
             db::exec(tx, kBookingsInside, resource_id, db::epoch(e.start), db::epoch(e.end)))
            inside.push_back(
                {row[0].as<long long>(), row[1].as<std::string>(), db::as_time(row[2])});
    }
    out.cancelled =
        bookings::clear_the_way(tx, policy, inside, cancel_bookings, "the time off", now);
    return out;
}

std::vector<TimeOff> list(pqxx::transaction_base& tx, const Filter& filter) {
    if (filter.resource) resources::find(tx, *filter.resource);
    std::optional<long long> from, to;
    if (filter.from) from = db::epoch(*filter.from);
    if (filter.to) to = db::epoch(*filter.to);
    std::vector<TimeOff> out;
    for (const auto& row : db::exec(tx, kList, filter.resource, from, to))
        out.push_back(from_row(row));
    return out;
}

void remove(pqxx::transaction_base& tx, long long id) {
    if (db::exec(tx, kDelete, id).affected_rows() == 0)
        throw NotFound("no time off with id " + std::to_string(id), "time off");
}

}  // namespace time_off
}  // namespace booking
