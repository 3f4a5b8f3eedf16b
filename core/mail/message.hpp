#pragma once
// Composing an email from the outbox row, the booking and the templates:
// multipart/mixed with a text/plain part and a text/calendar attachment
// (METHOD:REQUEST, or CANCEL for cancellations), built with Poco's MailMessage.
#include <optional>
#include <string>

#include "core/bookings/booking.hpp"
#include "core/config/duration.hpp"
#include "core/export/export.hpp"
#include "core/mail/headers.hpp"
#include "core/mail/templates.hpp"
#include "core/time/business_time.hpp"
#include "core/tokens/links.hpp"

namespace booking::mail {

// An outbox row about to be sent, with its booking as it is now.
struct OutgoingEmail {
    long long id = 0;
    std::string kind;
    std::string recipient;
    Time booking_start{};  // the start the email speaks of (may differ from booking.start)
    int sequence = 0;      // SEQUENCE when queued
    int attempts = 0;      // failed attempts so far
    Booking booking;       // for the account kinds: only customer_name and customer_email
    // The link the email carries (SPEC §8), made by the sender: the manage
    // link of a booking email, the link of a password_reset or sign_in_link
    // email; empty when site.public_url is (or the booking has no link).
    std::string link;
    Seconds link_valid_for{0};  // how long an account link works
};

// What every message of one business shares.
struct MessageSettings {
    Mailbox from;
    std::string business_name;
    std::string time_zone;
    CalendarContext calendar;
    std::string public_url;  // site.public_url without a trailing '/'; no links when empty
    // The key of the links' secrets (set by the daemon, which has auth.jwt_secret).
    std::optional<tokens::LinkKey> links;
};

struct ComposedMessage {
    long long email_id = 0;
    std::string from_address;  // the SMTP envelope
    std::string to_address;
    std::string message_id;  // "<...>"
    std::string data;        // the whole message: headers and MIME body, CRLF line ends
};

// Thrown when an email cannot be built at all (e.g. a recipient address that
// no server would take): retrying cannot help.
class UnsendableEmail : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws UnsendableEmail for an invalid recipient address.
ComposedMessage compose_message(const OutgoingEmail& email, const TemplateSet& templates,
                                const MessageSettings& settings, Time now);

// The values of the template placeholders for this email (exposed for tests).
std::map<std::string, std::string> template_values(const OutgoingEmail& email,
                                                   const MessageSettings& settings);

// The email's calendar: the booking at the email's start and SEQUENCE, with
// ORGANIZER (the business) and ATTENDEE (the customer).
std::string email_calendar(const OutgoingEmail& email, const MessageSettings& settings);

}  // namespace booking::mail
