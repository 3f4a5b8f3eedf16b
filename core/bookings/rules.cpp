#include "core/bookings/rules.hpp"

#include <string>

#include "core/config/config.hpp"
#include "core/errors.hpp"

namespace booking {

BookingPolicy booking_policy(const Config& config) {
    const auto& b = config.business;
    BookingPolicy p;
    p.slot_step = b.slot_step;
    p.min_notice = b.min_notice;
    p.horizon = b.horizon;
    p.cancel_notice = b.cancel_notice;
    p.reschedule_notice = b.reschedule_notice;
    p.least_busy = b.assign == "least_busy";
    p.time_zone = b.time_zone;
    return p;
}
namespace {

bool is_cancelled(const Booking& booking) { return booking.status == "cancelled"; }

// Never tell a customer that someone else's booking exists.
void require_visible(const Actor& actor, const Booking& booking) {
    if (!may_see(actor, booking))
        throw NotFound("booking " + std::to_string(booking.id) + " not found");
}

// A customer may change a booking until `notice` before its start, never once
// it has begun. `verb` names the change for the message.
void require_notice(Seconds notice, const Booking& booking, Time now, const char* verb) {
    const std::string id = std::to_string(booking.id);
    if (now >= booking.start)
        throw Conflict("booking " + id + " started at " + format_utc(booking.start) +
                       "; it can no longer be " + verb);
    if (now > booking.start - notice)
        throw Conflict("booking " + id + " can no longer be " + verb + ": that is possible until " +
                       format_duration(notice) + " before its start (" + format_utc(booking.start) +
                       "); please contact us");
}

}  // namespace

void check_start_time(const BookingPolicy& policy, Time now, Time start, bool override_notice) {
    if (start < now) throw Invalid("start", format_utc(start) + " is in the past");
    if (override_notice) return;
    if (start < now + policy.min_notice)
        throw Invalid("start", format_utc(start) + " is too soon: bookings must be made at least " +
                                   format_duration(policy.min_notice) + " ahead");
    if (start > now + policy.horizon)
        throw Invalid("start", format_utc(start) +
                                   " is too far ahead: bookings can be made at most " +
                                   format_duration(policy.horizon) + " ahead");
}

bool may_see(const Actor& actor, const Booking& booking) {
    if (is_staff(actor.role)) return true;
    return actor.user_id != 0 && actor.user_id == booking.user_id;
}

void check_may_cancel(const BookingPolicy& policy, const Actor& actor, const Booking& booking,
                      Time now) {
    require_visible(actor, booking);
    if (is_cancelled(booking)) return;  // cancelling again changes nothing (SPEC: 200, unchanged)
    if (is_staff(actor.role)) return;
    require_notice(policy.cancel_notice, booking, now, "cancelled");
}

void check_may_reschedule(const BookingPolicy& policy, const Actor& actor, const Booking& booking,
                          Time now) {
    require_visible(actor, booking);
    if (is_cancelled(booking))
        throw Conflict("booking " + std::to_string(booking.id) +
                       " is cancelled and cannot be rescheduled; make a new booking");
    if (is_staff(actor.role)) return;
    require_notice(policy.reschedule_notice, booking, now, "rescheduled");
}

}  // namespace booking
