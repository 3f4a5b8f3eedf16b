#pragma once
// Who may do what to a booking, and until when. Pure: the database functions
// in bookings.cpp call these before they write.
#include <string>

#include "core/bookings/booking.hpp"
#include "core/config/duration.hpp"
#include "core/users/user.hpp"

namespace booking {

struct BookingPolicy {
    Seconds slot_step{1800};
    Seconds min_notice{3600};
    Seconds horizon{60 * 86400};
    Seconds cancel_notice{7200};
    Seconds reschedule_notice{7200};
    // business.assign: true ("least_busy") gives a booking that names no
    // resource the free one with the fewest confirmed bookings that local day
    // (in time_zone), ties by code; false ("first"): the first free by code.
    bool least_busy = true;
    std::string time_zone = "UTC";
};

struct Config;
// The policy of a business's [business] settings: the one built by bookingd
// and bookingctl alike.
BookingPolicy booking_policy(const Config& config);

// A new start time: not in the past, not sooner than min_notice, not past the
// horizon (the last two lifted by override_notice). Throws Invalid("start", ...).
void check_start_time(const BookingPolicy& policy, Time now, Time start, bool override_notice);

// Customers see only their own bookings (others are "not found"); staff see all.
bool may_see(const Actor& actor, const Booking& booking);

// Throws Conflict when a customer is too late to cancel (or reschedule) it.
void check_may_cancel(const BookingPolicy& policy, const Actor& actor, const Booking& booking,
                      Time now);
void check_may_reschedule(const BookingPolicy& policy, const Actor& actor, const Booking& booking,
                          Time now);

}  // namespace booking
