#include "core/export/ics.hpp"

#include <libical/ical.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "core/text.hpp"
#include "core/time/business_time.hpp"

namespace booking {

namespace {

constexpr const char* kProductId = "-//bookingd//bookingd//EN";

struct ComponentFree {
    void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

struct BufferFree {
    void operator()(char* text) const { icalmemory_free_buffer(text); }
};

std::string serialize(icalcomponent* component) {
    std::unique_ptr<char, BufferFree> text(icalcomponent_as_ical_string_r(component));
    if (!text) throw std::runtime_error("libical could not write the calendar");
    return std::string(text.get());
}

icaltimetype utc(Time t) {
    return icaltime_from_timet_with_zone(static_cast<std::time_t>(t.time_since_epoch().count()), 0,
                                         icaltimezone_get_utc_timezone());
}

icalproperty_method ical_method(CalendarMethod method) {
    switch (method) {
        case CalendarMethod::Publish:
            return ICAL_METHOD_PUBLISH;
        case CalendarMethod::Request:
            return ICAL_METHOD_REQUEST;
        case CalendarMethod::Cancel:
            return ICAL_METHOD_CANCEL;
    }
    return ICAL_METHOD_PUBLISH;
}

std::string summary(const Booking& booking, const CalendarContext& context) {
    std::string text = booking.service_name.empty() ? booking.service : booking.service_name;
    if (context.staff_feed) return text + " \u2014 " + booking.customer_name;
    if (!context.business_name.empty()) text += " \u2014 " + context.business_name;
    return text;
}

std::string description(const Booking& booking, const CalendarContext& context) {
    std::string text = "Service: ";
    text += booking.service_name.empty() ? booking.service : booking.service_name;
    text += "\nResource: ";
    text += booking.resource_name.empty() ? booking.resource : booking.resource_name;
    // The event's times are UTC; the business's local time helps a reader whose
    // calendar shows another zone.
    if (!context.time_zone.empty() && BusinessZone::exists(context.time_zone)) {
        const BusinessZone zone(context.time_zone);
        text += "\nWhen: " + zone.format_local(booking.start) + " " +
                zone.abbreviation(booking.start) + " (" + zone.name() + ")";
    }
    if (context.staff_feed)
        text += "\nCustomer: " + booking.customer_name + " <" + booking.customer_email + ">";
    text += "\nBooking: " + std::to_string(booking.id);
    if (!booking.notes.empty()) text += "\nNotes: " + booking.notes;
    return text;
}

// RFC 5545 TEXT may hold line breaks (libical writes them as \n) but no other
// control characters. libical silently drops a CR, which would glue the lines
// of notes typed on a CRLF or CR system together, so every TEXT value goes
// through multiline_text: line breaks become LF, other control characters
// (except TAB) are left out.
Component new_event(const Booking& booking, const CalendarContext& context, bool cancelled) {
    Component event(icalcomponent_new_vevent());
    icalcomponent* e = event.get();
    const std::string uid = "booking-" + std::to_string(booking.id) + "@" + context.uid_host;
    icalcomponent_add_property(e, icalproperty_new_uid(multiline_text(uid).c_str()));
    icalcomponent_add_property(e, icalproperty_new_sequence(booking.sequence));
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    icalcomponent_add_property(
        e, icalproperty_new_dtstamp(utc(context.staff_feed ? booking.updated_at : now)));
    icalcomponent_add_property(e, icalproperty_new_dtstart(utc(booking.start)));
    icalcomponent_add_property(e, icalproperty_new_dtend(utc(booking.end)));
    icalcomponent_add_property(
        e, icalproperty_new_summary(multiline_text(summary(booking, context)).c_str()));
    icalcomponent_add_property(
        e, icalproperty_new_description(multiline_text(description(booking, context)).c_str()));
    if (!booking.resource_name.empty()) {
        icalcomponent_add_property(
            e, icalproperty_new_location(multiline_text(booking.resource_name).c_str()));
    }
    icalcomponent_add_property(
        e, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    return event;
}

Component new_calendar(CalendarMethod method) {
    Component calendar(icalcomponent_new_vcalendar());
    icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(kProductId));
    icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_method(ical_method(method)));
    return calendar;
}

bool is_cancelled(const Booking& booking) { return booking.status == "cancelled"; }

}  // namespace

std::string booking_calendar(const Booking& booking, const CalendarContext& context,
                             CalendarMethod method) {
    Component calendar = new_calendar(method);
    const bool cancelled = is_cancelled(booking) || method == CalendarMethod::Cancel;
    // The calendar takes ownership of the event.
    icalcomponent_add_component(calendar.get(), new_event(booking, context, cancelled).release());
    return serialize(calendar.get());
}

std::string booking_event(const Booking& booking, const CalendarContext& context) {
    return serialize(new_event(booking, context, is_cancelled(booking)).get());
}

namespace ics_detail {

// For writers that put many events into one calendar: the calendar's opening
// lines (BEGIN:VCALENDAR and its properties) and its closing line.
std::string calendar_head(CalendarMethod method) {
    std::string text = serialize(new_calendar(method).get());
    constexpr std::string_view end_line = "END:VCALENDAR\r\n";
    if (!std::string_view(text).ends_with(end_line)) {
        throw std::runtime_error("libical wrote an unexpected calendar ending");
    }
    text.resize(text.size() - end_line.size());
    return text;
}

std::string calendar_tail() { return "END:VCALENDAR\r\n"; }

}  // namespace ics_detail

}  // namespace booking
