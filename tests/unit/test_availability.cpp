// Which start times a customer is offered for a service on a day.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/availability/availability.hpp"
#include "core/errors.hpp"
#include "tests/unit/support.hpp"

namespace booking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

using test::utc;

// 2026-12-01 in London is GMT, so local clock times equal UTC ones.
Time dec1(int h, int m = 0) { return utc("2026-12-01T00:00:00Z") + hours(h) + minutes(m); }

// A one-hour service, 30-minute grid, the whole of 2026-12-01 asked for, no
// notice or horizon in the way.
AvailabilityQuery hour_on_dec1() {
    AvailabilityQuery q;
    q.duration = hours(1);
    q.buffer = Seconds(0);
    q.step = minutes(30);
    q.window_start = dec1(0);
    q.window_end = dec1(24);
    q.earliest = utc("2026-11-01T00:00:00Z");
    q.latest = utc("2027-01-01T00:00:00Z");
    return q;
}

std::vector<Time> starts(const std::vector<FreeStart>& free) {
    std::vector<Time> out;
    for (const auto& f : free) out.push_back(f.start);
    return out;
}

std::vector<Time> starts_of(const AvailabilityQuery& q, const ResourceCalendar& calendar) {
    return starts(compute_availability(q, {calendar}));
}

TEST(Availability, OffersEveryGridPointWhereTheServiceFitsInTheSlot) {
    auto q = hour_on_dec1();
    auto free = compute_availability(q, {{"main", {{dec1(9), dec1(12)}}, {}}});
    EXPECT_EQ(starts(free),
              (std::vector<Time>{dec1(9), dec1(9, 30), dec1(10), dec1(10, 30), dec1(11)}));
    ASSERT_FALSE(free.empty());
    EXPECT_EQ(free[0].end, dec1(10));
    EXPECT_EQ(free[0].resources, (std::vector<std::string>{"main"}));
    EXPECT_EQ(free.back().end, dec1(12));
}

TEST(Availability, GridIsCountedFromTheSlotStart) {
    auto q = hour_on_dec1();
    EXPECT_EQ(starts_of(q, {"main", {{dec1(9, 10), dec1(11)}}, {}}),
              (std::vector<Time>{dec1(9, 10), dec1(9, 40)}));
}

TEST(Availability, ServiceThatDoesNotFitBeforeTheSlotEndIsNotOffered) {
    auto q = hour_on_dec1();
    EXPECT_EQ(starts_of(q, {"main", {{dec1(9), dec1(10, 30)}}, {}}),
              (std::vector<Time>{dec1(9), dec1(9, 30)}));
    EXPECT_TRUE(starts_of(q, {"main", {{dec1(9), dec1(9, 59)}}, {}}).empty());
}

TEST(Availability, ExistingBookingsBlockIncludingTheirBuffer) {
    auto q = hour_on_dec1();
    // A 10:00-11:00 booking with a 15-minute buffer holds the resource until 11:15.
    ResourceCalendar main{"main", {{dec1(9), dec1(13)}}, {{dec1(10), dec1(11, 15)}}};
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(9), dec1(11, 30), dec1(12)}));
}

TEST(Availability, TheNewServicesBufferMustNotRunIntoABooking) {
    auto q = hour_on_dec1();
    ResourceCalendar main{"main", {{dec1(9), dec1(13)}}, {{dec1(11), dec1(12)}}};
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(9), dec1(9, 30), dec1(10), dec1(12)}));
    q.buffer = minutes(30);
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(9), dec1(9, 30), dec1(12)}));
}

TEST(Availability, BufferMaySpillPastTheSlotEndButNotIntoABooking) {
    auto q = hour_on_dec1();
    q.buffer = minutes(30);
    // 10:00-11:00 fits the slot; its buffer 11:00-11:30 lies after it.
    EXPECT_EQ(starts_of(q, {"main", {{dec1(9), dec1(11)}}, {}}),
              (std::vector<Time>{dec1(9), dec1(9, 30), dec1(10)}));
    // A booking right after the slot (in the next one) takes that room away.
    ResourceCalendar busy_after{
        "main", {{dec1(9), dec1(11)}, {dec1(11), dec1(13)}}, {{dec1(11), dec1(12)}}};
    EXPECT_EQ(starts_of(q, busy_after), (std::vector<Time>{dec1(9), dec1(9, 30), dec1(12)}));
}

TEST(Availability, NothingSoonerThanMinNoticeOnTheBoundaryIncluded) {
    auto q = hour_on_dec1();
    ResourceCalendar main{"main", {{dec1(9), dec1(12)}}, {}};
    q.earliest = dec1(10, 15);
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(10, 30), dec1(11)}));
    q.earliest = dec1(10, 30);
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(10, 30), dec1(11)}));
    q.earliest = dec1(10, 30) + Seconds(1);
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(11)}));
}

TEST(Availability, NothingPastTheHorizonOnTheBoundaryIncluded) {
    auto q = hour_on_dec1();
    ResourceCalendar main{"main", {{dec1(9), dec1(12)}}, {}};
    q.latest = dec1(10);
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(9), dec1(9, 30), dec1(10)}));
    q.latest = dec1(10) - Seconds(1);
    EXPECT_EQ(starts_of(q, main), (std::vector<Time>{dec1(9), dec1(9, 30)}));
}

TEST(Availability, OnlyStartTimesOnTheLocalDayAskedFor) {
    BusinessZone london("Europe/London");
    // Open 22:00-02:00 London summer time across midnight.
    ResourceCalendar late{
        "main", {{london.at({2026, 7, 1}, hours(22)), london.at({2026, 7, 2}, hours(2))}}, {}};
    AvailabilityQuery q = hour_on_dec1();
    q.step = hours(1);
    q.earliest = utc("2026-06-01T00:00:00Z");
    q.latest = utc("2026-09-01T00:00:00Z");

    q.window_start = london.start_of_day({2026, 7, 1});
    q.window_end = london.start_of_day({2026, 7, 2});
    EXPECT_EQ(starts_of(q, late),
              (std::vector<Time>{utc("2026-07-01T21:00:00Z"), utc("2026-07-01T22:00:00Z")}));

    q.window_start = london.start_of_day({2026, 7, 2});
    q.window_end = london.start_of_day({2026, 7, 3});
    EXPECT_EQ(starts_of(q, late),
              (std::vector<Time>{utc("2026-07-01T23:00:00Z"), utc("2026-07-02T00:00:00Z")}));
}

TEST(Availability, ResourcesMergeIntoOneEntryPerStartListedInInputOrder) {
    auto q = hour_on_dec1();
    q.step = hours(1);
    ResourceCalendar bob{"bob", {{dec1(10), dec1(13)}}, {}};
    ResourceCalendar alice{"alice", {{dec1(9), dec1(12)}}, {{dec1(10), dec1(11)}}};
    auto free = compute_availability(q, {bob, alice});
    std::vector<FreeStart> expected{
        {dec1(9), dec1(10), {"alice"}},
        {dec1(10), dec1(11), {"bob"}},
        {dec1(11), dec1(12), {"bob", "alice"}},
        {dec1(12), dec1(13), {"bob"}},
    };
    EXPECT_EQ(free, expected);
}

TEST(Availability, EmptyWhenNothingIsFree) {
    auto q = hour_on_dec1();
    EXPECT_TRUE(compute_availability(q, {}).empty());
    EXPECT_TRUE(starts_of(q, {"main", {}, {}}).empty());
    EXPECT_TRUE(starts_of(q, {"main", {{dec1(9), dec1(12)}}, {{dec1(8), dec1(12)}}}).empty());
    // A slot on another day.
    EXPECT_TRUE(starts_of(q, {"main", {{dec1(24 + 9), dec1(24 + 12)}}, {}}).empty());
    // A day in the past: everything is sooner than min notice.
    q.earliest = dec1(24);
    EXPECT_TRUE(starts_of(q, {"main", {{dec1(9), dec1(12)}}, {}}).empty());
}

TEST(Availability, OverlappingAndUnsortedInputGiveTheSameAnswer) {
    auto q = hour_on_dec1();
    // 09:00-11:00 and a shorter booking inside it: nothing before 11:00.
    ResourceCalendar nested{
        "main", {{dec1(9), dec1(13)}}, {{dec1(9), dec1(11)}, {dec1(9, 30), dec1(10)}}};
    EXPECT_EQ(starts_of(q, nested), (std::vector<Time>{dec1(11), dec1(11, 30), dec1(12)}));

    ResourceCalendar sorted{"main",
                            {{dec1(8), dec1(10)}, {dec1(13), dec1(16)}},
                            {{dec1(8), dec1(9)}, {dec1(14), dec1(15)}}};
    ResourceCalendar shuffled{"main",
                              {{dec1(13), dec1(16)}, {dec1(8), dec1(10)}},
                              {{dec1(14), dec1(15)}, {dec1(8), dec1(9)}}};
    EXPECT_EQ(starts_of(q, shuffled), starts_of(q, sorted));
    EXPECT_EQ(starts_of(q, sorted), (std::vector<Time>{dec1(9), dec1(13), dec1(15)}));
}

TEST(Availability, RefusesAStepOrDurationThatIsNotPositive) {
    auto q = hour_on_dec1();
    q.step = Seconds(0);
    EXPECT_THROW(compute_availability(q, {{"main", {{dec1(9), dec1(12)}}, {}}}), Invalid);
    q = hour_on_dec1();
    q.duration = Seconds(0);
    EXPECT_THROW(compute_availability(q, {{"main", {{dec1(9), dec1(12)}}, {}}}), Invalid);
}

TEST(StartInSlot, OnTheGridAndInsideOnly) {
    Interval slot{dec1(9), dec1(12)};
    EXPECT_TRUE(is_start_in_slot(slot, dec1(9), hours(1), minutes(30)));
    EXPECT_TRUE(is_start_in_slot(slot, dec1(11), hours(1), minutes(30)));  // ends at the slot end
    EXPECT_FALSE(is_start_in_slot(slot, dec1(11, 30), hours(1), minutes(30)));
    EXPECT_FALSE(is_start_in_slot(slot, dec1(9, 15), hours(1), minutes(30)));
    EXPECT_FALSE(is_start_in_slot(slot, dec1(8, 30), hours(1), minutes(30)));
    EXPECT_FALSE(is_start_in_slot(slot, dec1(12), hours(1), minutes(30)));
    EXPECT_FALSE(is_start_in_slot(slot, dec1(9), hours(1), Seconds(0)));
}

// The plain definition, one candidate and one busy interval at a time.
std::vector<FreeStart> reference(const AvailabilityQuery& q,
                                 const std::vector<ResourceCalendar>& calendars) {
    std::vector<FreeStart> out;
    for (Time s = q.window_start; s < q.window_end; s += minutes(1)) {
        if (s < q.earliest || s > q.latest) continue;
        FreeStart f{s, s + q.duration, {}};
        for (const auto& c : calendars) {
            bool in_slot = false;
            for (const auto& slot : c.slots)
                in_slot = in_slot || is_start_in_slot(slot, s, q.duration, q.step);
            bool clash = false;
            for (const auto& b : c.busy)
                clash = clash || (b.start < s + q.duration + q.buffer && s < b.end);
            if (in_slot && !clash) f.resources.push_back(c.code);
        }
        if (!f.resources.empty()) out.push_back(f);
    }
    return out;
}

TEST(Availability, AgreesWithThePlainDefinitionOnRandomDays) {
    std::mt19937 rng(20261201);
    auto minute_of_day = [&](int lo, int hi) {
        return dec1(0) + minutes(std::uniform_int_distribution<int>(lo, hi)(rng));
    };
    for (int round = 0; round < 200; ++round) {
        AvailabilityQuery q = hour_on_dec1();
        q.duration = minutes(15 * std::uniform_int_distribution<int>(1, 6)(rng));
        q.buffer = minutes(5 * std::uniform_int_distribution<int>(0, 6)(rng));
        q.step = minutes(std::vector<int>{10, 15, 30, 60}[rng() % 4]);
        q.earliest = minute_of_day(-60, 600);
        q.latest = minute_of_day(600, 1500);
        std::vector<ResourceCalendar> calendars;
        for (int r = 0; r < 3; ++r) {
            ResourceCalendar c{"r" + std::to_string(r), {}, {}};
            Time t = minute_of_day(-300, 300);
            while (t < dec1(26)) {  // non-overlapping slots, some across midnight
                Time end = t + minutes(std::uniform_int_distribution<int>(20, 300)(rng));
                c.slots.push_back({t, end});
                t = end + minutes(std::uniform_int_distribution<int>(0, 120)(rng));
            }
            for (int b = 0; b < 8; ++b) {
                Time start = minute_of_day(-120, 1500);
                c.busy.push_back(
                    {start, start + minutes(std::uniform_int_distribution<int>(10, 150)(rng))});
            }
            calendars.push_back(c);
        }
        ASSERT_EQ(compute_availability(q, calendars), reference(q, calendars)) << "round " << round;
    }
}

}  // namespace
}  // namespace booking
