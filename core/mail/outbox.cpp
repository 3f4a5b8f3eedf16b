#include "core/mail/outbox.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/outbox/outbox.hpp"
#include "core/text.hpp"

namespace booking::mail {
namespace {

constexpr Seconds kMaxRetryDelay{3600};

const db::Statement kQueue{
    "emails_queue_booking",
    "INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence) "
    "SELECT b.id, $2, u.email, b.starts_at, b.sequence FROM bookings b JOIN users u ON u.id = "
    "b.user_id "
    "WHERE b.id = $1"};

const db::Statement kQueueAccount{
    "emails_queue_account",
    "INSERT INTO emails (kind, recipient, auth_token_id) "
    "SELECT $2, u.email, t.id FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"};

// Every email query returns these columns, in this order (see from_row).
#define EMAIL_COLUMNS                                                    \
    "id, coalesce(booking_id, 0), kind, recipient, "                     \
    "coalesce(floor(extract(epoch FROM booking_start))::bigint, 0), "    \
    "coalesce(sequence, 0), status, attempts, floor(extract(epoch FROM " \
    "next_attempt_at))::bigint, "                                        \
    "last_error, floor(extract(epoch FROM sent_at))::bigint, "           \
    "floor(extract(epoch FROM created_at))::bigint"

const db::Statement kList{"emails_list",
                          "SELECT " EMAIL_COLUMNS
                          " FROM emails WHERE ($1::text IS NULL OR status = $1) "
                          "AND ($2::bigint IS NULL OR booking_id = $2) ORDER BY id LIMIT $3"};
const db::Statement kGet{"emails_get", "SELECT " EMAIL_COLUMNS " FROM emails WHERE id = $1"};
const db::Statement kRetry{"emails_retry",
                           "UPDATE emails SET status = 'pending', attempts = 0, "
                           "next_attempt_at = now() WHERE id = $1 AND status = 'failed' "
                           "RETURNING " EMAIL_COLUMNS};
const db::Statement kRetryAll{"emails_retry_all",
                              "UPDATE emails SET status = 'pending', attempts = 0, "
                              "next_attempt_at = now() WHERE status = 'failed' "
                              "RETURNING " EMAIL_COLUMNS};

Email from_row(const pqxx::row& r) {
    Email e;
    e.id = r[0].as<long long>();
    e.booking_id = r[1].as<long long>();
    e.kind = r[2].as<std::string>();
    e.recipient = r[3].as<std::string>();
    e.booking_start = db::as_time(r[4]);
    e.sequence = r[5].as<int>();
    e.status = r[6].as<std::string>();
    e.attempts = r[7].as<int>();
    e.next_attempt_at = db::as_time(r[8]);
    if (!r[9].is_null()) e.last_error = r[9].as<std::string>();
    if (!r[10].is_null()) e.sent_at = db::as_time(r[10]);
    e.created_at = db::as_time(r[11]);
    return e;
}

std::vector<Email> rows(const pqxx::result& result) {
    std::vector<Email> out;
    out.reserve(result.size());
    for (const auto& row : result) out.push_back(from_row(row));
    std::sort(out.begin(), out.end(), [](const Email& a, const Email& b) { return a.id < b.id; });
    return out;
}

}  // namespace

void queue_booking_email(pqxx::transaction_base& tx, long long booking_id, std::string_view kind) {
    db::exec(tx, kQueue, booking_id, std::string(kind));
}

void queue_account_email(pqxx::transaction_base& tx, long long auth_token_id,
                         std::string_view kind) {
    db::exec(tx, kQueueAccount, auth_token_id, std::string(kind));
}

void to_json(nlohmann::json& out, const Email& e) {
    auto optional_time = [](const std::optional<Time>& t) {
        return t ? nlohmann::json(format_utc(*t)) : nlohmann::json(nullptr);
    };
    out = nlohmann::json{
        {"id", e.id},
        {"booking_id", e.booking_id ? nlohmann::json(e.booking_id) : nlohmann::json(nullptr)},
        {"kind", e.kind},
        {"recipient", e.recipient},
        {"booking_start",
         e.booking_id ? nlohmann::json(format_utc(e.booking_start)) : nlohmann::json(nullptr)},
        {"sequence", e.sequence},
        {"status", e.status},
        {"attempts", e.attempts},
        {"next_attempt_at", e.status == "pending" ? nlohmann::json(format_utc(e.next_attempt_at))
                                                  : nlohmann::json(nullptr)},
        {"last_error", e.last_error ? nlohmann::json(*e.last_error) : nlohmann::json(nullptr)},
        {"sent_at", optional_time(e.sent_at)},
        {"created_at", format_utc(e.created_at)}};
}

std::string parse_email_status(std::string_view text) {
    for (const char* status : {"pending", "sent", "failed", "skipped"})
        if (text == status) return status;
    throw Invalid("--status", "\"" + printable(text) +
                                  "\" is not an email status (pending, sent, failed or skipped)");
}

std::vector<Email> list_emails(pqxx::transaction_base& tx, const EmailFilter& filter) {
    std::optional<long long> limit;
    if (filter.limit > 0) limit = filter.limit;
    return rows(db::exec(tx, kList, filter.status, filter.booking_id, limit));
}

Email get_email(pqxx::transaction_base& tx, long long id) {
    auto result = db::exec(tx, kGet, id);
    if (result.empty()) throw NotFound("no email with id " + std::to_string(id));
    return from_row(result[0]);
}

Retried retry_email(pqxx::transaction_base& tx, long long id) {
    auto result = db::exec(tx, kRetry, id);
    if (!result.empty()) return {from_row(result[0]), true};
    Email email = get_email(tx, id);
    if (email.status == "pending") return {email, false};
    throw Conflict("email " + std::to_string(id) + " is " + email.status +
                   "; only failed emails are retried");
}

std::vector<Email> retry_failed_emails(pqxx::transaction_base& tx) {
    return rows(db::exec(tx, kRetryAll));
}

outbox::Backoff backoff(Seconds retry_base, int max_attempts) {
    return outbox::Backoff::doubling(retry_base, kMaxRetryDelay, max_attempts);
}

Seconds retry_delay(int attempts, Seconds retry_base) {
    return backoff(retry_base, attempts + 1).after(attempts).value_or(Seconds{0});
}

}  // namespace booking::mail
