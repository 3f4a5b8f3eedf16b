// The iCalendar writer, checked by parsing its output back with libical and by
// looking at the raw lines (CRLF ends, folding at 75 octets).
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/export/ics.hpp"
#include "tests/unit/support.hpp"

namespace {

using namespace std::chrono_literals;
using booking::Booking;
using booking::CalendarContext;
using booking::CalendarMethod;

using booking::test::at;

Booking sample_booking() {
    Booking b = booking::test::ann_booking();
    b.resource_name = "Room 1";
    b.notes = "Bring the forms";
    b.sequence = 3;
    return b;
}

CalendarContext sample_context() {
    CalendarContext context;
    context.uid_host = "bookings.example.com";
    context.business_name = "Example Studio";
    context.time_zone = "Europe/London";
    return context;
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

Component parse(const std::string& text) {
    Component calendar(icalparser_parse_string(text.c_str()));
    EXPECT_NE(calendar, nullptr) << text;
    return calendar;
}

icalcomponent* only_event(icalcomponent* calendar) {
    EXPECT_EQ(icalcomponent_count_components(calendar, ICAL_VEVENT_COMPONENT), 1);
    return icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
}

std::string text_property(icalcomponent* component, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(component, kind);
    if (p == nullptr) return "<missing>";
    const char* value = icalvalue_as_ical_string(icalproperty_get_value(p));
    // Text values come back escaped from icalvalue_as_ical_string; the typed
    // getters below unescape, so use them where it matters.
    return value == nullptr ? "<null>" : value;
}

std::string description_of(icalcomponent* event) {
    icalproperty* p = icalcomponent_get_first_property(event, ICAL_DESCRIPTION_PROPERTY);
    return p == nullptr ? "<missing>" : icalproperty_get_description(p);
}

// The raw text as physical lines; fails the test if any line does not end with CRLF.
std::vector<std::string> physical_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t crlf = text.find("\r\n", begin);
        if (crlf == std::string::npos) {
            ADD_FAILURE() << "text does not end with CRLF: " << text.substr(begin);
            break;
        }
        lines.push_back(text.substr(begin, crlf - begin));
        begin = crlf + 2;
    }
    for (const auto& line : lines) {
        EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in: " << line;
    }
    return lines;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80           ? 1
                              : (c >> 5) == 0x6  ? 2
                              : (c >> 4) == 0xe  ? 3
                              : (c >> 3) == 0x1e ? 4
                                                 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        }
        i += n;
    }
    return true;
}

TEST(BookingCalendar, HasTheCalendarAndEventProperties) {
    const std::string text =
        booking::booking_calendar(sample_booking(), sample_context(), CalendarMethod::Publish);
    const Component calendar = parse(text);
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_PUBLISH);
    EXPECT_EQ(text_property(calendar.get(), ICAL_PRODID_PROPERTY), "-//bookingd//bookingd//EN");
    EXPECT_EQ(text_property(calendar.get(), ICAL_VERSION_PROPERTY), "2.0");

    icalcomponent* event = only_event(calendar.get());
    ASSERT_NE(event, nullptr);
    EXPECT_STREQ(icalcomponent_get_uid(event), "booking-42@bookings.example.com");
    EXPECT_EQ(icalcomponent_get_sequence(event), 3);
    EXPECT_EQ(icalcomponent_get_status(event), ICAL_STATUS_CONFIRMED);
    EXPECT_STREQ(icalcomponent_get_summary(event), "Consultation \u2014 Example Studio");
    EXPECT_STREQ(icalcomponent_get_location(event), "Room 1");
    EXPECT_NE(icalcomponent_get_first_property(event, ICAL_DTSTAMP_PROPERTY), nullptr);

    const icaltimetype start = icalcomponent_get_dtstart(event);
    const icaltimetype end = icalcomponent_get_dtend(event);
    EXPECT_TRUE(icaltime_is_utc(start));
    EXPECT_TRUE(icaltime_is_utc(end));
    EXPECT_EQ(icaltime_as_timet(start), sample_booking().start.time_since_epoch().count());
    EXPECT_EQ(icaltime_as_timet(end), sample_booking().end.time_since_epoch().count());
    // UTC on the wire, with Z, not a floating or TZID-bound local time.
    EXPECT_NE(text.find("\r\nDTSTART:20261201T090000Z\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nDTEND:20261201T100000Z\r\n"), std::string::npos) << text;
}

TEST(BookingCalendar, DescriptionNamesServiceResourceBookingAndNotes) {
    const Component calendar = parse(
        booking::booking_calendar(sample_booking(), sample_context(), CalendarMethod::Request));
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_REQUEST);
    const std::string description = description_of(only_event(calendar.get()));
    EXPECT_NE(description.find("Consultation"), std::string::npos) << description;
    EXPECT_NE(description.find("Room 1"), std::string::npos) << description;
    EXPECT_NE(description.find("42"), std::string::npos) << description;
    EXPECT_NE(description.find("Bring the forms"), std::string::npos) << description;
    // The business's local time, for readers whose calendar is in another zone.
    EXPECT_NE(description.find("2026-12-01 09:00 GMT"), std::string::npos) << description;
}

TEST(BookingCalendar, NotesWithSpecialCharactersSurviveTheRoundTrip) {
    Booking b = sample_booking();
    b.notes =
        "Parking: bay 3, level -1; ask for \"Bob\"\\Robert.\nSecond line, with \\n literally\n"
        "Ünïcødé — 日本語 😀;,\\";
    const Component calendar =
        parse(booking::booking_calendar(b, sample_context(), CalendarMethod::Publish));
    ASSERT_NE(calendar, nullptr);
    const std::string description = description_of(only_event(calendar.get()));
    EXPECT_NE(description.find("\n"
                               "Notes: " +
                               b.notes),
              std::string::npos)
        << description;
    EXPECT_TRUE(description.ends_with(b.notes)) << description;
}

TEST(BookingCalendar, CrlfAndCrInNotesBecomeLineBreaks) {
    Booking b = sample_booking();
    b.notes = "one\r\ntwo\rthree\x01";
    const Component calendar =
        parse(booking::booking_calendar(b, sample_context(), CalendarMethod::Publish));
    ASSERT_NE(calendar, nullptr);
    const std::string description = description_of(only_event(calendar.get()));
    EXPECT_TRUE(description.ends_with("Notes: one\ntwo\nthree")) << description;
}

TEST(BookingCalendar, LinesEndWithCrlfAndAreFoldedAt75Octets) {
    Booking b = sample_booking();
    b.notes = std::string(300, 'x') + " " + std::string(200, ',') + " ";
    for (int i = 0; i < 60; ++i) b.notes += "é日😀";
    b.service_name = std::string(120, 'S');
    CalendarContext context = sample_context();
    context.business_name =
        "Ünïcødé Studio with a name long enough to need folding on its own line";
    const std::string text = booking::booking_calendar(b, context, CalendarMethod::Publish);

    const std::vector<std::string> lines = physical_lines(text);
    ASSERT_GT(lines.size(), 10u);
    int continuation_lines = 0;
    for (const auto& line : lines) {
        EXPECT_LE(line.size(), 75u) << line;
        // Folding must not cut a UTF-8 character in two (RFC 5545 3.1).
        EXPECT_TRUE(valid_utf8(line)) << line;
        if (line.starts_with(" ")) ++continuation_lines;
    }
    EXPECT_GT(continuation_lines, 5);

    const Component calendar = parse(text);
    ASSERT_NE(calendar, nullptr);
    icalcomponent* event = only_event(calendar.get());
    EXPECT_TRUE(description_of(event).ends_with(b.notes));
    EXPECT_EQ(std::string(icalcomponent_get_summary(event)),
              std::string(120, 'S') + " \u2014 " + context.business_name);
}

TEST(BookingCalendar, CancelMethodMarksTheEventCancelled) {
    Booking b = sample_booking();
    b.sequence = 4;
    const std::string text = booking::booking_calendar(b, sample_context(), CalendarMethod::Cancel);
    EXPECT_NE(text.find("\r\nMETHOD:CANCEL\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nSTATUS:CANCELLED\r\n"), std::string::npos) << text;
    const Component calendar = parse(text);
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_CANCEL);
    icalcomponent* event = only_event(calendar.get());
    EXPECT_EQ(icalcomponent_get_status(event), ICAL_STATUS_CANCELLED);
    EXPECT_STREQ(icalcomponent_get_uid(event), "booking-42@bookings.example.com");
    EXPECT_EQ(icalcomponent_get_sequence(event), 4);
}

TEST(BookingCalendar, CancelledBookingIsCancelledWhateverTheMethod) {
    Booking b = sample_booking();
    b.status = "cancelled";
    b.cancelled_at = at(2026, 11, 20, 12h);
    const Component calendar =
        parse(booking::booking_calendar(b, sample_context(), CalendarMethod::Publish));
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_PUBLISH);
    EXPECT_EQ(icalcomponent_get_status(only_event(calendar.get())), ICAL_STATUS_CANCELLED);
}

TEST(BookingCalendar, FallsBackToCodesAndLeavesOutWhatIsUnknown) {
    Booking b = sample_booking();
    b.service_name.clear();
    b.resource_name.clear();
    b.notes.clear();
    CalendarContext context = sample_context();
    context.business_name.clear();
    context.time_zone.clear();
    const Component calendar =
        parse(booking::booking_calendar(b, context, CalendarMethod::Publish));
    ASSERT_NE(calendar, nullptr);
    icalcomponent* event = only_event(calendar.get());
    EXPECT_STREQ(icalcomponent_get_summary(event), "consultation");
    EXPECT_EQ(icalcomponent_get_first_property(event, ICAL_LOCATION_PROPERTY), nullptr);
    const std::string description = description_of(event);
    EXPECT_NE(description.find("consultation"), std::string::npos) << description;
    EXPECT_NE(description.find("main"), std::string::npos) << description;
    EXPECT_EQ(description.find("Notes"), std::string::npos) << description;
}

TEST(BookingEvent, IsOneVeventWithoutCalendar) {
    Booking b = sample_booking();
    b.status = "cancelled";
    const std::string text = booking::booking_event(b, sample_context());
    EXPECT_TRUE(text.starts_with("BEGIN:VEVENT\r\n")) << text;
    EXPECT_TRUE(text.ends_with("END:VEVENT\r\n")) << text;
    EXPECT_EQ(text.find("VCALENDAR"), std::string::npos) << text;
    EXPECT_EQ(text.find("METHOD"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nUID:booking-42@bookings.example.com\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nSTATUS:CANCELLED\r\n"), std::string::npos) << text;
    for (const auto& line : physical_lines(text)) EXPECT_LE(line.size(), 75u) << line;
}

}  // namespace
