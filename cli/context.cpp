#include "cli/context.hpp"

#include <cstdlib>
#include <iostream>

#include "core/db/database.hpp"
#include "core/errors.hpp"

namespace bookingctl {

const booking::Config& Context::config() {
    if (!config_) {
        config_ = booking::load_config(options.config_path);
        if (options.database_url) config_->database.url = *options.database_url;
    }
    return *config_;
}

const booking::BusinessZone& Context::zone() {
    if (!zone_) zone_ = std::make_unique<booking::BusinessZone>(config().business.time_zone);
    return *zone_;
}

booking::BookingPolicy Context::policy() { return booking::booking_policy(config()); }

Format Context::format() const {
    if (options.format == "json") return Format::Json;
    if (options.format == "csv") return Format::Csv;
    return Format::Table;
}

booking::Time Context::now() const {
    if (const char* fixed = std::getenv("BOOKINGCTL_TEST_NOW"); fixed && *fixed) {
        if (auto t = booking::parse_rfc3339(fixed)) return *t;
        throw booking::Invalid("BOOKINGCTL_TEST_NOW", "is not an RFC 3339 time");
    }
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

booking::Date Context::today() { return zone().today(now()); }

pqxx::connection& Context::connection() {
    // Staff commands get database.statement_timeout too: one stuck behind a
    // lock fails (exit 1) instead of hanging. Exports and migrations lift it
    // (unbounded_statements) since they are long by nature.
    if (!connection_)
        connection_ =
            booking::db::connect(config().database.url, config().database.statement_timeout);
    return *connection_;
}

void Context::unbounded_statements() {
    booking::db::set_statement_timeout(connection(), booking::Seconds(0));
}

void Context::say(const std::string& text) const {
    if (!options.quiet) std::cerr << text << '\n';
}

std::string read_password_stdin() {
    std::string line;
    if (!std::getline(std::cin, line) && line.empty())
        throw booking::Invalid("password",
                               "nothing on standard input (--password-stdin reads one line)");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace bookingctl
