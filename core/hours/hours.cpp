#include "core/hours/hours.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>

#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/resources/resources.hpp"

namespace booking::hours {
namespace {

const db::Statement kDeleteDays{"hours_delete_days",
                                "DELETE FROM weekly_hours WHERE resource_id = $1 "
                                "AND weekday = ANY($2::smallint[]) AND valid_from = $3::date"};
const db::Statement kInsert{"hours_insert",
                            "INSERT INTO weekly_hours (resource_id, weekday, valid_from, opens, "
                            "closes) VALUES ($1, $2, $3::date, $4::time, $5::time)"};
const db::Statement kDeleteFrom{
    "hours_delete_from",
    "DELETE FROM weekly_hours WHERE resource_id = $1 AND valid_from >= $2::date"};
// One "closed from $2" row for each day whose hours in force before $2 are open.
const db::Statement kCloseFrom{
    "hours_close_from",
    "INSERT INTO weekly_hours (resource_id, weekday, valid_from) "
    "SELECT $1, w.weekday, $2::date FROM (SELECT DISTINCT ON (weekday) weekday, opens "
    "FROM weekly_hours WHERE resource_id = $1 AND valid_from < $2::date "
    "ORDER BY weekday, valid_from DESC, opens NULLS FIRST) w WHERE w.opens IS NOT NULL"};
// The rows in force on $2 and those after it; a "closed" row only when it is
// still to come.
const db::Statement kShow{
    "hours_show",
    "SELECT r.code, h.weekday, h.valid_from::text, to_char(h.opens, 'HH24:MI'), "
    "to_char(h.closes, 'HH24:MI') FROM weekly_hours h JOIN resources r ON r.id = h.resource_id "
    "WHERE ($1::text IS NULL OR r.code = $1) "
    "AND h.valid_from >= coalesce((SELECT max(valid_from) FROM weekly_hours h2 "
    "WHERE h2.resource_id = h.resource_id AND h2.weekday = h.weekday "
    "AND h2.valid_from <= $2::date), '-infinity') "
    "AND NOT (h.opens IS NULL AND h.valid_from <= $2::date) "
    "ORDER BY r.code, h.weekday, h.valid_from, h.opens"};

// One sync at a time, whoever runs it (bookingd's hourly job, bookingctl).
const db::Statement kLock{"hours_sync_lock", "SELECT pg_advisory_xact_lock(10, 0)"};
const db::Statement kTryLock{"hours_sync_try_lock", "SELECT pg_try_advisory_xact_lock(10, 0)"};
// The same lock as slots add/generate take for a resource's slot changes.
const db::Statement kLockResource{"hours_sync_lock_resource",
                                  "SELECT pg_advisory_xact_lock(7, $1::int)"};
const db::Statement kLoadHours{
    "hours_sync_load_hours",
    "SELECT resource_id, weekday, valid_from::text, "
    "(extract(epoch FROM opens) / 60)::bigint, (extract(epoch FROM closes) / 60)::bigint "
    "FROM weekly_hours WHERE valid_from <= $1::date ORDER BY resource_id"};
const db::Statement kLoadTimeOff{
    "hours_sync_load_time_off",
    "SELECT resource_id, floor(extract(epoch FROM starts_at))::bigint, "
    "ceil(extract(epoch FROM ends_at))::bigint FROM time_off "
    "WHERE tstzrange(starts_at, ends_at) && tstzrange(to_timestamp($1), to_timestamp($2))"};
// A confirmed booking b whose time [starts_at, ends_at) overlaps slot sl. The
// range with blocked_until (ends_at plus the buffer) is the one the exclusion
// constraint's GiST index holds, so it finds the candidates; ends_at then
// leaves out those that only the buffer reaches.
#define BOOKING_INSIDE_SLOT                                                               \
    "AND tstzrange(b.starts_at, b.blocked_until) && tstzrange(sl.starts_at, sl.ends_at) " \
    "AND b.ends_at > sl.starts_at"
const db::Statement kLoadSlots{
    "hours_sync_load_slots",
    "SELECT sl.id, sl.resource_id, r.code, floor(extract(epoch FROM sl.starts_at))::bigint, "
    "floor(extract(epoch FROM sl.ends_at))::bigint, sl.synced, "
    "EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = sl.resource_id "
    "AND b.status = 'confirmed' " BOOKING_INSIDE_SLOT
    ") "
    "FROM slots sl JOIN resources r ON r.id = sl.resource_id "
    "WHERE tstzrange(sl.starts_at, sl.ends_at) && tstzrange(to_timestamp($1), to_timestamp($2)) "
    "ORDER BY sl.resource_id, sl.starts_at"};
// Locked first, so that a booking being made in one of them finishes before
// the next statement checks for bookings (bookings lock their slot FOR KEY SHARE).
const db::Statement kLockSlots{"hours_sync_lock_slots",
                               "SELECT id FROM slots WHERE id = ANY($1::bigint[]) FOR UPDATE"};
const db::Statement kDeleteSlots{
    "hours_sync_delete_slots",
    "DELETE FROM slots sl WHERE sl.id = ANY($1::bigint[]) AND sl.synced AND NOT EXISTS "
    "(SELECT 1 FROM bookings b WHERE b.resource_id = sl.resource_id AND b.status = "
    "'confirmed' " BOOKING_INSIDE_SLOT ") RETURNING sl.id"};
// A slot someone added by hand meanwhile wins (the exclusion constraint).
const db::Statement kInsertSlots{
    "hours_sync_insert_slots",
    "INSERT INTO slots (resource_id, starts_at, ends_at, synced) "
    "SELECT $1, to_timestamp(s), to_timestamp(e), true "
    "FROM unnest($2::bigint[], $3::bigint[]) AS t(s, e) ON CONFLICT DO NOTHING RETURNING id"};

std::string clock(Minutes m) {
    auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return two(m.count() / 60) + ":" + two(m.count() % 60);
}

HoursEntry entry_of(const pqxx::row& row) {
    HoursEntry e;
    e.resource = row[0].as<std::string>();
    e.hours.weekday = row[1].as<int>();
    e.hours.valid_from = parse_date(row[2].as<std::string>());
    if (!row[3].is_null())
        e.hours.range = HoursRange{parse_clock(row[3].as<std::string>(), "hours"),
                                   parse_clock(row[4].as<std::string>(), "hours")};
    return e;
}

}  // namespace

std::string day_name(int weekday) {
    static const char* const kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return weekday >= 0 && weekday < 7 ? kNames[weekday] : "?";
}

void to_json(nlohmann::json& out, const HoursEntry& e) {
    out = nlohmann::json{
        {"resource", e.resource},
        {"day", day_name(e.hours.weekday)},
        {"start", e.hours.range ? nlohmann::json(clock(e.hours.range->from)) : nullptr},
        {"end", e.hours.range ? nlohmann::json(clock(e.hours.range->to)) : nullptr},
        {"from", format_date(e.hours.valid_from)}};
}

std::vector<HoursEntry> set(pqxx::transaction_base& tx, const std::string& resource,
                            std::bitset<7> days, const std::vector<HoursRange>& ranges, Date from) {
    if (days.none()) throw Invalid("days", "no day given");
    if (ranges.empty()) throw Invalid("hours", "at least one range of hours is needed");
    check_no_overlap(ranges);
    auto r = resources::find(tx, resource);
    std::vector<int> weekdays;
    for (int d = 0; d < 7; ++d)
        if (days.test(static_cast<std::size_t>(d))) weekdays.push_back(d);
    db::exec(tx, kDeleteDays, r.id, db::int_array(weekdays), format_date(from));
    std::vector<HoursEntry> out;
    for (int d : weekdays)
        for (const auto& range : ranges) {
            db::exec(tx, kInsert, r.id, d, format_date(from), clock(range.from), clock(range.to));
            out.push_back({r.code, WeeklyHours{d, from, range}});
        }
    return out;
}

int clear(pqxx::transaction_base& tx, const std::string& resource, Date from) {
    auto r = resources::find(tx, resource);
    db::exec(tx, kDeleteFrom, r.id, format_date(from));
    return static_cast<int>(db::exec(tx, kCloseFrom, r.id, format_date(from)).affected_rows());
}

std::vector<HoursEntry> show(pqxx::transaction_base& tx, const std::optional<std::string>& resource,
                             Date today) {
    if (resource) resources::find(tx, *resource);
    std::vector<HoursEntry> out;
    for (const auto& row : db::exec(tx, kShow, resource, format_date(today)))
        out.push_back(entry_of(row));
    return out;
}

SyncReport sync(pqxx::transaction_base& tx, const BusinessZone& zone, Date from, Date to,
                bool dry_run, bool try_only) {
    SyncReport report;
    if (try_only) {
        if (!db::exec(tx, kTryLock)[0][0].as<bool>()) {
            report.ran = false;
            return report;
        }
    } else {
        db::exec(tx, kLock);
    }
    const Time lo = zone.start_of_day(from);
    const Time hi = zone.start_of_day(add_days(to, 1));

    std::map<long long, std::vector<WeeklyHours>> hours;
    for (const auto& row : db::exec(tx, kLoadHours, format_date(to))) {
        WeeklyHours h{row[1].as<int>(), parse_date(row[2].as<std::string>()), std::nullopt};
        if (!row[3].is_null())
            h.range = HoursRange{Minutes(row[3].as<long long>()), Minutes(row[4].as<long long>())};
        hours[row[0].as<long long>()].push_back(h);
    }
    std::vector<Interval> closed_all;
    std::map<long long, std::vector<Interval>> closed;
    for (const auto& row : db::exec(tx, kLoadTimeOff, db::epoch(lo), db::epoch(hi))) {
        Interval i{db::as_time(row[1]), db::as_time(row[2])};
        if (row[0].is_null())
            closed_all.push_back(i);
        else
            closed[row[0].as<long long>()].push_back(i);
    }
    std::map<long long, std::vector<ExistingSlot>> existing;
    std::map<long long, Slot> slots_by_id;
    for (const auto& row : db::exec(tx, kLoadSlots, db::epoch(lo), db::epoch(hi))) {
        const long long id = row[0].as<long long>();
        const long long resource_id = row[1].as<long long>();
        Interval i{db::as_time(row[3]), db::as_time(row[4])};
        existing[resource_id].push_back({id, i, row[5].as<bool>(), row[6].as<bool>()});
        slots_by_id[id] = Slot{id, row[2].as<std::string>(), i.start, i.end};
    }

    std::set<long long> resource_ids;
    for (const auto& [id, _] : hours) resource_ids.insert(id);
    for (const auto& [id, slots] : existing)
        if (std::any_of(slots.begin(), slots.end(), [](const auto& s) { return s.synced; }))
            resource_ids.insert(id);

    for (long long resource_id : resource_ids) {  // in id order: no deadlock with generate
        std::vector<Interval> off = closed_all;
        const auto& own = closed[resource_id];
        off.insert(off.end(), own.begin(), own.end());
        const auto planned = planned_slots(zone, from, to, hours[resource_id], off);
        const auto changes = diff(planned, existing[resource_id]);
        report.unchanged += changes.unchanged.size();
        std::vector<long long> kept = changes.kept;
        if (dry_run) {
            report.created += changes.create.size();
            report.removed += changes.remove.size();
        } else {
            db::exec(tx, kLockResource, resource_id);
            if (!changes.remove.empty()) {
                db::exec(tx, kLockSlots, db::int_array(changes.remove));
                std::set<long long> deleted;
                for (const auto& row : db::exec(tx, kDeleteSlots, db::int_array(changes.remove)))
                    deleted.insert(row[0].as<long long>());
                report.removed += deleted.size();
                for (long long id : changes.remove)
                    if (!deleted.count(id)) kept.push_back(id);  // booked meanwhile
            }
            if (!changes.create.empty()) {
                std::vector<long long> starts, ends;
                for (const auto& i : changes.create)
                    starts.push_back(db::epoch(i.start)), ends.push_back(db::epoch(i.end));
                report.created += db::exec(tx, kInsertSlots, resource_id, db::int_array(starts),
                                           db::int_array(ends))
                                      .size();
            }
        }
        for (long long id : kept) report.kept.push_back(slots_by_id[id]);
    }
    std::sort(report.kept.begin(), report.kept.end(),
              [](const Slot& a, const Slot& b) { return a.start < b.start; });
    return report;
}

}  // namespace booking::hours
