#include "core/outbox/outbox.hpp"

#include <algorithm>
#include <pqxx/pqxx>

namespace booking::outbox {

Backoff::Backoff(std::vector<Seconds> delays) : delays_(std::move(delays)) {}

Backoff Backoff::doubling(Seconds first, Seconds cap, int max_attempts) {
    std::vector<Seconds> delays;
    Seconds delay = std::min(first, cap);
    for (int i = 1; i < max_attempts; ++i) {
        delays.push_back(delay);
        delay = std::min(delay * 2, cap);
    }
    return Backoff(std::move(delays));
}

std::optional<Seconds> Backoff::after(int attempts) const {
    if (attempts < 1) return Seconds{0};
    if (attempts > static_cast<int>(delays_.size())) return std::nullopt;
    return delays_[static_cast<std::size_t>(attempts - 1)];
}

Outbox::Outbox(const db::Statement& sent, const db::Statement& failed, Backoff backoff)
    : sent_(sent), failed_(failed), backoff_(std::move(backoff)) {}

Batch Outbox::run_batch(pqxx::connection& conn, const db::Statement& claim,
                        const BatchOptions& options, const std::function<bool()>& stop,
                        const std::function<void(pqxx::work&, const pqxx::row&)>& each) const {
    using Clock = std::chrono::steady_clock;
    Batch batch;
    const auto deadline = Clock::now() + options.batch_time;
    pqxx::work tx(conn);
    const auto rows = db::exec(tx, claim, options.batch_size);
    batch.claimed = static_cast<int>(rows.size());
    batch.more = batch.claimed == options.batch_size;
    for (const auto& row : rows) {
        if (stop() || Clock::now() >= deadline) {
            batch.more = true;
            break;
        }
        each(tx, row);
    }
    tx.commit();
    return batch;
}

void Outbox::sent(pqxx::transaction_base& tx, long long id) const { db::exec(tx, sent_, id); }

Failure Outbox::failed(pqxx::transaction_base& tx, long long id, int attempts_before,
                       const std::string& error, bool permanent,
                       std::optional<Seconds> instead) const {
    Failure f;
    f.attempts = attempts_before + 1;
    if (!permanent) f.retry = backoff_.after(f.attempts);
    if (f.retry && instead) f.retry = instead;
    db::exec(tx, failed_, id, error, std::string(f.retry ? "pending" : "failed"),
             static_cast<double>(f.retry.value_or(Seconds{0}).count()));
    return f;
}

}  // namespace booking::outbox
