// bookingctl users add | list | show | set-role | disable | enable | passwd | send-reset
#include "core/users/users.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"
#include "core/config/duration.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/tokens/account_links.hpp"

namespace bookingctl {
namespace {

std::vector<Column<booking::User>> user_columns(Context& ctx) {
    return {
        {"id", 6, [](const booking::User& u, bool) { return std::to_string(u.id); }},
        {"email", 28, [](const booking::User& u, bool) { return u.email; }},
        {"name", 18, [](const booking::User& u, bool) { return u.name; }},
        {"role", 8, [](const booking::User& u, bool) { return booking::to_string(u.role); }},
        {"disabled", 8,
         [](const booking::User& u, bool) { return std::string(u.disabled ? "yes" : "no"); }},
        {"created_at", 16,
         [&ctx](const booking::User& u, bool local) { return show_time(ctx, u.created_at, local); },
         false},
    };
}

// users::find, and when there is no such user, NotFound that names the
// closest ones ("did you mean ...").
booking::User find_or_suggest(pqxx::transaction_base& tx, const std::string& user) {
    try {
        return booking::users::find(tx, user);
    } catch (const booking::NotFound& e) {
        auto near = booking::users::closest(tx, user);
        if (near.empty()) throw;
        std::string names;
        for (const auto& u : near)
            names += (names.empty() ? "" : ", ") + u.email + " (" + u.name + ")";
        throw booking::NotFound(std::string(e.what()) + "; did you mean " + names + "?",
                                e.subject());
    }
}

struct UserOptions {
    std::string email, name, role = "customer", user;
    std::optional<std::string> role_filter, limit;
    bool password_stdin = false;
};

}  // namespace

void add_users_commands(Registry& r, CLI::App& app) {
    auto* users = r.noun(app, "users", "Accounts: customers, staff and admins",
                         "bookingctl users list --role staff");
    Context& ctx = r.ctx;
    auto o = std::make_shared<UserOptions>();
    auto show = [&ctx](const booking::User& u) { print_one(ctx, u, user_columns(ctx)); };

    auto* add = r.verb(
        users, "add", "Create a user and print it",
        "echo 's3cret-pass' | bookingctl users add --email ann@example.com --name Ann --role staff "
        "--password-stdin",
        [&ctx, o, show] {
            booking::users::NewUser nu{o->email, o->name, booking::parse_role(o->role),
                                       std::nullopt, std::nullopt};
            if (o->password_stdin) nu.password = read_password_stdin();
            auto user = ctx.transaction([&](auto& tx) { return booking::users::create(tx, nu); });
            show(user);
        });
    add->add_option("--email", o->email, "Email address (stored lower-case)")->required();
    add->add_option("--name", o->name, "Display name, 1-200 characters")->required();
    add->add_option("--role", o->role, "customer, staff or admin")
        ->type_name("ROLE")
        ->capture_default_str();
    add->add_flag("--password-stdin", o->password_stdin,
                  "Read the password (8-1024 characters) from one stdin line");

    auto* list = r.verb(users, "list", "List users by id",
                        "bookingctl users list --role staff --format csv", [&ctx, o] {
                            std::optional<booking::Role> role;
                            if (o->role_filter) role = booking::parse_role(*o->role_filter);
                            auto limit = option_limit(ctx, o->limit);
                            long long more = 0;
                            auto rows = ctx.transaction([&](auto& tx) {
                                auto found = booking::users::list(tx, role, limit);
                                if (limit && static_cast<long long>(found.size()) == *limit)
                                    more = booking::users::count(tx, role) - *limit;
                                return found;
                            });
                            print_list(ctx, rows, user_columns(ctx));
                            say_more(ctx, more, "user");
                        });
    list->add_option("--role", o->role_filter, "Only users with this role")->type_name("ROLE");
    add_limit_option(list, o->limit);

    auto* find = r.verb(
        users, "find",
        "Find users whose name or email contains TEXT (any case), best matches first, at most 20",
        "bookingctl users find ann", [&ctx, o] {
            auto rows =
                ctx.transaction([&](auto& tx) { return booking::users::search(tx, o->user); });
            if (rows.empty() && ctx.format() == Format::Table) {
                ctx.say("no user's name or email contains \"" + booking::printable(o->user) + "\"");
                return;
            }
            print_list(ctx, rows, user_columns(ctx));
        });
    find->add_option("text", o->user, "Part of a name or an email")->required()->type_name("TEXT");

    auto* show_cmd =
        r.verb(users, "show", "Show one user (an unknown one: the closest matches are suggested)",
               "bookingctl users show ann@example.com", [&ctx, o, show] {
                   show(ctx.transaction([&](auto& tx) { return find_or_suggest(tx, o->user); }));
               });
    show_cmd->add_option("user", o->user, "User id or email")->required()->type_name("USER");

    auto* set_role =
        r.verb(users, "set-role", "Change a user's role",
               "bookingctl users set-role ann@example.com staff", [&ctx, o, show] {
                   auto role = booking::parse_role(o->role);
                   show(ctx.transaction([&](auto& tx) {
                       return booking::users::set_role(tx, find_or_suggest(tx, o->user).id, role);
                   }));
               });
    set_role->add_option("user", o->user, "User id or email")->required()->type_name("USER");
    set_role->add_option("role", o->role, "customer, staff or admin")
        ->required()
        ->type_name("ROLE");

    for (bool disable : {true, false}) {
        auto* cmd = r.verb(
            users, disable ? "disable" : "enable",
            disable ? "Disable a user: no logins, tokens refused within 60 s"
                    : "Enable a disabled user",
            std::string("bookingctl users ") + (disable ? "disable" : "enable") + " 42",
            [&ctx, o, show, disable] {
                if (disable) {
                    auto user =
                        ctx.transaction([&](auto& tx) { return find_or_suggest(tx, o->user); });
                    if (!user.disabled)
                        confirm(ctx, "Disable " + user.name + " <" + user.email +
                                         ">? They can no longer sign in.");
                }
                show(ctx.transaction([&](auto& tx) {
                    return booking::users::set_disabled(tx, find_or_suggest(tx, o->user).id,
                                                        disable);
                }));
            });
        cmd->add_option("user", o->user, "User id or email")->required()->type_name("USER");
        if (disable) add_yes_flag(cmd, ctx);
    }

    auto* passwd = r.verb(
        users, "passwd", "Set a user's password",
        "bookingctl users passwd 42 --password-stdin < pw.txt", [&ctx, o, show] {
            if (!o->password_stdin)
                throw booking::Invalid("--password-stdin",
                                       "is required: the password is read from standard input");
            std::string password = read_password_stdin();
            show(ctx.transaction([&](auto& tx) {
                return booking::users::set_password(tx, find_or_suggest(tx, o->user).id, password);
            }));
        });
    passwd->add_option("user", o->user, "User id or email")->required()->type_name("USER");
    passwd->add_flag("--password-stdin", o->password_stdin,
                     "Read the password from one line of standard input");

    auto* send_reset = r.verb(
        users, "send-reset",
        "Queue a password-reset email for a user (for staff helping a customer); the link works "
        "once, for auth.reset_ttl",
        "bookingctl users send-reset ann@example.com", [&ctx, o] {
            const auto& config = ctx.config();
            if (config.site.public_url.empty())
                throw booking::ConfigError(config.source +
                                           ": site.public_url is empty, and the reset email's "
                                           "link starts with it; set it first");
            const auto user = ctx.transaction([&](auto& tx) {
                const auto found = booking::users::find(tx, o->user);
                booking::tokens::send_account_link(tx, booking::tokens::Purpose::PasswordReset,
                                                   found.id, config.auth.reset_ttl, ctx.now());
                return found;
            });
            ctx.say("queued a password-reset email to " + user.email +
                    " (its link works once, for " +
                    booking::format_duration(config.auth.reset_ttl) + ")");
        });
    send_reset->add_option("user", o->user, "User id or email")->required()->type_name("USER");
}

}  // namespace bookingctl
