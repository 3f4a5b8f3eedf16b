#include "daemon/app.hpp"

#include <algorithm>
#include <thread>

#include "core/users/password.hpp"
#include "daemon/router.hpp"
#include "daemon/site.hpp"

namespace booking::daemon {
namespace {

BookingPolicy policy_of(const Config::Business& b) {
    BookingPolicy p;
    p.slot_step = b.slot_step;
    p.min_notice = b.min_notice;
    p.horizon = b.horizon;
    p.cancel_notice = b.cancel_notice;
    p.reschedule_notice = b.reschedule_notice;
    p.least_busy = b.assign == "least_busy";
    p.time_zone = b.time_zone;
    return p;
}

// The host part of UIDs (booking-<id>@host): the domain of mail.from, so that
// calendar clients match the API's .ics with the emails' attachments.
std::string uid_host_of(const std::string& from) {
    const auto at = from.rfind('@');
    if (at == std::string::npos) return "bookingd";
    std::string host;
    for (char c : from.substr(at + 1)) {
        if (c == '>' || c == ' ') break;
        host.push_back(c);
    }
    return host.empty() ? "bookingd" : host;
}

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
      policy(policy_of(config_.business)),
      offer(availability::offer_rules(policy)),
      tokens(jwt_secret, config_.auth.token_ttl),
      lockout{config_.auth.login_max_failures, config_.auth.login_lockout},
      links(jwt_secret),
      router(router_),
      metrics(router_.labels()),
      availability_cache(availability::cache_capacity(offer)) {
    calendar.uid_host = uid_host_of(config.mail.from);
    calendar.business_name = config.business.name;
    calendar.time_zone = config.business.time_zone;
    const auto queue_timeout =
        std::min<std::chrono::milliseconds>(std::chrono::seconds(5), config.server.request_timeout);
    db = std::make_unique<DbPool>(
        DbPool::Options{config.database.url, config.database.pool_size, 4096, queue_timeout});
    hasher = std::make_unique<WorkPool>(hashing_threads(), 64, queue_timeout);
    if (config.site.enabled) site = std::make_unique<const Site>(config);
    dummy_hash = hash_password("not a password anyone has: the dummy for unknown emails");
}

App::~App() = default;

}  // namespace booking::daemon
