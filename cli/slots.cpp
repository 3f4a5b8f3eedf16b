// bookingctl slots add | generate | list | remove | sync
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/hours/hours.hpp"
#include "core/slots/slots.hpp"

namespace bookingctl {
namespace {

std::vector<Column<booking::Slot>> slot_columns(Context& ctx) {
    using S = booking::Slot;
    return {
        {"id", 8, [](const S& s, bool) { return std::to_string(s.id); }},
        {"resource", 20, [](const S& s, bool) { return s.resource; }},
        {"start", 20, [&ctx](const S& s, bool local) { return show_time(ctx, s.start, local); }},
        {"end", 20, [&ctx](const S& s, bool local) { return show_time(ctx, s.end, local); }},
    };
}

struct SlotOptions {
    std::string resource, start, end, from_date, to_date, days, id;
    std::optional<std::string> resource_filter, from, to, limit;
    std::vector<std::string> hours;
    bool dry_run = false, cancel_bookings = false;
};

}  // namespace

void add_slots_commands(Registry& r, CLI::App& app) {
    auto* slots = r.noun(app, "slots", "Opening windows of each resource",
                         "bookingctl slots list --resource main --from today --to fri");
    Context& ctx = r.ctx;
    auto o = std::make_shared<SlotOptions>();

    auto* add = r.verb(slots, "add", "Add one slot (exit 4 if it overlaps another of the resource)",
                       "bookingctl slots add --resource main --start \"tomorrow 09:00\" --end "
                       "\"tomorrow 17:00\"",
                       [&ctx, o] {
                           auto start = option_time(ctx, o->start, "--start");
                           auto end = option_time(ctx, o->end, "--end");
                           auto slot = ctx.transaction([&](auto& tx) {
                               return booking::slots::add(tx, o->resource, start, end);
                           });
                           print_one(ctx, slot, slot_columns(ctx));
                       });
    add->add_option("--resource", o->resource, "Resource code")->required();
    add->add_option("--start", o->start,
                    "DATE HH:MM in business time (\"tomorrow 09:00\"), or RFC 3339")
        ->required()
        ->type_name("TIME");
    add->add_option("--end", o->end,
                    "DATE HH:MM in business time (\"tomorrow 09:00\"), or RFC 3339")
        ->required()
        ->type_name("TIME");

    auto* generate =
        r.verb(slots, "generate",
               "Add one slot per day and --hours range; ranges already covered are skipped",
               "bookingctl slots generate --resource main --from today --to +30 --days "
               "mon-fri "
               "--hours 09:00-12:00 --hours 13:00-17:00",
               [&ctx, o] {
                   auto from = option_date(ctx, o->from_date, "--from");
                   auto to = option_date(ctx, o->to_date, "--to");
                   if (to < from) throw booking::Invalid("--to", "must not be before --from");
                   if (booking::days_since_epoch(to) - booking::days_since_epoch(from) > 3660)
                       throw booking::Invalid("--to", "at most 10 years after --from");
                   auto days = booking::parse_days(o->days);
                   std::vector<booking::HoursRange> hours;
                   for (const auto& h : o->hours) hours.push_back(booking::parse_hours(h));
                   auto planned = booking::plan_slots(ctx.zone(), from, to, days, hours);
                   auto result = ctx.transaction([&](auto& tx) {
                       return booking::slots::generate(tx, o->resource, planned, o->dry_run);
                   });
                   if (o->dry_run) {
                       std::vector<booking::Slot> would;
                       for (const auto& i : result.created)
                           would.push_back({0, o->resource, i.start, i.end});
                       if (!would.empty()) print_list(ctx, would, slot_columns(ctx));
                   }
                   std::string verb = o->dry_run ? "would create " : "created ";
                   if (ctx.format() == Format::Json && !o->dry_run)
                       std::cout << nlohmann::json{{"created", result.created.size()},
                                                   {"skipped", result.skipped.size()}}
                                 << '\n';
                   else if (!o->dry_run)
                       std::cout << verb << result.created.size() << ", skipped "
                                 << result.skipped.size() << '\n';
                   else
                       ctx.say(verb + std::to_string(result.created.size()) + ", skipped " +
                               std::to_string(result.skipped.size()));
               });
    generate->add_option("--resource", o->resource, "Resource code")->required();
    generate
        ->add_option("--from", o->from_date, "First day (DATE: YYYY-MM-DD, today, mon, +7, ...)")
        ->required()
        ->type_name("DATE");
    generate->add_option("--to", o->to_date, "Last day (inclusive)")->required()->type_name("DATE");
    generate->add_option("--days", o->days, "mon-fri, mon,wed,fri, sat-sun, mon-sun or all")
        ->required();
    generate
        ->add_option("--hours", o->hours,
                     "Local opening hours, HH:MM-HH:MM; repeat for several ranges")
        ->required()
        ->type_name("RANGE");
    generate->add_flag("--dry-run", o->dry_run,
                       "Show the slots that would be created; change nothing");

    auto* list = r.verb(
        slots, "list", "List slots", "bookingctl slots list --resource main --from today --to fri",
        [&ctx, o] {
            booking::slots::SlotFilter filter;
            filter.resource = o->resource_filter;
            auto range = option_dates(ctx, o->from, o->to);
            filter.from = range.from;
            filter.to = range.to;
            auto rows = ctx.transaction([&](auto& tx) { return booking::slots::list(tx, filter); });
            print_first(ctx, std::move(rows), slot_columns(ctx), option_limit(ctx, o->limit),
                        "slot");
        });
    list->add_option("--resource", o->resource_filter, "Only this resource");
    list->add_option("--from", o->from, "From this local date")->type_name("DATE");
    list->add_option("--to", o->to, "To this local date (inclusive)")->type_name("DATE");
    add_limit_option(list, o->limit);

    auto* remove = r.verb(
        slots, "remove", "Remove a slot; refused (exit 4) while confirmed bookings lie inside",
        "bookingctl slots remove 17 --cancel-bookings --yes", [&ctx, o] {
            long long id = option_id(o->id, "slot id");
            auto policy = ctx.policy();
            if (o->cancel_bookings) {
                auto slot = ctx.transaction([&](auto& tx) { return booking::slots::find(tx, id); });
                confirm(ctx, "Remove slot " + std::to_string(id) + " (" + slot.resource + ", " +
                                 ctx.zone().format_local(slot.start) + " to " +
                                 ctx.zone().format_local(slot.end) +
                                 ") and cancel the confirmed bookings inside it, emailing their "
                                 "customers?");
            }
            auto cancelled = ctx.transaction([&](auto& tx) {
                return booking::slots::remove(tx, id, o->cancel_bookings, policy, ctx.now());
            });
            ctx.say("removed slot " + std::to_string(id) +
                    (cancelled.empty() ? std::string()
                                       : ", cancelled " + std::to_string(cancelled.size()) +
                                             " booking(s) and queued their emails"));
        });
    remove->add_option("id", o->id, "Slot id")->required()->type_name("ID");

    auto* sync = r.verb(
        slots, "sync",
        "Make the slots match the weekly hours minus time off, from today to the horizon",
        "bookingctl slots sync --dry-run", [&ctx, o] {
            const auto now = ctx.now();
            const auto& zone = ctx.zone();
            const auto from = zone.date_of(now);
            const auto to = zone.date_of(now + ctx.config().business.horizon);
            auto report = ctx.transaction(
                [&](auto& tx) { return booking::hours::sync(tx, zone, from, to, o->dry_run); });
            for (const auto& s : report.kept)
                ctx.say("kept slot " + std::to_string(s.id) + " (" + s.resource + ", " +
                        zone.format_local(s.start) + " to " + zone.format_local(s.end) +
                        "): the hours no longer call for it, but it holds confirmed bookings");
            if (ctx.format() == Format::Json) {
                std::cout << nlohmann::json{{"created", report.created},
                                            {"removed", report.removed},
                                            {"kept", report.kept.size()},
                                            {"unchanged", report.unchanged},
                                            {"kept_slots", report.kept},
                                            {"dry_run", o->dry_run}}
                                 .dump(2)
                          << '\n';
            } else if (ctx.format() == Format::Csv) {
                std::cout << "created,removed,kept,unchanged\n"
                          << report.created << ',' << report.removed << ',' << report.kept.size()
                          << ',' << report.unchanged << '\n';
            } else {
                std::cout << (o->dry_run ? "would create " : "created ") << report.created
                          << (o->dry_run ? ", would remove " : ", removed ") << report.removed
                          << ", kept " << report.kept.size() << '\n';
            }
            if (o->dry_run) ctx.say("dry run: nothing was changed");
        });
    sync->add_flag("--dry-run", o->dry_run, "Show what would change; change nothing");
    remove->add_flag("--cancel-bookings", o->cancel_bookings,
                     "Cancel the confirmed bookings inside it (their customers are emailed; asks "
                     "first on a terminal)");
    add_yes_flag(remove, ctx);
}

}  // namespace bookingctl
