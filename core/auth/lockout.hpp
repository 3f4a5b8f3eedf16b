#pragma once
// Login lockout (SPEC §3): after auth.login_max_failures failed logins for an
// email within auth.login_lockout, every attempt for it is refused until
// login_lockout has passed since the last failure. The failures are rows of
// login_failures, so the rule holds across daemons, and it holds however many
// attempts arrive at once: an attempt takes the email's advisory lock, and is
// counted as a failure before its password is checked (a success then clears
// the count), so at most login_max_failures are ever checked within the window.
#include <optional>
#include <pqxx/transaction_base>
#include <string_view>

#include "core/config/duration.hpp"
#include "core/time/business_time.hpp"

namespace booking::auth {

struct LockoutPolicy {
    int max_failures = 5;
    Seconds window{900};
};

// In the caller's transaction, holding the email's lock until it ends: how
// long the email must still wait (at least 1 s) when it is locked out, the
// refused attempt counted as a failure; otherwise nullopt, with this attempt
// recorded as a failure until clear_login_failures says it succeeded. At
// most max_failures rows per email are kept.
std::optional<Seconds> reserve_login_attempt(pqxx::transaction_base& tx,
                                             const LockoutPolicy& policy, std::string_view email,
                                             Time now);

// A successful login starts the count afresh.
void clear_login_failures(pqxx::transaction_base& tx, std::string_view email);

}  // namespace booking::auth
