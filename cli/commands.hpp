#pragma once
// How nouns register their commands: each cli/<noun>.cpp adds its verbs to
// the app with a handler that runs after parsing (see main.cpp).
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>

#include "cli/context.hpp"

namespace bookingctl {

using Handlers = std::map<const CLI::App*, std::function<void()>>;

struct Registry {
    Context& ctx;
    Handlers handlers;

    // A noun (users, slots, ...) that needs one of its verbs.
    CLI::App* noun(CLI::App& app, const std::string& name, const std::string& description,
                   const std::string& example);
    // A verb with its handler and an example shown in --help.
    CLI::App* verb(CLI::App* noun, const std::string& name, const std::string& description,
                   const std::string& example, std::function<void()> handler);
};

void add_db_commands(Registry& r, CLI::App& app);
void add_users_commands(Registry& r, CLI::App& app);
void add_services_commands(Registry& r, CLI::App& app);
void add_resources_commands(Registry& r, CLI::App& app);
void add_slots_commands(Registry& r, CLI::App& app);
void add_hours_commands(Registry& r, CLI::App& app);
void add_time_off_commands(Registry& r, CLI::App& app);
void add_bookings_commands(Registry& r, CLI::App& app);
void add_export_commands(Registry& r, CLI::App& app);
void add_mail_commands(Registry& r, CLI::App& app);
void add_reminders_commands(Registry& r, CLI::App& app);
void add_agenda_commands(Registry& r, CLI::App& app);
void add_webhooks_commands(Registry& r, CLI::App& app);
void add_feeds_commands(Registry& r, CLI::App& app);

// Shared option readers: parse into core types with the CLI's field names.
// Every date and time the CLI takes goes through these (core's one parser:
// YYYY-MM-DD, today, tomorrow, yesterday, mon..sun, +N/-N; times add HH:MM),
// and errors name `flag` as the user typed it.
booking::Date option_date(Context& ctx, const std::string& text, const std::string& flag);
booking::Time option_time(Context& ctx, const std::string& text, const std::string& flag);
// --from DATE / --to DATE (both inclusive, either optional) as instants.
booking::BusinessZone::Range option_dates(Context& ctx, const std::optional<std::string>& from,
                                          const std::optional<std::string>& to,
                                          const std::string& from_flag = "--from",
                                          const std::string& to_flag = "--to");
booking::Seconds option_duration(const std::string& text, const std::string& flag);
long long option_id(const std::string& text, const std::string& what);
std::string option_status(const std::string& text);

// --limit N of the list commands: at most N rows (0: all); without it, 100 in
// table format and all in JSON and CSV. nullopt means no limit.
void add_limit_option(CLI::App* command, std::optional<std::string>& limit);
std::optional<long long> option_limit(Context& ctx, const std::optional<std::string>& limit);

}  // namespace bookingctl
