// bookingd answers availability from memory: what it must never get wrong.
// A time just booked is never offered again by the daemon that booked it, and
// a change made anywhere else (another daemon, bookingctl, psql) is seen
// within a second: weekly hours synced and time off added with bookingctl too.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/wait.hpp"

namespace booking::e2e {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> starts(HttpClient& http, const std::string& date) {
    auto r = http.get("/v1/availability?date=" + date + "&service=consultation");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    const auto body = r.json();
    for (const auto& s : body["slots"]) out.push_back(s["start"].get<std::string>());
    return out;
}

bool offers(HttpClient& http, const std::string& date, const std::string& start) {
    const auto all = starts(http, date);
    return std::find(all.begin(), all.end(), start) != all.end();
}

// Waits until the daemon listens for changes and so answers from memory.
void wait_for_cache(HttpClient& http) {
    if (!test::poll_until([&] { return metric(http, "bookingd_availability_cache_enabled") == 1; },
                          std::chrono::seconds(10)))
        FAIL() << "the availability cache was not switched on within 10 s";
}

// Polls until done() holds; fails unless it did within a second.
template <class Done>
void within_a_second(Done done, const std::string& what) {
    if (!test::poll_until(done, std::chrono::seconds(1)))
        ADD_FAILURE() << what << ": not seen within a second";
}

TEST_F(E2eTest, AvailabilityComesFromMemoryAfterTheFirstRequest) {
    start();
    wait_for_cache(http());
    const auto date = local_date(3);
    const auto first = starts(http(), date);
    const double hits = metric(http(), "bookingd_availability_cache_lookups_total{result=\"hit\"}");
    EXPECT_EQ(starts(http(), date), first);
    EXPECT_EQ(metric(http(), "bookingd_availability_cache_lookups_total{result=\"hit\"}"),
              hits + 1);
    EXPECT_GE(metric(http(), "bookingd_availability_cache_days"), 1);
}

// BOOKING_AVAILABILITY_CACHE=off (bench/scale's misses): nothing is served from
// or kept in memory, and the answers are the same.
TEST_F(E2eTest, TheMeasuringSwitchTurnsTheCacheOff) {
    ::setenv("BOOKING_AVAILABILITY_CACHE", "off", 1);
    start();
    ::unsetenv("BOOKING_AVAILABILITY_CACHE");
    ASSERT_TRUE(test::poll_until(
        [&] { return daemon().log().find("availability cache off") != std::string::npos; },
        std::chrono::seconds(10)))
        << daemon().log();
    const auto date = local_date(3);
    const auto first = starts(http(), date);
    EXPECT_EQ(first.size(), 15u);
    EXPECT_EQ(starts(http(), date), first);
    EXPECT_EQ(metric(http(), "bookingd_availability_cache_enabled"), 0);
    EXPECT_EQ(metric(http(), "bookingd_availability_cache_lookups_total{result=\"hit\"}"), 0);
    EXPECT_EQ(metric(http(), "bookingd_availability_cache_days"), 0);
}

TEST_F(E2eTest, ChangesMadeInTheDatabaseDirectlyAreSeenWithinASecond) {
    start();
    wait_for_cache(http());
    const auto date = local_date(3);
    ASSERT_EQ(starts(http(), date).size(), 15u);  // 60 min, 09:00 .. 16:00
    ASSERT_EQ(starts(http(), date).size(), 15u);  // now from memory

    {
        pqxx::work tx(db());
        tx.exec("UPDATE services SET duration_minutes = 30 WHERE code = 'consultation'");
        tx.commit();
    }
    within_a_second([&] { return starts(http(), date).size() == 16u; },
                    "a service's new duration");  // 09:00 .. 16:30

    {
        const auto from = at(3, "00:00"), to = at(4, "00:00");
        pqxx::work tx(db());
        tx.exec("DELETE FROM slots WHERE starts_at >= " + tx.quote(from) +
                "::timestamptz AND starts_at < " + tx.quote(to) + "::timestamptz");
        tx.commit();
    }
    within_a_second([&] { return starts(http(), date).empty(); }, "the day's slots deleted");
}

TEST_F(E2eTest, ABookingThroughOneDaemonIsSeenByAnotherWithinASecond) {
    start();
    const auto second = another_daemon("second");
    HttpClient other(second->port());
    wait_for_cache(http());
    wait_for_cache(other);

    const auto date = local_date(3), ten = at(3, "10:00");
    ASSERT_TRUE(offers(http(), date, ten));
    ASSERT_TRUE(offers(other, date, ten));  // both now hold the day in memory

    const auto customer = account("a@example.com");
    const auto booking = book(customer, ten);
    EXPECT_FALSE(offers(http(), date, ten));  // the daemon that booked it: at once
    within_a_second([&] { return !offers(other, date, ten); }, "a booking made elsewhere");

    auto r = other.post_json(
        "/v1/bookings/" + std::to_string(booking["id"].get<long long>()) + "/cancel",
        nlohmann::json::object(), customer.auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(offers(other, date, ten));
    within_a_second([&] { return offers(http(), date, ten); }, "a cancellation made elsewhere");
}

TEST_F(E2eTest, ATimeJustBookedIsNeverOfferedByTheDaemonThatBookedIt) {
    // Readers keep the day loading and cached while bookings commit; right
    // after each 201, the booker's next look must not show that time.
    start({{"database.pool_size", "4"}});
    wait_for_cache(http());
    const auto date = local_date(3);
    std::atomic<bool> done{false};
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i)
        readers.emplace_back([&] {
            HttpClient reader(daemon().port());
            while (!done) starts(reader, date);
        });
    const auto customer = account("a@example.com");
    for (const char* hhmm : {"09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00"}) {
        const auto start = at(3, hhmm);
        book(customer, start);
        EXPECT_FALSE(offers(http(), date, start)) << hhmm << " offered after it was booked";
    }
    done = true;
    for (auto& t : readers) t.join();
    // 16:00 is all that is left of the day.
    EXPECT_EQ(starts(http(), date), std::vector<std::string>{at(3, "16:00")});
}

TEST_F(E2eTest, ASharedReadThatWaitedTooLongLeavesThePoolWorking) {
    // One database connection, taken by a read that a table lock holds up. A
    // second day's read and two requests that share it wait in the queue
    // until they time out; when they go, the pool must still work (it once
    // deadlocked here: the shared read handed its waiters back to the pool
    // while the pool's lock was held).
    // The held read outlasts the queue's 2 s: no statement_timeout cuts it short.
    start({{"database.pool_size", "1"},
           {"server.request_timeout", "\"2s\""},
           {"database.statement_timeout", "\"60s\""}});
    wait_for_cache(http());
    const auto first_day = local_date(3), second_day = local_date(4);
    pqxx::connection locker(database_url_);
    pqxx::work lock(locker);
    lock.exec("LOCK TABLE slots IN ACCESS EXCLUSIVE MODE");

    int held_status = 0;
    std::thread held([&] {
        HttpClient client(daemon().port());
        held_status =
            client.get("/v1/availability?date=" + first_day + "&service=consultation").status;
    });
    // Seen from PostgreSQL: bookingd's in-use gauge would also count the
    // connection a /metrics scrape takes for its outbox counts, and then the
    // requests below could overtake the held one (it was once so). The day's
    // read is told from the start-up slots sync, which may wait for the lock too.
    EXPECT_TRUE(test::poll_until(
        [&] {
            pqxx::nontransaction tx(db());
            return tx.exec1(
                         "SELECT count(*) FROM pg_stat_activity"
                         " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                         "   AND query LIKE '%FROM slots s JOIN res%'")[0]
                       .as<int>() == 1;
        },
        std::chrono::seconds(10)))
        << "the held read never waited for the table lock";
    EXPECT_EQ(metric(http(), "bookingd_db_pool_in_use"), 1);
    std::vector<int> statuses(3);
    std::vector<std::thread> queued;
    for (int i = 0; i < 3; ++i) {
        queued.emplace_back([&, i] {
            HttpClient client(daemon().port());
            statuses[i] =
                client.get("/v1/availability?date=" + second_day + "&service=consultation").status;
        });
        // The first of them queues the day's read; the others share it.
        if (i == 0) {
            EXPECT_TRUE(
                test::poll_until([&] { return metric(http(), "bookingd_db_pool_waiting") == 1; },
                                 std::chrono::seconds(10)));
        }
    }
    for (auto& t : queued) t.join();
    EXPECT_EQ(statuses, (std::vector<int>{503, 503, 503}));

    lock.abort();
    held.join();
    EXPECT_EQ(held_status, 200);
    EXPECT_EQ(starts(http(), second_day).size(), 15u);
}

// bookingctl hours set + slots sync and time-off add reach both daemons'
// memory (the triggers of sql/0005 and the slots' of sql/0003).
TEST_F(E2eTest, HoursAndTimeOffChangesAreSeenByTwoDaemonsWithinASecond) {
    start();
    const auto second = another_daemon("second");
    HttpClient other(second->port());
    wait_for_cache(http());
    wait_for_cache(other);
    auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {BOOKINGCTL_PATH, "--database-url", database_url_});
        test::ProcessOptions options;
        options.env["BOOKING_CONFIG"] = std::nullopt;
        options.env["BOOKING_DATABASE_URL"] = std::nullopt;
        auto run = test::run_process(args, options);
        EXPECT_EQ(run.exit_code, 0) << run.command << "\n" << run.err;
    };

    const auto date = local_date(3), evening = at(3, "18:00"), ten = at(3, "10:00");
    ASSERT_FALSE(offers(http(), date, evening));
    ASSERT_FALSE(offers(other, date, evening));  // both hold the day in memory now
    ASSERT_TRUE(offers(other, date, ten));

    ctl({"hours", "set", "--resource", "main", "--days", "all", "--hours", "18:00-20:00"});
    ctl({"slots", "sync"});
    within_a_second([&] { return offers(http(), date, evening); }, "hours synced (first daemon)");
    within_a_second([&] { return offers(other, date, evening); }, "hours synced (second daemon)");

    ctl({"time-off", "add", "--all", "--from", date + " 09:00", "--to", date + " 12:00"});
    within_a_second([&] { return !offers(http(), date, ten); }, "time off (first daemon)");
    within_a_second([&] { return !offers(other, date, ten); }, "time off (second daemon)");
    EXPECT_TRUE(offers(other, date, evening));
}

}  // namespace
}  // namespace booking::e2e
