#include "core/auth/sign_in.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "core/errors.hpp"
#include "core/tokens/account_links.hpp"
#include "core/users/password.hpp"

namespace booking::auth {

LoginStart begin_login(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                       std::string_view email, Time now) {
    LoginStart out;
    if (email.empty()) return out;
    out.locked_out = reserve_login_attempt(tx, policy, email, now);
    if (out.locked_out) return out;
    out.credentials = users::credentials(tx, email);
    if (out.credentials && (out.credentials->user.disabled || !out.credentials->password_hash))
        out.credentials.reset();
    return out;
}

bool password_matches(const LoginStart& start, std::string_view password,
                      const std::string& dummy_hash) {
    const bool real = start.credentials && start.credentials->password_hash;
    const bool ok =
        verify_password(real ? *start.credentials->password_hash : dummy_hash, password);
    return ok && real;
}

void finish_login(pqxx::transaction_base& tx, std::string_view email) {
    clear_login_failures(tx, email);
}

Time issue_time(const User& user, Time now) { return std::max(now, user.tokens_valid_after); }

void refuse_link() {
    throw Invalid("token", "the link is unknown, already used or expired; ask for a new one");
}

long long begin_reset(pqxx::transaction_base& tx, std::string_view selector, Time now) {
    const auto user_id =
        tokens::use_account_link(tx, tokens::Purpose::PasswordReset, selector, now);
    if (!user_id) refuse_link();
    return *user_id;
}

User finish_reset(pqxx::transaction_base& tx, long long user_id, std::string_view password_hash,
                  Time now) {
    // JWTs carry whole seconds: those of this very second are old ones too.
    User user = users::reset_password(tx, user_id, password_hash, now + Seconds(1));
    tokens::retire_account_links(tx, user_id);
    clear_login_failures(tx, user.email);  // the owner is back in
    return user;
}

User sign_in_with_link(pqxx::transaction_base& tx, std::string_view selector, Time now) {
    const auto user_id = tokens::use_account_link(tx, tokens::Purpose::SignIn, selector, now);
    if (!user_id) refuse_link();
    auto user = users::find_by_id(tx, *user_id);
    if (!user || user->disabled) refuse_link();
    return *user;
}

}  // namespace booking::auth
