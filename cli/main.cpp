// bookingctl: the staff CLI. Each noun's commands are in cli/<noun>.cpp; this
// file holds the global flags, the parse, and the mapping to exit codes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/terminal.hpp"
#include "core/arguments.hpp"
#include "core/db/database.hpp"
#include "core/errors.hpp"

namespace bookingctl {

CLI::App* Registry::noun(CLI::App& app, const std::string& name, const std::string& description,
                         const std::string& example) {
    auto* sub = app.add_subcommand(name, description);
    sub->require_subcommand(1);
    sub->footer(
        "Global flags: --config FILE, --database-url URL, --format table|json|csv, -q (bookingctl "
        "--help).\n"
        "Example:\n  " +
        example);
    return sub;
}

CLI::App* Registry::verb(CLI::App* noun, const std::string& name, const std::string& description,
                         const std::string& example, std::function<void()> handler) {
    auto* sub = noun->add_subcommand(name, description);
    sub->footer(
        "Global flags: --config FILE, --database-url URL, --format table|json|csv, -q (bookingctl "
        "--help).\n"
        "Example:\n  " +
        example);
    handlers[sub] = std::move(handler);
    return sub;
}

namespace {

void add_global_options(CLI::App& app, GlobalOptions& options) {
    app.add_option("--config", options.config_path,
                   "Configuration file (default: $BOOKING_CONFIG, else /etc/bookingd/bookingd.toml "
                   "if present)")
        ->type_name("FILE");
    app.add_option("--database-url", options.database_url,
                   "PostgreSQL URL; wins over the config and environment")
        ->type_name("URL");
    app.add_option("--format", options.format, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->type_name("table|json|csv");
    app.add_flag("-q,--quiet", options.quiet, "Print no messages, only data and errors");
    app.add_flag("--no-pager", options.no_pager,
                 "Never send table output through $PAGER (only a terminal gets one)");
    app.add_flag("-y,--yes", options.yes,
                 "Do not ask before cancelling bookings or disabling a user");
    app.set_version_flag("--version", std::string("bookingctl ") + BOOKING_VERSION);
}

// The leaf command chosen on the command line.
const CLI::App* chosen(const CLI::App& app) {
    const CLI::App* at = &app;
    while (true) {
        auto subs = at->get_subcommands();
        if (subs.empty()) return at;
        at = subs.front();
    }
}

}  // namespace
}  // namespace bookingctl

int main(int argc, char** argv) {
    using namespace bookingctl;
    std::ios::sync_with_stdio(false);
    booking::db::default_connect_timeout();
    Context ctx;
    Registry registry{ctx, {}};
    CLI::App app{"bookingctl - run a bookingd business from the terminal", "bookingctl"};
    app.footer(
        "Global flags may stand before or after the command. Times are \"YYYY-MM-DD HH:MM\" in "
        "business time, or RFC "
        "3339.\nExit codes: 0 ok, 1 failure at run time, 2 usage, 3 not found, 4 conflict, 78 "
        "configuration.\n"
        "Dates: YYYY-MM-DD, today, tomorrow, yesterday, mon...sun (the next one, today included), "
        "+N or -N days; times: such a date and HH:MM (\"tomorrow 09:30\").\n"
        "On a terminal, long tables go through $PAGER (less -FRX), cancelling asks [y/N] and "
        "statuses have colour (not with NO_COLOR).\n"
        "Examples:\n  bookingctl agenda\n  bookingctl bookings list --date today\n"
        "  bookingctl --config /etc/bookingd/bookingd.toml users find ann");
    app.require_subcommand(1);
    app.fallthrough();
    add_global_options(app, ctx.options);
    add_db_commands(registry, app);
    add_users_commands(registry, app);
    add_services_commands(registry, app);
    add_resources_commands(registry, app);
    add_slots_commands(registry, app);
    add_hours_commands(registry, app);
    add_time_off_commands(registry, app);
    add_bookings_commands(registry, app);
    add_export_commands(registry, app);
    add_mail_commands(registry, app);
    add_webhooks_commands(registry, app);
    add_feeds_commands(registry, app);
    add_reminders_commands(registry, app);
    add_agenda_commands(registry, app);

    if (const auto exit_code =
            booking::parse_arguments_or_exit(app, argc, argv, "bookingctl", kUsage))
        return *exit_code;
    try {
        auto it = registry.handlers.find(chosen(app));
        if (it == registry.handlers.end())
            throw booking::Invalid("", "a command is required (see --help)");
        Pager pager(ctx);
        it->second();
        pager.finish();
        std::cout.flush();
        ctx.say_deferred();
        if (!std::cout) throw std::ios_base::failure("cannot write to standard output");
        return kOk;
    } catch (...) {
        return report_current_exception();
    }
}
