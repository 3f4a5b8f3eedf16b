// bookingd's pools (daemon/pools.cpp) against the real test PostgreSQL: every
// pooled connection has database.statement_timeout, and nothing a job or a
// refusal throws ends the process; the pool goes on working.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <stdexcept>

#include "daemon/pools.hpp"
#include "tests/support/bookingctl_test.hpp"
#include "tests/support/wait.hpp"

namespace booking::test {
namespace {

using namespace std::chrono_literals;
using daemon::DbPool;
using daemon::WorkPool;

class DaemonPools : public BookingctlTest {};

// A job's answer, or what it threw: from the pool's thread to the test's.
template <class T>
T await(std::future<T>& f) {
    if (f.wait_for(20s) != std::future_status::ready) throw std::runtime_error("no answer");
    return f.get();
}

TEST_F(DaemonPools, EveryConnectionHasTheStatementTimeout) {
    DbPool pool({database_url(), 2, 16, 5000ms, std::chrono::seconds(3)});
    for (int i = 0; i < 4; ++i) {
        std::promise<std::string> shown;
        auto future = shown.get_future();
        pool.submit(
            [&](pqxx::connection& conn, bool&) {
                pqxx::nontransaction tx(conn);
                shown.set_value(tx.exec1("SHOW statement_timeout")[0].as<std::string>());
            },
            [&](std::string_view why) { shown.set_value("refused: " + std::string(why)); });
        EXPECT_EQ(await(future), "3s");
    }
    // And PostgreSQL cancels a statement that runs past it (SQLSTATE 57014).
    std::promise<std::string> state;
    auto future = state.get_future();
    pool.submit(
        [&](pqxx::connection& conn, bool&) {
            try {
                pqxx::nontransaction tx(conn);
                tx.exec("SELECT pg_sleep(10)");
                state.set_value("finished");
            } catch (const pqxx::sql_error& e) {
                state.set_value(e.sqlstate());
            }
        },
        [&](std::string_view) { state.set_value("refused"); });
    EXPECT_EQ(await(future), "57014");
}

TEST_F(DaemonPools, WhatAJobThrowsIsContainedAndThePoolWorksOn) {
    DbPool pool({database_url(), 1, 16, 5000ms, std::chrono::seconds(5)});
    // Not a std::exception: nothing above the pool would catch it.
    pool.submit([](pqxx::connection&, bool&) { throw 42; }, [](std::string_view) {});
    pool.submit([](pqxx::connection&, bool&) { throw std::runtime_error("boom"); },
                [](std::string_view) {});
    std::promise<int> answer;
    auto future = answer.get_future();
    pool.submit(
        [&](pqxx::connection& conn, bool&) {
            pqxx::nontransaction tx(conn);
            answer.set_value(tx.exec1("SELECT 7")[0].as<int>());
        },
        [&](std::string_view) { answer.set_value(-1); });
    EXPECT_EQ(await(future), 7);
}

// submit_if_free (the /metrics scrape): refused at once, not after the queue's
// deadline, while every connection is busy; run as soon as one is free again.
TEST_F(DaemonPools, AJobThatMustNotWaitIsRefusedAtOnceWhileEveryConnectionIsBusy) {
    DbPool pool({database_url(), 1, 16, 60000ms, std::chrono::seconds(5)});
    std::promise<void> started, release;
    auto started_future = started.get_future();
    auto release_future = release.get_future().share();
    std::atomic<bool> held_done{false};
    pool.submit(
        [&, release_future](pqxx::connection&, bool&) {
            started.set_value();
            release_future.wait();
            held_done = true;
        },
        [&](std::string_view) { started.set_value(); });
    ASSERT_EQ(started_future.wait_for(20s), std::future_status::ready);

    std::promise<std::string> first;
    auto first_future = first.get_future();
    pool.submit_if_free([&](pqxx::connection&, bool&) { first.set_value("ran"); },
                        [&](std::string_view why) { first.set_value(std::string(why)); });
    // Answered while the held job still runs: it did not wait in the queue.
    EXPECT_EQ(await(first_future), "every database connection is busy");
    EXPECT_FALSE(held_done.load());
    EXPECT_EQ(pool.waiting(), 0);

    release.set_value();
    ASSERT_TRUE(poll_until([&] { return held_done.load(); }, 20s));
    // The worker is free again once it waits for the next job.
    EXPECT_TRUE(poll_until(
        [&] {
            std::promise<bool> outcome;
            auto future = outcome.get_future();
            pool.submit_if_free(
                [&](pqxx::connection& conn, bool&) {
                    pqxx::nontransaction tx(conn);
                    outcome.set_value(tx.exec1("SELECT 1")[0].as<int>() == 1);
                },
                [&](std::string_view) { outcome.set_value(false); });
            return await(future);
        },
        20s));
}

TEST_F(DaemonPools, WhatARefusalThrowsIsContainedAndThePoolWorksOn) {
    // Nothing listens there: every job is refused.
    DbPool pool(
        {"postgresql://127.0.0.1:" + std::to_string(unused_port()) + "/none?connect_timeout=2", 1,
         16, 5000ms, std::chrono::seconds(5)});
    pool.submit([](pqxx::connection&, bool&) {}, [](std::string_view) { throw 42; });
    std::atomic<int> refused{0};
    pool.submit([](pqxx::connection&, bool&) {}, [&](std::string_view) { refused.fetch_add(1); });
    EXPECT_TRUE(poll_until([&] { return refused.load() == 1; }, 20s));

    WorkPool work(1, 4, 5000ms);
    work.submit([] { throw 42; }, [] {});
    work.submit([] { throw std::runtime_error("boom"); }, [] {});
    std::promise<int> ran;
    auto future = ran.get_future();
    work.submit([&] { ran.set_value(1); }, [&] { ran.set_value(-1); });
    EXPECT_EQ(await(future), 1);
}

}  // namespace
}  // namespace booking::test
