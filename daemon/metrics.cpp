#include "daemon/metrics.hpp"

#include <sstream>

namespace booking::daemon {

Metrics::Metrics(std::vector<RouteLabel> routes) : routes_(std::move(routes)) {
    routes_.push_back({"", "unmatched"});
    per_route_ = std::make_unique<PerRoute[]>(routes_.size());
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        per_route_[i].by_status = std::make_unique<std::atomic<unsigned long long>[]>(kStatuses);
        for (int s = 0; s < kStatuses; ++s) per_route_[i].by_status[s].store(0);
    }
}

void Metrics::observe(int route, int status, double seconds) {
    if (route < 0 || route >= static_cast<int>(routes_.size())) route = unmatched();
    auto& r = per_route_[route];
    if (status >= 100 && status < 600)
        r.by_status[status - 100].fetch_add(1, std::memory_order_relaxed);
    std::size_t bucket = 0;
    while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
    r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    r.count.fetch_add(1, std::memory_order_relaxed);
    r.micros.fetch_add(static_cast<unsigned long long>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::render(const PoolGauges& pool, const std::optional<OutboxCounts>& outbox,
                            int connections, int in_flight,
                            const availability::DayCache::Stats& cache) const {
    std::ostringstream out;
    auto labels = [&](std::size_t i) {
        return "method=\"" + routes_[i].method + "\",route=\"" + routes_[i].route + "\"";
    };
    out << "# HELP bookingd_http_requests_total HTTP requests answered, by route and status.\n"
        << "# TYPE bookingd_http_requests_total counter\n";
    for (std::size_t i = 0; i < routes_.size(); ++i)
        for (int s = 0; s < kStatuses; ++s)
            if (auto n = per_route_[i].by_status[s].load(std::memory_order_relaxed))
                out << "bookingd_http_requests_total{" << labels(i) << ",status=\"" << s + 100
                    << "\"} " << n << "\n";
    out << "# HELP bookingd_http_request_duration_seconds Time from a complete request to its "
           "response.\n"
        << "# TYPE bookingd_http_request_duration_seconds histogram\n";
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& r = per_route_[i];
        const auto count = r.count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        unsigned long long cumulative = 0;
        for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
            cumulative += r.buckets[b].load(std::memory_order_relaxed);
            out << "bookingd_http_request_duration_seconds_bucket{" << labels(i) << ",le=\"";
            if (b < kBuckets.size())
                out << kBuckets[b];
            else
                out << "+Inf";
            out << "\"} " << cumulative << "\n";
        }
        out << "bookingd_http_request_duration_seconds_sum{" << labels(i) << "} "
            << static_cast<double>(r.micros.load(std::memory_order_relaxed)) / 1e6 << "\n"
            << "bookingd_http_request_duration_seconds_count{" << labels(i) << "} " << count
            << "\n";
    }
    out << "# HELP bookingd_http_connections Open client connections.\n"
        << "# TYPE bookingd_http_connections gauge\n"
        << "bookingd_http_connections " << connections << "\n"
        << "# HELP bookingd_http_requests_in_flight Requests read and not yet answered.\n"
        << "# TYPE bookingd_http_requests_in_flight gauge\n"
        << "bookingd_http_requests_in_flight " << in_flight << "\n"
        << "# HELP bookingd_db_pool_size Database connections in the pool.\n"
        << "# TYPE bookingd_db_pool_size gauge\n"
        << "bookingd_db_pool_size " << pool.size << "\n"
        << "# HELP bookingd_db_pool_in_use Database connections doing work, including the one "
           "that counts the outbox for this scrape.\n"
        << "# TYPE bookingd_db_pool_in_use gauge\n"
        << "bookingd_db_pool_in_use " << pool.in_use << "\n"
        << "# HELP bookingd_db_pool_waiting Requests waiting for a database connection.\n"
        << "# TYPE bookingd_db_pool_waiting gauge\n"
        << "bookingd_db_pool_waiting " << pool.waiting << "\n"
        << "# HELP bookingd_availability_cache_enabled Whether availability answers may come from "
           "memory (1 while the daemon listens for calendar changes).\n"
        << "# TYPE bookingd_availability_cache_enabled gauge\n"
        << "bookingd_availability_cache_enabled " << (cache.enabled ? 1 : 0) << "\n"
        << "# HELP bookingd_availability_cache_days Days (per service and resource) held in "
           "memory.\n"
        << "# TYPE bookingd_availability_cache_days gauge\n"
        << "bookingd_availability_cache_days " << cache.days << "\n"
        << "# HELP bookingd_availability_cache_lookups_total Availability requests looked up in "
           "memory, by result.\n"
        << "# TYPE bookingd_availability_cache_lookups_total counter\n"
        << "bookingd_availability_cache_lookups_total{result=\"hit\"} " << cache.hits << "\n"
        << "bookingd_availability_cache_lookups_total{result=\"miss\"} " << cache.misses << "\n";
    if (outbox) {
        out << "# HELP bookingd_emails Emails in the outbox, by status.\n"
            << "# TYPE bookingd_emails gauge\n"
            << "bookingd_emails{status=\"pending\"} " << outbox->pending << "\n"
            << "bookingd_emails{status=\"sent\"} " << outbox->sent << "\n"
            << "bookingd_emails{status=\"failed\"} " << outbox->failed << "\n"
            << "# HELP bookingd_reminders_queued_total Reminder emails ever queued.\n"
            << "# TYPE bookingd_reminders_queued_total counter\n"
            << "bookingd_reminders_queued_total " << outbox->reminders << "\n"
            << "# HELP bookingd_webhook_deliveries Webhook deliveries, by status.\n"
            << "# TYPE bookingd_webhook_deliveries gauge\n"
            << "bookingd_webhook_deliveries{status=\"pending\"} " << outbox->webhooks_pending
            << "\n"
            << "bookingd_webhook_deliveries{status=\"sent\"} " << outbox->webhooks_sent << "\n"
            << "bookingd_webhook_deliveries{status=\"failed\"} " << outbox->webhooks_failed << "\n";
    }
    return out.str();
}

}  // namespace booking::daemon
