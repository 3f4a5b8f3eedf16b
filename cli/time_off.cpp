// bookingctl time-off add | list | remove | import (SPEC §5, §10)
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/time_off/time_off.hpp"

namespace bookingctl {
namespace {

using booking::time_off::TimeOff;

std::vector<Column<TimeOff>> time_off_columns(Context& ctx) {
    return {
        {"id", 8, [](const TimeOff& t, bool) { return std::to_string(t.id); }},
        {"resource", 16,
         [](const TimeOff& t, bool local) {
             return t.resource ? *t.resource : local ? "(all)" : "";
         }},
        {"start", 16,
         [&ctx](const TimeOff& t, bool local) { return show_time(ctx, t.start, local); }},
        {"end", 16, [&ctx](const TimeOff& t, bool local) { return show_time(ctx, t.end, local); }},
        {"reason", 20, [](const TimeOff& t, bool) { return t.reason; }},
        {"source", 12,
         [](const TimeOff& t, bool) { return t.source_uid ? *t.source_uid : "manual"; }, false},
    };
}

struct TimeOffOptions {
    std::optional<std::string> resource, from, to;
    bool all = false, cancel_bookings = false;
    std::string start, end, reason, id, file;
};

// --resource R or --all, exactly one: the resource code, or none for all.
std::optional<std::string> target(const TimeOffOptions& o) {
    if (o.all == o.resource.has_value())
        throw booking::Invalid("--resource", "give either --resource R or --all");
    return o.resource;
}

// A time, or a local date: as --from its first instant, as --to the end of
// that day (--from 2026-12-24 --to 2026-12-26: three whole days).
booking::Time time_or_day(Context& ctx, const std::string& text, const std::string& flag,
                          bool end) {
    if (text.find(' ') == std::string::npos && text.find('T') == std::string::npos) {
        auto day = option_date(ctx, text, flag);  // 2026-12-24, today, fri, +7
        return ctx.zone().start_of_day(end ? booking::add_days(day, 1) : day);
    }
    return option_time(ctx, text, flag);
}

std::string read_calendar_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw booking::Invalid("FILE", path + ": " + ec.message());
    if (size > booking::time_off::kMaxCalendarBytes)
        throw booking::Invalid("FILE", path + " is " + std::to_string(size) +
                                           " bytes; an iCalendar file to import is at most " +
                                           std::to_string(booking::time_off::kMaxCalendarBytes) +
                                           " bytes");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw booking::Invalid("FILE", path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void report_cancelled(Context& ctx, const std::vector<long long>& cancelled) {
    if (cancelled.empty()) return;
    std::string ids;
    for (auto id : cancelled) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    ctx.say("cancelled booking(s) " + ids + " and queued their customers' emails");
}

}  // namespace

void add_time_off_commands(Registry& r, CLI::App& app) {
    auto* noun =
        r.noun(app, "time-off", "Closed times (holidays, leave): no start inside is offered",
               "bookingctl time-off add --all --from 2026-12-24 --to 2026-12-26 --reason "
               "Christmas");
    Context& ctx = r.ctx;
    auto o = std::make_shared<TimeOffOptions>();
    auto add_target = [o](CLI::App* cmd) {
        cmd->add_option("--resource", o->resource, "The resource that is off");
        cmd->add_flag("--all", o->all, "The whole business is closed");
        cmd->add_flag("--cancel-bookings", o->cancel_bookings,
                      "Cancel the confirmed bookings inside (their customers are emailed)");
    };

    auto* add = r.verb(
        noun, "add",
        "Add time off; refused (exit 4, naming them) while confirmed bookings lie inside",
        "bookingctl time-off add --resource alice --from \"2026-12-01 13:00\" --to \"2026-12-01 "
        "17:00\" --reason dentist",
        [&ctx, o] {
            booking::time_off::NewTimeOff entry;
            entry.resource = target(*o);
            entry.start = time_or_day(ctx, o->start, "--from", false);
            entry.end = time_or_day(ctx, o->end, "--to", true);
            entry.reason = o->reason;
            if (o->cancel_bookings)
                confirm(ctx,
                        "Cancel the confirmed bookings inside this time off and email their "
                        "customers?");
            auto policy = ctx.policy();
            auto added = ctx.transaction([&](auto& tx) {
                return booking::time_off::add(tx, {entry}, o->cancel_bookings, policy, ctx.now());
            });
            print_one(ctx, added.added.at(0), time_off_columns(ctx));
            report_cancelled(ctx, added.cancelled);
        });
    add_target(add);
    add_yes_flag(add, ctx);
    add->add_option("--from", o->start,
                    "Start: \"YYYY-MM-DD HH:MM\", RFC 3339, or a date (from its start)")
        ->required()
        ->type_name("TIME");
    add->add_option("--to", o->end, "End: \"YYYY-MM-DD HH:MM\", RFC 3339, or a date (to its end)")
        ->required()
        ->type_name("TIME");
    add->add_option("--reason", o->reason, "Why (shown in time-off list)")->type_name("TEXT");

    auto* list = r.verb(noun, "list", "List time off (a resource's own and the business's)",
                        "bookingctl time-off list --resource alice --from 2026-12-01", [&ctx, o] {
                            booking::time_off::Filter filter;
                            filter.resource = o->resource;
                            auto range = option_dates(ctx, o->from, o->to);
                            filter.from = range.from;
                            filter.to = range.to;
                            print_list(ctx, ctx.transaction([&](auto& tx) {
                                return booking::time_off::list(tx, filter);
                            }),
                                       time_off_columns(ctx));
                        });
    list->add_option("--resource", o->resource, "Only this resource (and the whole business)");
    list->add_option("--from", o->from, "Ending after the start of this local date")
        ->type_name("DATE");
    list->add_option("--to", o->to, "Starting by the end of this local date")->type_name("DATE");

    auto* remove =
        r.verb(noun, "remove", "Remove time off", "bookingctl time-off remove 7", [&ctx, o] {
            long long id = option_id(o->id, "time off id");
            ctx.transaction([&](auto& tx) { booking::time_off::remove(tx, id); });
            ctx.say("removed time off " + std::to_string(id));
        });
    remove->add_option("id", o->id, "Time off id")->required()->type_name("ID");

    auto* import =
        r.verb(noun, "import",
               "Turn every event of an iCalendar file into time off (importing again adds nothing)",
               "bookingctl time-off import uk-holidays.ics --all", [&ctx, o] {
                   const auto resource = target(*o);
                   const std::string text = read_calendar_file(o->file);
                   const auto now = ctx.now();
                   const auto& zone = ctx.zone();
                   const auto since = zone.start_of_day(zone.date_of(now));
                   const auto events = booking::time_off::read_calendar(
                       text, zone, since, now + ctx.config().business.horizon);
                   std::vector<booking::time_off::NewTimeOff> entries;
                   for (const auto& e : events)
                       entries.push_back({resource, e.when.start, e.when.end, e.summary, e.uid});
                   if (o->cancel_bookings)
                       confirm(ctx,
                               "Cancel the confirmed bookings inside these events and email "
                               "their customers?");
                   auto policy = ctx.policy();
                   auto added = ctx.transaction([&](auto& tx) {
                       return booking::time_off::add(tx, entries, o->cancel_bookings, policy, now);
                   });
                   if (ctx.format() == Format::Json)
                       std::cout << nlohmann::json{{"imported", added.added.size()},
                                                   {"already_there", added.already_there},
                                                   {"cancelled", added.cancelled}}
                                 << '\n';
                   else if (ctx.format() == Format::Csv)
                       std::cout << "imported,already_there,cancelled\n"
                                 << added.added.size() << ',' << added.already_there << ','
                                 << added.cancelled.size() << '\n';
                   else
                       std::cout << "imported " << added.added.size() << ", already there "
                                 << added.already_there << '\n';
                   report_cancelled(ctx, added.cancelled);
               });
    import->add_option("file", o->file, "An iCalendar (.ics) file")
        ->required()
        ->type_name("FILE.ics");
    add_target(import);
    add_yes_flag(import, ctx);
}

}  // namespace bookingctl
