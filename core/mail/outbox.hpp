#pragma once
// The outbox: queueing an email is inserting a row in the caller's transaction.
// Rows are never deleted; they go pending -> sent, pending -> failed (after
// mail.max_attempts, or at once when the server refuses the message for good)
// or pending -> skipped (a reminder whose booking changed before it was sent).
// `bookingctl mail retry` puts failed ones back to pending.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/duration.hpp"
#include "core/outbox/outbox.hpp"
#include "core/time/business_time.hpp"

namespace booking::mail {

inline constexpr std::string_view kConfirmation = "confirmation";
inline constexpr std::string_view kReminder = "reminder";
inline constexpr std::string_view kCancellation = "cancellation";
inline constexpr std::string_view kRescheduled = "rescheduled";
// About an account, not a booking (SPEC §8): text/plain, carrying their link.
inline constexpr std::string_view kPasswordReset = "password_reset";
inline constexpr std::string_view kSignInLink = "sign_in_link";
inline bool is_account_kind(std::string_view kind) {
    return kind == kPasswordReset || kind == kSignInLink;
}

// Queues an email of that kind about the booking's current state, to its customer.
void queue_booking_email(pqxx::transaction_base& tx, long long booking_id, std::string_view kind);
// Queues the email of a password-reset or sign-in link (a row of auth_tokens)
// to the link's account.
void queue_account_email(pqxx::transaction_base& tx, long long auth_token_id,
                         std::string_view kind);

// One row of the outbox.
struct Email {
    long long id = 0;
    long long booking_id = 0;  // 0 for the account kinds
    std::string kind;
    std::string recipient;
    Time booking_start{};  // the start time the email speaks of
    int sequence = 0;      // the booking's iCalendar SEQUENCE when queued
    std::string status;    // pending | sent | failed | skipped
    int attempts = 0;
    Time next_attempt_at{};
    std::optional<std::string> last_error;
    std::optional<Time> sent_at;
    Time created_at{};
};
void to_json(nlohmann::json& out, const Email& email);

// "pending", "sent", "failed" or "skipped"; throws Invalid("--status", ...).
std::string parse_email_status(std::string_view text);

struct EmailFilter {
    std::optional<std::string> status;
    std::optional<long long> booking_id;
    int limit = 0;  // 0 = all
};
// Oldest first (by id).
std::vector<Email> list_emails(pqxx::transaction_base& tx, const EmailFilter& filter);

// Throws NotFound.
Email get_email(pqxx::transaction_base& tx, long long id);

// Puts a failed email back in the queue with a fresh count of attempts, due
// now (requeued). A pending one is returned unchanged (not requeued); a sent
// or skipped one is Conflict; an unknown id NotFound.
struct Retried {
    Email email;
    bool requeued = false;
};
Retried retry_email(pqxx::transaction_base& tx, long long id);
// Every failed email back to pending; returns them.
std::vector<Email> retry_failed_emails(pqxx::transaction_base& tx);

// The delay before attempt `attempts + 1` after `attempts` failed ones:
// retry_base, doubling with each failure, never more than an hour.
Seconds retry_delay(int attempts, Seconds retry_base);
// That schedule for mail.max_attempts attempts in all (the sender's).
outbox::Backoff backoff(Seconds retry_base, int max_attempts);

}  // namespace booking::mail
