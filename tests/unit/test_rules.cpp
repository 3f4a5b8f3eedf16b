// Who may book, see, cancel and reschedule, and until when: at the exact edges.
#include <gtest/gtest.h>

#include <string>

#include "core/bookings/rules.hpp"
#include "core/errors.hpp"
#include "tests/unit/support.hpp"

namespace booking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using test::utc;

const Time kNow = utc("2026-12-01T10:00:00Z");
const Actor kAnn{7, Role::Customer};
const Actor kBen{8, Role::Customer};
const Actor kStaff{2, Role::Staff};
const Actor kAdmin{1, Role::Admin};

BookingPolicy policy() {
    BookingPolicy p;
    p.min_notice = hours(1);
    p.horizon = hours(24 * 60);
    p.cancel_notice = hours(2);
    p.reschedule_notice = hours(3);  // distinct, to tell the two rules apart
    return p;
}

Booking anns_booking(Time start) {
    Booking b;
    b.id = 42;
    b.user_id = kAnn.user_id;
    b.service = "consultation";
    b.resource = "main";
    b.start = start;
    b.end = start + hours(1);
    b.status = "confirmed";
    return b;
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// The Invalid message check_start_time gives, or "" when it accepts.
std::string start_refusal(Time start, bool override_notice = false) {
    try {
        check_start_time(policy(), kNow, start, override_notice);
        return "";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "start");
        return e.message();
    }
}

template <class Check>
std::string conflict_message(Check check) {
    try {
        check();
    } catch (const Conflict& e) {
        return e.what();
    }
    return "";
}

TEST(StartTime, APastStartIsRefusedEvenWithOverride) {
    EXPECT_CONTAINS(start_refusal(kNow - seconds(1)), "in the past");
    EXPECT_CONTAINS(start_refusal(kNow - seconds(1), true), "in the past");
    EXPECT_EQ(start_refusal(kNow, true), "");
}

TEST(StartTime, MinNoticeAtItsExactBoundary) {
    EXPECT_NE(start_refusal(kNow + hours(1) - seconds(1)), "");
    EXPECT_CONTAINS(start_refusal(kNow + minutes(30)), "1h");
    EXPECT_EQ(start_refusal(kNow + hours(1)), "");
}

TEST(StartTime, HorizonAtItsExactBoundary) {
    EXPECT_EQ(start_refusal(kNow + hours(24 * 60)), "");
    EXPECT_NE(start_refusal(kNow + hours(24 * 60) + seconds(1)), "");
    EXPECT_CONTAINS(start_refusal(kNow + hours(24 * 90)), "60d");
}

TEST(StartTime, OverrideLiftsMinNoticeAndHorizon) {
    EXPECT_EQ(start_refusal(kNow + minutes(1), true), "");
    EXPECT_EQ(start_refusal(kNow + hours(24 * 365), true), "");
}

TEST(Visibility, CustomersSeeOnlyTheirOwnStaffSeeAll) {
    Booking b = anns_booking(kNow + hours(5));
    EXPECT_TRUE(may_see(kAnn, b));
    EXPECT_FALSE(may_see(kBen, b));
    EXPECT_TRUE(may_see(kStaff, b));
    EXPECT_TRUE(may_see(kAdmin, b));
    EXPECT_TRUE(may_see(Actor::terminal(), b));
}

TEST(Cancel, CustomerUntilExactlyCancelNoticeBeforeStart) {
    Booking b = anns_booking(kNow + hours(2));
    EXPECT_NO_THROW(check_may_cancel(policy(), kAnn, b, kNow));
    std::string late =
        conflict_message([&] { check_may_cancel(policy(), kAnn, b, kNow + seconds(1)); });
    EXPECT_CONTAINS(late, "2h");
    EXPECT_CONTAINS(late, "cancel");
}

TEST(Cancel, CustomerCannotCancelAfterTheStart) {
    Booking b = anns_booking(kNow - hours(1));
    EXPECT_CONTAINS(conflict_message([&] { check_may_cancel(policy(), kAnn, b, kNow); }),
                    "started");
    // Even with no notice required, a booking that has begun stays.
    BookingPolicy none = policy();
    none.cancel_notice = seconds(0);
    Booking soon = anns_booking(kNow + seconds(1));
    EXPECT_NO_THROW(check_may_cancel(none, kAnn, soon, kNow));
    EXPECT_THROW(check_may_cancel(none, kAnn, soon, kNow + seconds(1)), Conflict);
}

TEST(Cancel, StaffMayAlwaysCancel) {
    Booking b = anns_booking(kNow - hours(1));
    EXPECT_NO_THROW(check_may_cancel(policy(), kStaff, b, kNow));
    EXPECT_NO_THROW(check_may_cancel(policy(), kAdmin, b, kNow));
    EXPECT_NO_THROW(check_may_cancel(policy(), Actor::terminal(), b, kNow));
}

TEST(Cancel, AnotherCustomersBookingIsNotFound) {
    Booking b = anns_booking(kNow + hours(5));
    EXPECT_THROW(check_may_cancel(policy(), kBen, b, kNow), NotFound);
}

TEST(Cancel, CancellingAgainIsAllowedAndChangesNothing) {
    Booking b = anns_booking(kNow - hours(1));
    b.status = "cancelled";
    b.cancelled_at = kNow - hours(30);
    EXPECT_NO_THROW(check_may_cancel(policy(), kAnn, b, kNow));
}

TEST(Reschedule, CustomerUntilExactlyRescheduleNoticeBeforeStart) {
    Booking b = anns_booking(kNow + hours(3));
    EXPECT_NO_THROW(check_may_reschedule(policy(), kAnn, b, kNow));
    std::string late =
        conflict_message([&] { check_may_reschedule(policy(), kAnn, b, kNow + seconds(1)); });
    EXPECT_CONTAINS(late, "3h");
    EXPECT_CONTAINS(late, "reschedul");
    // Cancelling would still be allowed then: the two notices are separate.
    EXPECT_NO_THROW(check_may_cancel(policy(), kAnn, b, kNow + seconds(1)));
}

TEST(Reschedule, CustomerCannotRescheduleAfterTheStartStaffCan) {
    Booking b = anns_booking(kNow - minutes(10));
    EXPECT_CONTAINS(conflict_message([&] { check_may_reschedule(policy(), kAnn, b, kNow); }),
                    "started");
    EXPECT_NO_THROW(check_may_reschedule(policy(), kStaff, b, kNow));
}

TEST(Reschedule, ACancelledBookingCannotBeRescheduledByAnyone) {
    Booking b = anns_booking(kNow + hours(48));
    b.status = "cancelled";
    b.cancelled_at = kNow - hours(1);
    EXPECT_CONTAINS(conflict_message([&] { check_may_reschedule(policy(), kAnn, b, kNow); }),
                    "cancelled");
    EXPECT_THROW(check_may_reschedule(policy(), kStaff, b, kNow), Conflict);
}

TEST(Reschedule, AnotherCustomersBookingIsNotFound) {
    Booking b = anns_booking(kNow + hours(48));
    EXPECT_THROW(check_may_reschedule(policy(), kBen, b, kNow), NotFound);
}

}  // namespace
}  // namespace booking
