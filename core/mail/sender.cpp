#include "core/mail/sender.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/mail/outbox.hpp"

namespace booking::mail {
namespace {

// Due emails, oldest due first, each with its booking as it is now (or, for
// the account kinds, its link's row) and the selector of its link. Rows
// another sender holds are skipped, not waited for.
const db::Statement kSent{"emails_sent", OUTBOX_SENT_SQL("emails")};
const db::Statement kFailedAttempt{"emails_failed_attempt", OUTBOX_FAILED_SQL("emails")};
const db::Statement kClaim{
    "emails_claim_due",
    "SELECT e.id, e.kind, e.recipient, "
    "coalesce(floor(extract(epoch FROM e.booking_start))::bigint, 0), "
    "coalesce(e.sequence, 0), e.attempts, "
    "b.id, b.user_id, s.code, r.code, floor(extract(epoch FROM b.starts_at))::bigint, "
    "floor(extract(epoch FROM b.ends_at))::bigint, b.status, b.notes, b.sequence, "
    "u.name, u.email, s.name, r.name, b.starts_at > clock_timestamp(), "
    "coalesce(m.selector, t.selector), "
    "floor(extract(epoch FROM t.expires_at - t.created_at))::bigint "
    "FROM emails e LEFT JOIN bookings b ON b.id = e.booking_id "
    "LEFT JOIN auth_tokens t ON t.id = e.auth_token_id "
    "JOIN users u ON u.id = coalesce(b.user_id, t.user_id) "
    "LEFT JOIN services s ON s.id = b.service_id LEFT JOIN resources r ON r.id = b.resource_id "
    "LEFT JOIN manage_links m ON m.booking_id = b.id "
    "WHERE e.status = 'pending' AND e.next_attempt_at <= now() "
    "ORDER BY e.next_attempt_at, e.id LIMIT $1 FOR UPDATE OF e SKIP LOCKED"};

const db::Statement kSkipped{"emails_skipped",
                             "UPDATE emails SET status = 'skipped', last_error = $2 WHERE id = $1"};

struct Claimed {
    OutgoingEmail email;
    bool booking_ahead = false;  // the booking's start is still in the future
};

Claimed from_row(const pqxx::row& r) {
    Claimed c;
    OutgoingEmail& e = c.email;
    e.id = r[0].as<long long>();
    e.kind = r[1].as<std::string>();
    e.recipient = r[2].as<std::string>();
    e.booking_start = db::as_time(r[3]);
    e.sequence = r[4].as<int>();
    e.attempts = r[5].as<int>();
    Booking& b = e.booking;
    b.customer_name = r[15].as<std::string>();
    b.customer_email = r[16].as<std::string>();
    if (r[6].is_null()) {  // an account email
        if (!r[21].is_null()) e.link_valid_for = Seconds(r[21].as<long long>());
        return c;
    }
    b.id = r[6].as<long long>();
    b.user_id = r[7].as<long long>();
    b.service = r[8].as<std::string>();
    b.resource = r[9].as<std::string>();
    b.start = db::as_time(r[10]);
    b.end = db::as_time(r[11]);
    b.duration_minutes = static_cast<int>((b.end - b.start).count() / 60);
    b.status = r[12].as<std::string>();
    b.notes = r[13].as<std::string>();
    b.sequence = r[14].as<int>();
    b.service_name = r[17].as<std::string>();
    b.resource_name = r[18].as<std::string>();
    c.booking_ahead = r[19].as<bool>();
    return c;
}

// The link of the email (SPEC §8), when the business has a public URL: the
// manage link of a booking email (not of a cancellation), the link of an
// account email. The secret exists only here and in the message.
std::string link_of(const OutgoingEmail& e, const pqxx::row& r, const MessageSettings& settings) {
    if (settings.public_url.empty() || !settings.links || r[20].is_null()) return {};
    const auto selector = r[20].as<std::string>();
    if (e.kind == kPasswordReset)
        return settings.public_url + "/reset#" +
               settings.links->token(tokens::Purpose::PasswordReset, selector);
    if (e.kind == kSignInLink)
        return settings.public_url + "/sign-in#" +
               settings.links->token(tokens::Purpose::SignIn, selector);
    if (e.kind == kCancellation) return {};
    return settings.public_url + "/manage/" + std::to_string(e.booking.id) + "#" +
           settings.links->token(tokens::Purpose::Manage, selector);
}

// Why a reminder must not go out any more, if it must not: the customer would
// be reminded of a booking that no longer exists, has moved, or has begun.
std::optional<std::string> stale_reminder(const Claimed& c) {
    const OutgoingEmail& e = c.email;
    if (e.kind != kReminder) return std::nullopt;
    if (e.booking.status != "confirmed") return "the booking was cancelled before the reminder";
    if (e.booking.start != e.booking_start)
        return "the booking moved to " + format_utc(e.booking.start) + " before the reminder";
    if (!c.booking_ahead) return "the booking began before the reminder could be sent";
    return std::nullopt;
}

Time now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

}  // namespace

DeliveryReport& DeliveryReport::operator+=(const DeliveryReport& o) {
    claimed += o.claimed;
    sent += o.sent;
    retried += o.retried;
    failed += o.failed;
    skipped += o.skipped;
    more = o.more;
    return *this;
}

MailSender::MailSender(MailSettings settings, TemplateSet templates,
                       std::unique_ptr<Transport> transport, SenderOptions options)
    : settings_(std::move(settings)),
      templates_(std::move(templates)),
      transport_(std::move(transport)),
      options_(options),
      outbox_(kSent, kFailedAttempt, backoff(settings_.retry_base, settings_.max_attempts)) {}

DeliveryReport MailSender::deliver_batch(pqxx::connection& conn,
                                         const std::function<bool()>& stop) {
    DeliveryReport report;
    // Once the transport cannot be reached, the rest of the batch counts the
    // same failed attempt without trying again.
    std::optional<std::string> unreachable;

    auto record_failure = [&](pqxx::work& tx, const OutgoingEmail& e, SendStatus status,
                              const std::string& error) {
        const auto failure =
            outbox_.failed(tx, e.id, e.attempts, error, status == SendStatus::Reject);
        if (!failure.retry) {
            ++report.failed;
            spdlog::error(
                "email {} ({}, booking {}) to {} failed after {} attempt{}: {}; kept for "
                "`bookingctl mail retry`",
                e.id, e.kind, e.booking.id, e.recipient, failure.attempts,
                failure.attempts == 1 ? "" : "s", error);
        } else {
            ++report.retried;
            spdlog::warn("email {} ({}, booking {}) to {}: attempt {} of {} failed: {}; next in {}",
                         e.id, e.kind, e.booking.id, e.recipient, failure.attempts,
                         settings_.max_attempts, error, format_duration(*failure.retry));
        }
    };

    const auto batch = outbox_.run_batch(
        conn, kClaim, {options_.batch_size, options_.batch_time}, stop,
        [&](pqxx::work& tx, const pqxx::row& row) {
            Claimed claimed = from_row(row);
            claimed.email.link = link_of(claimed.email, row, settings_.message);
            const OutgoingEmail& e = claimed.email;
            if (unreachable) {
                record_failure(tx, e, SendStatus::Retry, *unreachable);
                return;
            }
            if (auto why = stale_reminder(claimed)) {
                db::exec(tx, kSkipped, e.id, *why);
                ++report.skipped;
                spdlog::info("email {} (reminder, booking {}) skipped: {}", e.id, e.booking.id,
                             *why);
                return;
            }
            SendResult result;
            try {
                const ComposedMessage message =
                    compose_message(e, templates_, settings_.message, now());
                try {
                    result = transport_->send(message);
                } catch (const std::exception& ex) {
                    result = {SendStatus::Retry, std::string("sending failed: ") + ex.what()};
                }
            } catch (const UnsendableEmail& ex) {
                result = {SendStatus::Reject, ex.what()};
            } catch (const std::exception& ex) {
                result = {SendStatus::Retry,
                          std::string("cannot compose the message: ") + ex.what()};
            }
            if (result.status == SendStatus::Sent) {
                outbox_.sent(tx, e.id);
                ++report.sent;
                spdlog::info("email {} ({}, booking {}) sent to {} via {}", e.id, e.kind,
                             e.booking.id, e.recipient, transport_->name());
                return;
            }
            record_failure(tx, e, result.status, result.error);
            if (result.status == SendStatus::Retry && transport_->unreachable())
                unreachable = result.error;
        });
    report.claimed = batch.claimed;
    report.more = batch.more;
    if (unreachable) report.more = false;  // nothing is due until the retries are
    return report;
}

DeliveryReport MailSender::deliver_due(pqxx::connection& conn, const std::function<bool()>& stop) {
    DeliveryReport total;
    try {
        do {
            total += deliver_batch(conn, stop);
        } while (total.more && !stop());
    } catch (...) {
        transport_->idle();
        throw;
    }
    transport_->idle();
    return total;
}

}  // namespace booking::mail
