#pragma once
// Where the daemon's blocking work runs, so that I/O threads never block:
// DbPool owns database.pool_size connections, each used by one worker thread
// (statements are prepared once per connection); WorkPool runs CPU-heavy jobs
// (argon2id hashing). Both queues are bounded in length and in waiting time:
// a job that cannot start in time is refused (the caller answers 503).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace booking::daemon {

using Clock = std::chrono::steady_clock;

class DbPool {
  public:
    struct Options {
        std::string url;
        int size = 8;
        std::size_t max_queue = 4096;
        std::chrono::milliseconds queue_timeout{5000};
        std::chrono::seconds statement_timeout{5};  // set on every connection
    };
    // run gets a live connection; it sets broken when the connection must be
    // replaced. refuse is called instead when the job cannot run (queue full,
    // waited too long, database unreachable, shutting down).
    using Run = std::function<void(pqxx::connection&, bool& broken)>;
    using Refuse = std::function<void(std::string_view why)>;

    explicit DbPool(Options options);
    ~DbPool();
    DbPool(const DbPool&) = delete;
    DbPool& operator=(const DbPool&) = delete;

    void submit(Run run, Refuse refuse);
    // Runs the job only if a worker is free to start it at once (nobody
    // queued ahead of it); else refuses it at once: for work that must never
    // wait behind requests (a /metrics scrape's outbox counts).
    void submit_if_free(Run run, Refuse refuse);
    // Refuses what is queued, lets running jobs finish, joins the threads.
    void stop();

    int in_use() const { return busy_.load(std::memory_order_relaxed); }
    int waiting() const { return waiting_.load(std::memory_order_relaxed); }
    int size() const { return options_.size; }

  private:
    struct Job {
        Clock::time_point deadline;
        Run run;
        Refuse refuse;
    };
    void offer(Run run, Refuse refuse, bool only_if_free);
    void work();
    void reap();
    std::unique_ptr<pqxx::connection> connect();

    Options options_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::condition_variable reaper_wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::size_t idle_ = 0;  // workers waiting for a job (under mutex_)
    std::atomic<int> busy_{0};
    std::atomic<int> waiting_{0};
    std::atomic<Clock::rep> last_connect_failure_{0};
    std::atomic<Clock::rep> last_failure_logged_{0};
    std::vector<std::thread> threads_;
};

class WorkPool {
  public:
    WorkPool(int threads, std::size_t max_queue, std::chrono::milliseconds queue_timeout);
    ~WorkPool();
    WorkPool(const WorkPool&) = delete;
    WorkPool& operator=(const WorkPool&) = delete;

    void submit(std::function<void()> run, std::function<void()> refuse);
    void stop();

  private:
    struct Job {
        Clock::time_point deadline;
        std::function<void()> run;
        std::function<void()> refuse;
    };
    void work();

    std::size_t max_queue_;
    std::chrono::milliseconds queue_timeout_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace booking::daemon
