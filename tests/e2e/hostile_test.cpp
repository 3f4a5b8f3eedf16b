// Bad input of every kind gets a clear 4xx, changes nothing and disturbs no one.
#include <thread>

#include "tests/e2e/fixture.hpp"
#include "tests/support/wait.hpp"

namespace booking::e2e {
namespace {

class HostileTest : public E2eTest {
  protected:
    void SetUp() override {
        E2eTest::SetUp();
        start({{"server.request_timeout", "\"2s\""}, {"server.max_body_bytes", "4096"}});
        ann_ = account("ann@example.com");
        book(ann_, at(3, "10:00"));
        before_ = snapshot();
    }
    void TearDown() override {
        if (!HasFailure()) {
            EXPECT_EQ(snapshot(), before_) << "hostile input changed data";
            EXPECT_EQ(http().get("/healthz").status, 200);
        }
        E2eTest::TearDown();
    }
    std::string snapshot() {
        pqxx::nontransaction tx(db());
        std::string out;
        // Emails by what was queued, not by delivery progress: the mailer sends them meanwhile.
        for (const char* table :
             {"users", "bookings", "slots", "services", "idempotency_keys",
              "(SELECT id, booking_id, kind, recipient, booking_start, sequence FROM emails)"})
            out +=
                tx.exec1(
                      std::string(
                          "SELECT count(*)::text || md5(coalesce(string_agg(t::text, ',' ORDER BY "
                          "t::text), '')) FROM ") +
                      table + " t")[0]
                    .as<std::string>();
        return out;
    }
    int status_of_raw(const std::string& bytes) {
        RawConnection c(daemon().port());
        c.send(bytes);
        const auto answer = c.read_all(std::chrono::seconds(5));
        if (answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
        return std::stoi(answer.substr(9, 3));
    }
    Account ann_;
    std::string before_;
};

TEST_F(HostileTest, BodyOverTheLimitIs413WithoutReadingItAll) {
    const std::string huge(200000, 'x');
    auto r = http().request("POST", "/v1/bookings", "{\"notes\":\"" + huge + "\"}", ann_.auth());
    EXPECT_EQ(r.status, 413) << r.error;
    // Announced, never sent: the answer comes at once.
    RawConnection c(daemon().port());
    c.send(
        "POST /v1/bookings HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\nContent-Length: 100000000\r\n\r\n");
    const auto answer = c.read_all(std::chrono::seconds(3));
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer;
}

TEST_F(HostileTest, OversizedHeadersAndRequestLineAre431) {
    EXPECT_EQ(http().get("/healthz", {{"X-Filler", std::string(20000, 'a')}}).status, 431);
    EXPECT_EQ(status_of_raw("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"),
              431);
}

TEST_F(HostileTest, MalformedRequestsAre400) {
    EXPECT_EQ(status_of_raw("GARBAGE\r\n\r\n"), 400);
    EXPECT_EQ(status_of_raw("GET / HTTP/9.9\r\n\r\n"), 400);
    EXPECT_EQ(
        status_of_raw("POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
        400);
    EXPECT_EQ(status_of_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 400);
}

TEST_F(HostileTest, BadJsonBodies) {
    auto post = [&](const std::string& body, const std::string& type = "application/json") {
        auto headers = ann_.auth();
        headers.push_back({"Content-Type", type});
        return http().request("POST", "/v1/bookings", body, headers);
    };
    EXPECT_EQ(post("{\"service\": ").status, 400);
    EXPECT_EQ(post("").status, 400);
    EXPECT_EQ(post("{} trailing").status, 400);
    EXPECT_EQ(post("{\"service\":\"consultation\",\"start\":\"\xff\xfe\"}").status,
              400);                                                              // invalid UTF-8
    EXPECT_EQ(post(std::string(500, '[') + std::string(500, ']')).status, 400);  // deeply nested
    EXPECT_EQ(post("[1,2,3]").status, 422);
    EXPECT_EQ(post("{\"service\":[],\"start\":{}}").status, 422);
    EXPECT_EQ(post("{\"service\":\"consultation\",\"start\":\"" + at(3, "11:00") +
                   "\",\"notes\":\"a\\u0000b\"}")
                  .status,
              422);
    EXPECT_EQ(post("{\"service\":\"' OR 1=1 --\",\"start\":\"" + at(3, "11:00") + "\"}").status,
              422);
    EXPECT_EQ(post("{\"service\":\"consultation\"}", "text/plain").status, 415);
    EXPECT_EQ(post("service=consultation", "application/x-www-form-urlencoded").status, 415);
    EXPECT_EQ(
        http().request("POST", "/v1/auth/login", std::string("{}"), {{"Content-Type", ""}}).status,
        415);
    EXPECT_EQ(http().get("/v1/bookings?limit=99999999999999999999999", ann_.auth()).status, 400);
    EXPECT_EQ(http().get("/v1/bookings/99999999999999999999999", ann_.auth()).status, 404);
}

TEST_F(HostileTest, SlowClientsAreCutOffAfterRequestTimeout) {
    RawConnection slow(daemon().port());
    slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finishes its headers
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(slow.closed_within(std::chrono::seconds(6)));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
    RawConnection idle(daemon().port());
    EXPECT_TRUE(idle.closed_within(std::chrono::seconds(6)));
    // Meanwhile and afterwards everyone else is served.
    EXPECT_EQ(http().get("/healthz").status, 200);
}

TEST_F(HostileTest, ClientsVanishingMidRequestCostNothing) {
    for (int i = 0; i < 50; ++i) {
        RawConnection c(daemon().port());
        c.send(
            "POST /v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: "
            "application/json\r\nContent-Length: "
            "200\r\n\r\n{\"email\":\"gone");
        c.close();
    }
    for (int i = 0; i < 20; ++i) {
        RawConnection c(daemon().port());
        c.send("GET /v1/availability?date=" + local_date(3) +
               "&service=consultation HTTP/1.1\r\nHost: x\r\n\r\n");
        c.close();  // gone before the answer
    }
    // Every one of those connections is gone (only this client's is left).
    EXPECT_TRUE(test::poll_until([&] { return metric(http(), "bookingd_http_connections") == 1; },
                                 std::chrono::seconds(10)))
        << metric(http(), "bookingd_http_connections") << " connections still open";
    EXPECT_EQ(http().get("/v1/availability?date=" + local_date(3) + "&service=consultation").status,
              200);
    EXPECT_EQ(count("SELECT count(*) FROM users"), 1);
}

}  // namespace
}  // namespace booking::e2e
