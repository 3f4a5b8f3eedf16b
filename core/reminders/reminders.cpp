#include "core/reminders/reminders.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/db/statements.hpp"

namespace booking::reminders {
namespace {

// $1: lead_time in seconds. The NOT EXISTS only keeps the dry run honest and
// the insert small; the unique index is the guarantee.
#define DUE_BOOKINGS                                                                 \
    "SELECT b.id, b.starts_at, b.sequence, u.email, u.name, s.code FROM bookings b " \
    "JOIN users u ON u.id = b.user_id JOIN services s ON s.id = b.service_id "       \
    "WHERE b.status = 'confirmed' AND b.starts_at > now() "                          \
    "AND b.starts_at <= now() + make_interval(secs => $1) "                          \
    "AND b.created_at <= b.starts_at - make_interval(secs => $1) "                   \
    "AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.kind = 'reminder' "              \
    "AND e.booking_id = b.id AND e.booking_start = b.starts_at)"

const db::Statement kDue{"reminders_due",
                         "SELECT id, floor(extract(epoch FROM starts_at))::bigint, email, name, "
                         "code, NULL::bigint FROM (" DUE_BOOKINGS ") due ORDER BY starts_at, id"};

const db::Statement kQueue{
    "reminders_queue",
    "WITH due AS (" DUE_BOOKINGS
    "), queued AS ("
    "INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence) "
    "SELECT id, 'reminder', email, starts_at, sequence FROM due ORDER BY starts_at, id "
    "ON CONFLICT (booking_id, booking_start) WHERE kind = 'reminder' DO NOTHING "
    "RETURNING id, booking_id, booking_start) "
    "SELECT q.booking_id, floor(extract(epoch FROM q.booking_start))::bigint, due.email, "
    "due.name, due.code, q.id FROM queued q JOIN due ON due.id = q.booking_id"};

std::vector<DueReminder> rows(const pqxx::result& result) {
    std::vector<DueReminder> out;
    for (const auto& r : result) {
        DueReminder d;
        d.booking_id = r[0].as<long long>();
        d.start = db::as_time(r[1]);
        d.recipient = r[2].as<std::string>();
        d.customer_name = r[3].as<std::string>();
        d.service = r[4].as<std::string>();
        if (!r[5].is_null()) d.email_id = r[5].as<long long>();
        out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(), [](const DueReminder& a, const DueReminder& b) {
        return a.start != b.start ? a.start < b.start : a.booking_id < b.booking_id;
    });
    return out;
}

}  // namespace

void to_json(nlohmann::json& out, const DueReminder& d) {
    out = nlohmann::json{{"booking_id", d.booking_id},
                         {"start", format_utc(d.start)},
                         {"recipient", d.recipient},
                         {"customer_name", d.customer_name},
                         {"service", d.service},
                         {"email_id", d.email_id ? nlohmann::json(*d.email_id) : nullptr}};
}

std::vector<DueReminder> due_reminders(pqxx::transaction_base& tx, Seconds lead_time) {
    return rows(db::exec(tx, kDue, static_cast<double>(lead_time.count())));
}

std::vector<DueReminder> queue_due_reminders(pqxx::transaction_base& tx, Seconds lead_time) {
    return rows(db::exec(tx, kQueue, static_cast<double>(lead_time.count())));
}

}  // namespace booking::reminders
