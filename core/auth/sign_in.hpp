#pragma once
// The ways into an account (SPEC §3), one place for their rules: a password
// login, a password reset, a sign-in link. The daemon runs the steps apart
// (the deliberately slow hash on its own small pool, no database connection
// held meanwhile); every rule is here.
//
// Login: begin_login (database) -> password_matches (CPU) -> finish_login
// (database, only when it matched). An unknown email, a disabled account and
// one without a password answer exactly like a wrong password, and are
// checked against a dummy hash so that they take as long.
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>

#include "core/auth/lockout.hpp"
#include "core/time/business_time.hpp"
#include "core/tokens/links.hpp"
#include "core/users/users.hpp"

namespace booking::auth {

struct LoginStart {
    std::optional<Seconds> locked_out;  // the wait; nothing else was looked at
    // An active account with a password, or nullopt (answered as a wrong password).
    std::optional<users::Credentials> credentials;
};

// Email as normalized (an empty one cannot exist: no account, no lockout row).
LoginStart begin_login(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                       std::string_view email, Time now);

// Constant work whatever the account: the stored hash or dummy_hash.
bool password_matches(const LoginStart& start, std::string_view password,
                      const std::string& dummy_hash);

// After a match: the count of failures starts afresh.
void finish_login(pqxx::transaction_base& tx, std::string_view email);

// When a token issued to the user now should say it was issued: never before
// the account's tokens_valid_after (a token made in the second of a reset
// must not be refused with the ones it replaced).
Time issue_time(const User& user, Time now);

// The answer to a link's confirm: Invalid("token", ...) for an unknown, used
// or expired link, or one of a disabled account.
[[noreturn]] void refuse_link();

// Password reset, in two steps around the hash of the new password: first the
// link of that selector is used up (of concurrent confirms exactly one gets
// it, and only that one costs a hash); returns its account's id. Throws
// Invalid("token", ...).
long long begin_reset(pqxx::transaction_base& tx, std::string_view selector, Time now);
// Then the password set, every token of the account issued before now refused
// (tokens_valid_after: the next second), its other links retired and its
// failed logins forgotten. Returns the account.
User finish_reset(pqxx::transaction_base& tx, long long user_id, std::string_view password_hash,
                  Time now);

// Sign-in link: the link used up; returns the account. Throws Invalid("token", ...).
User sign_in_with_link(pqxx::transaction_base& tx, std::string_view selector, Time now);

}  // namespace booking::auth
