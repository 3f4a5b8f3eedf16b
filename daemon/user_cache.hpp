#pragma once
// Whether a token's user may still act, remembered for a short while: a
// disabled (or deleted) user's tokens, and those issued before a password
// reset, are refused within kUserCacheTtl, and most requests skip the lookup.
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/users/user.hpp"

namespace booking::daemon {

inline constexpr std::chrono::seconds kUserCacheTtl{30};

class UserCache {
  public:
    struct Entry {
        bool active = false;
        Role role = Role::Customer;
        Time tokens_valid_after{};  // tokens issued before it are refused
        std::chrono::steady_clock::time_point fetched{};
    };
    std::optional<Entry> get(long long user_id) const;
    void put(long long user_id, bool active, Role role, Time tokens_valid_after = {});

  private:
    mutable std::mutex mutex_;
    std::unordered_map<long long, Entry> entries_;
};

}  // namespace booking::daemon
