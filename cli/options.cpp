// Readers for option values shared by several nouns.
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"

namespace bookingctl {

booking::Date option_date(const std::string& text, const std::string& flag) {
    return booking::parse_date(text, flag);
}

booking::BusinessZone::Range option_dates(Context& ctx, const std::optional<std::string>& from,
                                          const std::optional<std::string>& to) {
    std::optional<booking::Date> first, last;
    if (from) first = option_date(*from, "--from");
    if (to) last = option_date(*to, "--to");
    return ctx.zone().dates(first, last, "--to");
}

booking::Seconds option_duration(const std::string& text, const std::string& flag) {
    try {
        return booking::parse_duration(text);
    } catch (const booking::Invalid& e) {
        throw booking::Invalid(flag, e.message());
    }
}

long long option_id(const std::string& text, const std::string& what) {
    if (auto id = booking::parse_id(text)) return *id;
    throw booking::Invalid(
        what, "\"" + booking::printable(text) + "\" is not a valid id (a positive whole number)");
}

std::string option_status(const std::string& text) {
    if (text == "confirmed" || text == "cancelled") return text;
    throw booking::Invalid("--status", "\"" + booking::printable(text) +
                                           "\" is not a status (confirmed or cancelled)");
}

}  // namespace bookingctl
