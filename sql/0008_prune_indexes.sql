-- bookingd's scheduler forgets what anonymous traffic leaves behind, for all
-- emails and users at once (core/housekeeping/prune.cpp), in batches:
--   DELETE FROM login_failures WHERE ctid IN (SELECT ctid FROM login_failures
--     WHERE failed_at < $1 LIMIT $2)
--   DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys
--     WHERE created_at < $1 LIMIT $2)
-- The (email, failed_at) index serves the per-email lockout check only; these
-- two serve the age ranges of the prune, so it reads only what it deletes.

-- Serves prune_login_failures: failed_at < $1 over every email.
CREATE INDEX login_failures_failed_at_idx ON login_failures (failed_at);

-- Serves prune_idempotency_keys: created_at < $1 over every user.
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
