// What the booking site needs from the API (SPEC §3 /v1/business,
// /v1/availability/days, server.cors_origins) and the limits that keep
// anonymous availability requests away from PostgreSQL.
#include <chrono>
#include <future>
#include <thread>

#include "tests/e2e/fixture.hpp"

namespace booking::e2e {
namespace {

using Clock = std::chrono::steady_clock;

void wait_for_cache(HttpClient& http) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (metric(http, "bookingd_availability_cache_enabled") != 1) {
        ASSERT_LT(Clock::now(), deadline) << "the availability cache was not switched on";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

double misses(HttpClient& http) {
    return metric(http, "bookingd_availability_cache_lookups_total{result=\"miss\"}");
}

TEST_F(E2eTest, BusinessDescribesTheRulesCustomersBookUnder) {
    auto r = http().get("/v1/business");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto b = r.json();
    EXPECT_EQ(b["name"], "Example Studio");
    EXPECT_EQ(b["time_zone"], "Europe/London");
    EXPECT_EQ(b["slot_step_minutes"], 30);
    EXPECT_EQ(b["min_notice_minutes"], 60);
    EXPECT_EQ(b["horizon_days"], 60);
    EXPECT_EQ(b["cancel_notice_minutes"], 120);
    EXPECT_EQ(b["reschedule_notice_minutes"], 120);
    EXPECT_EQ(b.size(), 7u);
}

TEST_F(E2eTest, DaysOfAMonthAgreeWithEachDaysAvailabilityAndComeFromTheSameCache) {
    start();
    wait_for_cache(http());
    const auto date = local_date(3);
    const auto month = date.substr(0, 7);
    auto r = http().get("/v1/availability/days?month=" + month + "&service=consultation");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    EXPECT_EQ(body["month"], month);
    EXPECT_EQ(body["time_zone"], "Europe/London");
    EXPECT_EQ(body["service"], "consultation");
    ASSERT_FALSE(body["days"].empty());
    for (const auto& d : body["days"]) {
        EXPECT_EQ(d["date"].get<std::string>().substr(0, 7), month);
        // The day's own answer counts the same, and comes from memory: the month read it.
        const double before = misses(http());
        auto day = http().get("/v1/availability?date=" + d["date"].get<std::string>() +
                              "&service=consultation");
        ASSERT_EQ(day.status, 200) << day.body;
        EXPECT_EQ(day.json()["slots"].size(), d["free"].get<std::size_t>()) << d;
        EXPECT_EQ(misses(http()), before) << "the day was read again";
    }
    // A booking shows in the month at once (the day had 15: 09:00 .. 16:00).
    const auto customer = account("ann@example.com");
    book(customer, at(3, "10:00"));
    auto again = http().get("/v1/availability/days?month=" + month + "&service=consultation");
    const auto again_body = again.json();  // kept: the loop reads into it
    for (const auto& d : again_body["days"]) {
        if (d["date"] == date) {
            EXPECT_EQ(d["free"], 12) << d;  // 09:30, 10:00 and 10:30 overlap it
        }
    }
}

TEST_F(E2eTest, DaysRefuseABadMonthAndAnUnknownService) {
    for (const char* bad : {"2026-13", "2026-1", "2026-01-01", "abcd-ef", ""}) {
        auto r = http().get(std::string("/v1/availability/days?service=consultation&month=") + bad);
        EXPECT_EQ(r.status, 400) << bad << " " << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
    }
    EXPECT_EQ(http().get("/v1/availability/days?service=consultation").status, 400);
    EXPECT_EQ(http().get("/v1/availability/days?month=2026-01").status, 400);
    const auto month = local_date(1).substr(0, 7);
    EXPECT_EQ(http().get("/v1/availability/days?month=" + month + "&service=nope").status, 404);
    EXPECT_EQ(
        http()
            .get("/v1/availability/days?month=" + month + "&service=consultation&resource=nope")
            .status,
        404);
    // A month wholly past or past the horizon has no days.
    auto r = http().get("/v1/availability/days?month=2001-01&service=consultation");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json()["days"].empty());
}

// Far dates and unknown services are answered while every table availability
// reads is locked: they never reach PostgreSQL, and never fill the cache.
TEST_F(E2eTest, FarDatesAndUnknownServicesNeverReachTheDatabase) {
    start();
    wait_for_cache(http());
    ASSERT_EQ(http().get("/v1/availability?date=" + local_date(2) + "&service=consultation").status,
              200);
    const double days = metric(http(), "bookingd_availability_cache_days");

    pqxx::connection locker(database_url_);
    pqxx::work lock(locker);
    lock.exec0("LOCK TABLE services, resources, slots, bookings IN ACCESS EXCLUSIVE MODE");

    // The detector works: a day not yet cached waits for the lock.
    auto control = std::async(std::launch::async, [port = daemon().port(), d = local_date(4)] {
        HttpClient c(port);
        return c.get("/v1/availability?date=" + d + "&service=consultation").status;
    });
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
        pqxx::connection probe(database_url_);
        pqxx::nontransaction tx(probe);
        if (tx.exec1("SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                     "(SELECT oid FROM pg_database WHERE datname = current_database())")[0]
                .as<int>() > 0)
            break;
        ASSERT_LT(Clock::now(), deadline) << "the control request never reached the database";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    for (const char* date : {"0001-01-01", "1999-12-31", "2500-06-15", "9999-12-31"}) {
        auto r = http().get(std::string("/v1/availability?date=") + date + "&service=consultation");
        ASSERT_EQ(r.status, 200) << date << " " << r.body;
        EXPECT_TRUE(r.json()["slots"].empty());
        EXPECT_EQ(r.json()["date"], date);
    }
    EXPECT_EQ(http()
                  .get("/v1/availability?date=" + local_date(200) + "&service=consultation")
                  .json()["slots"]
                  .size(),
              0u);
    auto far_month = http().get("/v1/availability/days?month=2400-02&service=consultation");
    ASSERT_EQ(far_month.status, 200) << far_month.body;
    EXPECT_TRUE(far_month.json()["days"].empty());
    for (const auto& target :
         {"/v1/availability?date=" + local_date(2) + "&service=no-such-service",
          "/v1/availability/days?month=" + local_date(2).substr(0, 7) + "&service=other"}) {
        auto r = http().get(target);
        EXPECT_EQ(r.status, 404) << target << " " << r.body;
    }
    EXPECT_EQ(metric(http(), "bookingd_availability_cache_days"), days);

    lock.abort();
    EXPECT_EQ(control.get(), 200);
}

TEST_F(E2eTest, CorsAnswersListedOriginsOnly) {
    start({{"server.cors_origins", "[\"https://studio.example\"]"}});
    auto pre = http().request("OPTIONS", "/v1/bookings", {},
                              {{"Origin", "https://studio.example"},
                               {"Access-Control-Request-Method", "POST"},
                               {"Access-Control-Request-Headers", "authorization, content-type"}});
    EXPECT_EQ(pre.status, 204) << pre.body;
    EXPECT_EQ(pre.header("access-control-allow-origin"), "https://studio.example");
    EXPECT_NE(pre.header("access-control-allow-methods").find("POST"), std::string::npos);
    EXPECT_NE(pre.header("access-control-allow-headers").find("Authorization"), std::string::npos);
    EXPECT_NE(pre.header("access-control-allow-headers").find("Idempotency-Key"),
              std::string::npos);
    EXPECT_EQ(pre.header("access-control-allow-credentials"), "");

    auto get = http().get("/v1/services", {{"Origin", "https://studio.example"}});
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.header("access-control-allow-origin"), "https://studio.example");
    EXPECT_NE(get.header("vary").find("Origin"), std::string::npos);

    auto other = http().request(
        "OPTIONS", "/v1/bookings", {},
        {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(other.status, 405);
    EXPECT_EQ(other.header("access-control-allow-origin"), "");
    EXPECT_EQ(http()
                  .get("/v1/services", {{"Origin", "https://evil.example"}})
                  .header("access-control-allow-origin"),
              "");
    // An unknown path is no preflight either.
    EXPECT_EQ(
        http().request("OPTIONS", "/v1/nothing", {}, {{"Origin", "https://studio.example"}}).status,
        404);
}

}  // namespace
}  // namespace booking::e2e
