// bookingctl reminders run [--dry-run]
#include "core/reminders/reminders.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace bookingctl {
namespace {

using booking::reminders::DueReminder;

std::vector<Column<DueReminder>> reminder_columns(Context& ctx) {
    return {
        {"booking_id", 7, [](const DueReminder& d, bool) { return std::to_string(d.booking_id); }},
        {"start", 16,
         [&ctx](const DueReminder& d, bool local) { return show_time(ctx, d.start, local); }},
        {"service", 12, [](const DueReminder& d, bool) { return d.service; }},
        {"customer_name", 16, [](const DueReminder& d, bool) { return d.customer_name; }, false},
        {"recipient", 24, [](const DueReminder& d, bool) { return d.recipient; }},
        {"email_id", 8,
         [](const DueReminder& d, bool) {
             return d.email_id ? std::to_string(*d.email_id) : std::string();
         }},
    };
}

}  // namespace

void add_reminders_commands(Registry& r, CLI::App& app) {
    auto* reminders = r.noun(app, "reminders", "Reminder emails before bookings",
                             "bookingctl reminders run --dry-run");
    Context& ctx = r.ctx;
    auto dry_run = std::make_shared<bool>(false);
    auto* run = r.verb(
        reminders, "run",
        "Queue the reminders that are due now (what bookingd does every reminders.interval)",
        "bookingctl reminders run --dry-run    # list what would be queued", [&ctx, dry_run] {
            const auto lead = ctx.config().reminders.lead_time;
            auto rows = ctx.transaction([&](auto& tx) {
                return *dry_run ? booking::reminders::due_reminders(tx, lead)
                                : booking::reminders::queue_due_reminders(tx, lead);
            });
            print_list(ctx, rows, reminder_columns(ctx));
            const std::string count =
                std::to_string(rows.size()) + (rows.size() == 1 ? " reminder" : " reminders");
            ctx.say(*dry_run ? count + " due (dry run: nothing queued)" : "queued " + count);
        });
    run->add_flag("--dry-run", *dry_run, "List the due reminders without queueing them");
}

}  // namespace bookingctl
