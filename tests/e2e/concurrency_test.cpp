// Races decided by PostgreSQL: many clients, one start time; one key, many requests.
#include <atomic>
#include <thread>

#include "tests/e2e/fixture.hpp"

namespace booking::e2e {
namespace {

TEST_F(E2eTest, HundredClientsBookingTheSameStartGetOne201And99Conflicts) {
    start({{"database.pool_size", "8"}});
    constexpr int kClients = 100;
    std::vector<Account> accounts;
    for (int i = 0; i < kClients; ++i)
        accounts.push_back(account("c" + std::to_string(i) + "@example.com"));
    const nlohmann::json body = {{"service", "consultation"}, {"start", at(3, "10:00")}};
    std::vector<int> statuses(kClients);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
        threads.emplace_back([&, i] {
            HttpClient client(daemon().port());
            client.get("/healthz");  // connected before the race starts
            ready.fetch_add(1);
            while (ready.load() < kClients) std::this_thread::yield();
            statuses[i] = client.post_json("/v1/bookings", body, accounts[i].auth()).status;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kClients - 1);
    EXPECT_EQ(count("SELECT count(*) FROM bookings"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM emails"), 1);
}

TEST_F(E2eTest, SameIdempotencyKeyTwentyTimesConcurrentlyMakesOneBooking) {
    const auto ann = account("ann@example.com");
    auto headers = ann.auth();
    headers.push_back({"Idempotency-Key", "same-key"});
    const nlohmann::json body = {{"service", "consultation"}, {"start", at(3, "10:00")}};
    constexpr int kRequests = 20;
    std::vector<HttpResult> results(kRequests);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i)
        threads.emplace_back([&, i] {
            HttpClient client(daemon().port());
            results[i] = client.post_json("/v1/bookings", body, headers);
        });
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
        EXPECT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.body, results[0].body);
    }
    EXPECT_EQ(count("SELECT count(*) FROM bookings"), 1);
}

TEST_F(E2eTest, AnyFreeResourceIsChosenAndAllBusyIs409) {
    pqxx::work tx(db());
    tx.exec0("INSERT INTO resources (code, name) VALUES ('alice', 'Alice')");
    tx.exec0(
        "INSERT INTO slots (resource_id, starts_at, ends_at) SELECT (SELECT id FROM resources "
        "WHERE code = "
        "'alice'), starts_at, ends_at FROM slots");
    tx.commit();
    std::set<std::string> used;
    for (int i = 0; i < 2; ++i)
        used.insert(
            book(account("u" + std::to_string(i) + "@example.com"), at(3, "10:00"))["resource"]
                .get<std::string>());
    EXPECT_EQ(used, (std::set<std::string>{"alice", "main"}));
    book(account("late@example.com"), at(3, "10:00"), "consultation", 409);
    auto r = http().get("/v1/availability?date=" + local_date(3) +
                        "&service=consultation&resource=alice");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    for (const auto& s : body["slots"]) EXPECT_NE(s["start"], at(3, "10:00"));
}

}  // namespace
}  // namespace booking::e2e
