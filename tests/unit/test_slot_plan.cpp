// `bookingctl slots generate --days ... --hours ...`: which slots it plans.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/slots/plan.hpp"
#include "tests/unit/support.hpp"

namespace booking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

using test::utc;

std::bitset<7> days_of(std::initializer_list<int> indexes) {
    std::bitset<7> out;
    for (int i : indexes) out.set(static_cast<std::size_t>(i));
    return out;
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST(ParseDays, DocumentedForms) {
    EXPECT_EQ(parse_days("mon-fri"), days_of({0, 1, 2, 3, 4}));
    EXPECT_EQ(parse_days("mon,wed,fri"), days_of({0, 2, 4}));
    EXPECT_EQ(parse_days("sat-sun"), days_of({5, 6}));
    EXPECT_EQ(parse_days("mon-sun"), std::bitset<7>().set());
    EXPECT_EQ(parse_days("all"), std::bitset<7>().set());
}

TEST(ParseDays, CaseSpacesCombinationsAndWrappingRanges) {
    EXPECT_EQ(parse_days("Mon-FRI"), days_of({0, 1, 2, 3, 4}));
    EXPECT_EQ(parse_days("ALL"), std::bitset<7>().set());
    EXPECT_EQ(parse_days("mon-wed,fri"), days_of({0, 1, 2, 4}));
    EXPECT_EQ(parse_days(" tue , thu "), days_of({1, 3}));
    EXPECT_EQ(parse_days("fri-mon"), days_of({4, 5, 6, 0}));
    EXPECT_EQ(parse_days("wed-wed"), days_of({2}));
    EXPECT_EQ(parse_days("sun"), days_of({6}));
}

TEST(ParseDays, RejectsAnythingElseQuotingTheText) {
    for (const char* text : {"", " ", "monday", "funday", "mon-", "-fri", "mon,,fri", "mon,",
                             "mon-xyz", "mon-tue-wed", "1-5", "weekdays"}) {
        try {
            auto days = parse_days(text);
            ADD_FAILURE() << "\"" << text << "\" accepted as " << days;
        } catch (const Invalid& e) {
            EXPECT_EQ(e.field(), "days");
            EXPECT_CONTAINS(e.message(), "\"" + std::string(text) + "\"");
        }
    }
}

TEST(ParseHours, ReadsARangeOfClockTimes) {
    auto h = parse_hours("09:00-12:00");
    EXPECT_EQ(h.from, hours(9));
    EXPECT_EQ(h.to, hours(12));
    h = parse_hours("13:30-24:00");
    EXPECT_EQ(h.from, hours(13) + minutes(30));
    EXPECT_EQ(h.to, hours(24));
}

TEST(ParseHours, RejectsEmptyBackwardsAndMalformedRanges) {
    for (const char* text : {"12:00-09:00", "09:00-09:00", "9-12", "09:00", "09:00-12:00-13:00",
                             "25:00-26:00", "09:00-24:30", "", "22:00-02:00", "09.00-12.00"}) {
        try {
            parse_hours(text);
            ADD_FAILURE() << "\"" << text << "\" accepted";
        } catch (const Invalid& e) {
            EXPECT_EQ(e.field(), "hours");
            EXPECT_CONTAINS(e.message(), "\"" + std::string(text) + "\"");
        }
    }
}

// Europe/London changes to BST at 01:00 GMT on Sunday 2026-03-29.
TEST(PlanSlots, NineToTwelveLocalOnBothSidesOfSpringForward) {
    BusinessZone london("Europe/London");
    auto slots = plan_slots(london, {2026, 3, 27}, {2026, 3, 30}, parse_days("all"),
                            {parse_hours("09:00-12:00")});
    ASSERT_EQ(slots.size(), 4u);
    EXPECT_EQ(slots[0], (Interval{utc("2026-03-27T09:00:00Z"), utc("2026-03-27T12:00:00Z")}));
    EXPECT_EQ(slots[1], (Interval{utc("2026-03-28T09:00:00Z"), utc("2026-03-28T12:00:00Z")}));
    EXPECT_EQ(slots[2], (Interval{utc("2026-03-29T08:00:00Z"), utc("2026-03-29T11:00:00Z")}));
    EXPECT_EQ(slots[3], (Interval{utc("2026-03-30T08:00:00Z"), utc("2026-03-30T11:00:00Z")}));
    for (const auto& s : slots) {
        EXPECT_EQ(london.time_of_day(s.start), hours(9));
        EXPECT_EQ(london.time_of_day(s.end), hours(12));
    }
}

TEST(PlanSlots, NineToTwelveLocalOnBothSidesOfFallBack) {
    BusinessZone london("Europe/London");
    auto slots = plan_slots(london, {2026, 10, 24}, {2026, 10, 26}, parse_days("all"),
                            {parse_hours("09:00-12:00")});
    ASSERT_EQ(slots.size(), 3u);
    EXPECT_EQ(slots[0].start, utc("2026-10-24T08:00:00Z"));
    EXPECT_EQ(slots[1].start, utc("2026-10-25T09:00:00Z"));
    EXPECT_EQ(slots[2].start, utc("2026-10-26T09:00:00Z"));
}

TEST(PlanSlots, WeekdayMaskSkipsTheWeekend) {
    BusinessZone london("Europe/London");
    // Monday 2026-03-23 to Sunday 2026-04-05: two working weeks.
    auto slots = plan_slots(london, {2026, 3, 23}, {2026, 4, 5}, parse_days("mon-fri"),
                            {parse_hours("09:00-12:00")});
    ASSERT_EQ(slots.size(), 10u);
    for (const auto& s : slots)
        EXPECT_LT(weekday(london.date_of(s.start)), 5) << format_utc(s.start);
    EXPECT_EQ(london.date_of(slots.front().start), (Date{2026, 3, 23}));
    EXPECT_EQ(london.date_of(slots.back().start), (Date{2026, 4, 3}));
}

TEST(PlanSlots, SeveralRangesADaySortedByStart) {
    BusinessZone london("Europe/London");
    auto slots = plan_slots(london, {2026, 12, 1}, {2026, 12, 1}, parse_days("all"),
                            {parse_hours("13:00-17:00"), parse_hours("09:00-12:00")});
    ASSERT_EQ(slots.size(), 2u);
    EXPECT_EQ(slots[0], (Interval{utc("2026-12-01T09:00:00Z"), utc("2026-12-01T12:00:00Z")}));
    EXPECT_EQ(slots[1], (Interval{utc("2026-12-01T13:00:00Z"), utc("2026-12-01T17:00:00Z")}));
    // Ranges that touch are fine.
    EXPECT_EQ(plan_slots(london, {2026, 12, 1}, {2026, 12, 1}, parse_days("all"),
                         {parse_hours("09:00-12:00"), parse_hours("12:00-13:00")})
                  .size(),
              2u);
}

TEST(PlanSlots, OverlappingRangesAreInvalid) {
    BusinessZone london("Europe/London");
    try {
        plan_slots(london, {2026, 12, 1}, {2026, 12, 2}, parse_days("all"),
                   {parse_hours("09:00-12:00"), parse_hours("11:00-13:00")});
        ADD_FAILURE() << "overlap accepted";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "hours");
        EXPECT_CONTAINS(e.message(), "09:00-12:00");
        EXPECT_CONTAINS(e.message(), "11:00-13:00");
    }
}

TEST(PlanSlots, AClockTimeSkippedByDstIsInvalidOnlyOnThatDay) {
    BusinessZone london("Europe/London");
    try {
        plan_slots(london, {2026, 3, 27}, {2026, 3, 30}, parse_days("all"),
                   {parse_hours("01:30-03:00")});
        ADD_FAILURE() << "01:30 on 2026-03-29 accepted";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "hours");
        EXPECT_CONTAINS(e.message(), "2026-03-29");
    }
    // Without Sunday the same range is fine.
    EXPECT_EQ(plan_slots(london, {2026, 3, 27}, {2026, 3, 30}, parse_days("mon-sat"),
                         {parse_hours("01:30-03:00")})
                  .size(),
              3u);
}

TEST(PlanSlots, ARepeatedClockTimeStartsAtItsFirstOccurrence) {
    BusinessZone london("Europe/London");
    auto slots = plan_slots(london, {2026, 10, 25}, {2026, 10, 25}, parse_days("all"),
                            {parse_hours("01:30-03:00")});
    ASSERT_EQ(slots.size(), 1u);
    EXPECT_EQ(slots[0], (Interval{utc("2026-10-25T00:30:00Z"), utc("2026-10-25T03:00:00Z")}));
}

TEST(PlanSlots, WholeDayFollowsTheLocalDayLength) {
    BusinessZone london("Europe/London");
    auto slots = plan_slots(london, {2026, 3, 29}, {2026, 3, 29}, parse_days("all"),
                            {parse_hours("00:00-24:00")});
    ASSERT_EQ(slots.size(), 1u);
    EXPECT_EQ(slots[0], (Interval{utc("2026-03-29T00:00:00Z"), utc("2026-03-29T23:00:00Z")}));
    // Havana skips midnight on 2026-03-08: the day, and its slot, start at 01:00.
    BusinessZone havana("America/Havana");
    slots = plan_slots(havana, {2026, 3, 8}, {2026, 3, 8}, parse_days("all"),
                       {parse_hours("00:00-12:00")});
    ASSERT_EQ(slots.size(), 1u);
    EXPECT_EQ(slots[0], (Interval{utc("2026-03-08T05:00:00Z"), utc("2026-03-08T16:00:00Z")}));
}

TEST(PlanSlots, BackwardsDatesOrNoHoursAreInvalid) {
    BusinessZone london("Europe/London");
    try {
        plan_slots(london, {2026, 12, 2}, {2026, 12, 1}, parse_days("all"),
                   {parse_hours("09:00-12:00")});
        ADD_FAILURE() << "to before from accepted";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "to");
    }
    EXPECT_THROW(plan_slots(london, {2026, 12, 1}, {2026, 12, 2}, parse_days("all"), {}), Invalid);
    EXPECT_TRUE(plan_slots(london, {2026, 12, 1}, {2026, 12, 1}, parse_days("sat-sun"),
                           {parse_hours("09:00-12:00")})
                    .empty());  // a Tuesday
}

}  // namespace
}  // namespace booking
