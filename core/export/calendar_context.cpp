#include "core/config/config.hpp"
#include "core/export/export.hpp"

namespace booking {

CalendarContext calendar_context(const Config& config) {
    // The UID's host is the domain of mail.from: the same for every daemon and
    // CLI of one business, so a booking's UID never changes.
    std::string host = "bookingd";
    const std::string& from = config.mail.from;
    if (auto at = from.rfind('@'); at != std::string::npos) {
        auto end = from.find_first_of("> \t", at);
        std::string domain =
            from.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
        if (!domain.empty()) host = domain;
    }
    return CalendarContext{host, config.business.name, config.business.time_zone};
}

}  // namespace booking
