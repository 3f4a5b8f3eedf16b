// SPEC §3 "Limits that protect the daemon", end to end: a statement past
// database.statement_timeout is cancelled and answered 503 with Retry-After
// while requests that need no database go on; what anonymous traffic leaves
// in the tables is pruned by the scheduler.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/e2e/fixture.hpp"
#include "tests/support/wait.hpp"

namespace booking::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Eight requests stuck behind a lock hold all eight pooled connections. Each
// is cancelled at the statement timeout and answered 503 with Retry-After;
// /healthz and a day already in the availability cache answer throughout.
TEST_F(E2eTest, StatementsPastTheTimeoutAre503WithRetryAfterWhileHealthzAnswers) {
    start({{"database.statement_timeout", "\"1s\""}, {"database.pool_size", "8"}});
    const auto ann = account("ann@example.com");
    ASSERT_TRUE(test::poll_until(
        [&] { return metric(http(), "bookingd_availability_cache_enabled") == 1; }, 10s));
    const std::string cached = "/v1/availability?date=" + local_date(3) + "&service=consultation";
    ASSERT_EQ(http().get(cached).status, 200);  // now in memory

    pqxx::connection locker(database_url_);
    pqxx::work lock(locker);
    lock.exec0("LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE");

    constexpr int kBlocked = 8;
    std::vector<HttpResult> results(kBlocked);
    std::vector<double> took(kBlocked);
    std::atomic<int> answered{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < kBlocked; ++i)
        clients.emplace_back([&, i] {
            HttpClient client(daemon().port());
            const auto t0 = Clock::now();
            results[i] = client.get("/v1/bookings", ann.auth());
            took[i] = seconds_since(t0);
            answered.fetch_add(1);
        });
    // Meanwhile: what needs no database answers at once, again and again.
    int checks = 0;
    double slowest = 0;
    const auto t0 = Clock::now();
    while (answered.load() < kBlocked && Clock::now() - t0 < 30s) {
        const auto t = Clock::now();
        EXPECT_EQ(http().get("/healthz").status, 200);
        EXPECT_EQ(http().get(cached).status, 200);
        slowest = std::max(slowest, seconds_since(t));
        ++checks;
    }
    for (auto& c : clients) c.join();
    lock.abort();

    for (int i = 0; i < kBlocked; ++i) {
        EXPECT_EQ(results[i].status, 503) << results[i].body << results[i].error;
        EXPECT_FALSE(results[i].header("Retry-After").empty()) << i;
        EXPECT_EQ(results[i].header("Content-Type"), "application/problem+json");
        EXPECT_EQ(results[i].body.find("statement"), std::string::npos)
            << "no internals: " << results[i].body;
        // About the timeout (1 s), with room for a sanitizer build on a busy machine.
        EXPECT_LT(took[i], 6.0) << i;
    }
    EXPECT_GT(checks, 3);
    EXPECT_LT(slowest, 1.0) << "/healthz and cached availability waited for the database";
    // The lock gone, the same request works: the connections were not lost.
    for (int i = 0; i < kBlocked; ++i)
        EXPECT_EQ(http().get("/v1/bookings", ann.auth()).status, 200);
}

// SPEC §3: failed logins for any email (made-up ones too) and Idempotency-Keys
// older than 24 h are forgotten by bookingd's scheduler, for all at once.
TEST_F(E2eTest, TheSchedulerPrunesOldFailedLoginsAndIdempotencyKeys) {
    {
        pqxx::work tx(db());
        tx.exec0("INSERT INTO users (email, name) VALUES ('ann@example.com', 'Ann')");
        // 500 made-up emails from three hours ago, one failure each, and two fresh ones.
        tx.exec0(
            "INSERT INTO login_failures (email, failed_at) SELECT 'nobody' || n || '@example.com', "
            "now() - interval '3 hours' FROM generate_series(1, 500) n");
        tx.exec0(
            "INSERT INTO login_failures (email, failed_at) VALUES "
            "('fresh@example.com', now() - interval '1 minute'), "
            "('fresh@example.com', now())");
        tx.exec0(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, "
            "response_body, created_at) SELECT u.id, 'old-' || n, 'h', 201, '{}', "
            "now() - interval '25 hours' FROM users u, generate_series(1, 300) n");
        tx.exec0(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, "
            "response_body, created_at) SELECT u.id, 'recent', 'h', 201, '{}', "
            "now() - interval '23 hours' FROM users u");
        tx.commit();
    }
    start();
    EXPECT_TRUE(test::poll_until(
        [&] {
            return count(
                       "SELECT count(*) FROM login_failures WHERE failed_at < now() - "
                       "interval '2 hours'") == 0 &&
                   count("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'old-%'") == 0;
        },
        20s))
        << daemon().log();
    EXPECT_EQ(count("SELECT count(*) FROM login_failures WHERE email = 'fresh@example.com'"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys WHERE key = 'recent'"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM login_failures"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys"), 1);
}

}  // namespace
}  // namespace booking::e2e
