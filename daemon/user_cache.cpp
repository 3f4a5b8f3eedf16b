#include "daemon/user_cache.hpp"

namespace booking::daemon {
namespace {
constexpr std::size_t kMaxEntries = 100000;
}

std::optional<UserCache::Entry> UserCache::get(long long user_id) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(user_id);
    if (it == entries_.end() ||
        std::chrono::steady_clock::now() - it->second.fetched > kUserCacheTtl)
        return std::nullopt;
    return it->second;
}

void UserCache::put(long long user_id, bool active, Role role, Time tokens_valid_after) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // bounded; refilled on demand
    entries_[user_id] = Entry{active, role, tokens_valid_after, std::chrono::steady_clock::now()};
}

}  // namespace booking::daemon
