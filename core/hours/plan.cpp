#include "core/hours/plan.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "core/errors.hpp"

namespace booking::hours {
namespace {

constexpr Minutes kEndOfDay{24 * 60};

std::string clock(Minutes m) {
    auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return two(m.count() / 60) + ":" + two(m.count() % 60);
}

std::string range_text(const HoursRange& r) { return clock(r.from) + "-" + clock(r.to); }

// The instant a wall-clock time of a day begins; a time the clocks skip (the
// hour lost in spring, in zones that change at opening time) is the first
// instant after the gap.
Time opening_instant(const BusinessZone& zone, Date day, Minutes at) {
    for (Minutes t = at; t < kEndOfDay; t += Minutes(1)) {
        try {
            return zone.at(day, t, "hours");
        } catch (const Invalid&) {
        }
    }
    return zone.start_of_day(add_days(day, 1));
}

// The rows in force on each weekday of a date: for every weekday, its rows
// grouped by valid_from (latest last).
using ByWeekday = std::array<std::map<Date, std::vector<const WeeklyHours*>>, 7>;

const std::vector<const WeeklyHours*>* in_force(const ByWeekday& by_day, Date day) {
    const auto& versions = by_day[static_cast<std::size_t>(weekday(day))];
    auto it = versions.upper_bound(day);  // the first version after the day
    if (it == versions.begin()) return nullptr;
    return &std::prev(it)->second;
}

}  // namespace

HoursRange parse_weekly_range(std::string_view text) {
    HoursRange r = parse_hours(text);
    if (r.to >= kEndOfDay)
        throw Invalid("hours", "\"" + std::string(text) +
                                   "\": a day's hours end by 23:59 (24:00 is the next day)");
    return r;
}

void check_no_overlap(std::vector<HoursRange> ranges) {
    std::sort(ranges.begin(), ranges.end(),
              [](const HoursRange& a, const HoursRange& b) { return a.from < b.from; });
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].from < ranges[i - 1].to)
            throw Invalid("hours", range_text(ranges[i - 1]) + " and " + range_text(ranges[i]) +
                                       " overlap on one day");
}

std::vector<Interval> subtract(const std::vector<Interval>& intervals,
                               std::vector<Interval> minus) {
    std::sort(minus.begin(), minus.end());
    std::vector<Interval> out;
    for (const auto& interval : intervals) {
        Time at = interval.start;
        for (const auto& m : minus) {
            if (m.end <= at) continue;
            if (m.start >= interval.end) break;
            if (m.start > at) out.push_back({at, m.start});
            at = std::max(at, m.end);
            if (at >= interval.end) break;
        }
        if (at < interval.end) out.push_back({at, interval.end});
    }
    return out;
}

std::vector<Interval> planned_slots(const BusinessZone& zone, Date from, Date to,
                                    const std::vector<WeeklyHours>& hours,
                                    const std::vector<Interval>& closed) {
    ByWeekday by_day;
    for (const auto& row : hours)
        if (row.weekday >= 0 && row.weekday < 7)
            by_day[static_cast<std::size_t>(row.weekday)][row.valid_from].push_back(&row);

    std::vector<Interval> open;
    for (int n = days_since_epoch(from); n <= days_since_epoch(to); ++n) {
        const Date day = date_from_days(n);
        const auto* rows = in_force(by_day, day);
        if (!rows) continue;
        std::vector<Interval> of_day;
        for (const WeeklyHours* row : *rows) {
            if (!row->range) continue;  // closed from this date on
            const Time start = opening_instant(zone, day, row->range->from);
            const Time end = opening_instant(zone, day, row->range->to);
            if (end > start) of_day.push_back({start, end});
        }
        std::sort(of_day.begin(), of_day.end());
        open.insert(open.end(), of_day.begin(), of_day.end());
    }
    return subtract(open, closed);
}

SyncChanges diff(const std::vector<Interval>& planned, const std::vector<ExistingSlot>& existing) {
    // What stays whatever the plan says: hand-made slots and booked ones.
    std::vector<Interval> fixed;
    for (const auto& slot : existing)
        if (!slot.synced || slot.booked) fixed.push_back(slot.interval);
    const std::vector<Interval> wanted = subtract(planned, fixed);

    SyncChanges out;
    std::vector<Interval> present;
    for (const auto& slot : existing) {
        if (!slot.synced) continue;
        const bool called_for = std::binary_search(planned.begin(), planned.end(), slot.interval) ||
                                std::binary_search(wanted.begin(), wanted.end(), slot.interval);
        if (called_for) {
            out.unchanged.push_back(slot.id);
            present.push_back(slot.interval);
        } else if (slot.booked) {
            out.kept.push_back(slot.id);
        } else {
            out.remove.push_back(slot.id);
        }
    }
    std::sort(present.begin(), present.end());
    for (const auto& interval : wanted)
        if (!std::binary_search(present.begin(), present.end(), interval))
            out.create.push_back(interval);
    return out;
}

}  // namespace booking::hours
