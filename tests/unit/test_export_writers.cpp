// The export writers (CSV, JSON Lines, iCalendar) fed with bookings built by
// hand; export_bookings itself needs the database and is tested there.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/export/export.hpp"
#include "tests/unit/support.hpp"

namespace {

using namespace std::chrono_literals;
using booking::Booking;
using booking::ExportFormat;

using booking::test::at;

Booking confirmed_booking() { return booking::test::ann_booking(); }

Booking cancelled_booking() {
    Booking b;
    b.id = 43;
    b.user_id = 8;
    b.service = "massage";
    b.service_name = "Massage";
    b.resource = "room-2";
    b.resource_name = "Room 2";
    b.start = at(2026, 12, 2, 14h);
    b.end = at(2026, 12, 2, 15h + 30min);
    b.duration_minutes = 90;
    b.status = "cancelled";
    b.notes = "Gate code 1,2;3\nand \"ring twice\"";
    b.created_at = at(2026, 11, 2, 10h);
    b.updated_at = at(2026, 11, 3, 11h);
    b.cancelled_at = at(2026, 11, 3, 11h);
    b.sequence = 2;
    b.customer_name = "Zoë O'Brien, Jr.";
    b.customer_email = "zoe@example.com";
    return b;
}

booking::CalendarContext context() {
    booking::CalendarContext c;
    c.uid_host = "example.com";
    c.business_name = "Example Studio";
    c.time_zone = "Europe/London";
    return c;
}

std::string run_export(ExportFormat format, const std::vector<Booking>& rows) {
    std::ostringstream out;
    const auto writer = booking::make_booking_writer(format, out, context());
    writer->begin();
    for (const auto& b : rows) writer->write(b);
    writer->end();
    return out.str();
}

TEST(ExportFormat, ParsesTheThreeNames) {
    EXPECT_EQ(booking::parse_export_format("csv"), ExportFormat::Csv);
    EXPECT_EQ(booking::parse_export_format("jsonl"), ExportFormat::Jsonl);
    EXPECT_EQ(booking::parse_export_format("ics"), ExportFormat::Ics);
}

TEST(ExportFormat, RefusesOthersNamingTheFormatField) {
    for (const char* bad : {"", "json", "xml", "csv ", "CSVX"}) {
        try {
            booking::parse_export_format(bad);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const booking::Invalid& e) {
            EXPECT_EQ(e.field(), "format");
        }
    }
}

TEST(CsvExport, HeaderRowIsExact) {
    EXPECT_EQ(run_export(ExportFormat::Csv, {}),
              "id,status,start,end,duration_minutes,service,resource,customer_name,"
              "customer_email,notes,created_at,cancelled_at\r\n");
}

TEST(CsvExport, RowsHaveUtcTimesAndEmptyCancelledAtWhenNull) {
    const std::string text =
        run_export(ExportFormat::Csv, {confirmed_booking(), cancelled_booking()});
    const std::string header =
        "id,status,start,end,duration_minutes,service,resource,customer_name,customer_email,"
        "notes,created_at,cancelled_at\r\n";
    EXPECT_EQ(text,
              header +
                  "42,confirmed,2026-12-01T09:00:00Z,2026-12-01T10:00:00Z,60,consultation,main,"
                  "Ann,ann@example.com,,2026-11-01T08:30:05Z,\r\n"
                  "43,cancelled,2026-12-02T14:00:00Z,2026-12-02T15:30:00Z,90,massage,room-2,"
                  "\"Zoë O'Brien, Jr.\",zoe@example.com,"
                  "\"Gate code 1,2;3\nand \"\"ring twice\"\"\",2026-11-02T10:00:00Z,"
                  "2026-11-03T11:00:00Z\r\n");
}

TEST(JsonlExport, EachLineIsABookingObjectWithTheCustomer) {
    const std::string text =
        run_export(ExportFormat::Jsonl, {confirmed_booking(), cancelled_booking()});
    ASSERT_TRUE(text.ends_with("\n"));
    std::vector<nlohmann::json> objects;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        ASSERT_FALSE(line.empty());
        objects.push_back(nlohmann::json::parse(line));  // throws, failing the test, if not JSON
    }
    ASSERT_EQ(objects.size(), 2u);

    const nlohmann::json& first = objects[0];
    for (const char* field :
         {"id", "user_id", "service", "resource", "start", "end", "duration_minutes", "status",
          "notes", "created_at", "updated_at", "cancelled_at", "customer_name", "customer_email"}) {
        EXPECT_TRUE(first.contains(field)) << field << " missing in " << first.dump();
    }
    EXPECT_EQ(first["id"], 42);
    EXPECT_EQ(first["user_id"], 7);
    EXPECT_EQ(first["service"], "consultation");
    EXPECT_EQ(first["resource"], "main");
    EXPECT_EQ(first["start"], "2026-12-01T09:00:00Z");
    EXPECT_EQ(first["end"], "2026-12-01T10:00:00Z");
    EXPECT_EQ(first["duration_minutes"], 60);
    EXPECT_EQ(first["status"], "confirmed");
    EXPECT_TRUE(first["cancelled_at"].is_null());
    EXPECT_EQ(first["customer_name"], "Ann");
    EXPECT_EQ(first["customer_email"], "ann@example.com");

    const nlohmann::json& second = objects[1];
    EXPECT_EQ(second["id"], 43);
    EXPECT_EQ(second["status"], "cancelled");
    EXPECT_EQ(second["cancelled_at"], "2026-11-03T11:00:00Z");
    EXPECT_EQ(second["notes"], cancelled_booking().notes);
    EXPECT_EQ(second["customer_name"], "Zoë O'Brien, Jr.");
}

TEST(JsonlExport, NothingToExportWritesNothing) {
    EXPECT_EQ(run_export(ExportFormat::Jsonl, {}), "");
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

TEST(IcsExport, OneCalendarWithOneEventPerBooking) {
    const std::string text =
        run_export(ExportFormat::Ics, {confirmed_booking(), cancelled_booking()});
    EXPECT_TRUE(text.starts_with("BEGIN:VCALENDAR\r\n")) << text;
    EXPECT_TRUE(text.ends_with("\r\nEND:VCALENDAR\r\n")) << text;

    std::unique_ptr<icalcomponent, ComponentFree> calendar(icalparser_parse_string(text.c_str()));
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(icalcomponent_get_method(calendar.get()), ICAL_METHOD_PUBLISH);
    ASSERT_EQ(icalcomponent_count_components(calendar.get(), ICAL_VEVENT_COMPONENT), 2);

    icalcomponent* first = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    icalcomponent* second = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    EXPECT_STREQ(icalcomponent_get_uid(first), "booking-42@example.com");
    EXPECT_EQ(icalcomponent_get_status(first), ICAL_STATUS_CONFIRMED);
    EXPECT_STREQ(icalcomponent_get_uid(second), "booking-43@example.com");
    EXPECT_EQ(icalcomponent_get_status(second), ICAL_STATUS_CANCELLED);
    EXPECT_EQ(icalcomponent_get_sequence(second), 2);
    EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtstart(second)),
              cancelled_booking().start.time_since_epoch().count());

    // Exactly one calendar: its header and footer are written once.
    EXPECT_EQ(text.find("BEGIN:VCALENDAR", 1), std::string::npos);
    EXPECT_EQ(text.find("END:VCALENDAR"), text.size() - 15);
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t crlf = text.find("\r\n", begin);
        ASSERT_NE(crlf, std::string::npos) << "unterminated last line";
        const std::string line = text.substr(begin, crlf - begin);
        EXPECT_LE(line.size(), 75u) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos) << "bare LF in: " << line;
        begin = crlf + 2;
    }
}

TEST(IcsExport, EmptyExportIsStillACalendar) {
    const std::string text = run_export(ExportFormat::Ics, {});
    EXPECT_EQ(text,
              "BEGIN:VCALENDAR\r\nPRODID:-//bookingd//bookingd//EN\r\nVERSION:2.0\r\n"
              "METHOD:PUBLISH\r\nEND:VCALENDAR\r\n");
}

}  // namespace
