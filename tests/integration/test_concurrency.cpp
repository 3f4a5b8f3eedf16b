// No double booking under concurrency (SPEC §1): the database's exclusion
// constraint decides, whoever races — two transactions, or many bookingctl runs.
#include <barrier>
#include <latch>
#include <thread>

#include "core/bookings/bookings.hpp"
#include "core/errors.hpp"
#include "core/time/business_time.hpp"
#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

using Concurrency = BookingctlTest;

constexpr int kProcesses = 8;

// Runs the same bookingctl command from kProcesses processes at once.
std::vector<ProcessResult> run_together(BookingctlTest& t, const std::vector<std::string>& args,
                                        int n = kProcesses) {
    std::vector<ProcessResult> results(n);
    std::barrier start(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            results[i] = t.ctl(args);
        });
    }
    for (auto& thread : threads) thread.join();
    return results;
}

TEST_F(Concurrency, TwoTransactionsBookingTheSameTimeOneCommitsOneGetsTheExclusionViolation) {
    auto ann = seed_user("ann@example.com", "Ann");
    auto bob = seed_user("bob@example.com", "Bob");
    seed_service("consultation", "Consultation", 60);
    const std::string insert =
        "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
        "blocked_until) "
        "SELECT $1, s.id, r.id, $2::timestamptz, $2::timestamptz + interval '1 hour', "
        "$2::timestamptz + interval '1 hour' FROM services s, resources r "
        "WHERE s.code = 'consultation' AND r.code = 'main'";

    struct Outcome {
        bool committed = false;
        std::string sqlstate;
        std::string error;
    };
    Outcome outcomes[2];
    std::barrier both_begun(2);
    std::latch first_inserted(1);
    auto book = [&](int i, long long user, const std::string& start) {
        bool signalled = false;
        auto signal = [&] {
            if (i == 0 && !std::exchange(signalled, true)) first_inserted.count_down();
        };
        try {
            pqxx::connection conn(database_url());
            pqxx::work tx(conn);
            tx.exec("SELECT 1");  // the transaction has begun
            both_begun.arrive_and_wait();
            // The second inserts once the first has (two plain INSERTs at the
            // very same instant can each wait for the other: a deadlock, not
            // the race this test is about).
            if (i == 1) first_inserted.wait();
            tx.exec_params0(insert, user, start);
            signal();
            // Hold the row a moment so that the other insert has to wait for this commit.
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            tx.commit();
            outcomes[i].committed = true;
        } catch (const pqxx::sql_error& e) {
            signal();
            outcomes[i].sqlstate = e.sqlstate();
            outcomes[i].error = e.what();
        } catch (const std::exception& e) {
            signal();
            outcomes[i].error = e.what();
        }
    };
    std::thread first(book, 0, ann, "2027-01-05T10:00:00Z");
    std::thread second(book, 1, bob, "2027-01-05T10:30:00Z");  // overlaps 10:30-11:00
    first.join();
    second.join();

    EXPECT_NE(outcomes[0].committed, outcomes[1].committed)
        << "first: " << outcomes[0].error << "\nsecond: " << outcomes[1].error;
    const Outcome& loser = outcomes[0].committed ? outcomes[1] : outcomes[0];
    EXPECT_EQ(loser.sqlstate, "23P01") << loser.error;
    EXPECT_EQ(number("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 1);
}

TEST_F(Concurrency, ParallelBookingsCreateForTheSameStartBookExactlyOnce) {
    seed_service("consultation", "Consultation", 60);
    std::string day = local_date(5);
    seed_slot("main", day + " 09:00", day + " 17:00");
    for (int i = 0; i < kProcesses; ++i) {
        seed_user("customer" + std::to_string(i) + "@example.com", "Customer " + std::to_string(i));
    }
    std::vector<ProcessResult> results(kProcesses);
    std::barrier start(kProcesses);
    std::vector<std::thread> threads;
    for (int i = 0; i < kProcesses; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            results[i] = ctl({"bookings", "create", "--user",
                              "customer" + std::to_string(i) + "@example.com", "--service",
                              "consultation", "--start", day + " 10:00"});
        });
    }
    for (auto& thread : threads) thread.join();

    int succeeded = 0;
    for (const auto& run : results) {
        if (run.exit_code == kOk) {
            ++succeeded;
        } else {
            EXPECT_TRUE(FailedWith(run, kConflict));
        }
    }
    EXPECT_EQ(succeeded, 1);
    EXPECT_EQ(number("SELECT count(*) FROM bookings"), 1);
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'confirmation'"), 1);
}

// bookingd checks a booking outside a transaction (bookings::prepare: a taken
// time costs one round trip) and books inside one (bookings::book). What
// happens in between is decided by the database: a time taken since, or a slot
// removed since, is a conflict, and nothing is written.
TEST_F(Concurrency, ATimeTakenOrASlotRemovedBetweenCheckAndBookIsAConflictAndWritesNothing) {
    const long long ann = seed_user("ann@example.com", "Ann");
    const long long bob = seed_user("bob@example.com", "Bob");
    seed_service("consultation", "Consultation", 60);
    const std::string day = local_date(5), other_day = local_date(6);
    seed_slot("main", day + " 09:00", day + " 17:00");
    const long long removed = seed_slot("main", other_day + " 09:00", other_day + " 12:00");
    const BookingPolicy policy;
    const Time now = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
    pqxx::connection conn(database_url());
    auto prepare = [&](long long user, const std::string& local_start) {
        bookings::NewBooking request;
        request.user_id = user;
        request.service = "consultation";
        request.start = *parse_rfc3339(utc_of_local(local_start));
        pqxx::nontransaction check(conn);
        return bookings::prepare(check, policy, request, now);
    };
    auto book = [&](const bookings::PreparedBooking& prepared) {
        pqxx::work tx(conn);
        Booking b = bookings::book(tx, prepared);
        tx.commit();
        return b;
    };

    const auto anns = prepare(ann, day + " 10:00");
    ASSERT_EQ(anns.free.size(), 1u);
    EXPECT_EQ(book(prepare(bob, day + " 10:00")).user_id, bob);
    EXPECT_THROW(book(anns), Conflict);
    EXPECT_THROW(prepare(ann, day + " 10:00"), Conflict);  // the check alone refuses it now

    const auto later = prepare(ann, other_day + " 10:00");
    {
        pqxx::work tx(db());
        tx.exec0("DELETE FROM slots WHERE id = " + std::to_string(removed));
        tx.commit();
    }
    EXPECT_THROW(book(later), Conflict);

    EXPECT_EQ(number("SELECT count(*) FROM bookings"), 1);
    EXPECT_EQ(number("SELECT count(*) FROM bookings WHERE user_id = " + std::to_string(bob)), 1);
    EXPECT_EQ(number("SELECT count(*) FROM emails"), 1);
}

TEST_F(Concurrency, ParallelOverlappingSlotsAddExactlyOnce) {
    auto results = run_together(*this, {"slots", "add", "--resource", "main", "--start",
                                        "2027-01-05 09:00", "--end", "2027-01-05 17:00"});
    int succeeded = 0;
    for (const auto& run : results) {
        if (run.exit_code == kOk)
            ++succeeded;
        else
            EXPECT_TRUE(FailedWith(run, kConflict));
    }
    EXPECT_EQ(succeeded, 1);
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 1);
}

using ConcurrentMigrations = EmptyDatabaseTest;

TEST_F(ConcurrentMigrations, ParallelMigrateRunsApplyEachMigrationOnce) {
    auto results = run_together(*this, {"db", "migrate"}, 4);
    for (const auto& run : results) EXPECT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(number("SELECT count(*) FROM resources WHERE code = 'main'"), 1);
    EXPECT_TRUE(ExitedWith(ctl({"db", "status", "--check"}), kOk));
}

}  // namespace
}  // namespace booking::test
