// Dates, clock times and instants as customers and staff see them, including
// the two days a year on which the clocks in the business's zone change.
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/time/business_time.hpp"
#include "tests/unit/support.hpp"

namespace booking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

using test::utc;

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST(Dates, ParseAndFormatRoundTrip) {
    EXPECT_EQ(parse_date("2026-12-01"), (Date{2026, 12, 1}));
    EXPECT_EQ(parse_date("2028-02-29"), (Date{2028, 2, 29}));
    EXPECT_EQ(format_date(Date{2026, 3, 9}), "2026-03-09");
    EXPECT_EQ(format_date(parse_date("1999-12-31")), "1999-12-31");
}

TEST(Dates, ImpossibleOrMalformedDatesAreInvalidWithTheFieldNamed) {
    for (const char* text : {"2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01",
                             "26-01-01", "2026/01/01", "", "2026-01-01T00:00"}) {
        try {
            parse_date(text, "from");
            ADD_FAILURE() << text << " accepted";
        } catch (const Invalid& e) {
            EXPECT_EQ(e.field(), "from");
            EXPECT_CONTAINS(e.message(), "\"" + std::string(text) + "\"");
        }
    }
}

TEST(Dates, ArithmeticAndWeekdays) {
    EXPECT_EQ(days_since_epoch(Date{1970, 1, 1}), 0);
    EXPECT_EQ(date_from_days(days_since_epoch(Date{2026, 3, 29})), (Date{2026, 3, 29}));
    EXPECT_EQ(add_days(Date{2026, 12, 31}, 1), (Date{2027, 1, 1}));
    EXPECT_EQ(add_days(Date{2028, 3, 1}, -1), (Date{2028, 2, 29}));
    EXPECT_EQ(weekday(Date{2026, 3, 30}), 0);  // Monday
    EXPECT_EQ(weekday(Date{2026, 3, 27}), 4);  // Friday
    EXPECT_EQ(weekday(Date{2026, 3, 29}), 6);  // Sunday
}

TEST(Clock, ParsesHoursAndMinutesUpToEndOfDay) {
    EXPECT_EQ(parse_clock("09:00", "hours"), minutes(540));
    EXPECT_EQ(parse_clock("00:00", "hours"), minutes(0));
    EXPECT_EQ(parse_clock("23:59", "hours"), minutes(1439));
    EXPECT_EQ(parse_clock("24:00", "hours"), minutes(1440));
    for (const char* text : {"24:01", "25:00", "12:60", "9:00", "0900", "09:00:00", "", "ab:cd"})
        EXPECT_THROW(parse_clock(text, "hours"), Invalid) << text;
}

TEST(Rfc3339, AcceptsZAndOffsetsAndFormatsInUtc) {
    EXPECT_EQ(format_utc(utc("2026-12-01T09:00:00Z")), "2026-12-01T09:00:00Z");
    EXPECT_EQ(format_utc(utc("2026-12-01T09:00:00+01:00")), "2026-12-01T08:00:00Z");
    EXPECT_EQ(format_utc(utc("2026-12-01T09:00:00-05:30")), "2026-12-01T14:30:00Z");
    EXPECT_EQ(format_utc(utc("2026-12-31T23:30:00-01:00")), "2027-01-01T00:30:00Z");
    EXPECT_EQ(format_utc(utc("2026-12-01T09:00:00.987Z")), "2026-12-01T09:00:00Z");
    EXPECT_EQ(format_utc(utc("1970-01-01T00:00:00Z")), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_utc(utc("2100-02-28T23:59:59Z")), "2100-02-28T23:59:59Z");
}

TEST(Rfc3339, RequiresAnOffsetAndRealDatesAndTimes) {
    for (const char* text :
         {"2026-12-01T09:00:00", "2026-12-01T09:00", "2026-12-01", "2026-12-01T25:00:00Z",
          "2026-12-01T09:60:00Z", "2026-02-30T09:00:00Z", "2026-12-01T09:00:00+1:00",
          "2026-12-01T09:00:00+01:00x", "2026-12-01T09:00:00.Z", "2026-12-01X09:00:00Z", ""})
        EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
}

// Found by fuzz_rfc3339: an offset that carries the instant past year 9999 (or
// before year 0) was accepted, and format_utc wrote it back as another year.
TEST(Rfc3339, RefusesInstantsBeyondFourDigitYears) {
    EXPECT_FALSE(parse_rfc3339("9999-12-31T23:59:59-23:59").has_value());
    EXPECT_FALSE(parse_rfc3339("0000-01-01T00:00:00+00:01").has_value());
    const auto last = parse_rfc3339("9999-12-31T23:59:59Z");
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(format_utc(*last), "9999-12-31T23:59:59Z");
    const auto first = parse_rfc3339("0000-01-01T00:00:00Z");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(format_utc(*first), "0000-01-01T00:00:00Z");
}

TEST(Zone, UnknownNameIsInvalidTimeZone) {
    EXPECT_TRUE(BusinessZone::exists("Europe/London"));
    EXPECT_FALSE(BusinessZone::exists("Europe/Londn"));
    try {
        BusinessZone zone("Mars/Olympus_Mons");
        ADD_FAILURE() << "unknown zone accepted";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "time_zone");
        EXPECT_CONTAINS(e.message(), "Mars/Olympus_Mons");
    }
}

// Europe/London: clocks go forward at 01:00 GMT on 2026-03-29 and back at
// 01:00 GMT (02:00 BST) on 2026-10-25.
TEST(Zone, NineOClockIsNineLocalOnBothSidesOfSpringForward) {
    BusinessZone london("Europe/London");
    EXPECT_EQ(london.at({2026, 3, 28}, hours(9)), utc("2026-03-28T09:00:00Z"));
    EXPECT_EQ(london.at({2026, 3, 29}, hours(9)), utc("2026-03-29T08:00:00Z"));
    EXPECT_EQ(london.at({2026, 3, 30}, hours(9)), utc("2026-03-30T08:00:00Z"));
    EXPECT_EQ(london.format_local(utc("2026-03-30T08:00:00Z")), "2026-03-30 09:00");
    EXPECT_EQ(london.abbreviation(utc("2026-03-28T09:00:00Z")), "GMT");
    EXPECT_EQ(london.abbreviation(utc("2026-03-30T08:00:00Z")), "BST");
}

TEST(Zone, NineOClockIsNineLocalOnBothSidesOfFallBack) {
    BusinessZone london("Europe/London");
    EXPECT_EQ(london.at({2026, 10, 24}, hours(9)), utc("2026-10-24T08:00:00Z"));
    EXPECT_EQ(london.at({2026, 10, 25}, hours(9)), utc("2026-10-25T09:00:00Z"));
    EXPECT_EQ(london.time_of_day(utc("2026-10-24T08:00:00Z")), hours(9));
    EXPECT_EQ(london.time_of_day(utc("2026-10-25T09:00:00Z")), hours(9));
}

TEST(Zone, SkippedWallClockTimeIsInvalid) {
    BusinessZone london("Europe/London");
    try {
        london.at({2026, 3, 29}, hours(1) + minutes(30), "start");
        ADD_FAILURE() << "01:30 on 2026-03-29 does not exist in London";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "start");
        EXPECT_CONTAINS(e.message(), "2026-03-29 01:30");
    }
    // The minutes either side do exist.
    EXPECT_EQ(london.at({2026, 3, 29}, minutes(59)), utc("2026-03-29T00:59:00Z"));
    EXPECT_EQ(london.at({2026, 3, 29}, hours(2)), utc("2026-03-29T01:00:00Z"));
}

TEST(Zone, RepeatedWallClockTimeIsTheEarlierInstant) {
    BusinessZone london("Europe/London");
    // 01:30 happens at 00:30Z (BST) and again at 01:30Z (GMT).
    EXPECT_EQ(london.at({2026, 10, 25}, hours(1) + minutes(30)), utc("2026-10-25T00:30:00Z"));
    EXPECT_EQ(london.abbreviation(utc("2026-10-25T00:30:00Z")), "BST");
}

TEST(Zone, LocalDaysAreTwentyThreeAndTwentyFiveHoursAroundTheChanges) {
    BusinessZone london("Europe/London");
    EXPECT_EQ(london.start_of_day({2026, 3, 29}), utc("2026-03-29T00:00:00Z"));
    EXPECT_EQ(london.start_of_day({2026, 3, 30}) - london.start_of_day({2026, 3, 29}), hours(23));
    EXPECT_EQ(london.start_of_day({2026, 10, 26}) - london.start_of_day({2026, 10, 25}), hours(25));
    EXPECT_EQ(london.start_of_day({2026, 7, 1}), utc("2026-06-30T23:00:00Z"));
}

TEST(Zone, StartOfDayWhenMidnightIsSkipped) {
    // Havana moves its clocks from 00:00 to 01:00 on 2026-03-08: the day begins at 01:00 CDT.
    BusinessZone havana("America/Havana");
    EXPECT_EQ(havana.start_of_day({2026, 3, 8}), utc("2026-03-08T05:00:00Z"));
    EXPECT_EQ(havana.date_of(utc("2026-03-08T05:00:00Z")), (Date{2026, 3, 8}));
}

TEST(Zone, LocalDateAndTimeOfAnInstant) {
    BusinessZone london("Europe/London");
    // 23:30Z in summer is already the next day in London.
    EXPECT_EQ(london.date_of(utc("2026-07-01T23:30:00Z")), (Date{2026, 7, 2}));
    EXPECT_EQ(london.time_of_day(utc("2026-07-01T23:30:00Z")), minutes(30));
    EXPECT_EQ(london.date_of(utc("2026-12-01T23:30:00Z")), (Date{2026, 12, 1}));
}

TEST(Zone, UserTimesAreLocalUnlessTheyCarryAnOffset) {
    BusinessZone london("Europe/London");
    const Date today{2026, 12, 1};
    auto parse = [&](const char* text) { return london.parse_user_time(text, "start", today); };
    EXPECT_EQ(parse("2026-07-01 09:00"), utc("2026-07-01T08:00:00Z"));
    EXPECT_EQ(parse("2026-12-01 09:00"), utc("2026-12-01T09:00:00Z"));
    EXPECT_EQ(parse("2026-12-01T09:00"), utc("2026-12-01T09:00:00Z"));
    EXPECT_EQ(parse("2026-07-01T09:00:00Z"), utc("2026-07-01T09:00:00Z"));
    EXPECT_THROW(parse("2026-03-29 01:30"), Invalid);
    EXPECT_THROW(parse("2026-07-01 24:00"), Invalid);
    for (const char* text : {"tomorrow 9am", "tomorrow", "09:30", "tomorow 09:30", "+1 9:30", ""}) {
        try {
            parse(text);
            ADD_FAILURE() << "accepted " << text;
        } catch (const Invalid& e) {
            EXPECT_EQ(e.field(), "start");
            EXPECT_CONTAINS(e.message(), std::string("\"") + text + "\"");
        }
    }
}

TEST(Zone, UserTimesTakeDatesAsPeopleSayThem) {
    BusinessZone london("Europe/London");
    const Date tuesday{2026, 12, 1};
    auto parse = [&](const char* text) { return london.parse_user_time(text, "start", tuesday); };
    EXPECT_EQ(parse("today 09:30"), utc("2026-12-01T09:30:00Z"));
    EXPECT_EQ(parse("tomorrow 09:30"), utc("2026-12-02T09:30:00Z"));
    EXPECT_EQ(parse("Yesterday 17:00"), utc("2026-11-30T17:00:00Z"));
    EXPECT_EQ(parse("fri 14:00"), utc("2026-12-04T14:00:00Z"));
    EXPECT_EQ(parse("+7 08:00"), utc("2026-12-08T08:00:00Z"));
    // The day the clocks go forward: 09:30 local is 08:30 UTC, and 01:30 does not exist.
    const Date saturday{2026, 3, 28};
    EXPECT_EQ(london.parse_user_time("tomorrow 09:30", "start", saturday),
              utc("2026-03-29T08:30:00Z"));
    EXPECT_THROW(london.parse_user_time("tomorrow 01:30", "start", saturday), Invalid);
}

TEST(Dates, PeopleSayTodayTomorrowWeekdaysAndOffsets) {
    const Date tuesday{2026, 12, 1};
    auto parse = [&](const char* text) { return parse_user_date(text, tuesday, "--date"); };
    EXPECT_EQ(parse("2026-12-24"), (Date{2026, 12, 24}));
    EXPECT_EQ(parse("today"), tuesday);
    EXPECT_EQ(parse("TODAY"), tuesday);
    EXPECT_EQ(parse("tomorrow"), (Date{2026, 12, 2}));
    EXPECT_EQ(parse("yesterday"), (Date{2026, 11, 30}));
    // A weekday is its next occurrence, today included.
    EXPECT_EQ(parse("tue"), tuesday);
    EXPECT_EQ(parse("tuesday"), tuesday);
    EXPECT_EQ(parse("wed"), (Date{2026, 12, 2}));
    EXPECT_EQ(parse("Mon"), (Date{2026, 12, 7}));
    EXPECT_EQ(parse("sun"), (Date{2026, 12, 6}));
    EXPECT_EQ(parse("+0"), tuesday);
    EXPECT_EQ(parse("+7"), (Date{2026, 12, 8}));
    EXPECT_EQ(parse("-1"), (Date{2026, 11, 30}));
    EXPECT_EQ(parse("+31"), (Date{2027, 1, 1}));
    // Calendar days, not 24-hour steps: across the October clock change too.
    EXPECT_EQ(parse_user_date("+1", Date{2026, 10, 24}, "--date"), (Date{2026, 10, 25}));
    EXPECT_EQ(parse_user_date("+2", Date{2026, 10, 24}, "--date"), (Date{2026, 10, 26}));
}

TEST(Dates, UnknownDateWordsNameTheFlagAndQuoteTheText) {
    for (const char* text :
         {"tomorow", "", "+", "7", "+1d", "next monday", "mo", "+99999", "2026-02-30", "tues"}) {
        try {
            parse_user_date(text, Date{2026, 12, 1}, "--date");
            ADD_FAILURE() << "accepted " << text;
        } catch (const Invalid& e) {
            EXPECT_EQ(e.field(), "--date");
            EXPECT_CONTAINS(e.what(), std::string("--date: \"") + text + "\"");
        }
    }
}

}  // namespace
}  // namespace booking
