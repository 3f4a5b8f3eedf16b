// bookingctl mail list | retry
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/errors.hpp"
#include "core/mail/outbox.hpp"

namespace bookingctl {
namespace {

using booking::mail::Email;

std::vector<Column<Email>> email_columns(Context& ctx) {
    return {
        {"id", 8, [](const Email& e, bool) { return std::to_string(e.id); }},
        {"kind", 12, [](const Email& e, bool) { return e.kind; }},
        {"booking_id", 7,
         [](const Email& e, bool) {
             return e.booking_id ? std::to_string(e.booking_id) : std::string();
         }},
        {"recipient", 24, [](const Email& e, bool) { return e.recipient; }},
        {"booking_start", 16,
         [&ctx](const Email& e, bool local) {
             return e.booking_id ? show_time(ctx, e.booking_start, local) : std::string();
         },
         false},
        {"sequence", 8, [](const Email& e, bool) { return std::to_string(e.sequence); }, false},
        {"status", 7, [](const Email& e, bool) { return e.status; }},
        {"attempts", 8, [](const Email& e, bool) { return std::to_string(e.attempts); }},
        {"next_attempt_at", 16,
         [&ctx](const Email& e, bool local) {
             return e.status == "pending" ? show_time(ctx, e.next_attempt_at, local)
                                          : std::string();
         },
         false},
        {"sent_at", 20,
         [&ctx](const Email& e, bool local) {
             return e.sent_at ? show_time(ctx, *e.sent_at, local) : std::string();
         },
         false},
        {"last_error", 60, [](const Email& e, bool) { return e.last_error.value_or(""); }, false},
        {"created_at", 20,
         [&ctx](const Email& e, bool local) { return show_time(ctx, e.created_at, local); }, false},
    };
}

struct MailOptions {
    std::string id;
    std::optional<std::string> status, booking, limit;
    bool all_failed = false;
};

}  // namespace

void add_mail_commands(Registry& r, CLI::App& app) {
    auto* mail = r.noun(app, "mail", "The email outbox: what was sent, what waits, what failed",
                        "bookingctl mail list --status failed");
    Context& ctx = r.ctx;
    auto o = std::make_shared<MailOptions>();

    auto* list = r.verb(mail, "list", "List emails, oldest first",
                        "bookingctl mail list --status pending", [&ctx, o] {
                            booking::mail::EmailFilter filter;
                            if (o->status)
                                filter.status = booking::mail::parse_email_status(*o->status);
                            if (o->booking) filter.booking_id = option_id(*o->booking, "--booking");
                            auto rows = ctx.transaction(
                                [&](auto& tx) { return booking::mail::list_emails(tx, filter); });
                            print_first(ctx, std::move(rows), email_columns(ctx),
                                        option_limit(ctx, o->limit), "email");
                        });
    list->add_option("--status", o->status, "pending, sent, failed or skipped")
        ->type_name("STATUS");
    add_limit_option(list, o->limit);
    list->add_option("--booking", o->booking, "Only the emails about this booking")
        ->type_name("ID");

    auto* retry = r.verb(
        mail, "retry", "Send a failed email again (or every failed one), with fresh attempts",
        "bookingctl mail retry 17    # or: bookingctl mail retry --all-failed", [&ctx, o] {
            if (o->all_failed == !o->id.empty())
                throw booking::Invalid("", "give either an email ID or --all-failed");
            if (o->all_failed) {
                auto rows = ctx.transaction(
                    [&](auto& tx) { return booking::mail::retry_failed_emails(tx); });
                print_list(ctx, rows, email_columns(ctx));
                ctx.say(std::to_string(rows.size()) + (rows.size() == 1 ? " email" : " emails") +
                        " queued to be sent again");
                return;
            }
            const long long id = option_id(o->id, "email id");
            auto retried =
                ctx.transaction([&](auto& tx) { return booking::mail::retry_email(tx, id); });
            print_one(ctx, retried.email, email_columns(ctx));
            ctx.say("email " + std::to_string(id) +
                    (retried.requeued ? " queued to be sent again"
                                      : " is pending already; it goes out when due"));
        });
    retry->add_option("id", o->id, "Email id (see mail list)")->type_name("ID");
    retry->add_flag("--all-failed", o->all_failed, "Every failed email");
}

}  // namespace bookingctl
