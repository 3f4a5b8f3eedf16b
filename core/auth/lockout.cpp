#include "core/auth/lockout.hpp"

#include <string>

#include <pqxx/pqxx>

#include "core/db/statements.hpp"

namespace booking::auth {
namespace {

// The latest max_failures failures of the email (newest first).
const db::Statement kRecentFailures{
    "auth_recent_failures",
    "SELECT floor(extract(epoch FROM failed_at))::bigint FROM login_failures "
    "WHERE email = $1 AND failed_at > to_timestamp($2) ORDER BY failed_at DESC LIMIT $3"};
const db::Statement kRecordFailure{
    "auth_record_failure",
    "INSERT INTO login_failures (email, failed_at) VALUES ($1, to_timestamp($2))"};
const db::Statement kForgetOldFailures{
    "auth_forget_old_failures",
    "DELETE FROM login_failures WHERE email = $1 AND failed_at <= to_timestamp($2)"};
const db::Statement kClearFailures{"auth_clear_failures",
                                   "DELETE FROM login_failures WHERE email = $1"};

}  // namespace

std::optional<Seconds> lockout_remaining(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                                         std::string_view email, Time now) {
    // Locked when max_failures failures fell within one window and the last
    // of them is less than a window ago. Failures while locked are not
    // recorded, so the lock ends a window after the last real failure.
    const auto rows = db::exec(tx, kRecentFailures, std::string(email),
                               db::epoch(now - 2 * policy.window), policy.max_failures);
    if (rows.size() < static_cast<std::size_t>(policy.max_failures)) return std::nullopt;
    const Time last = db::as_time(rows.front()[0]);
    const Time first = db::as_time(rows.back()[0]);
    if (last - first >= policy.window) return std::nullopt;
    const Seconds remaining = last + policy.window - now;
    if (remaining.count() <= 0) return std::nullopt;
    return remaining;
}

void record_login_failure(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                          std::string_view email, Time now) {
    db::exec(tx, kForgetOldFailures, std::string(email), db::epoch(now - 2 * policy.window));
    db::exec(tx, kRecordFailure, std::string(email), db::epoch(now));
}

void clear_login_failures(pqxx::transaction_base& tx, std::string_view email) {
    db::exec(tx, kClearFailures, std::string(email));
}

}  // namespace booking::auth
