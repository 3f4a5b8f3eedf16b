#include "daemon/jobs/calendar_listener.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <set>

#include "core/availability/calendar_store.hpp"
#include "core/availability/day_cache.hpp"
#include "core/db/database.hpp"

namespace booking::daemon::jobs {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kChannel = "calendar_changes";
// How long one wait for a notification lasts (and so how soon stop() is seen).
constexpr long kWaitMicros = 200'000;
// A quiet connection is checked this often, so that a dead one is noticed.
constexpr auto kPingEvery = std::chrono::seconds(5);
constexpr auto kRetryAfter = std::chrono::milliseconds(500);
constexpr auto kWarnEvery = std::chrono::seconds(30);

std::optional<long long> number(std::string_view text) {
    long long n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return n;
}

// "FROM UNTIL" (epoch seconds) or "*"; anything else drops every day.
void apply_calendar_change(availability::DayCache& cache, const std::string& payload) {
    const std::string_view text = payload;
    const auto space = text.find(' ');
    if (space != std::string_view::npos) {
        const auto from = number(text.substr(0, space));
        const auto until = number(text.substr(space + 1));
        if (from && until) return cache.invalidate(Time(Seconds(*from)), Time(Seconds(*until)));
    }
    cache.invalidate_all();
}

class Receiver : public pqxx::notification_receiver {
  public:
    Receiver(pqxx::connection& conn, availability::DayCache& cache)
        : pqxx::notification_receiver(conn, kChannel), cache_(cache) {}
    void operator()(const std::string& payload, int) override {
        apply_calendar_change(cache_, payload);
    }

  private:
    availability::DayCache& cache_;
};

}  // namespace

CalendarListener::CalendarListener(std::string database_url, availability::DayCache& cache,
                                   bool serve_cache)
    : database_url_(std::move(database_url)), cache_(cache), serve_cache_(serve_cache) {}

CalendarListener::~CalendarListener() { stop(); }

void CalendarListener::start() {
    thread_ = std::thread([this] { run(); });
}

void CalendarListener::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void CalendarListener::run() {
    std::optional<Clock::time_point> last_warning;
    while (!stopping_) {
        try {
            listen_until_broken();
        } catch (const std::exception& e) {
            cache_.set_enabled(false);
            const auto now = Clock::now();
            if (!last_warning || now - *last_warning >= kWarnEvery) {
                last_warning = now;
                spdlog::warn("availability cache off until the database is back: {}", e.what());
            }
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, kRetryAfter, [this] { return stopping_.load(); });
    }
    cache_.set_enabled(false);
}

// Unknown services are answered 404 without a query once the cache knows them.
void CalendarListener::learn_services(pqxx::connection& conn) {
    if (cache_.has_service({})) return;
    pqxx::nontransaction tx(conn);
    availability::learn_services(tx, cache_);
}

void CalendarListener::listen_until_broken() {
    auto conn = db::connect(database_url_);
    // A silent reconnect would lose the LISTEN and what was sent meanwhile:
    // a broken connection must end up here as an exception instead.
    // libpqxx 6.4 marks inhibit_reactivation deprecated (7.x drops
    // reactivation altogether) but still reactivates without it, hence the
    // one warning switched off here rather than for the whole build.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    Receiver receiver(*conn, cache_);  // LISTEN calendar_changes
    {
        pqxx::nontransaction tx(*conn);
        tx.exec("SELECT 1");  // LISTEN has taken effect before the cache is trusted
    }
    if (!serve_cache_) {
        spdlog::warn(
            "availability cache off (BOOKING_AVAILABILITY_CACHE=off): every availability "
            "answer is read from the database; for measuring only");
    } else {
        // On only once the services are known: a client that sees the cache on
        // (bookingd_availability_cache_enabled) never has an unknown service
        // read from the database.
        const auto ticket = cache_.services_ticket();
        std::set<std::string> services;
        {
            pqxx::nontransaction tx(*conn);
            services = availability::active_service_codes(tx);
        }
        cache_.enable(std::move(services), ticket);
        spdlog::info("availability cache on (listening on {})", kChannel);
    }
    auto last_traffic = Clock::now();
    while (!stopping_) {
        if (conn->await_notification(0, kWaitMicros) > 0) last_traffic = Clock::now();
        if (!conn->is_open()) throw pqxx::broken_connection("the LISTEN connection was closed");
        learn_services(
            *conn);  // after a change to services (or anything) made the cache forget them
        if (Clock::now() - last_traffic >= kPingEvery) {
            pqxx::nontransaction tx(*conn);
            tx.exec("SELECT 1");
            last_traffic = Clock::now();
        }
    }
}

}  // namespace booking::daemon::jobs
