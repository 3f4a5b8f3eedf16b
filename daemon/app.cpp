#include "daemon/app.hpp"

#include <algorithm>
#include <thread>

#include "core/users/password.hpp"
#include "daemon/router.hpp"
#include "daemon/site.hpp"

namespace booking::daemon {
namespace {

// Hashing is memory-hard (19 MiB each): a couple of threads at most, so that
// a flood of logins cannot take the machine's memory or every core.
int hashing_threads() {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::clamp(cores / 2, 1, 4);
}

}  // namespace

App::App(const Config& config_, const std::string& jwt_secret, const Router& router_)
    : config(config_),
      zone(config_.business.time_zone),
      policy(booking_policy(config_)),
      offer(availability::offer_rules(policy)),
      tokens(jwt_secret, config_.auth.token_ttl),
      lockout{config_.auth.login_max_failures, config_.auth.login_lockout},
      links(jwt_secret),
      calendar(calendar_context(config_)),
      router(router_),
      metrics(router_.labels()),
      availability_cache(availability::cache_capacity(offer)) {
    const auto queue_timeout =
        std::min<std::chrono::milliseconds>(std::chrono::seconds(5), config.server.request_timeout);
    db = std::make_unique<DbPool>(DbPool::Options{config.database.url, config.database.pool_size,
                                                  4096, queue_timeout,
                                                  config.database.statement_timeout});
    hasher = std::make_unique<WorkPool>(hashing_threads(), 64, queue_timeout);
    if (config.site.enabled) site = std::make_unique<const Site>(config);
    dummy_hash = hash_password("not a password anyone has: the dummy for unknown emails");
}

App::~App() = default;

}  // namespace booking::daemon
