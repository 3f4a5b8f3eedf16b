#pragma once
// One limiter for wrong guesses of a secret, whatever the secret (a login's
// wrong password; a reset, sign-in or manage token whose MAC is wrong, which
// only a guess can be): per client address (after
// server.trusted_proxies), a bucket of kGuessBurst wrong guesses that refills
// one every kGuessRefill. An address with an empty bucket is answered 429 with
// Retry-After before its request reaches the database or the hashing pool.
// Memory is bounded: at most kMaxAddresses buckets; full (forgiven) ones are
// dropped first.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace booking::daemon {

inline constexpr int kGuessBurst = 20;
inline constexpr std::chrono::seconds kGuessRefill{3};
inline constexpr std::size_t kMaxAddresses = 20000;

class GuessLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    // Seconds to wait (at least 1) when the address has no guess left.
    std::optional<long long> blocked(const std::string& address,
                                     Clock::time_point now = Clock::now());
    // One wrong guess from the address.
    void wrong(const std::string& address, Clock::time_point now = Clock::now());

    std::size_t size() const;

  private:
    struct Bucket {
        double used = 0;  // wrong guesses not yet forgiven
        Clock::time_point at{};
    };
    static void refill(Bucket& bucket, Clock::time_point now);

    mutable std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace booking::daemon
