#include "daemon/guess_limiter.hpp"

#include <cmath>

namespace booking::daemon {

void GuessLimiter::refill(Bucket& bucket, Clock::time_point now) {
    const double forgiven = std::chrono::duration<double>(now - bucket.at).count() /
                            std::chrono::duration<double>(kGuessRefill).count();
    bucket.used = std::max(0.0, bucket.used - forgiven);
    bucket.at = now;
}

std::optional<long long> GuessLimiter::blocked(const std::string& address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = buckets_.find(address);
    if (it == buckets_.end()) return std::nullopt;
    refill(it->second, now);
    const double over = it->second.used - (kGuessBurst - 1);
    if (over <= 0) return std::nullopt;
    return std::max<long long>(1, static_cast<long long>(std::ceil(over * kGuessRefill.count())));
}

void GuessLimiter::wrong(const std::string& address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(address);
    if (it == buckets_.end()) {
        if (buckets_.size() >= kMaxAddresses) {
            for (auto i = buckets_.begin(); i != buckets_.end();) {
                refill(i->second, now);
                i = i->second.used <= 0 ? buckets_.erase(i) : std::next(i);
            }
            // Still full: forget everyone rather than grow (or refuse newcomers).
            if (buckets_.size() >= kMaxAddresses) buckets_.clear();
        }
        it = buckets_.emplace(address, Bucket{0, now}).first;
    }
    refill(it->second, now);
    it->second.used = std::min<double>(it->second.used + 1, kGuessBurst);
}

std::size_t GuessLimiter::size() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

}  // namespace booking::daemon
