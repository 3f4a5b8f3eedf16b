#include "core/mail/message.hpp"

#include <Poco/Net/MailMessage.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timestamp.h>
#include <libical/ical.h>

#include <array>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "core/config/duration.hpp"
#include "core/export/ics.hpp"
#include "core/mail/outbox.hpp"
#include "core/text.hpp"

namespace booking::mail {
namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> kMonths = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};

// "Tuesday 1 December 2026": the date as a customer reads it.
std::string long_date(Date d) {
    return std::string(kWeekdays[static_cast<std::size_t>(weekday(d))]) + " " +
           std::to_string(d.day) + " " + kMonths[d.month - 1] + " " + std::to_string(d.year);
}

std::string clock(Minutes minutes) {
    const auto h = minutes.count() / 60, m = minutes.count() % 60;
    std::string out;
    out += static_cast<char>('0' + h / 10);
    out += static_cast<char>('0' + h % 10);
    out += ':';
    out += static_cast<char>('0' + m / 10);
    out += static_cast<char>('0' + m % 10);
    return out;
}

std::string minutes_text(long long minutes) {
    return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

// LF line ends (as the templates and multiline_text give them) as CRLF, which
// MIME's quoted-printable encoding expects.
std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
struct BufferFree {
    void operator()(char* text) const { icalmemory_free_buffer(text); }
};

// A CN parameter value: one line, no double quotes (RFC 5545 forbids them in
// parameter values; libical quotes the rest).
std::string common_name(std::string_view name) {
    std::string out = single_line(name);
    std::erase(out, '"');
    return out;
}

icalproperty* participant(icalproperty* property, const std::string& name) {
    if (const std::string cn = common_name(name); !cn.empty())
        icalproperty_add_parameter(property, icalparameter_new_cn(cn.c_str()));
    return property;
}

std::string add_participants(const std::string& calendar, const MessageSettings& settings,
                             const OutgoingEmail& email) {
    std::unique_ptr<icalcomponent, ComponentFree> root(icalparser_parse_string(calendar.c_str()));
    if (!root) throw std::runtime_error("libical could not read the booking's calendar");
    icalcomponent* event = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
    if (!event) throw std::runtime_error("the booking's calendar has no event");
    const std::string organizer = "mailto:" + settings.from.address;
    icalcomponent_add_property(
        event,
        participant(icalproperty_new_organizer(organizer.c_str()),
                    settings.from.name.empty() ? settings.business_name : settings.from.name));
    const std::string attendee = "mailto:" + email.recipient;
    icalproperty* who =
        participant(icalproperty_new_attendee(attendee.c_str()), email.booking.customer_name);
    icalproperty_add_parameter(who, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter(who, icalparameter_new_partstat(ICAL_PARTSTAT_ACCEPTED));
    icalproperty_add_parameter(who, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
    icalcomponent_add_property(event, who);
    std::unique_ptr<char, BufferFree> text(icalcomponent_as_ical_string_r(root.get()));
    if (!text) throw std::runtime_error("libical could not write the calendar");
    return std::string(text.get());
}

// The MIME boundary Poco chose, from the Content-Type header of the message.
std::string boundary_of(std::string_view data) {
    const auto header_end = data.find("\r\n\r\n");
    const auto at = data.substr(0, header_end).find("boundary=");
    if (at == std::string_view::npos) return {};
    auto value = data.substr(at + 9);
    if (!value.empty() && value.front() == '"') {
        value.remove_prefix(1);
        return std::string(value.substr(0, value.find('"')));
    }
    return std::string(value.substr(0, value.find_first_of(";\r\n ")));
}

// True when the boundary delimits exactly the two parts and the end, i.e.
// nothing in the parts happens to contain it.
bool well_formed(std::string_view data) {
    const std::string boundary = boundary_of(data);
    if (boundary.size() < 16) return false;
    const std::string delimiter = "\n--" + boundary;
    std::size_t count = 0;
    for (auto at = data.find(delimiter); at != std::string_view::npos;
         at = data.find(delimiter, at + 1))
        ++count;
    return count == 3;
}

// From, To, Subject, Date, Message-ID and Auto-Submitted.
void set_headers(Poco::Net::MailMessage& message, const OutgoingEmail& email,
                 const MessageSettings& settings, const std::string& subject,
                 const std::string& message_id, Time now) {
    message.setSender(format_mailbox(settings.from));
    message.set("To", format_mailbox(Mailbox{email.booking.customer_name, email.recipient}));
    message.setSubject(encode_unstructured(subject, "Subject"));
    message.setDate(Poco::Timestamp::fromEpochTime(now.time_since_epoch().count()));
    message.set("Message-ID", message_id);
    message.set("Auto-Submitted", "auto-generated");
}

}  // namespace

std::map<std::string, std::string> template_values(const OutgoingEmail& email,
                                                   const MessageSettings& settings) {
    const Booking& b = email.booking;
    const auto duration = b.end - b.start;
    const Time start = email.booking_start;
    const Time end = start + duration;
    std::map<std::string, std::string> v;
    v["business"] = settings.business_name;
    v["customer_name"] = single_line(b.customer_name);
    v["service"] = single_line(b.service_name.empty() ? b.service : b.service_name);
    v["resource"] = single_line(b.resource_name.empty() ? b.resource : b.resource_name);
    v["booking_id"] = std::to_string(b.id);
    v["duration"] = minutes_text(std::chrono::duration_cast<Minutes>(duration).count());
    v["notes"] = multiline_text(b.notes);
    v["time_zone"] = settings.time_zone;
    // Account emails carry their link in {{link}}; booking emails their
    // manage link in {{manage_link}}, a whole line that is empty without one.
    v["link"] = email.link;
    v["manage_link"] = email.link.empty() ? "" : "Manage your booking: " + email.link;
    v["valid_for"] = format_duration(email.link_valid_for);
    if (BusinessZone::exists(settings.time_zone)) {
        const BusinessZone zone(settings.time_zone);
        v["date"] = long_date(zone.date_of(start));
        v["time"] = clock(zone.time_of_day(start));
        v["end_time"] = clock(zone.time_of_day(end));
        v["zone"] = zone.abbreviation(start);
    } else {
        v["date"] = format_utc(start).substr(0, 10);
        v["time"] = format_utc(start).substr(11, 5);
        v["end_time"] = format_utc(end).substr(11, 5);
        v["zone"] = "UTC";
    }
    return v;
}

std::string email_calendar(const OutgoingEmail& email, const MessageSettings& settings) {
    const bool cancelled = email.kind == kCancellation;
    Booking b = email.booking;
    const auto duration = b.end - b.start;
    b.start = email.booking_start;
    b.end = email.booking_start + duration;
    b.sequence = email.sequence;
    b.status = cancelled ? "cancelled" : "confirmed";
    const std::string calendar = booking_calendar(
        b, settings.calendar, cancelled ? CalendarMethod::Cancel : CalendarMethod::Request);
    return add_participants(calendar, settings, email);
}

ComposedMessage compose_message(const OutgoingEmail& email, const TemplateSet& templates,
                                const MessageSettings& settings, Time now) {
    if (!is_valid_address(email.recipient))
        throw UnsendableEmail("the recipient address \"" + single_line(email.recipient) +
                              "\" cannot be sent to");
    const Template& tmpl = templates.get(email.kind);
    auto values = template_values(email, settings);
    const std::string body = crlf(render(tmpl.body, values));
    values["notes"] = single_line(values["notes"]);
    const std::string subject = render(tmpl.subject, values);

    ComposedMessage out;
    out.email_id = email.id;
    out.from_address = settings.from.address;
    out.to_address = email.recipient;
    if (is_account_kind(email.kind)) {  // text/plain only, about the account
        out.message_id =
            "<bookingd.email-" + std::to_string(email.id) + "@" + settings.calendar.uid_host + ">";
        Poco::Net::MailMessage message;
        set_headers(message, email, settings, subject, out.message_id, now);
        message.setContentType("text/plain; charset=UTF-8");
        message.setContent(body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
        std::ostringstream data;
        message.write(data);
        out.data = data.str();
        return out;
    }
    const std::string calendar = email_calendar(email, settings);
    const bool cancelled = email.kind == kCancellation;
    out.message_id = "<bookingd.email-" + std::to_string(email.id) + ".booking-" +
                     std::to_string(email.booking.id) + "@" + settings.calendar.uid_host + ">";
    const std::string ics_name = "booking-" + std::to_string(email.booking.id) + ".ics";
    // Poco picks a random boundary; in the (astronomically unlikely) case that
    // the text contains it, compose again with another.
    for (int attempt = 0; attempt < 5; ++attempt) {
        Poco::Net::MailMessage message;
        set_headers(message, email, settings, subject, out.message_id, now);
        message.addContent(new Poco::Net::StringPartSource(body, "text/plain; charset=UTF-8"),
                           Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
        message.addAttachment(
            ics_name,
            new Poco::Net::StringPartSource(calendar,
                                            std::string("text/calendar; charset=UTF-8; method=") +
                                                (cancelled ? "CANCEL" : "REQUEST"),
                                            ics_name),
            Poco::Net::MailMessage::ENCODING_BASE64);
        std::ostringstream data;
        message.write(data);
        out.data = data.str();
        if (well_formed(out.data)) return out;
    }
    throw std::runtime_error("could not build a well-formed MIME message");
}

}  // namespace booking::mail
