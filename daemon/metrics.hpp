#pragma once
// Prometheus metrics (GET /metrics): requests by route and status, a latency
// histogram per route, the database pool's use, and the email outbox. Counters
// are lock-free atomics indexed by route, so recording costs no lock.
#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/availability/day_cache.hpp"

namespace booking::daemon {

struct OutboxCounts {
    long long pending = 0;
    long long sent = 0;
    long long failed = 0;
    long long reminders = 0;
    long long webhooks_pending = 0;  // webhook deliveries, by status
    long long webhooks_sent = 0;
    long long webhooks_failed = 0;
};

struct PoolGauges {
    int size = 0;
    int in_use = 0;
    int waiting = 0;
};

class Metrics {
  public:
    struct RouteLabel {
        std::string method;
        std::string route;
    };
    // One entry per route; requests that match none are counted as an extra "unmatched" route.
    explicit Metrics(std::vector<RouteLabel> routes);

    int unmatched() const { return static_cast<int>(routes_.size()) - 1; }
    void observe(int route, int status, double seconds);
    std::string render(const PoolGauges& pool, const std::optional<OutboxCounts>& outbox,
                       int connections, int in_flight,
                       const availability::DayCache::Stats& cache) const;

  private:
    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    static constexpr int kStatuses = 500;  // 100..599
    struct PerRoute {
        std::unique_ptr<std::atomic<unsigned long long>[]> by_status;
        std::array<std::atomic<unsigned long long>, kBuckets.size() + 1> buckets{};
        std::atomic<unsigned long long> count{0};
        std::atomic<unsigned long long> micros{0};
    };
    std::vector<RouteLabel> routes_;
    std::unique_ptr<PerRoute[]> per_route_;
};

}  // namespace booking::daemon
