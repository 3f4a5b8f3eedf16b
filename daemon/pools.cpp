#include "daemon/pools.hpp"

#include <spdlog/spdlog.h>

#include "core/db/database.hpp"
#include "core/errors.hpp"

namespace booking::daemon {
namespace {

// After a failed connection attempt, jobs are refused at once for this long
// instead of each waiting for its own attempt: while the database is down,
// requests answer 503 quickly; once it is back, the next attempt succeeds.
constexpr auto kReconnectBackoff = std::chrono::milliseconds(500);
constexpr auto kReapInterval = std::chrono::milliseconds(50);

// Runs a job's callback so that nothing it throws leaves the pool's thread
// (which would end the process): what escapes is logged, the thread goes on.
// The callbacks answer their own requests; this is the last line behind them.
template <class F>
void contained(const char* what, F&& callback) noexcept {
    try {
        callback();
    } catch (const std::exception& e) {
        spdlog::error("{}: uncaught exception: {}", what, e.what());
    } catch (...) {
        spdlog::error("{}: uncaught exception of an unknown type", what);
    }
}

}  // namespace

DbPool::DbPool(Options options) : options_(std::move(options)) {
    threads_.reserve(options_.size + 1);
    for (int i = 0; i < options_.size; ++i) threads_.emplace_back([this] { work(); });
    threads_.emplace_back([this] { reap(); });
}

DbPool::~DbPool() { stop(); }

void DbPool::submit(Run run, Refuse refuse) { offer(std::move(run), std::move(refuse), false); }

void DbPool::submit_if_free(Run run, Refuse refuse) {
    offer(std::move(run), std::move(refuse), true);
}

void DbPool::offer(Run run, Refuse refuse, bool only_if_free) {
    const char* refused = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            refused = "the server is shutting down";
        else if (only_if_free && idle_ <= queue_.size())
            refused = "every database connection is busy";
        else if (queue_.size() >= options_.max_queue)
            refused = "too many requests are waiting for the database";
        if (!refused) {
            queue_.push_back(
                {Clock::now() + options_.queue_timeout, std::move(run), std::move(refuse)});
            waiting_.store(static_cast<int>(queue_.size()), std::memory_order_relaxed);
        }
    }
    // Woken after the lock is let go, a worker need not wait for it again.
    if (!refused) return ready_.notify_one();
    contained("database pool refusal", [&] { refuse(refused); });
}

void DbPool::stop() {
    std::deque<Job> refused;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
        refused.swap(queue_);
        waiting_.store(0);
    }
    ready_.notify_all();
    reaper_wake_.notify_all();
    for (auto& job : refused)
        contained("database pool refusal", [&] { job.refuse("the server is shutting down"); });
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

std::unique_ptr<pqxx::connection> DbPool::connect() {
    const auto now = Clock::now().time_since_epoch().count();
    const auto last = last_connect_failure_.load(std::memory_order_relaxed);
    if (last != 0 && Clock::duration(now - last) < kReconnectBackoff) return nullptr;
    try {
        return db::connect(options_.url, options_.statement_timeout);
    } catch (const std::exception& e) {
        last_connect_failure_.store(Clock::now().time_since_epoch().count(),
                                    std::memory_order_relaxed);
        // One line every few seconds is enough while the database is down.
        const auto logged = last_failure_logged_.load(std::memory_order_relaxed);
        if (logged == 0 || Clock::duration(now - logged) > std::chrono::seconds(5)) {
            last_failure_logged_.store(now, std::memory_order_relaxed);
            spdlog::warn("database unavailable: {}", e.what());
        }
        return nullptr;
    }
}

void DbPool::work() {
    std::unique_ptr<pqxx::connection> conn = connect();
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            ++idle_;
            ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            --idle_;
            if (queue_.empty()) return;  // stopping
            job = std::move(queue_.front());
            queue_.pop_front();
            waiting_.store(static_cast<int>(queue_.size()), std::memory_order_relaxed);
        }
        busy_.fetch_add(1, std::memory_order_relaxed);
        if (!conn) conn = connect();
        if (!conn) {
            contained("database pool refusal", [&] { job.refuse("the database is unavailable"); });
        } else {
            bool broken = false;
            try {
                job.run(*conn, broken);
            } catch (const std::exception& e) {
                spdlog::error("database job failed: {}", e.what());
                broken = true;
            } catch (...) {
                spdlog::error("database job failed with an exception of an unknown type");
                broken = true;
            }
            if (broken) {
                conn.reset();
                last_failure_logged_.store(0, std::memory_order_relaxed);
            } else {
                last_connect_failure_.store(0, std::memory_order_relaxed);
            }
        }
        busy_.fetch_sub(1, std::memory_order_relaxed);
    }
}

void DbPool::reap() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        reaper_wake_.wait_for(lock, kReapInterval);
        const auto now = Clock::now();
        std::vector<Job> expired;
        while (!queue_.empty() && queue_.front().deadline <= now) {
            expired.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        if (expired.empty()) continue;
        waiting_.store(static_cast<int>(queue_.size()), std::memory_order_relaxed);
        lock.unlock();
        for (auto& job : expired)
            contained("database pool refusal",
                      [&] { job.refuse("waited too long for a database connection"); });
        // Destroyed unlocked too: what a job holds may submit work when it goes
        // (a shared availability read hands its waiters back to the pool).
        contained("database pool", [&] { expired.clear(); });
        lock.lock();
    }
}

WorkPool::WorkPool(int threads, std::size_t max_queue, std::chrono::milliseconds queue_timeout)
    : max_queue_(max_queue), queue_timeout_(queue_timeout) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

WorkPool::~WorkPool() { stop(); }

void WorkPool::submit(std::function<void()> run, std::function<void()> refuse) {
    bool queued = false;
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < max_queue_) {
            queue_.push_back({Clock::now() + queue_timeout_, std::move(run), std::move(refuse)});
            queued = true;
        }
    }
    if (queued) return ready_.notify_one();
    contained("work pool refusal", refuse);
}

void WorkPool::stop() {
    std::deque<Job> refused;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        refused.swap(queue_);
    }
    ready_.notify_all();
    for (auto& job : refused) contained("work pool refusal", job.refuse);
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void WorkPool::work() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        if (Clock::now() > job.deadline) {
            contained("work pool refusal", job.refuse);
            continue;
        }
        contained("work pool job", job.run);
    }
}

}  // namespace booking::daemon
