// bookingctl services add | list | update | disable | enable
#include "core/services/services.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace bookingctl {
namespace {

std::vector<Column<booking::Service>> service_columns() {
    using S = booking::Service;
    return {
        {"code", 16, [](const S& s, bool) { return s.code; }},
        {"name", 24, [](const S& s, bool) { return s.name; }},
        {"duration_minutes", 16,
         [](const S& s, bool) { return std::to_string(s.duration_minutes); }},
        {"buffer_minutes", 14, [](const S& s, bool) { return std::to_string(s.buffer_minutes); }},
        {"active", 6, [](const S& s, bool) { return std::string(s.active ? "yes" : "no"); }},
        {"description", 40, [](const S& s, bool) { return s.description; }},
    };
}

struct ServiceOptions {
    std::string code;
    std::optional<std::string> name, duration, buffer, description, limit;
};

booking::services::ServiceChange change(const ServiceOptions& o) {
    booking::services::ServiceChange c;
    c.name = o.name;
    c.description = o.description;
    if (o.duration) c.duration = option_duration(*o.duration, "--duration");
    if (o.buffer) c.buffer = option_duration(*o.buffer, "--buffer");
    return c;
}

void add_fields(CLI::App* cmd, ServiceOptions& o, bool required) {
    auto* name = cmd->add_option("--name", o.name, "Name shown to customers");
    auto* duration = cmd->add_option("--duration", o.duration,
                                     "How long it takes, whole minutes (e.g. 45m, 1h30m)")
                         ->type_name("DURATION");
    if (required) name->required(), duration->required();
    cmd->add_option("--buffer", o.buffer, "Time kept free after it (e.g. 15m); default 0")
        ->type_name("DURATION");
    cmd->add_option("--description", o.description, "Longer text for customers")->type_name("TEXT");
}

}  // namespace

void add_services_commands(Registry& r, CLI::App& app) {
    auto* services = r.noun(app, "services", "What the business sells", "bookingctl services list");
    Context& ctx = r.ctx;
    auto o = std::make_shared<ServiceOptions>();
    auto show = [&ctx](const booking::Service& s) { print_one(ctx, s, service_columns()); };

    auto* add = r.verb(
        services, "add", "Add a service",
        "bookingctl services add consultation --name Consultation --duration 1h --buffer 15m",
        [&ctx, o, show] {
            auto c = change(*o);
            show(ctx.transaction(
                [&](auto& tx) { return booking::services::create(tx, o->code, c); }));
        });
    add->add_option("code", o->code, "Code used by the API (lower-case letters, digits, - and _)")
        ->required();
    add_fields(add, *o, true);

    auto* list = r.verb(services, "list", "List all services, active or not",
                        "bookingctl services list", [&ctx, o] {
                            print_first(ctx, ctx.transaction([](auto& tx) {
                                return booking::services::list(tx, false);
                            }),
                                        service_columns(), option_limit(ctx, o->limit), "service");
                        });
    add_limit_option(list, o->limit);

    auto* update =
        r.verb(services, "update", "Change a service's name, duration, buffer or description",
               "bookingctl services update consultation --duration 45m", [&ctx, o, show] {
                   auto c = change(*o);
                   show(ctx.transaction(
                       [&](auto& tx) { return booking::services::update(tx, o->code, c); }));
               });
    update->add_option("code", o->code, "Service code")->required();
    add_fields(update, *o, false);

    for (bool enable : {false, true}) {
        auto* cmd = r.verb(
            services, enable ? "enable" : "disable",
            enable ? "Offer a service again" : "Stop offering a service (existing bookings stay)",
            std::string("bookingctl services ") + (enable ? "enable" : "disable") + " consultation",
            [&ctx, o, show, enable] {
                show(ctx.transaction(
                    [&](auto& tx) { return booking::services::set_active(tx, o->code, enable); }));
            });
        cmd->add_option("code", o->code, "Service code")->required();
    }
}

}  // namespace bookingctl
