// bookingctl bookings list | show | create | cancel | reschedule
#include "core/bookings/bookings.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/resources/resources.hpp"
#include "core/users/users.hpp"

namespace bookingctl {
namespace {

std::vector<Column<booking::Booking>> booking_columns(Context& ctx) {
    using B = booking::Booking;
    return {
        {"id", 7, [](const B& b, bool) { return std::to_string(b.id); }},
        {"start", 16, [&ctx](const B& b, bool local) { return show_time(ctx, b.start, local); }},
        {"end", 20,
         [&ctx](const B& b, bool local) {
             // Tables show only the clock time of the end: the date is the start's.
             return local ? show_time(ctx, b.end, true).substr(11) : booking::format_utc(b.end);
         }},
        {"service", 12, [](const B& b, bool) { return b.service; }},
        {"resource", 10, [](const B& b, bool) { return b.resource; }},
        {"customer", 16, [](const B& b, bool) { return b.customer_name; }},
        {"status", 9, [](const B& b, bool) { return b.status; }},
    };
}

// A single booking shows everything.
std::vector<Column<booking::Booking>> booking_detail_columns(Context& ctx) {
    using B = booking::Booking;
    auto columns = booking_columns(ctx);
    columns[2].value = [&ctx](const B& b, bool local) { return show_time(ctx, b.end, local); };
    columns.push_back({"customer_email", 40, [](const B& b, bool) { return b.customer_email; }});
    columns.push_back({"user_id", 10, [](const B& b, bool) { return std::to_string(b.user_id); }});
    columns.push_back({"notes", 60, [](const B& b, bool) { return b.notes; }});
    columns.push_back(
        {"created_at", 20, [&ctx](const B& b, bool l) { return show_time(ctx, b.created_at, l); }});
    columns.push_back({"cancelled_at", 20, [&ctx](const B& b, bool l) {
                           return b.cancelled_at ? show_time(ctx, *b.cancelled_at, l)
                                                 : std::string();
                       }});
    return columns;
}

struct BookingOptions {
    std::string id, user, service, start;
    std::optional<std::string> date, from, to, status, user_filter, resource, notes, limit;
    bool override_notice = false, no_email = false, all = false;
};

}  // namespace

void add_bookings_commands(Registry& r, CLI::App& app) {
    auto* bookings =
        r.noun(app, "bookings", "Customers' bookings", "bookingctl bookings list --date today");
    Context& ctx = r.ctx;
    auto o = std::make_shared<BookingOptions>();
    auto show = [&ctx](const booking::Booking& b) {
        print_one(ctx, b, booking_detail_columns(ctx));
    };
    const auto staff = booking::Actor::terminal();

    auto* list = r.verb(
        bookings, "list",
        "List bookings by start time: from today on, unless --date, --from/--to or --all",
        "bookingctl bookings list --date today --status confirmed\n"
        "  bookingctl bookings list --from mon --to fri --resource main\n"
        "  bookingctl --format csv bookings list --all > bookings.csv",
        [&ctx, o, staff] {
            booking::bookings::BookingFilter filter;
            if (o->date && (o->from || o->to))
                throw booking::Invalid("--date", "cannot be combined with --from/--to");
            if (o->all && (o->date || o->from || o->to))
                throw booking::Invalid("--all", "cannot be combined with --date, --from or --to");
            booking::BusinessZone::Range range;
            if (o->date)
                range = option_dates(ctx, o->date, o->date, "--date", "--date");
            else if (o->from || o->to)
                range = option_dates(ctx, o->from, o->to);
            else if (!o->all)
                range.from = ctx.zone().start_of_day(ctx.today());
            filter.from = range.from;
            filter.to = range.to;
            if (o->status) filter.status = option_status(*o->status);
            filter.resource = o->resource;
            auto limit = option_limit(ctx, o->limit);
            if (limit) filter.limit = static_cast<int>(std::min<long long>(*limit, 1 << 30));
            long long more = 0;
            auto rows = ctx.transaction([&](auto& tx) {
                if (o->user_filter) filter.user_id = booking::users::find(tx, *o->user_filter).id;
                if (filter.resource) booking::resources::find(tx, *filter.resource);
                auto found = booking::bookings::list(tx, staff, filter);
                if (limit && static_cast<long long>(found.size()) == *limit)
                    more = booking::bookings::count(tx, filter) - *limit;
                return found;
            });
            print_list(ctx, rows, booking_columns(ctx));
            say_more(ctx, more, "booking");
        });
    list->add_option(
            "--date", o->date,
            "Bookings starting on this local date (today, tomorrow, mon, +7, YYYY-MM-DD, ...)")
        ->type_name("DATE");
    list->add_option("--from", o->from, "From this local date")->type_name("DATE");
    list->add_option("--to", o->to, "To this local date (inclusive)")->type_name("DATE");
    list->add_flag("--all", o->all, "Every booking ever made (default: from today on)");
    list->add_option("--status", o->status, "confirmed or cancelled")->type_name("STATUS");
    list->add_option("--user", o->user_filter, "Only this customer (id or email)")
        ->type_name("USER");
    list->add_option("--resource", o->resource, "Only this resource")->type_name("CODE");
    add_limit_option(list, o->limit);

    auto* show_cmd = r.verb(
        bookings, "show", "Show one booking", "bookingctl bookings show 42",
        [&ctx, o, show, staff] {
            long long id = option_id(o->id, "booking id");
            show(ctx.transaction([&](auto& tx) { return booking::bookings::get(tx, staff, id); }));
        });
    show_cmd->add_option("id", o->id, "Booking id")->required()->type_name("ID");

    auto* create =
        r.verb(bookings, "create", "Book for a customer (phone bookings); never double-books",
               "bookingctl bookings create --user ann@example.com --service consultation --start "
               "\"tomorrow 10:00\"",
               [&ctx, o, show] {
                   auto start = option_time(ctx, o->start, "--start");
                   auto policy = ctx.policy();
                   show(ctx.transaction([&](auto& tx) {
                       booking::bookings::NewBooking request;
                       request.user_id = booking::users::find(tx, o->user).id;
                       request.service = o->service;
                       request.start = start;
                       request.resource = o->resource;
                       request.notes = o->notes.value_or("");
                       request.override_notice = o->override_notice;
                       return booking::bookings::create(tx, policy, request, ctx.now());
                   }));
               });
    create->add_option("--user", o->user, "Customer id or email")->required()->type_name("USER");
    create->add_option("--service", o->service, "Service code")->required()->type_name("CODE");
    create
        ->add_option("--start", o->start,
                     "DATE HH:MM in business time (\"tomorrow 09:30\"), or RFC 3339")
        ->required()
        ->type_name("TIME");
    create->add_option("--resource", o->resource, "Resource code (default: any free one)")
        ->type_name("CODE");
    create->add_option("--notes", o->notes, "Notes, at most 1000 characters")->type_name("TEXT");
    create->add_flag("--override-notice", o->override_notice,
                     "Lift min_notice and horizon (never the past)");

    auto* cancel = r.verb(
        bookings, "cancel",
        "Cancel a booking (the customer is emailed unless --no-email); asks first on a terminal",
        "bookingctl bookings cancel 42 --yes", [&ctx, o, show, staff] {
            long long id = option_id(o->id, "booking id");
            auto policy = ctx.policy();
            // Asked outside any transaction: nothing is held while a person thinks.
            auto current =
                ctx.transaction([&](auto& tx) { return booking::bookings::get(tx, staff, id); });
            if (current.status == "confirmed")
                confirm(ctx, "Cancel booking " + std::to_string(id) + ", " + current.service_name +
                                 " at " + ctx.zone().format_local(current.start) + " for " +
                                 current.customer_name + " <" + current.customer_email + ">" +
                                 (o->no_email ? "" : ", and email the customer") + "?");
            show(ctx.transaction([&](auto& tx) {
                return booking::bookings::cancel(tx, policy, staff, id, ctx.now(), !o->no_email);
            }));
        });
    cancel->add_option("id", o->id, "Booking id")->required()->type_name("ID");
    cancel->add_flag("--no-email", o->no_email, "Do not email the customer");
    add_yes_flag(cancel, ctx);

    auto* reschedule =
        r.verb(bookings, "reschedule", "Move a booking to another start time (and resource)",
               "bookingctl bookings reschedule 42 --start \"fri 11:00\"", [&ctx, o, show, staff] {
                   long long id = option_id(o->id, "booking id");
                   auto start = option_time(ctx, o->start, "--start");
                   auto policy = ctx.policy();
                   show(ctx.transaction([&](auto& tx) {
                       return booking::bookings::reschedule(tx, policy, staff, id, start,
                                                            o->resource, ctx.now());
                   }));
               });
    reschedule->add_option("id", o->id, "Booking id")->required()->type_name("ID");
    reschedule
        ->add_option("--start", o->start,
                     "New start: DATE HH:MM in business time (\"fri 11:00\"), or RFC 3339")
        ->required()
        ->type_name("TIME");
    reschedule
        ->add_option("--resource", o->resource,
                     "New resource (default: the current one if free, else any)")
        ->type_name("CODE");
}

}  // namespace bookingctl
