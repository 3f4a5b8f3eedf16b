// bookingctl webhooks add | list | remove | disable | enable | test | deliveries | retry
#include "core/webhooks/webhooks.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/errors.hpp"

namespace bookingctl {
namespace {

using booking::webhooks::Delivery;
using booking::webhooks::Endpoint;

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

std::vector<Column<Endpoint>> endpoint_columns(Context& ctx) {
    return {
        {"id", 6, [](const Endpoint& e, bool) { return std::to_string(e.id); }},
        {"url", 40, [](const Endpoint& e, bool) { return e.url; }},
        {"events", 40, [](const Endpoint& e, bool) { return joined(e.events); }},
        {"enabled", 7, [](const Endpoint& e, bool) { return e.enabled ? "yes" : "no"; }},
        {"disabled_reason", 40,
         [](const Endpoint& e, bool) { return e.disabled_reason.value_or(""); }, false},
        {"created_at", 20,
         [&ctx](const Endpoint& e, bool local) { return show_time(ctx, e.created_at, local); },
         false},
    };
}

// What `webhooks add` prints: the endpoint and, this once, its secret.
struct Added {
    Endpoint endpoint;
};
void to_json(nlohmann::json& out, const Added& a) {
    out = a.endpoint;
    out["secret"] = a.endpoint.secret;
}

std::vector<Column<Added>> added_columns(Context& ctx) {
    std::vector<Column<Added>> out;
    for (auto& c : endpoint_columns(ctx))
        out.push_back(
            {c.header, c.max_width,
             [value = c.value](const Added& a, bool local) { return value(a.endpoint, local); },
             c.in_list_table});
    out.push_back({"secret", 60, [](const Added& a, bool) { return a.endpoint.secret; }});
    return out;
}

std::vector<Column<Delivery>> delivery_columns(Context& ctx) {
    auto time_or_empty = [&ctx](const std::optional<booking::Time>& t, bool local) {
        return t ? show_time(ctx, *t, local) : std::string();
    };
    return {
        {"id", 8, [](const Delivery& d, bool) { return std::to_string(d.id); }},
        {"webhook_id", 7, [](const Delivery& d, bool) { return std::to_string(d.webhook_id); }},
        {"event", 19, [](const Delivery& d, bool) { return d.event; }},
        {"booking_id", 7,
         [](const Delivery& d, bool) {
             return d.booking_id ? std::to_string(*d.booking_id) : std::string();
         }},
        {"status", 7, [](const Delivery& d, bool) { return d.status; }},
        {"attempts", 8, [](const Delivery& d, bool) { return std::to_string(d.attempts); }},
        {"next_attempt_at", 16,
         [&ctx](const Delivery& d, bool local) {
             return d.status == "pending" ? show_time(ctx, d.next_attempt_at, local)
                                          : std::string();
         },
         false},
        {"last_status", 6,
         [](const Delivery& d, bool) {
             return d.last_status ? std::to_string(*d.last_status) : std::string();
         },
         false},
        {"last_error", 60, [](const Delivery& d, bool) { return d.last_error.value_or(""); },
         false},
        {"sent_at", 20,
         [time_or_empty](const Delivery& d, bool local) {
             return time_or_empty(d.sent_at, local);
         }},
        {"created_at", 20,
         [&ctx](const Delivery& d, bool local) { return show_time(ctx, d.created_at, local); },
         false},
    };
}

struct WebhookOptions {
    std::string url, id, events;
    std::optional<std::string> webhook, status, limit;
    bool all_failed = false;
};

}  // namespace

void add_webhooks_commands(Registry& r, CLI::App& app) {
    auto* webhooks =
        r.noun(app, "webhooks", "Webhook endpoints (Standard Webhooks) and their deliveries",
               "bookingctl webhooks add https://crm.example/hooks --events "
               "booking.created,booking.cancelled");
    Context& ctx = r.ctx;
    auto o = std::make_shared<WebhookOptions>();
    namespace wh = booking::webhooks;

    auto* add = r.verb(
        webhooks, "add", "Add an endpoint; prints its id and its secret (shown only this once)",
        "bookingctl webhooks add https://crm.example/hooks --events "
        "booking.created,booking.cancelled,booking.rescheduled",
        [&ctx, o] {
            const auto events = wh::parse_events(o->events);
            wh::check_url(o->url, ctx.config().webhooks.allow_private);
            auto endpoint = ctx.transaction([&](auto& tx) { return wh::add(tx, o->url, events); });
            print_one(ctx, Added{endpoint}, added_columns(ctx));
            ctx.say("webhook " + std::to_string(endpoint.id) +
                    " added; keep its secret now: it is not shown again");
        });
    add->add_option("url", o->url, "The endpoint's http:// or https:// URL")->required();
    add->add_option("--events", o->events,
                    "booking.created, booking.cancelled, booking.rescheduled (comma-separated)")
        ->type_name("E[,E...]")
        ->required();

    r.verb(webhooks, "list", "List the endpoints (without their secrets)",
           "bookingctl webhooks list", [&ctx] {
               auto rows = ctx.transaction([](auto& tx) { return wh::list(tx); });
               print_list(ctx, rows, endpoint_columns(ctx));
           });

    auto id_verb = [&](const std::string& name, const std::string& description,
                       std::function<void(long long)> run) {
        auto* verb = r.verb(webhooks, name, description, "bookingctl webhooks " + name + " 3",
                            [o, run] { run(option_id(o->id, "webhook id")); });
        verb->add_option("id", o->id, "Webhook id (see webhooks list)")
            ->type_name("ID")
            ->required();
    };
    id_verb("remove", "Remove an endpoint (its pending deliveries fail; the record stays)",
            [&ctx](long long id) {
                ctx.transaction([&](auto& tx) { wh::remove(tx, id); });
                ctx.say("webhook " + std::to_string(id) + " removed");
            });
    id_verb(
        "disable",
        "Stop sending to an endpoint (queued deliveries wait; new events are not queued for it)",
        [&ctx](long long id) {
            auto e = ctx.transaction([&](auto& tx) { return wh::set_enabled(tx, id, false); });
            print_one(ctx, e, endpoint_columns(ctx));
        });
    id_verb("enable", "Send to an endpoint again (also after a 410)", [&ctx](long long id) {
        auto e = ctx.transaction([&](auto& tx) { return wh::set_enabled(tx, id, true); });
        print_one(ctx, e, endpoint_columns(ctx));
    });
    id_verb("test", "Queue a ping to an endpoint", [&ctx](long long id) {
        auto d = ctx.transaction([&](auto& tx) { return wh::ping(tx, id, ctx.now()); });
        print_one(ctx, d, delivery_columns(ctx));
        ctx.say("ping queued as delivery " + std::to_string(d.id));
    });

    auto* deliveries = r.verb(
        webhooks, "deliveries", "List deliveries, oldest first",
        "bookingctl webhooks deliveries --webhook 3 --status failed", [&ctx, o] {
            wh::DeliveryFilter filter;
            if (o->webhook) filter.webhook_id = option_id(*o->webhook, "--webhook");
            if (o->status) filter.status = wh::parse_delivery_status(*o->status);
            auto rows = ctx.transaction([&](auto& tx) { return wh::list_deliveries(tx, filter); });
            print_first(ctx, std::move(rows), delivery_columns(ctx), option_limit(ctx, o->limit),
                        "delivery");
        });
    deliveries->add_option("--webhook", o->webhook, "Only this endpoint's")->type_name("ID");
    deliveries->add_option("--status", o->status, "pending, sent or failed")->type_name("STATUS");
    add_limit_option(deliveries, o->limit);

    auto* retry = r.verb(
        webhooks, "retry", "Send a failed delivery again (or every failed one), same webhook-id",
        "bookingctl webhooks retry 17    # or: bookingctl webhooks retry --all-failed", [&ctx, o] {
            if (o->all_failed == !o->id.empty())
                throw booking::Invalid("", "give either a DELIVERY id or --all-failed");
            if (o->all_failed) {
                auto rows = ctx.transaction([](auto& tx) { return wh::retry_failed(tx); });
                print_list(ctx, rows, delivery_columns(ctx));
                ctx.say(std::to_string(rows.size()) +
                        (rows.size() == 1 ? " delivery" : " deliveries") +
                        " queued to be sent again");
                return;
            }
            const long long id = option_id(o->id, "delivery id");
            auto retried = ctx.transaction([&](auto& tx) { return wh::retry(tx, id); });
            print_one(ctx, retried.delivery, delivery_columns(ctx));
            ctx.say("delivery " + std::to_string(id) +
                    (retried.requeued ? " queued to be sent again"
                                      : " is pending already; it goes out when due"));
        });
    retry->add_option("delivery", o->id, "Delivery id (see webhooks deliveries)")
        ->type_name("DELIVERY");
    retry->add_flag("--all-failed", o->all_failed, "Every failed delivery");
}

}  // namespace bookingctl
