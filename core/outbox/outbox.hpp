#pragma once
// The one outbox mechanism behind email and webhook deliveries: rows written
// in the transaction of the change that causes them, claimed by a sender with
// FOR UPDATE SKIP LOCKED in one transaction, each outcome recorded before the
// commit, retried on a schedule, never deleted. Several senders (daemons)
// therefore never claim the same row; if one dies mid-batch its transaction
// rolls back, the locks go with its connection, and the rows are claimed
// again: at least once, never lost. A batch is bounded in size and time, so a
// slow peer holds few rows and no transaction for long.
//
// A table served by it has the columns id, status ('pending' | 'sent' |
// 'failed' | ...), attempts, next_attempt_at, last_error and sent_at.
#include <chrono>
#include <functional>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "core/config/duration.hpp"
#include "core/db/statements.hpp"

namespace booking::outbox {

// When to try again after a failed attempt.
class Backoff {
  public:
    // delays[i] is the wait after failed attempt i + 1; after the last one the
    // row is failed for good (so there are delays.size() + 1 attempts).
    explicit Backoff(std::vector<Seconds> delays);
    // `first`, doubling with each failure, never more than `cap`, for
    // `max_attempts` attempts in all.
    static Backoff doubling(Seconds first, Seconds cap, int max_attempts);

    // The wait before the next attempt after `attempts` failed ones; nullopt
    // when that was the last.
    std::optional<Seconds> after(int attempts) const;
    int max_attempts() const { return static_cast<int>(delays_.size()) + 1; }

  private:
    std::vector<Seconds> delays_;
};

// Where a failed attempt leaves its row.
struct Failure {
    int attempts = 0;              // counting this one
    std::optional<Seconds> retry;  // nullopt: failed for good
};

struct BatchOptions {
    int batch_size = 100;
    std::chrono::milliseconds batch_time{10000};  // no new row after this
};

struct Batch {
    int claimed = 0;
    bool more = false;  // due rows may remain
};

// The two statements that record an attempt on a row of outbox table `table`
// (a string literal), for db::Statement definitions at namespace scope, where
// they register for the plan test. "sent": $1 the row. "failed": $1 the row,
// $2 the error, $3 the new status (pending or failed), $4 seconds until the
// next attempt.
#define OUTBOX_SENT_SQL(table)                                                     \
    "UPDATE " table                                                                \
    " SET status = 'sent', sent_at = clock_timestamp(), attempts = attempts + 1, " \
    "last_error = NULL WHERE id = $1"
#define OUTBOX_FAILED_SQL(table)                                   \
    "UPDATE " table                                                \
    " SET status = $3, attempts = attempts + 1, last_error = $2, " \
    "next_attempt_at = clock_timestamp() + make_interval(secs => $4) WHERE id = $1"

class Outbox {
  public:
    // Rows are recorded with `sent` and `failed` (OUTBOX_SENT_SQL and
    // OUTBOX_FAILED_SQL of the table), which must outlive the outbox.
    Outbox(const db::Statement& sent, const db::Statement& failed, Backoff backoff);

    // One transaction: claims due rows with `claim` (its one parameter is the
    // LIMIT; it must end FOR UPDATE ... SKIP LOCKED), hands each to `each`
    // (which records its outcome with sent/failed/... in the same transaction)
    // until stop() or the batch time says enough, then commits. Database
    // errors propagate: nothing of the batch is recorded then.
    Batch run_batch(pqxx::connection& conn, const db::Statement& claim, const BatchOptions& options,
                    const std::function<bool()>& stop,
                    const std::function<void(pqxx::work&, const pqxx::row&)>& each) const;

    void sent(pqxx::transaction_base& tx, long long id) const;
    // Records failed attempt number `attempts_before + 1`: back to pending
    // after the backoff's delay (or after `instead`, e.g. the peer's
    // Retry-After), or failed for good when the backoff is exhausted or the
    // failure `permanent`.
    Failure failed(pqxx::transaction_base& tx, long long id, int attempts_before,
                   const std::string& error, bool permanent = false,
                   std::optional<Seconds> instead = std::nullopt) const;
    const Backoff& backoff() const { return backoff_; }

  private:
    const db::Statement& sent_;
    const db::Statement& failed_;
    Backoff backoff_;
};

}  // namespace booking::outbox
