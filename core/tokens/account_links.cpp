#include "core/tokens/account_links.hpp"

#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/mail/outbox.hpp"

namespace booking::tokens {
namespace {

const db::Statement kInsert{
    "auth_tokens_insert",
    "INSERT INTO auth_tokens (user_id, purpose, selector, created_at, expires_at) "
    "VALUES ($1, $2, $3, to_timestamp($4), to_timestamp($4) + make_interval(secs => $5)) "
    "RETURNING id"};
// Served by the unique index on auth_tokens.selector. A second concurrent
// UPDATE of the row waits for the first and then finds used_at set.
const db::Statement kUse{
    "auth_tokens_use",
    "UPDATE auth_tokens t SET used_at = to_timestamp($3) FROM users u "
    "WHERE t.selector = $1 AND t.purpose = $2 AND t.used_at IS NULL "
    "AND t.expires_at > to_timestamp($3) AND u.id = t.user_id AND u.disabled_at IS NULL "
    "RETURNING t.user_id"};
const db::Statement kRetire{"auth_tokens_retire",
                            "UPDATE auth_tokens SET used_at = now() WHERE user_id = $1 "
                            "AND used_at IS NULL AND expires_at > now()"};
const db::Statement kSelector{"auth_tokens_selector",
                              "SELECT selector, purpose FROM auth_tokens WHERE id = $1"};

// The account, locked so that concurrent requests for it count one at a time,
// and how many links of the purpose it had in the last hour
// (auth_tokens_user_idx).
const db::Statement kAccountByEmail{
    "auth_tokens_account_by_email",
    "SELECT u.id, u.disabled_at IS NULL, (SELECT count(*) FROM auth_tokens t "
    "WHERE t.user_id = u.id AND t.purpose = $2 AND t.created_at > to_timestamp($3) - "
    "interval '1 hour') FROM users u WHERE u.email = $1 FOR UPDATE OF u"};
const db::Statement kAccountById{
    "auth_tokens_account_by_id",
    "SELECT u.id, u.disabled_at IS NULL, 0::bigint FROM users u WHERE u.id = $1 FOR UPDATE OF u"};

void make_link(pqxx::transaction_base& tx, Purpose purpose, long long user_id, Seconds ttl,
               Time now) {
    const std::string name(purpose_name(purpose));
    const auto id = db::exec(tx, kInsert, user_id, name, new_selector(), db::epoch(now),
                             static_cast<double>(ttl.count()))[0][0]
                        .as<long long>();
    mail::queue_account_email(tx, id, name);
}

}  // namespace

std::string_view purpose_name(Purpose purpose) {
    return purpose == Purpose::SignIn ? "sign_in_link" : "password_reset";
}

void request_account_link(pqxx::transaction_base& tx, Purpose purpose, std::string_view email,
                          Seconds ttl, Time now) {
    const auto rows = db::exec(tx, kAccountByEmail, std::string(email),
                               std::string(purpose_name(purpose)), db::epoch(now));
    if (rows.empty() || !rows[0][1].as<bool>()) return;
    if (rows[0][2].as<long long>() >= kLinksPerHour) return;
    make_link(tx, purpose, rows[0][0].as<long long>(), ttl, now);
}

void send_account_link(pqxx::transaction_base& tx, Purpose purpose, long long user_id, Seconds ttl,
                       Time now) {
    const auto rows = db::exec(tx, kAccountById, user_id);
    if (rows.empty()) throw NotFound("no user with id " + std::to_string(user_id), "user");
    if (!rows[0][1].as<bool>())
        throw Conflict("user " + std::to_string(user_id) +
                       " is disabled; enable it first (bookingctl users enable)");
    make_link(tx, purpose, user_id, ttl, now);
}

std::optional<long long> use_account_link(pqxx::transaction_base& tx, Purpose purpose,
                                          std::string_view selector, Time now) {
    const auto rows = db::exec(tx, kUse, std::string(selector), std::string(purpose_name(purpose)),
                               db::epoch(now));
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<long long>();
}

void retire_account_links(pqxx::transaction_base& tx, long long user_id) {
    db::exec(tx, kRetire, user_id);
}

std::optional<std::string> account_link_token(pqxx::transaction_base& tx, const LinkKey& key,
                                              long long auth_token_id) {
    const auto rows = db::exec(tx, kSelector, auth_token_id);
    if (rows.empty()) return std::nullopt;
    const Purpose purpose =
        rows[0][1].as<std::string>() == "sign_in_link" ? Purpose::SignIn : Purpose::PasswordReset;
    return key.token(purpose, rows[0][0].as<std::string>());
}

}  // namespace booking::tokens
