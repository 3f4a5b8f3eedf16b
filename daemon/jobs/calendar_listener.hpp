#pragma once
// Keeps bookingd's availability cache (core/availability/day_cache) coherent
// with changes made by anyone else — other daemons, bookingctl, psql: a thread
// of its own LISTENs on the channel calendar_changes (sql/0003) and drops the
// days each notification names, within milliseconds of the commit. While the
// connection is down nothing vouches for the cache, so it is switched off (and
// emptied) until LISTEN is back. It also keeps the cache's set of services
// (an unknown one is a 404 without database work).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <thread>

namespace booking::availability {
class DayCache;
}

namespace booking::daemon::jobs {

class CalendarListener {
  public:
    // serve_cache false (BOOKING_AVAILABILITY_CACHE=off, for measuring): the
    // cache is never switched on, so every answer is a miss.
    CalendarListener(std::string database_url, availability::DayCache& cache,
                     bool serve_cache = true);
    ~CalendarListener();
    CalendarListener(const CalendarListener&) = delete;
    CalendarListener& operator=(const CalendarListener&) = delete;

    void start();
    void stop();

  private:
    void run();
    void listen_until_broken();
    void learn_services(pqxx::connection& conn);

    std::string database_url_;
    availability::DayCache& cache_;
    bool serve_cache_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};
};

}  // namespace booking::daemon::jobs
