#pragma once
// What every handler can reach: the settings, the pools, the token service,
// the metrics. One App per process, built by main() before serving.
#include <functional>
#include <memory>
#include <string>

#include "core/auth/jwt.hpp"
#include "core/auth/lockout.hpp"
#include "core/availability/days.hpp"
#include "core/bookings/rules.hpp"
#include "core/config/config.hpp"
#include "core/export/export.hpp"
#include "core/time/business_time.hpp"
#include "core/tokens/links.hpp"
#include "daemon/guess_limiter.hpp"
#include "daemon/metrics.hpp"
#include "daemon/pools.hpp"
#include "daemon/user_cache.hpp"

namespace booking::daemon {

class Router;
class Site;

struct App {
    App(const Config& config, const std::string& jwt_secret, const Router& router);
    ~App();

    Config config;
    BusinessZone zone;
    BookingPolicy policy;
    availability::OfferRules offer;  // the availability part of policy
    auth::TokenService tokens;
    auth::LockoutPolicy lockout;
    // The key of the secrets in emailed links (core/tokens), and the one
    // limiter of wrong guesses of any secret, per client address.
    tokens::LinkKey links;
    GuessLimiter guesses;
    CalendarContext calendar;
    const Router& router;
    Metrics metrics;
    UserCache users;
    // Each day's free times; kept coherent by daemon/jobs/calendar_listener
    // and by Exchange::calendar_changed.
    availability::DayCache availability_cache;
    std::unique_ptr<DbPool> db;
    std::unique_ptr<WorkPool> hasher;
    // The booking site's files (null with site.enabled = false).
    std::unique_ptr<const Site> site;
    // A real argon2id hash of nothing anyone knows: logins for unknown emails
    // verify against it, so they take as long as wrong passwords.
    std::string dummy_hash;
    // The live connection count, for /metrics (set by main once the server exists).
    std::function<int()> connections = [] { return 0; };
    // Requests read and not yet answered, for /metrics (set by main too).
    std::function<int()> in_flight = [] { return 0; };
};

}  // namespace booking::daemon
