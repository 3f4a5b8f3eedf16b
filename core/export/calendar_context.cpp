#include "core/config/config.hpp"
#include "core/export/export.hpp"
#include "core/mail/headers.hpp"

namespace booking {

CalendarContext calendar_context(const Config& config) {
    // The UID's host is the domain of mail.from's address, read by the same
    // parser as the From header: the same for every daemon and CLI of one
    // business (the API's .ics, the exports and the emails' attachments), so a
    // booking's UID never changes and calendar clients match them up.
    std::string host = "bookingd";
    if (const auto from = mail::parse_mailbox(config.mail.from)) {
        const auto at = from->address.rfind('@');
        if (at != std::string::npos && at + 1 < from->address.size())
            host = from->address.substr(at + 1);
    }
    return CalendarContext{host, config.business.name, config.business.time_zone};
}

}  // namespace booking
