// Readers for option values shared by several nouns.
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"

namespace bookingctl {

booking::Date option_date(Context& ctx, const std::string& text, const std::string& flag) {
    return booking::parse_user_date(text, ctx.today(), flag);
}

booking::Time option_time(Context& ctx, const std::string& text, const std::string& flag) {
    return ctx.zone().parse_user_time(text, flag, ctx.today());
}

booking::BusinessZone::Range option_dates(Context& ctx, const std::optional<std::string>& from,
                                          const std::optional<std::string>& to,
                                          const std::string& from_flag,
                                          const std::string& to_flag) {
    std::optional<booking::Date> first, last;
    if (from) first = option_date(ctx, *from, from_flag);
    if (to) last = option_date(ctx, *to, to_flag);
    return ctx.zone().dates(first, last, to_flag);
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

void add_limit_option(CLI::App* command, std::optional<std::string>& limit) {
    command
        ->add_option("--limit", limit,
                     "At most N rows, 0 for all (default: 100 in table format, all in JSON/CSV)")
        ->type_name("N");
}

std::optional<long long> option_limit(Context& ctx, const std::optional<std::string>& limit) {
    constexpr long long kTableDefault = 100;
    if (!limit) {
        if (ctx.format() == Format::Table) return kTableDefault;
        return std::nullopt;
    }
    if (*limit == "0") return std::nullopt;
    if (auto n = booking::parse_id(*limit)) return *n;
    throw booking::Invalid("--limit", "\"" + booking::printable(*limit) +
                                          "\" is not a number of rows (a whole number, 0 for all)");
}

}  // namespace bookingctl
