// The free gaps of a day: the parts of open slots that no confirmed booking
// (with its buffer) holds, exactly, not rounded to the booking grid.
#include <gtest/gtest.h>

#include "core/agenda/agenda.hpp"
#include "tests/unit/support.hpp"

namespace booking {
namespace {

using namespace std::chrono_literals;

Interval on_dec_1(std::chrono::minutes from, std::chrono::minutes to) {
    return {test::at(2026, 12, 1, from), test::at(2026, 12, 1, to)};
}

TEST(FreeGaps, AnOpenSlotWithoutBookingsIsFreeWhole) {
    auto slot = on_dec_1(9h, 17h);
    EXPECT_EQ(agenda::free_gaps({slot}, {}), (std::vector<Interval>{slot}));
}

TEST(FreeGaps, BookingsAndTheirBuffersCutTheSlotToTheMinute) {
    // 09:00-17:00 open; 10:00-11:00 booked with a 15-minute buffer; 13:07-14:00 booked.
    auto gaps = agenda::free_gaps({on_dec_1(9h, 17h)},
                                  {on_dec_1(13h + 7min, 14h), on_dec_1(10h, 11h + 15min)});
    EXPECT_EQ(gaps, (std::vector<Interval>{on_dec_1(9h, 10h), on_dec_1(11h + 15min, 13h + 7min),
                                           on_dec_1(14h, 17h)}));
}

TEST(FreeGaps, BookingsEdgeToEdgeLeaveNoEmptyGaps) {
    auto gaps = agenda::free_gaps({on_dec_1(9h, 12h)},
                                  {on_dec_1(9h, 10h), on_dec_1(10h, 11h), on_dec_1(11h, 12h)});
    EXPECT_TRUE(gaps.empty());
}

TEST(FreeGaps, ABufferRunningPastTheSlotEndOrIntoTheNextSlot) {
    // Two slots; a booking at the end of the first whose buffer reaches into the second.
    auto gaps =
        agenda::free_gaps({on_dec_1(13h, 17h), on_dec_1(9h, 12h)}, {on_dec_1(11h, 13h + 30min)});
    EXPECT_EQ(gaps, (std::vector<Interval>{on_dec_1(9h, 11h), on_dec_1(13h + 30min, 17h)}));
}

TEST(FreeGaps, HeldTimeOutsideEverySlotChangesNothing) {
    auto gaps = agenda::free_gaps({on_dec_1(9h, 12h)}, {on_dec_1(7h, 8h), on_dec_1(18h, 19h)});
    EXPECT_EQ(gaps, (std::vector<Interval>{on_dec_1(9h, 12h)}));
}

TEST(FreeGaps, NoSlotsMeansNoGaps) {
    EXPECT_TRUE(agenda::free_gaps({}, {on_dec_1(9h, 10h)}).empty());
}

}  // namespace
}  // namespace booking
