#pragma once
// Login lockout (SPEC §3): after auth.login_max_failures failed logins for an
// email within auth.login_lockout, every attempt for it is refused until
// login_lockout has passed since the last failure. The failures are rows of
// login_failures, so the rule holds across daemons.
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

// How long the email must still wait (at least 1 s), or nullopt when it may try.
std::optional<Seconds> lockout_remaining(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                                         std::string_view email, Time now);

// Records a failed attempt and forgets the email's failures older than the window.
void record_login_failure(pqxx::transaction_base& tx, const LockoutPolicy& policy,
                          std::string_view email, Time now);

// A successful login starts the count afresh.
void clear_login_failures(pqxx::transaction_base& tx, std::string_view email);

}  // namespace booking::auth
