#include "core/auth/lockout.hpp"

#include <string>

#include <pqxx/pqxx>

#include "core/db/statements.hpp"

namespace booking::auth {
namespace {

// Attempts for one email take turns; other emails are not held up (class 8
// of the two-key advisory locks; 7 is the slot generator's).
const db::Statement kLock{"auth_lock_email", "SELECT pg_advisory_xact_lock(8, hashtext($1))"};
// The latest max_failures failures of the email (newest first).
const db::Statement kRecentFailures{
    "auth_recent_failures",
    "SELECT floor(extract(epoch FROM failed_at))::bigint FROM login_failures "
    "WHERE email = $1 AND failed_at > to_timestamp($2) ORDER BY failed_at DESC LIMIT $3"};
const db::Statement kRecordFailure{
    "auth_record_failure",
    "INSERT INTO login_failures (email, failed_at) VALUES ($1, to_timestamp($2))"};
// Keeps the newest max_failures rows of the email within two windows: that
// is all the rule reads, and a flood on one email cannot grow the table.
const db::Statement kForgetOldFailures{
    "auth_forget_old_failures",
    "DELETE FROM login_failures WHERE email = $1 AND (failed_at <= to_timestamp($2) OR ctid NOT "
    "IN (SELECT ctid FROM login_failures WHERE email = $1 ORDER BY failed_at DESC LIMIT $3))"};
const db::Statement kClearFailures{"auth_clear_failures",
                                   "DELETE FROM login_failures WHERE email = $1"};

// Locked when max_failures failures fell within one window and the last of
// them is less than a window ago.
std::optional<Seconds> remaining(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                                 const std::string& email, Time now) {
    const auto rows = db::exec(tx, kRecentFailures, email, db::epoch(now - 2 * policy.window),
                               policy.max_failures);
    if (rows.size() < static_cast<std::size_t>(policy.max_failures)) return std::nullopt;
    const Time last = db::as_time(rows.front()[0]);
    const Time first = db::as_time(rows.back()[0]);
    if (last - first >= policy.window) return std::nullopt;
    const Seconds left = last + policy.window - now;
    if (left.count() <= 0) return std::nullopt;
    return left;
}

}  // namespace

std::optional<Seconds> reserve_login_attempt(pqxx::transaction_base& tx,
                                             const LockoutPolicy& policy, std::string_view email,
                                             Time now) {
    const std::string key(email);
    db::exec(tx, kLock, key);
    const auto locked = remaining(tx, policy, key, now);
    // Counted either way: a refused attempt during a lockout extends it.
    db::exec(tx, kRecordFailure, key, db::epoch(now));
    db::exec(tx, kForgetOldFailures, key, db::epoch(now - 2 * policy.window), policy.max_failures);
    if (!locked) return std::nullopt;
    return policy.window;  // since this attempt, now the last failure
}

void clear_login_failures(pqxx::transaction_base& tx, std::string_view email) {
    db::exec(tx, kClearFailures, std::string(email));
}

}  // namespace booking::auth
