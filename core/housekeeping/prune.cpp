#include "core/housekeeping/prune.hpp"

#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/idempotency/idempotency.hpp"

namespace booking::housekeeping {
namespace {

// Each served by its index of sql/0008_prune_indexes.sql.
const db::Statement kPruneLoginFailures{
    "prune_login_failures",
    "DELETE FROM login_failures WHERE ctid IN (SELECT ctid FROM login_failures "
    "WHERE failed_at < to_timestamp($1) LIMIT $2)"};
const db::Statement kPruneIdempotencyKeys{
    "prune_idempotency_keys",
    "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys "
    "WHERE created_at < to_timestamp($1) LIMIT $2)"};

}  // namespace

long long prune_login_failures(pqxx::transaction_base& tx, const auth::LockoutPolicy& policy,
                               Time now) {
    // A lock lasts a window after the last of max_failures failures that fell
    // within one window, so a failure up to two windows old can still count
    // (core/auth/lockout.cpp looks back as far); older ones never can.
    const Time horizon = now - 2 * policy.window;
    return db::exec(tx, kPruneLoginFailures, db::epoch(horizon), kPruneBatch).affected_rows();
}

long long prune_idempotency_keys(pqxx::transaction_base& tx, Time now) {
    return db::exec(tx, kPruneIdempotencyKeys,
                    db::epoch(now - Seconds(idempotency::kKeyLifetimeSeconds)), kPruneBatch)
        .affected_rows();
}

}  // namespace booking::housekeeping
