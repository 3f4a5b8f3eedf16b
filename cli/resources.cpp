// bookingctl resources add | list | disable | enable
#include "core/resources/resources.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace bookingctl {
namespace {

std::vector<Column<booking::Resource>> resource_columns() {
    using R = booking::Resource;
    return {
        {"code", 20, [](const R& r, bool) { return r.code; }},
        {"name", 40, [](const R& r, bool) { return r.name; }},
        {"active", 6, [](const R& r, bool) { return std::string(r.active ? "yes" : "no"); }},
    };
}

struct ResourceOptions {
    std::string code, name;
    std::optional<std::string> limit;
};

}  // namespace

void add_resources_commands(Registry& r, CLI::App& app) {
    auto* resources = r.noun(app, "resources", "Who or what is booked: people, rooms, chairs",
                             "bookingctl resources add alice --name \"Alice Smith\"");
    Context& ctx = r.ctx;
    auto o = std::make_shared<ResourceOptions>();
    auto show = [&ctx](const booking::Resource& res) { print_one(ctx, res, resource_columns()); };

    auto* add = r.verb(resources, "add", "Add a resource",
                       "bookingctl resources add alice --name \"Alice Smith\"", [&ctx, o, show] {
                           show(ctx.transaction([&](auto& tx) {
                               return booking::resources::create(tx, o->code, o->name);
                           }));
                       });
    add->add_option("code", o->code, "Code used by the API (lower-case letters, digits, - and _)")
        ->required();
    add->add_option("--name", o->name, "Name shown to customers")->required();

    auto* list = r.verb(
        resources, "list", "List all resources, active or not",
        "bookingctl resources list --format json", [&ctx, o] {
            print_first(
                ctx, ctx.transaction([](auto& tx) { return booking::resources::list(tx, false); }),
                resource_columns(), option_limit(ctx, o->limit), "resource");
        });
    add_limit_option(list, o->limit);

    for (bool enable : {false, true}) {
        auto* cmd = r.verb(
            resources, enable ? "enable" : "disable",
            enable ? "Take bookings for a resource again" : "Stop taking bookings for a resource",
            std::string("bookingctl resources ") + (enable ? "enable" : "disable") + " alice",
            [&ctx, o, show, enable] {
                show(ctx.transaction(
                    [&](auto& tx) { return booking::resources::set_active(tx, o->code, enable); }));
            });
        cmd->add_option("code", o->code, "Resource code")->required();
    }
}

}  // namespace bookingctl
