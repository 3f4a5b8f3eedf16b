#pragma once
// The reminder scheduler's one rule (SPEC §4): a reminder for every confirmed
// booking whose start is within lead_time from now and still ahead, unless it
// was booked less than lead_time before its start or already has a reminder
// for that start time. The outbox's unique index emails_one_reminder_idx
// (booking, start) makes "one" hold however many daemons and CLI runs race;
// a tick missed while nothing ran is caught up by the next, since the rule
// looks at the whole window each time.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/config/duration.hpp"
#include "core/time/business_time.hpp"

namespace booking::reminders {

struct DueReminder {
    long long booking_id = 0;
    Time start{};
    std::string recipient;
    std::string customer_name;
    std::string service;                // code
    std::optional<long long> email_id;  // set once queued
};
void to_json(nlohmann::json& out, const DueReminder& reminder);

// What queue_due_reminders would queue now (for --dry-run), by start.
std::vector<DueReminder> due_reminders(pqxx::transaction_base& tx, Seconds lead_time);

// Queues them; returns those this call queued (a racing run that queued one
// first is not counted twice), by start.
std::vector<DueReminder> queue_due_reminders(pqxx::transaction_base& tx, Seconds lead_time);

}  // namespace booking::reminders
