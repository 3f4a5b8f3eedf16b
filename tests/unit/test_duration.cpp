// Durations as users write them in bookingd.toml and on the command line.
#include <gtest/gtest.h>

#include <string>

#include "core/config/duration.hpp"
#include "core/errors.hpp"

namespace booking {
namespace {

using std::chrono::seconds;

TEST(Duration, ParsesEveryUnitAndCombinations) {
    EXPECT_EQ(parse_duration("90s"), seconds(90));
    EXPECT_EQ(parse_duration("15m"), seconds(15 * 60));
    EXPECT_EQ(parse_duration("1h"), seconds(3600));
    EXPECT_EQ(parse_duration("1h30m"), seconds(5400));
    EXPECT_EQ(parse_duration("2d"), seconds(2 * 86400));
    EXPECT_EQ(parse_duration("1d2h3m4s"), seconds(86400 + 2 * 3600 + 3 * 60 + 4));
    EXPECT_EQ(parse_duration("0s"), seconds(0));
    EXPECT_EQ(parse_duration("60d"), seconds(60 * 86400));
}

// Each rejected text must come back with a message that quotes it, so the
// user can find the offending value in a long file.
void expect_rejected(const std::string& text) {
    try {
        auto value = parse_duration(text);
        ADD_FAILURE() << "\"" << text << "\" was accepted as " << value.count() << "s";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "duration") << text;
        EXPECT_NE(std::string(e.what()).find("\"" + text + "\""), std::string::npos)
            << "message does not quote the text: " << e.what();
    }
}

TEST(Duration, RejectsUnitsOutOfOrderOrRepeated) {
    expect_rejected("1m1h");
    expect_rejected("30s1m");
    expect_rejected("1h1h");
}

TEST(Duration, RejectsEmptyAndMissingOrUnknownUnits) {
    expect_rejected("");
    expect_rejected("5");
    expect_rejected("5x");
    expect_rejected("1h30");
    expect_rejected("h");
    expect_rejected("1H");
    expect_rejected("1.5h");
}

TEST(Duration, RejectsSignsAndSpaces) {
    expect_rejected("-1m");
    expect_rejected("1d-1h");
    expect_rejected("+1m");
    expect_rejected(" 1h");
    expect_rejected("1h ");
    expect_rejected("1h 30m");
}

TEST(Duration, RejectsValuesTooLargeToHold) {
    expect_rejected("99999999999999999999s");
    expect_rejected("999999999d");
}

TEST(Duration, FormatsTheShortestTextThatReadsBack) {
    EXPECT_EQ(format_duration(seconds(5400)), "1h30m");
    EXPECT_EQ(format_duration(seconds(90)), "1m30s");
    EXPECT_EQ(format_duration(seconds(2 * 86400)), "2d");
    EXPECT_EQ(format_duration(seconds(0)), "0s");
    for (long long v : {1LL, 59LL, 60LL, 3599LL, 3600LL, 86399LL, 86400LL, 90061LL, 5184000LL})
        EXPECT_EQ(parse_duration(format_duration(seconds(v))), seconds(v)) << v;
}

}  // namespace
}  // namespace booking
