#include "core/availability/availability.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

#include "core/errors.hpp"

namespace booking {
namespace {

bool by_start(const Interval& a, const Interval& b) { return a.start < b.start; }

// The intervals sorted by start: the caller's vector when it already is (the
// database hands them over ordered), else a sorted copy kept in `scratch`.
const std::vector<Interval>& sorted_by_start(const std::vector<Interval>& intervals,
                                             std::vector<Interval>& scratch) {
    if (std::is_sorted(intervals.begin(), intervals.end(), by_start)) return intervals;
    scratch.assign(intervals.begin(), intervals.end());
    std::sort(scratch.begin(), scratch.end(), by_start);
    return scratch;
}

// The first grid point slot_start + k * step (k >= 0) that is not before t.
Time first_grid_point_at_or_after(Time slot_start, Seconds step, Time t) {
    if (t <= slot_start) return slot_start;
    auto k = (t - slot_start + step - Seconds(1)) / step;
    return slot_start + k * step;
}

// Answers "does [s, s + length) overlap a busy interval?" for a sequence of
// non-decreasing s in one pass over the busy intervals (sorted by start; they
// may overlap each other). Every interval starting before s + length has been
// "entered"; the latest end among them decides, since any of them that ends
// after s overlaps.
class BusyCursor {
  public:
    BusyCursor(const std::vector<Interval>& busy, Seconds length) : busy_(busy), length_(length) {}

    // The end of the busy time that [s, s + length) runs into, if any; no
    // start before that end can be free either.
    std::optional<Time> blocked_until(Time s) {
        const Time e = s + length_;
        while (next_ < busy_.size() && busy_[next_].start < e) {
            if (!any_entered_ || busy_[next_].end > latest_end_) latest_end_ = busy_[next_].end;
            any_entered_ = true;
            ++next_;
        }
        if (any_entered_ && latest_end_ > s) return latest_end_;
        return std::nullopt;
    }

  private:
    const std::vector<Interval>& busy_;
    Seconds length_;
    std::size_t next_ = 0;
    bool any_entered_ = false;
    Time latest_end_{};
};

// Calls emit(start) for every free start time of one resource. Its slots do not
// overlap (the database guarantees it), so sorted by start they yield start
// times in increasing order, which the busy cursor relies on.
template <class Emit>
void free_starts_of(const AvailabilityQuery& q, const ResourceCalendar& calendar, Time lo, Time hi,
                    std::vector<Interval>& scratch_slots, std::vector<Interval>& scratch_busy,
                    Emit&& emit) {
    const auto& slots = sorted_by_start(calendar.slots, scratch_slots);
    // Time off blocks a start as a booking does; most days have none, and then
    // nothing is copied.
    std::vector<Interval> with_closed;
    if (!calendar.closed.empty()) {
        with_closed = calendar.busy;
        with_closed.insert(with_closed.end(), calendar.closed.begin(), calendar.closed.end());
    }
    const auto& busy =
        sorted_by_start(calendar.closed.empty() ? calendar.busy : with_closed, scratch_busy);
    BusyCursor cursor(busy, q.duration + q.buffer);

    for (const Interval& slot : slots) {
        if (slot.start > hi) break;
        const Time last = std::min(hi, slot.end - q.duration);  // the service must fit
        Time s = first_grid_point_at_or_after(slot.start, q.step, lo);
        while (s <= last) {
            if (auto until = cursor.blocked_until(s)) {
                s = first_grid_point_at_or_after(slot.start, q.step, *until);
                continue;
            }
            emit(s);
            s += q.step;
        }
    }
}

}  // namespace

bool is_start_in_slot(const Interval& slot, Time start, Seconds duration, Seconds step) {
    if (step <= Seconds(0) || duration <= Seconds(0)) return false;
    return start >= slot.start && start + duration <= slot.end &&
           (start - slot.start) % step == Seconds(0);
}

std::vector<FreeStart> compute_availability(const AvailabilityQuery& query,
                                            const std::vector<ResourceCalendar>& calendars) {
    if (query.step <= Seconds(0)) throw Invalid("slot_step", "must be positive");
    if (query.duration <= Seconds(0)) throw Invalid("duration", "must be positive");
    if (query.buffer < Seconds(0)) throw Invalid("buffer", "must not be negative");

    // Start times lie in [lo, hi]: inside the window, not before earliest, not after latest.
    const Time lo = std::max(query.window_start, query.earliest);
    const Time hi = std::min(query.window_end - Seconds(1), query.latest);
    if (lo > hi || calendars.empty()) return {};

    // (start, index of the resource): sorted, this is by start and then in
    // input order, which is the order the resources are listed in. A day has
    // few start times, so one sort of them all is cheaper than anything clever.
    std::vector<std::pair<Time, std::size_t>> hits;
    std::vector<Interval> scratch_slots, scratch_busy;
    for (std::size_t r = 0; r < calendars.size(); ++r)
        free_starts_of(query, calendars[r], lo, hi, scratch_slots, scratch_busy,
                       [&](Time s) { hits.emplace_back(s, r); });
    std::sort(hits.begin(), hits.end());

    std::vector<FreeStart> out;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const auto [start, r] = hits[i];
        if (i > 0 && hits[i - 1] == hits[i]) continue;  // overlapping slots of one resource
        if (out.empty() || out.back().start != start)
            out.push_back(FreeStart{start, start + query.duration, {}});
        out.back().resources.push_back(calendars[r].code);
    }
    return out;
}

}  // namespace booking
