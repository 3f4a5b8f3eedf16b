// Composed emails: the headers SPEC §4 names, multipart/mixed with text/plain
// and text/calendar (REQUEST or CANCEL), a stable UID and the queued SEQUENCE,
// the body's facts in business time, and hostile names that change nothing of
// the structure. Parsed back with Poco's MIME reader and libical.
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/mail/message.hpp"
#include "core/mail/templates.hpp"

namespace {

using namespace std::chrono_literals;
using namespace booking;
using namespace booking::mail;

Time at(int year, unsigned month, unsigned day, std::chrono::seconds time_of_day) {
    return Time{std::chrono::sys_days{std::chrono::year{year} / month / day}} + time_of_day;
}

MessageSettings settings() {
    MessageSettings s;
    s.from = Mailbox{"Example Studio", "bookings@example.com"};
    s.business_name = "Example Studio";
    s.time_zone = "Europe/London";
    s.calendar = CalendarContext{"example.com", "Example Studio", "Europe/London"};
    return s;
}

OutgoingEmail email(const std::string& kind) {
    OutgoingEmail e;
    e.id = 17;
    e.kind = kind;
    e.recipient = "ann@example.org";
    e.booking_start = at(2026, 12, 1, 9h);
    e.sequence = 2;
    Booking& b = e.booking;
    b.id = 42;
    b.service = "consultation";
    b.service_name = "Consultation";
    b.resource = "main";
    b.resource_name = "Room 1";
    b.start = at(2026, 12, 1, 9h);
    b.end = at(2026, 12, 1, 10h);
    b.status = kind == "cancellation" ? "cancelled" : "confirmed";
    b.sequence = 2;
    b.customer_name = "Ann Smith";
    b.customer_email = "ann@example.org";
    return e;
}

const TemplateSet& templates() {
    static const TemplateSet set = TemplateSet::load("");
    return set;
}

struct Part {
    std::string content_type;
    std::string disposition;
    std::string body;
};

class Collect : public Poco::Net::PartHandler {
  public:
    std::vector<Part> parts;
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        Part p;
        p.content_type = header.get("Content-Type", "");
        p.disposition = header.get("Content-Disposition", "");
        Poco::StreamCopier::copyToString(stream, p.body);
        parts.push_back(std::move(p));
    }
};

struct Parsed {
    Poco::Net::MailMessage message;
    Collect handler;
    std::vector<std::string> header_names;  // in order, as written
};

void parse(const std::string& data, Parsed& out) {
    const auto end = data.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    std::istringstream lines(data.substr(0, end + 2));
    std::string line;
    while (std::getline(lines, line)) {
        ASSERT_FALSE(line.empty());
        ASSERT_EQ(line.back(), '\r') << "bare LF in the header: " << line;
        if (line[0] == ' ' || line[0] == '\t') continue;  // folded
        out.header_names.push_back(line.substr(0, line.find(':')));
    }
    std::istringstream in(data);
    out.message.read(in, out.handler);
}

std::string header_value(const std::string& data, const std::string& name) {
    const auto at = data.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    auto end = data.find("\r\n", at + 2);
    while (end != std::string::npos && (data[end + 2] == ' ' || data[end + 2] == '\t'))
        end = data.find("\r\n", end + 2);
    return data.substr(at + name.size() + 4, end - at - name.size() - 4);
}

icalcomponent* event_of(icalcomponent* calendar) {
    return icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
}

TEST(MailMessage, ConfirmationHasTheHeadersAndBothParts) {
    const auto m =
        compose_message(email("confirmation"), templates(), settings(), at(2026, 11, 1, 8h));
    EXPECT_EQ(m.from_address, "bookings@example.com");
    EXPECT_EQ(m.to_address, "ann@example.org");
    Parsed p;
    parse(m.data, p);
    const std::set<std::string> names(p.header_names.begin(), p.header_names.end());
    for (const char* required :
         {"From", "To", "Subject", "Date", "Message-ID", "Mime-Version", "Content-Type"})
        EXPECT_TRUE(names.count(required)) << required << " missing in\n" << m.data.substr(0, 600);
    EXPECT_EQ(p.message.getSender(), "Example Studio <bookings@example.com>");
    EXPECT_EQ(p.message.get("To"), "Ann Smith <ann@example.org>");
    EXPECT_EQ(p.message.getSubject().rfind("Booking confirmed", 0), 0u) << p.message.getSubject();
    EXPECT_EQ(p.message.get("Message-ID"), m.message_id);
    EXPECT_EQ(m.message_id, "<bookingd.email-17.booking-42@example.com>");
    EXPECT_EQ(p.message.getDate().epochTime(), at(2026, 11, 1, 8h).time_since_epoch().count());
    EXPECT_EQ(p.message.getContentType().rfind("multipart/mixed", 0), 0u);
    ASSERT_EQ(p.handler.parts.size(), 2u);
    EXPECT_EQ(p.handler.parts[0].content_type.rfind("text/plain", 0), 0u);
    EXPECT_NE(p.handler.parts[1].content_type.find("text/calendar"), std::string::npos);
    EXPECT_NE(p.handler.parts[1].content_type.find("method=REQUEST"), std::string::npos);
    EXPECT_NE(p.handler.parts[1].disposition.find("attachment"), std::string::npos);
    EXPECT_NE(p.handler.parts[1].disposition.find("booking-42.ics"), std::string::npos);
}

TEST(MailMessage, BodyNamesServiceLocalTimeWithZoneResourceBookingAndBusiness) {
    const auto m =
        compose_message(email("confirmation"), templates(), settings(), at(2026, 11, 1, 8h));
    Parsed p;
    parse(m.data, p);
    const std::string& body = p.handler.parts.at(0).body;
    for (const char* fact : {"Consultation", "Tuesday 1 December 2026", "09:00", "GMT",
                             "Europe/London", "Room 1", "42", "Example Studio", "Ann Smith"})
        EXPECT_NE(body.find(fact), std::string::npos) << fact << " not in\n" << body;
    // Summer time is named as such.
    auto summer = email("reminder");
    summer.booking_start = at(2026, 7, 1, 8h);  // 09:00 BST
    summer.booking.start = summer.booking_start;
    summer.booking.end = summer.booking_start + 1h;
    const auto values = template_values(summer, settings());
    EXPECT_EQ(values.at("time"), "09:00");
    EXPECT_EQ(values.at("zone"), "BST");
    EXPECT_EQ(values.at("date"), "Wednesday 1 July 2026");
}

TEST(MailMessage, SubjectsBeginAsSpecSays) {
    const std::pair<const char*, const char*> kinds[] = {{"confirmation", "Booking confirmed"},
                                                         {"reminder", "Reminder:"},
                                                         {"cancellation", "Booking cancelled"},
                                                         {"rescheduled", "Booking rescheduled"}};
    for (const auto& [kind, prefix] : kinds) {
        const auto m = compose_message(email(kind), templates(), settings(), at(2026, 11, 1, 8h));
        Parsed p;
        parse(m.data, p);
        EXPECT_EQ(p.message.getSubject().rfind(prefix, 0), 0u)
            << kind << ": " << p.message.getSubject();
    }
}

TEST(MailMessage, CalendarHasStableUidQueuedSequenceAndUtcTimes) {
    auto e = email("rescheduled");
    // The booking has moved on since this email was queued: the email speaks
    // of the time and SEQUENCE it was queued with.
    e.booking.start = at(2026, 12, 3, 14h);
    e.booking.end = at(2026, 12, 3, 15h);
    e.booking.sequence = 5;
    const std::string ics = email_calendar(e, settings());
    icalcomponent* calendar = icalparser_parse_string(ics.c_str());
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_get_method(calendar), ICAL_METHOD_REQUEST);
    icalcomponent* event = event_of(calendar);
    ASSERT_NE(event, nullptr);
    EXPECT_STREQ(icalcomponent_get_uid(event), "booking-42@example.com");
    EXPECT_EQ(icalcomponent_get_sequence(event), 2);
    EXPECT_EQ(icalcomponent_get_status(event), ICAL_STATUS_CONFIRMED);
    const auto start = icalcomponent_get_dtstart(event);
    EXPECT_TRUE(icaltime_is_utc(start));
    EXPECT_EQ(icaltime_as_timet(start), at(2026, 12, 1, 9h).time_since_epoch().count());
    EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtend(event)),
              at(2026, 12, 1, 10h).time_since_epoch().count());
    EXPECT_NE(ics.find("ORGANIZER;CN=Example Studio:mailto:bookings@example.com"),
              std::string::npos)
        << ics;
    EXPECT_NE(ics.find("mailto:ann@example.org"), std::string::npos) << ics;
    icalcomponent_free(calendar);
}

TEST(MailMessage, CancellationIsMethodCancelAndStatusCancelled) {
    auto e = email("cancellation");
    e.sequence = 3;
    const auto m = compose_message(e, templates(), settings(), at(2026, 11, 1, 8h));
    Parsed p;
    parse(m.data, p);
    ASSERT_EQ(p.handler.parts.size(), 2u);
    EXPECT_NE(p.handler.parts[1].content_type.find("method=CANCEL"), std::string::npos);
    icalcomponent* calendar = icalparser_parse_string(p.handler.parts[1].body.c_str());
    ASSERT_NE(calendar, nullptr);
    EXPECT_EQ(icalcomponent_get_method(calendar), ICAL_METHOD_CANCEL);
    EXPECT_EQ(icalcomponent_get_status(event_of(calendar)), ICAL_STATUS_CANCELLED);
    EXPECT_EQ(icalcomponent_get_sequence(event_of(calendar)), 3);
    icalcomponent_free(calendar);
}

TEST(MailMessage, HostileNamesAndNotesCannotAddHeadersOrParts) {
    auto e = email("confirmation");
    e.booking.customer_name =
        "Eve\r\nBcc: victim@example.com\r\nContent-Type: text/html\r\n\r\n--MIME_boundary_0\r\n";
    e.booking.notes = "line\r\n--MIME_boundary_0123456789\r\nContent-Type: text/html\r\n\r\n<b>x";
    e.booking.service_name = "Massage\nX-Injected: yes";
    const auto m = compose_message(e, templates(), settings(), at(2026, 11, 1, 8h));
    Parsed p;
    parse(m.data, p);
    const std::multiset<std::string> names(p.header_names.begin(), p.header_names.end());
    EXPECT_EQ(names.count("Bcc"), 0u);
    EXPECT_EQ(names.count("X-Injected"), 0u);
    EXPECT_EQ(names.count("Content-Type"), 1u);
    EXPECT_EQ(names.count("To"), 1u);
    EXPECT_EQ(names.count("Subject"), 1u);
    ASSERT_EQ(p.handler.parts.size(), 2u);
    EXPECT_EQ(p.handler.parts[0].content_type.rfind("text/plain", 0), 0u);
    // The name is still there, on one line, in the body.
    EXPECT_NE(p.handler.parts[0].body.find("Hello Eve Bcc: victim@example.com"), std::string::npos)
        << p.handler.parts[0].body;
    EXPECT_EQ(header_value(m.data, "To").find("\r\nBcc"), std::string::npos);
}

TEST(MailMessage, AnAddressNoServerWouldTakeIsUnsendable) {
    auto e = email("confirmation");
    e.recipient = "ann@example.org>\r\nRCPT TO:<evil@example.com";
    EXPECT_THROW(compose_message(e, templates(), settings(), at(2026, 11, 1, 8h)), UnsendableEmail);
}

TEST(MailMessage, TextPartIsQuotedPrintableWithCrlfLines) {
    auto e = email("confirmation");
    e.booking.customer_name = "Zo\xc3\xab";
    const auto m = compose_message(e, templates(), settings(), at(2026, 11, 1, 8h));
    EXPECT_NE(m.data.find("Content-Transfer-Encoding: quoted-printable"), std::string::npos);
    for (std::size_t i = m.data.find('\n'); i != std::string::npos; i = m.data.find('\n', i + 1))
        ASSERT_EQ(m.data[i - 1], '\r') << "bare LF at " << i;
    for (unsigned char c : m.data) ASSERT_LT(c, 0x80) << "8-bit byte in a 7-bit message";
    Parsed p;
    parse(m.data, p);
    EXPECT_NE(p.handler.parts[0].body.find("Hello Zo\xc3\xab,"), std::string::npos);
}

}  // namespace
