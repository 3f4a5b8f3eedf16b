#pragma once
// Weekly hours in the database (SPEC §5 `hours`, §10), and the sync that keeps
// the slots they call for from today to the horizon.
#include <bitset>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/hours/plan.hpp"
#include "core/slots/slot.hpp"

namespace booking::hours {

// One row as shown by `hours show`: {resource, day, start, end, from}; a
// closed day has start and end null.
struct HoursEntry {
    std::string resource;
    WeeklyHours hours;
};
void to_json(nlohmann::json& out, const HoursEntry& entry);
std::string day_name(int weekday);  // "mon" ... "sun"

// The hours of each chosen day become `ranges` from `from` on (replacing what
// was set for those days from that same date); other days keep theirs.
// Invalid for no day, no range or overlapping ranges; NotFound for the resource.
std::vector<HoursEntry> set(pqxx::transaction_base& tx, const std::string& resource,
                            std::bitset<7> days, const std::vector<HoursRange>& ranges, Date from);

// Every day is closed from `from` on: later settings are deleted, and hours in
// force before are ended. Returns how many days had hours to end.
int clear(pqxx::transaction_base& tx, const std::string& resource, Date from);

// The hours in force on `today` and every change after it, by resource, day
// and date.
std::vector<HoursEntry> show(pqxx::transaction_base& tx, const std::optional<std::string>& resource,
                             Date today);

struct SyncReport {
    std::size_t created = 0;
    std::size_t removed = 0;
    std::size_t unchanged = 0;
    std::vector<Slot> kept;  // not called for any more, but holding confirmed bookings
    bool ran = true;         // false: another sync held the lock (try_only)
};

// Makes the synced slots of local dates from..to match the weekly hours minus
// time off, under an advisory lock (SPEC §10): blocking, or with try_only,
// giving up at once (ran = false) when another run holds it. Hand-made slots
// and booked ones are never removed. dry_run changes nothing.
SyncReport sync(pqxx::transaction_base& tx, const BusinessZone& zone, Date from, Date to,
                bool dry_run, bool try_only = false);

}  // namespace booking::hours
