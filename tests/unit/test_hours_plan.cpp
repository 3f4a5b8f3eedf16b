// The weekly hours' sync, as a pure function: which slots the hours call for
// (DST days, hours changed from a date, time off) and how to get there from
// the slots that exist (a booked slot is kept, a hand-made one never touched).
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/hours/plan.hpp"
#include "core/time_off/time_off.hpp"
#include "tests/unit/support.hpp"

namespace booking::hours {
namespace {

using test::utc;

const BusinessZone& london() {
    static const BusinessZone zone("Europe/London");
    return zone;
}

HoursRange range(const char* text) { return parse_weekly_range(text); }
Interval span(const char* from, const char* to) { return {utc(from), utc(to)}; }

// Every day of the week 09:00-17:00 from 2026-01-01 on.
std::vector<WeeklyHours> every_day_nine_to_five() {
    std::vector<WeeklyHours> out;
    for (int d = 0; d < 7; ++d) out.push_back({d, Date{2026, 1, 1}, range("09:00-17:00")});
    return out;
}

TEST(WeeklyRange, RefusesTheEndOfTheDayAndImpossibleClocks) {
    EXPECT_EQ(range("09:00-17:30").to, Minutes(17 * 60 + 30));
    EXPECT_THROW(range("09:00-24:00"), Invalid);
    EXPECT_THROW(range("09:00-25:00"), Invalid);
    EXPECT_THROW(range("17:00-09:00"), Invalid);
    EXPECT_THROW(range("9-5"), Invalid);
    EXPECT_THROW(check_no_overlap({range("09:00-12:00"), range("11:00-13:00")}), Invalid);
    EXPECT_NO_THROW(check_no_overlap({range("09:00-12:00"), range("12:00-13:00")}));
}

TEST(PlannedSlots, StayNineToFiveLocalAcrossBothDstChanges) {
    // Europe/London: BST begins 2026-03-29 (01:00 GMT) and ends 2026-10-25.
    auto spring =
        planned_slots(london(), Date{2026, 3, 28}, Date{2026, 3, 30}, every_day_nine_to_five(), {});
    ASSERT_EQ(spring.size(), 3u);
    EXPECT_EQ(spring[0], span("2026-03-28T09:00:00Z", "2026-03-28T17:00:00Z"));  // GMT
    EXPECT_EQ(spring[1], span("2026-03-29T08:00:00Z", "2026-03-29T16:00:00Z"));  // BST
    EXPECT_EQ(spring[2], span("2026-03-30T08:00:00Z", "2026-03-30T16:00:00Z"));

    auto autumn = planned_slots(london(), Date{2026, 10, 24}, Date{2026, 10, 25},
                                every_day_nine_to_five(), {});
    ASSERT_EQ(autumn.size(), 2u);
    EXPECT_EQ(autumn[0], span("2026-10-24T08:00:00Z", "2026-10-24T16:00:00Z"));  // BST
    EXPECT_EQ(autumn[1], span("2026-10-25T09:00:00Z", "2026-10-25T17:00:00Z"));  // GMT
}

TEST(PlannedSlots, HoursThatCrossTheChangeKeepTheirWallClock) {
    // 00:30-03:00 on the night the clocks go forward (01:00-02:00 does not
    // exist) and back (01:00-02:00 happens twice): still 00:30 to 03:00 local.
    std::vector<WeeklyHours> night{{6, Date{2026, 1, 1}, range("00:30-03:00")}};  // Sundays
    auto spring = planned_slots(london(), Date{2026, 3, 29}, Date{2026, 3, 29}, night, {});
    ASSERT_EQ(spring.size(), 1u);
    EXPECT_EQ(spring[0], span("2026-03-29T00:30:00Z", "2026-03-29T02:00:00Z"));  // 1.5 h
    auto autumn = planned_slots(london(), Date{2026, 10, 25}, Date{2026, 10, 25}, night, {});
    ASSERT_EQ(autumn.size(), 1u);
    EXPECT_EQ(autumn[0], span("2026-10-24T23:30:00Z", "2026-10-25T03:00:00Z"));  // 3.5 h

    // Opening inside the hour the clocks skip: at the first instant after it.
    std::vector<WeeklyHours> gap{{6, Date{2026, 1, 1}, range("01:30-04:00")}};
    auto skipped = planned_slots(london(), Date{2026, 3, 29}, Date{2026, 3, 29}, gap, {});
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0], span("2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z"));
}

TEST(PlannedSlots, HoursChangedFromADateChangeOnlyTheDaysFromThen) {
    auto hours = every_day_nine_to_five();
    hours.push_back({2, Date{2026, 12, 9}, range("10:00-12:00")});  // Wednesdays from the 9th
    hours.push_back({2, Date{2026, 12, 9}, range("13:00-15:00")});
    hours.push_back({3, Date{2026, 12, 10}, std::nullopt});  // Thursdays closed from the 10th
    auto slots = planned_slots(london(), Date{2026, 12, 2}, Date{2026, 12, 10}, hours, {});
    // 2026-12-02 is a Wednesday: the old hours; the 3rd (Thursday) too.
    EXPECT_EQ(slots.front(), span("2026-12-02T09:00:00Z", "2026-12-02T17:00:00Z"));
    EXPECT_EQ(slots[1], span("2026-12-03T09:00:00Z", "2026-12-03T17:00:00Z"));
    // The 9th has the new Wednesday hours, the 10th nothing.
    std::vector<Interval> ninth_and_later;
    for (const auto& s : slots)
        if (s.start >= utc("2026-12-09T00:00:00Z")) ninth_and_later.push_back(s);
    EXPECT_EQ(ninth_and_later,
              (std::vector<Interval>{span("2026-12-09T10:00:00Z", "2026-12-09T12:00:00Z"),
                                     span("2026-12-09T13:00:00Z", "2026-12-09T15:00:00Z")}));
    EXPECT_EQ(slots.size(), 7u + 2u);  // 2nd..8th: seven days; the 9th: two; the 10th: none
}

TEST(PlannedSlots, TimeOffCutsThemAndOverlappingTimeOffCountsOnce) {
    std::vector<Interval> off{span("2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z"),
                              span("2026-12-01T12:30:00Z", "2026-12-01T14:00:00Z"),
                              span("2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z")};
    auto slots = planned_slots(london(), Date{2026, 12, 1}, Date{2026, 12, 3},
                               every_day_nine_to_five(), off);
    EXPECT_EQ(slots, (std::vector<Interval>{span("2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z"),
                                            span("2026-12-01T14:00:00Z", "2026-12-01T17:00:00Z"),
                                            span("2026-12-03T09:00:00Z", "2026-12-03T17:00:00Z")}));
}

TEST(Diff, CreatesWhatIsMissingAndTheSecondTimeNothing) {
    std::vector<Interval> planned{span("2026-12-01T09:00:00Z", "2026-12-01T17:00:00Z"),
                                  span("2026-12-02T09:00:00Z", "2026-12-02T17:00:00Z")};
    auto first = diff(planned, {});
    EXPECT_EQ(first.create, planned);
    std::vector<ExistingSlot> existing{{1, planned[0], true, false}, {2, planned[1], true, false}};
    auto second = diff(planned, existing);
    EXPECT_TRUE(second.create.empty());
    EXPECT_TRUE(second.remove.empty());
    EXPECT_EQ(second.unchanged, (std::vector<long long>{1, 2}));
}

TEST(Diff, KeepsABookedSlotTheHoursNoLongerCallForAndPlansAroundIt) {
    // Hours moved from 09-17 to 10-18; slot 1 holds a booking, slot 2 none.
    std::vector<Interval> planned{span("2026-12-01T10:00:00Z", "2026-12-01T18:00:00Z"),
                                  span("2026-12-02T10:00:00Z", "2026-12-02T18:00:00Z")};
    std::vector<ExistingSlot> existing{
        {1, span("2026-12-01T09:00:00Z", "2026-12-01T17:00:00Z"), true, true},
        {2, span("2026-12-02T09:00:00Z", "2026-12-02T17:00:00Z"), true, false}};
    auto changes = diff(planned, existing);
    EXPECT_EQ(changes.kept, std::vector<long long>{1});
    EXPECT_EQ(changes.remove, std::vector<long long>{2});
    EXPECT_EQ(
        changes.create,
        (std::vector<Interval>{span("2026-12-01T17:00:00Z", "2026-12-01T18:00:00Z"), planned[1]}));
    // Applied, the next diff changes nothing.
    std::vector<ExistingSlot> after{
        existing[0], {3, changes.create[0], true, false}, {4, changes.create[1], true, false}};
    auto again = diff(planned, after);
    EXPECT_TRUE(again.create.empty());
    EXPECT_TRUE(again.remove.empty());
    EXPECT_EQ(again.kept, std::vector<long long>{1});
}

TEST(Diff, NeverTouchesAHandMadeSlot) {
    std::vector<Interval> planned{span("2026-12-01T09:00:00Z", "2026-12-01T17:00:00Z")};
    std::vector<ExistingSlot> existing{
        {1, span("2026-12-01T12:00:00Z", "2026-12-01T20:00:00Z"), false, false},
        {2, span("2026-12-05T09:00:00Z", "2026-12-05T10:00:00Z"), false, false}};
    auto changes = diff(planned, existing);
    EXPECT_TRUE(changes.remove.empty());
    EXPECT_EQ(changes.create,
              std::vector<Interval>{span("2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z")});
}

TEST(ReadCalendar, AllDayEventsAreWholeLocalDaysAndYearlyOnesRepeat) {
    const char* ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:xmas@example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20251225\r\nDTEND;VALUE=DATE:20251227\r\nRRULE:FREQ=YEARLY\r\n"
        "SUMMARY:Christmas\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:summer@example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20260831\r\nSUMMARY:Bank holiday\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:meeting@example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20261201T130000Z\r\nDTEND:20261201T150000Z\r\nSUMMARY:Training\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    auto events = time_off::read_calendar(ics, london(), utc("2026-06-01T00:00:00Z"),
                                          utc("2028-01-31T00:00:00Z"));
    std::vector<std::pair<std::string, Interval>> got;
    for (const auto& e : events) got.push_back({e.uid, e.when});
    std::sort(got.begin(), got.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    ASSERT_EQ(got.size(), 4u);
    // 31 August is in BST: the local day begins at 23:00 UTC the day before.
    EXPECT_EQ(got[0].second, span("2026-08-30T23:00:00Z", "2026-08-31T23:00:00Z"));
    EXPECT_EQ(got[1].second, span("2026-12-01T13:00:00Z", "2026-12-01T15:00:00Z"));
    EXPECT_EQ(got[2].first, "xmas@example");
    EXPECT_EQ(got[2].second, span("2026-12-25T00:00:00Z", "2026-12-27T00:00:00Z"));
    EXPECT_EQ(got[3].second, span("2027-12-25T00:00:00Z", "2027-12-27T00:00:00Z"));
}

// Found by fuzz_calendar_import: libical reads DTSTART:13207850 (month 78) as a
// day far outside years 0000-9999, and converting it overflowed an int inside
// date::year_month_day (undefined behaviour; the sanitizer builds abort). Such
// an event is skipped; a well-formed one beside it, ending on the last day a
// date can hold, is still read.
TEST(ReadCalendar, SkipsEventsOutsideTheYearsADateHolds) {
    const std::string ics =
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:13207850\nDTEND:20270328\nEND:\nEND:";
    EXPECT_TRUE(time_off::read_calendar(ics, london(), utc("2026-12-01T00:00:00Z"),
                                        utc("2027-12-02T00:00:00Z"))
                    .empty());
    const std::string forever =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:bad@example\r\nDTSTART;VALUE=DATE:13207850\r\n"
        "DTEND;VALUE=DATE:20270328\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:closed@example\r\nDTSTART;VALUE=DATE:20270101\r\n"
        "DTEND;VALUE=DATE:99991231\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    const auto events = time_off::read_calendar(forever, london(), utc("2026-12-01T00:00:00Z"),
                                                utc("2027-12-02T00:00:00Z"));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].uid, "closed@example");
    EXPECT_EQ(events[0].when, span("2027-01-01T00:00:00Z", "9999-12-31T00:00:00Z"));
}

std::string one_event(const std::string& lines) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
           "UID:e@example\r\n" +
           lines + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

// What read_calendar throws for a text, or "" when it reads it.
std::string refusal(const std::string& ics) {
    try {
        time_off::read_calendar(ics, london(), utc("2026-12-01T00:00:00Z"),
                                utc("2027-12-02T00:00:00Z"));
        return "";
    } catch (const Invalid& e) {
        return e.what();
    }
}

// Found by fuzz_calendar_import: a floating event from the year 1013 to 2025
// that repeats hourly overlaps the year ahead a million times (14 s and 480 MB
// in the sanitizer build, a million rows of time off); repeating every second,
// libical would step through it for hours. A file is refused, with nothing read,
// once its recurrences take more steps or yield more closed times than the
// limits; a daily rule from 1990 is well within them.
TEST(ReadCalendar, RefusesFilesThatExpandPastTheLimits) {
    const std::string steps = "file: has recurring events that repeat more than 100000 times";
    EXPECT_EQ(refusal(one_event("DTSTART:10130603T090000\r\nDTEND:20251227T000000\r\n"
                                "RRULE:FREQ=HOURLY\r\n"))
                  .substr(0, steps.size()),
              steps);
    EXPECT_EQ(refusal(one_event("DTSTART:10130603T090000\r\nDTEND:20251227T000000\r\n"
                                "RRULE:FREQ=SECONDLY\r\n"))
                  .substr(0, steps.size()),
              steps);
    // Half-hourly for a year: 17,568 closed times in 17,568 steps.
    EXPECT_EQ(refusal(one_event("DTSTART:20261201T090000Z\r\nDTEND:20261201T090100Z\r\n"
                                "RRULE:FREQ=MINUTELY;INTERVAL=30\r\n")),
              "file: holds more than 10000 closed times between today and the horizon");

    const auto daily = time_off::read_calendar(
        one_event("DTSTART;VALUE=DATE:19900101\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Closed\r\n"),
        london(), utc("2026-12-01T00:00:00Z"), utc("2027-12-02T00:00:00Z"));
    ASSERT_GE(daily.size(), 366u);
    EXPECT_EQ(daily.front().when, span("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"));
}

TEST(ReadCalendar, RefusesWhatIsNotICalendar) {
    EXPECT_THROW(time_off::read_calendar("hello, world\n", london(), utc("2026-01-01T00:00:00Z"),
                                         utc("2027-01-01T00:00:00Z")),
                 Invalid);
    EXPECT_THROW(time_off::read_calendar("", london(), utc("2026-01-01T00:00:00Z"),
                                         utc("2027-01-01T00:00:00Z")),
                 Invalid);
}

}  // namespace
}  // namespace booking::hours
