#pragma once
// Tables that anonymous traffic grows (SPEC §3 "Limits that protect the
// daemon"): failed logins for any email, made-up ones included, and
// Idempotency-Keys. bookingd's scheduler prunes both for every email and user,
// in batches, so neither grows without bound and no delete holds locks long.
#include <pqxx/transaction_base>

#include "core/auth/lockout.hpp"
#include "core/time/business_time.hpp"

namespace booking::housekeeping {

inline constexpr long long kPruneBatch = 10000;

// Deletes up to kPruneBatch failed logins that no lockout can count any
// more, for all emails. Returns how many rows went.
long long prune_login_failures(pqxx::transaction_base& tx, const auth::LockoutPolicy& policy,
                               Time now);

// Deletes up to kPruneBatch Idempotency-Keys older than their lifetime
// (idempotency::kKeyLifetimeSeconds). Returns how many rows went.
long long prune_idempotency_keys(pqxx::transaction_base& tx, Time now);

}  // namespace booking::housekeeping
