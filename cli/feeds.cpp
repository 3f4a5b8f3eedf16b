// bookingctl feeds add | list | revoke
#include "core/feeds/feeds.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/errors.hpp"

namespace bookingctl {
namespace {

using booking::feeds::Feed;

std::vector<Column<Feed>> feed_columns(Context& ctx) {
    return {
        {"id", 6, [](const Feed& f, bool) { return std::to_string(f.id); }},
        {"name", 30, [](const Feed& f, bool) { return f.name; }},
        {"resource", 16, [](const Feed& f, bool) { return f.resource.value_or("(all)"); }},
        {"revoked_at", 16,
         [&ctx](const Feed& f, bool local) {
             return f.revoked_at ? show_time(ctx, *f.revoked_at, local) : std::string();
         }},
        {"created_at", 20,
         [&ctx](const Feed& f, bool local) { return show_time(ctx, f.created_at, local); }, false},
    };
}

// What `feeds add` prints: the feed and, this once, its URL.
struct Added {
    Feed feed;
    std::string url;
};
void to_json(nlohmann::json& out, const Added& a) {
    out = a.feed;
    out["url"] = a.url;
}

std::vector<Column<Added>> added_columns(Context& ctx) {
    std::vector<Column<Added>> out;
    for (auto& c : feed_columns(ctx))
        out.push_back(
            {c.header, c.max_width,
             [value = c.value](const Added& a, bool local) { return value(a.feed, local); },
             c.in_list_table});
    out.push_back({"url", 100, [](const Added& a, bool) { return a.url; }});
    return out;
}

struct FeedOptions {
    std::optional<std::string> resource;
    bool all = false;
    std::string name, id;
};

}  // namespace

void add_feeds_commands(Registry& r, CLI::App& app) {
    auto* feeds = r.noun(app, "feeds", "Secret calendar feed URLs for staff calendar apps",
                         "bookingctl feeds add --resource alice --name \"Alice's phone\"");
    Context& ctx = r.ctx;
    auto o = std::make_shared<FeedOptions>();
    namespace fd = booking::feeds;

    auto* add = r.verb(
        feeds, "add", "Create a feed; prints its URL (shown only this once)",
        "bookingctl feeds add --resource alice --name \"Alice's phone\"    # or: --all", [&ctx, o] {
            if (o->all == o->resource.has_value())
                throw booking::Invalid("", "give either --resource R or --all");
            const std::string public_url = ctx.config().site.public_url;
            if (public_url.empty())
                throw booking::Invalid("site.public_url",
                                       "is empty; feed URLs start with it (set it in the config)");
            auto created =
                ctx.transaction([&](auto& tx) { return fd::add(tx, o->resource, o->name); });
            print_one(ctx, Added{created.feed, fd::feed_url(public_url, created.token)},
                      added_columns(ctx));
            ctx.say("feed " + std::to_string(created.feed.id) +
                    " created; keep its URL now: it is not shown again");
        });
    add->add_option("--resource", o->resource, "The resource whose bookings it shows")
        ->type_name("R");
    add->add_flag("--all", o->all, "Every resource's bookings (the resource in LOCATION)");
    add->add_option("--name", o->name, "A label for the list (e.g. whose phone)")
        ->type_name("TEXT");

    r.verb(feeds, "list", "List the feeds (without their URLs)", "bookingctl feeds list", [&ctx] {
        auto rows = ctx.transaction([](auto& tx) { return fd::list(tx); });
        print_list(ctx, rows, feed_columns(ctx));
    });

    auto* revoke = r.verb(feeds, "revoke", "Revoke a feed: its URL answers 404 from now on",
                          "bookingctl feeds revoke 2", [&ctx, o] {
                              const long long id = option_id(o->id, "feed id");
                              auto f =
                                  ctx.transaction([&](auto& tx) { return fd::revoke(tx, id); });
                              print_one(ctx, f, feed_columns(ctx));
                              ctx.say("feed " + std::to_string(id) + " revoked");
                          });
    revoke->add_option("id", o->id, "Feed id (see feeds list)")->type_name("ID")->required();
}

}  // namespace bookingctl
