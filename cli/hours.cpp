// bookingctl hours set | show | clear (SPEC §5, §10)
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/errors.hpp"
#include "core/hours/hours.hpp"

namespace bookingctl {
namespace {

std::string clock(booking::Minutes m) {
    auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return two(m.count() / 60) + ":" + two(m.count() % 60);
}

std::vector<Column<booking::hours::HoursEntry>> hours_columns() {
    using E = booking::hours::HoursEntry;
    auto range = [](const E& e) { return e.hours.range; };
    return {
        {"resource", 20, [](const E& e, bool) { return e.resource; }},
        {"day", 3, [](const E& e, bool) { return booking::hours::day_name(e.hours.weekday); }},
        {"start", 6,
         [range](const E& e, bool local) {
             return range(e) ? clock(range(e)->from) : local ? "closed" : "";
         }},
        {"end", 6, [range](const E& e, bool) { return range(e) ? clock(range(e)->to) : ""; }},
        {"from", 10, [](const E& e, bool) { return booking::format_date(e.hours.valid_from); }},
    };
}

struct HoursOptions {
    std::string resource, days;
    std::optional<std::string> from, resource_filter;
    std::vector<std::string> hours;
};

booking::Date from_or_today(Context& ctx, const std::optional<std::string>& from) {
    return from ? option_date(ctx, *from, "--from") : ctx.today();
}

}  // namespace

void add_hours_commands(Registry& r, CLI::App& app) {
    auto* hours =
        r.noun(app, "hours", "Weekly opening hours of each resource (slots sync applies them)",
               "bookingctl hours set --resource main --days mon-fri --hours 09:00-12:00 "
               "--hours 13:00-17:00");
    Context& ctx = r.ctx;
    auto o = std::make_shared<HoursOptions>();

    auto* set = r.verb(
        hours, "set",
        "Set the hours of some days of the week from a date on (other days keep theirs)",
        "bookingctl hours set --resource main --days mon-fri --hours 09:00-12:00 --hours "
        "13:00-17:00 --from 2026-12-01",
        [&ctx, o] {
            auto days = booking::parse_days(o->days);
            std::vector<booking::HoursRange> ranges;
            for (const auto& h : o->hours) ranges.push_back(booking::hours::parse_weekly_range(h));
            const auto from = from_or_today(ctx, o->from);
            auto rows = ctx.transaction(
                [&](auto& tx) { return booking::hours::set(tx, o->resource, days, ranges, from); });
            print_list(ctx, rows, hours_columns());
            ctx.say("hours set from " + booking::format_date(from) +
                    "; the slots follow at the next sync (bookingctl slots sync, or bookingd "
                    "within the hour)");
        });
    set->add_option("--resource", o->resource, "Resource code")->required();
    set->add_option("--days", o->days, "mon-fri, mon,wed,fri, sat-sun, mon-sun or all")->required();
    set->add_option("--hours", o->hours, "Local opening hours, HH:MM-HH:MM; repeat for several")
        ->required()
        ->type_name("RANGE");
    set->add_option("--from", o->from, "In force from this local date (default today)")
        ->type_name("DATE");

    auto* show = r.verb(hours, "show", "Show the hours in force today and the changes to come",
                        "bookingctl hours show --resource main", [&ctx, o] {
                            const auto today = ctx.zone().date_of(ctx.now());
                            auto rows = ctx.transaction([&](auto& tx) {
                                return booking::hours::show(tx, o->resource_filter, today);
                            });
                            print_list(ctx, rows, hours_columns());
                        });
    show->add_option("--resource", o->resource_filter, "Only this resource");

    auto* clear = r.verb(hours, "clear", "Close every day of a resource from a date on",
                         "bookingctl hours clear --resource main --from 2027-01-01", [&ctx, o] {
                             const auto from = from_or_today(ctx, o->from);
                             auto ended = ctx.transaction([&](auto& tx) {
                                 return booking::hours::clear(tx, o->resource, from);
                             });
                             ctx.say("cleared the hours of " + o->resource + " from " +
                                     booking::format_date(from) + " (" + std::to_string(ended) +
                                     " day(s) of the week had hours); the slots follow at the "
                                     "next sync");
                         });
    clear->add_option("--resource", o->resource, "Resource code")->required();
    clear->add_option("--from", o->from, "From this local date (default today)")->type_name("DATE");
}

}  // namespace bookingctl
