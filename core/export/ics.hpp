#pragma once
// iCalendar (RFC 5545) for bookings, built with libical so that escaping and
// line folding follow the standard.
#include <string>

#include "core/bookings/booking.hpp"
#include "core/export/export.hpp"

namespace booking {

enum class CalendarMethod { Publish, Request, Cancel };

// A whole VCALENDAR with one VEVENT for the booking: UID booking-<id>@host,
// SEQUENCE = booking.sequence, DTSTART/DTEND in UTC, STATUS CONFIRMED or
// CANCELLED (METHOD:CANCEL for cancellations), SUMMARY with service and business.
std::string booking_calendar(const Booking& booking, const CalendarContext& context,
                             CalendarMethod method);

// The VEVENT alone (CRLF line ends, folded), for writing many into one VCALENDAR.
std::string booking_event(const Booking& booking, const CalendarContext& context);

}  // namespace booking
