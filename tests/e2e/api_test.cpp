// Every endpoint and status code of SPEC §3, over real HTTP.
#include "core/auth/jwt.hpp"
#include "tests/e2e/fixture.hpp"

namespace booking::e2e {
namespace {

void expect_problem(const HttpResult& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << r.body;
    const auto body = r.json();
    EXPECT_EQ(body.value("status", 0), status);
    EXPECT_TRUE(body.contains("type") && body.contains("title") && body.contains("detail"))
        << r.body;
    EXPECT_FALSE(r.header("X-Request-Id").empty());
}

TEST_F(E2eTest, HealthReadyAndMetrics) {
    auto r = http().get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["status"], "ok");
    r = http().get("/readyz");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "ready");
    r = http().get("/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.header("Content-Type").find("text/plain"), std::string::npos);
    EXPECT_NE(
        r.body.find(
            "bookingd_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"),
        std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("bookingd_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(r.body.find("bookingd_db_pool_in_use"), std::string::npos);
    EXPECT_NE(r.body.find("bookingd_db_pool_waiting"), std::string::npos);
    EXPECT_NE(r.body.find("bookingd_emails{status=\"pending\"} 0"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("bookingd_reminders_queued_total"), std::string::npos);
}

TEST_F(E2eTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
    expect_problem(http().get("/v1/nothing"), 404);
    expect_problem(http().get("/v1/bookings/abc"), 404);
    expect_problem(http().get("/v1/bookings/0"), 404);
    auto r = http().request("DELETE", "/v1/bookings");
    expect_problem(r, 405);
    EXPECT_EQ(r.header("Allow"), "POST, GET");
    r = http().request("PUT", "/v1/auth/login", std::string("{}"));
    expect_problem(r, 405);
    EXPECT_EQ(r.header("Allow"), "POST");
}

TEST_F(E2eTest, RequestIdIsEchoedWhenSaneAndGeneratedOtherwise) {
    auto r = http().get("/healthz", {{"X-Request-Id", "trace-42.a:b_c"}});
    EXPECT_EQ(r.header("X-Request-Id"), "trace-42.a:b_c");
    r = http().get("/healthz", {{"X-Request-Id", "bad id with spaces"}});
    EXPECT_FALSE(r.header("X-Request-Id").empty());
    EXPECT_NE(r.header("X-Request-Id"), "bad id with spaces");
    const auto first = http().get("/healthz").header("X-Request-Id");
    EXPECT_NE(first, http().get("/healthz").header("X-Request-Id"));
    EXPECT_NE(daemon().log().find("id=trace-42.a:b_c"), std::string::npos) << daemon().log();
}

TEST_F(E2eTest, RegisterLoginAndMe) {
    auto r = http().post_json(
        "/v1/auth/register",
        {{"email", "  Ann@Example.COM "}, {"password", "correct horse"}, {"name", "Ann"}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = r.json();
    EXPECT_EQ(body["user"]["email"], "ann@example.com");
    EXPECT_EQ(body["user"]["role"], "customer");
    EXPECT_EQ(body["user"]["name"], "Ann");
    EXPECT_TRUE(body["user"]["id"].is_number_integer());
    EXPECT_TRUE(body["user"]["created_at"].get<std::string>().ends_with("Z"));
    EXPECT_TRUE(body["expires_at"].is_string());
    EXPECT_FALSE(body["user"].contains("password_hash"));

    expect_problem(http().post_json("/v1/auth/register", {{"email", "ann@example.com"},
                                                          {"password", "another one"},
                                                          {"name", "Ann"}}),
                   409);
    r = http().post_json("/v1/auth/register",
                         {{"email", "not-an-email"}, {"password", "short"}, {"name", ""}});
    expect_problem(r, 422);
    EXPECT_EQ(r.json()["errors"].size(), 3u) << r.body;

    r = http().post_json("/v1/auth/login",
                         {{"email", "ANN@example.com"}, {"password", "correct horse"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string token = r.json()["token"];
    r = http().get("/v1/me", {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["email"], "ann@example.com");

    auto wrong = http().post_json("/v1/auth/login",
                                  {{"email", "ann@example.com"}, {"password", "wrong password"}});
    auto unknown = http().post_json("/v1/auth/login",
                                    {{"email", "bob@example.com"}, {"password", "wrong password"}});
    expect_problem(wrong, 401);
    expect_problem(unknown, 401);
    EXPECT_EQ(wrong.json()["detail"], unknown.json()["detail"]);
    EXPECT_NE(wrong.header("WWW-Authenticate").find("Bearer"), std::string::npos);
    EXPECT_EQ(count("SELECT count(*) FROM users"), 1);
}

TEST_F(E2eTest, LoginLockoutAnswers429WithRetryAfterEvenForTheRightPassword) {
    start({{"auth.login_max_failures", "3"}, {"auth.login_lockout", "\"15m\""}});
    account("lock@example.com");
    for (int i = 0; i < 3; ++i)
        expect_problem(http().post_json("/v1/auth/login",
                                        {{"email", "lock@example.com"}, {"password", "nope nope"}}),
                       401);
    auto r = http().post_json("/v1/auth/login",
                              {{"email", "lock@example.com"}, {"password", "correct horse"}});
    expect_problem(r, 429);
    const int retry = std::stoi(r.header("Retry-After"));
    EXPECT_GT(retry, 800);
    EXPECT_LE(retry, 900);
    // Once the lockout has passed since the last failure, the right password works.
    pqxx::work tx(db());
    tx.exec0("UPDATE login_failures SET failed_at = failed_at - interval '16 minutes'");
    tx.commit();
    EXPECT_EQ(http()
                  .post_json("/v1/auth/login",
                             {{"email", "lock@example.com"}, {"password", "correct horse"}})
                  .status,
              200);
}

TEST_F(E2eTest, ServicesAndResourcesListActiveOnesByCode) {
    pqxx::work tx(db());
    tx.exec0(
        "INSERT INTO services (code, name, duration_minutes, active) VALUES ('zzz', 'Old', 30, "
        "false)");
    tx.exec0("INSERT INTO resources (code, name) VALUES ('alice', 'Alice')");
    tx.commit();
    auto r = http().get("/v1/services");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto services = r.json()["services"];
    ASSERT_EQ(services.size(), 2u);
    EXPECT_EQ(services[0]["code"], "checkup");
    EXPECT_EQ(services[1], nlohmann::json({{"code", "consultation"},
                                           {"name", "Consultation"},
                                           {"duration_minutes", 60},
                                           {"buffer_minutes", 0},
                                           {"description", ""},
                                           {"active", true}}));
    r = http().get("/v1/resources");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["resources"],
              nlohmann::json::parse(R"([{"code":"alice","name":"Alice","active":true},
                                                              {"code":"main","name":"Main","active":true}])"));
}

TEST_F(E2eTest, AvailabilityListsFreeStartsAndDropsBookedOnes) {
    const auto date = local_date(2);
    auto r = http().get("/v1/availability?date=" + date + "&service=consultation");
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    EXPECT_EQ(body["date"], date);
    EXPECT_EQ(body["time_zone"], "Europe/London");
    EXPECT_EQ(body["service"], "consultation");
    ASSERT_EQ(body["slots"].size(), 15u);  // 09:00 .. 16:00 every 30 minutes
    EXPECT_EQ(body["slots"][0]["start"], at(2, "09:00"));
    EXPECT_EQ(body["slots"][0]["end"], at(2, "10:00"));
    EXPECT_EQ(body["slots"][0]["resources"], nlohmann::json::array({"main"}));

    book(account("a@example.com"), at(2, "10:00"));
    body = http().get("/v1/availability?date=" + date + "&service=consultation").json();
    // 09:30, 10:00 and 10:30 overlap 10:00-11:00.
    EXPECT_EQ(body["slots"].size(), 12u) << body.dump();
    for (const auto& s : body["slots"]) EXPECT_NE(s["start"], at(2, "10:00"));

    EXPECT_EQ(
        http().get("/v1/availability?date=2001-01-01&service=consultation").json()["slots"].size(),
        0u);
    expect_problem(http().get("/v1/availability?date=" + date + "&service=nope"), 404);
    expect_problem(
        http().get("/v1/availability?date=" + date + "&service=consultation&resource=nope"), 404);
    expect_problem(http().get("/v1/availability?date=2026-02-30&service=consultation"), 400);
    expect_problem(http().get("/v1/availability?date=tomorrow&service=consultation"), 400);
    expect_problem(http().get("/v1/availability?service=consultation"), 400);
    expect_problem(http().get("/v1/availability?date=" + date), 400);
    expect_problem(http().get("/v1/availability?date=%ZZ&service=x"), 400);
}

TEST_F(E2eTest, CreateBookingAnswers201WithLocationAndQueuesAnEmail) {
    const auto ann = account("ann@example.com");
    auto r = http().post_json(
        "/v1/bookings", {{"service", "consultation"}, {"start", at(3, "11:00")}, {"notes", "hi"}},
        ann.auth());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto b = r.json();
    EXPECT_EQ(r.header("Location"), "/v1/bookings/" + std::to_string(b["id"].get<long long>()));
    EXPECT_EQ(b["user_id"], ann.id);
    EXPECT_EQ(b["service"], "consultation");
    EXPECT_EQ(b["resource"], "main");
    EXPECT_EQ(b["start"], at(3, "11:00"));
    EXPECT_EQ(b["end"], at(3, "12:00"));
    EXPECT_EQ(b["duration_minutes"], 60);
    EXPECT_EQ(b["status"], "confirmed");
    EXPECT_EQ(b["notes"], "hi");
    EXPECT_TRUE(b["cancelled_at"].is_null());
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'confirmation'"), 1);

    // Taken (also by the buffer of another service): 409.
    expect_problem(
        http().post_json("/v1/bookings", {{"service", "consultation"}, {"start", at(3, "11:30")}},
                         account("bob@example.com").auth()),
        409);
}

TEST_F(E2eTest, CreateBookingRefusesBadStartsWith422) {
    const auto ann = account("ann@example.com");
    auto post = [&](nlohmann::json body) {
        return http().post_json("/v1/bookings", body, ann.auth());
    };
    expect_problem(post({{"service", "consultation"}, {"start", at(3, "11:10")}}),
                   422);  // off the grid
    expect_problem(post({{"service", "consultation"}, {"start", at(3, "18:00")}}),
                   422);  // outside slots
    expect_problem(post({{"service", "consultation"}, {"start", "2030-01-01T10:00:00"}}),
                   422);  // no offset
    expect_problem(post({{"service", "consultation"}, {"start", "2001-01-01T10:00:00Z"}}),
                   422);  // past
    expect_problem(post({{"service", "consultation"}, {"start", at(90, "10:00")}}),
                   422);                                                          // horizon
    expect_problem(post({{"service", "nope"}, {"start", at(3, "10:00")}}), 422);  // unknown service
    expect_problem(post({{"start", at(3, "10:00")}}), 422);                       // missing
    expect_problem(post({{"service", "consultation"}, {"start", 12}}), 422);      // wrong type
    expect_problem(post({{"service", "consultation"},
                         {"start", at(3, "10:00")},
                         {"notes", std::string(1001, 'x')}}),
                   422);
    expect_problem(
        http().post_json("/v1/bookings", {{"service", "consultation"}, {"start", at(3, "10:00")}}),
        401);
    EXPECT_EQ(count("SELECT count(*) FROM bookings"), 0);
}

TEST_F(E2eTest, IdempotencyKeyReplaysTheFirstAnswer) {
    const auto ann = account("ann@example.com");
    auto headers = ann.auth();
    headers.push_back({"Idempotency-Key", "order-1"});
    const nlohmann::json body = {{"service", "consultation"}, {"start", at(3, "10:00")}};
    auto first = http().post_json("/v1/bookings", body, headers);
    auto second = http().post_json("/v1/bookings", body, headers);
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.header("Location"), first.header("Location"));
    EXPECT_EQ(count("SELECT count(*) FROM bookings"), 1);
    // The same key with a different body: 422.
    expect_problem(
        http().post_json("/v1/bookings", {{"service", "consultation"}, {"start", at(3, "13:00")}},
                         headers),
        422);
    // A refusal is replayed too.
    auto other = account("bob@example.com").auth();
    other.push_back({"Idempotency-Key", "order-1"});
    auto refused = http().post_json("/v1/bookings", body, other);
    expect_problem(refused, 409);
    EXPECT_EQ(http().post_json("/v1/bookings", body, other).body, refused.body);
    headers.back().second = std::string(256, 'k');
    expect_problem(http().post_json("/v1/bookings", body, headers), 422);
}

TEST_F(E2eTest, ListBookingsPaginatesWithACursorAndShowsCustomersOnlyTheirOwn) {
    const auto ann = account("ann@example.com");
    const auto bob = account("bob@example.com");
    const auto staff = account("staff@example.com", "staff");
    for (const char* t : {"09:00", "10:00", "11:00", "12:00", "13:00"}) book(ann, at(2, t));
    book(bob, at(3, "09:00"));

    std::vector<long long> seen;
    std::string target = "/v1/bookings?limit=2";
    for (int page = 0; page < 5; ++page) {
        auto r = http().get(target, ann.auth());
        ASSERT_EQ(r.status, 200) << r.body;
        const auto body = r.json();
        for (const auto& b : body["bookings"]) {
            EXPECT_EQ(b["user_id"], ann.id);
            seen.push_back(b["id"]);
        }
        if (body["next_cursor"].is_null()) break;
        target = "/v1/bookings?limit=2&cursor=" + body["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen.size(), 5u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

    auto all = http().get("/v1/bookings", staff.auth()).json();
    EXPECT_EQ(all["bookings"].size(), 6u);
    EXPECT_TRUE(all["next_cursor"].is_null());
    EXPECT_EQ(http()
                  .get("/v1/bookings?user_id=" + std::to_string(bob.id), staff.auth())
                  .json()["bookings"]
                  .size(),
              1u);
    EXPECT_EQ(http()
                  .get("/v1/bookings?from=" + local_date(3) + "&to=" + local_date(3), staff.auth())
                  .json()["bookings"]
                  .size(),
              1u);
    EXPECT_EQ(http().get("/v1/bookings?status=cancelled", staff.auth()).json()["bookings"].size(),
              0u);
    expect_problem(http().get("/v1/bookings?limit=0", ann.auth()), 400);
    expect_problem(http().get("/v1/bookings?limit=501", ann.auth()), 400);
    expect_problem(http().get("/v1/bookings?limit=ten", ann.auth()), 400);
    expect_problem(http().get("/v1/bookings?status=maybe", ann.auth()), 400);
    expect_problem(http().get("/v1/bookings?cursor=garbage", ann.auth()), 400);
    expect_problem(http().get("/v1/bookings?from=2026-13-01", ann.auth()), 400);
    expect_problem(http().get("/v1/bookings"), 401);
}

TEST_F(E2eTest, GetCancelRescheduleAndIcs) {
    const auto ann = account("ann@example.com");
    const auto bob = account("bob@example.com");
    const auto id = std::to_string(book(ann, at(3, "10:00"))["id"].get<long long>());

    auto r = http().get("/v1/bookings/" + id, ann.auth());
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["id"].get<long long>(), std::stoll(id));
    expect_problem(http().get("/v1/bookings/" + id, bob.auth()),
                   404);  // another customer's: 404, never 403
    expect_problem(http().get("/v1/bookings/999999", ann.auth()), 404);

    r = http().get("/v1/bookings/" + id + "/ics", ann.auth());
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.header("Content-Type").find("text/calendar"), std::string::npos);
    EXPECT_NE(r.body.find("BEGIN:VEVENT"), std::string::npos);
    EXPECT_NE(r.body.find("UID:booking-" + id + "@"), std::string::npos);
    expect_problem(http().get("/v1/bookings/" + id + "/ics", bob.auth()), 404);

    r = http().post_json("/v1/bookings/" + id + "/reschedule", {{"start", at(4, "14:00")}},
                         ann.auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["start"], at(4, "14:00"));
    expect_problem(http().post_json("/v1/bookings/" + id + "/reschedule",
                                    {{"start", at(4, "14:10")}}, ann.auth()),
                   422);
    book(bob, at(5, "10:00"));
    r = http().post_json("/v1/bookings/" + id + "/reschedule", {{"start", at(5, "10:00")}},
                         ann.auth());
    expect_problem(r, 409);
    EXPECT_EQ(http().get("/v1/bookings/" + id, ann.auth()).json()["start"],
              at(4, "14:00"));  // kept
    expect_problem(http().post_json("/v1/bookings/" + id + "/reschedule",
                                    {{"start", at(4, "15:00")}}, bob.auth()),
                   404);
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'rescheduled'"), 1);

    expect_problem(
        http().post_json("/v1/bookings/" + id + "/cancel", nlohmann::json::object(), bob.auth()),
        404);
    r = http().request("POST", "/v1/bookings/" + id + "/cancel", {}, ann.auth());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "cancelled");
    EXPECT_TRUE(r.json()["cancelled_at"].is_string());
    auto again = http().request("POST", "/v1/bookings/" + id + "/cancel", {}, ann.auth());
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.json(), r.json());
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'cancellation'"), 1);
}

TEST_F(E2eTest, CustomersCannotCancelLateButStaffCan) {
    const auto ann = account("ann@example.com");
    const auto staff = account("staff@example.com", "staff");
    const auto id = std::to_string(book(ann, at(3, "10:00"))["id"].get<long long>());
    // Move the booking to within cancel_notice (2h) of now, straight in the database.
    pqxx::work tx(db());
    tx.exec0(
        "UPDATE bookings SET starts_at = now() + interval '1 hour', ends_at = now() + interval '2 "
        "hours', "
        "blocked_until = now() + interval '2 hours' WHERE id = " +
        id);
    tx.commit();
    expect_problem(http().request("POST", "/v1/bookings/" + id + "/cancel", {}, ann.auth()), 409);
    EXPECT_EQ(http().request("POST", "/v1/bookings/" + id + "/cancel", {}, staff.auth()).status,
              200);
}

TEST_F(E2eTest, StaffManageSlotsCustomersGet403) {
    const auto ann = account("ann@example.com");
    const auto staff = account("staff@example.com", "staff");
    const nlohmann::json slot = {
        {"resource", "main"}, {"start", at(10, "09:00")}, {"end", at(10, "12:00")}};
    expect_problem(http().post_json("/v1/slots", slot, ann.auth()), 403);
    expect_problem(http().get("/v1/slots", ann.auth()), 403);
    expect_problem(http().get("/v1/slots"), 401);

    auto r = http().post_json("/v1/slots", slot, staff.auth());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto created = r.json();
    EXPECT_EQ(created["resource"], "main");
    EXPECT_EQ(created["start"], at(10, "09:00"));
    EXPECT_EQ(created["end"], at(10, "12:00"));
    const auto id = std::to_string(created["id"].get<long long>());
    expect_problem(http().post_json(
                       "/v1/slots",
                       {{"resource", "main"}, {"start", at(10, "11:00")}, {"end", at(10, "13:00")}},
                       staff.auth()),
                   409);
    expect_problem(http().post_json(
                       "/v1/slots",
                       {{"resource", "main"}, {"start", at(10, "13:00")}, {"end", at(10, "12:00")}},
                       staff.auth()),
                   422);
    expect_problem(
        http().post_json("/v1/slots",
                         {{"resource", "main"}, {"start", "x"}, {"end", at(10, "12:00")}},
                         staff.auth()),
        422);

    r = http().get("/v1/slots?from=" + local_date(10) + "&to=" + local_date(10) + "&resource=main",
                   staff.auth());
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json()["slots"].size(), 1u);
    EXPECT_EQ(r.json()["slots"][0], created);

    // A slot with a confirmed booking inside cannot go; an empty one can.
    const auto busy_slot = count("SELECT id FROM slots ORDER BY starts_at LIMIT 1 OFFSET 1");
    book(ann, at(2, "10:00"));
    expect_problem(
        http().request("DELETE", "/v1/slots/" + std::to_string(busy_slot), {}, staff.auth()), 409);
    r = http().request("DELETE", "/v1/slots/" + id, {}, staff.auth());
    EXPECT_EQ(r.status, 204) << r.body;
    EXPECT_TRUE(r.body.empty());
    expect_problem(http().request("DELETE", "/v1/slots/" + id, {}, staff.auth()), 404);
    expect_problem(http().request("DELETE", "/v1/slots/" + id, {}, ann.auth()), 403);
}

TEST_F(E2eTest, BadTokensAre401) {
    const auto ann = account("ann@example.com");
    const auto me = [&](const std::string& header) {
        return http().get("/v1/me", {{"Authorization", header}});
    };
    ASSERT_EQ(me("Bearer " + ann.token).status, 200);
    // Forged: the payload changed (role admin), the signature kept.
    const auto dot1 = ann.token.find('.'), dot2 = ann.token.rfind('.');
    const std::string forged_payload =
        "eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIiwiaXNzIjoiYm9va2luZ2QiLCJleHAiOjQxMDI0NDQ4MDB9";
    expect_problem(
        me("Bearer " + ann.token.substr(0, dot1 + 1) + forged_payload + ann.token.substr(dot2)),
        401);
    // alg none, with and without a signature.
    const std::string none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
    expect_problem(
        me("Bearer " + none_header + "." + ann.token.substr(dot1 + 1, dot2 - dot1 - 1) + "."), 401);
    expect_problem(me("Bearer " + none_header + "." + ann.token.substr(dot1 + 1)), 401);
    // Signed with another secret; expired; wrong issuer is covered by the secret check.
    User user;
    user.id = ann.id;
    auth::TokenService other("another-secret-that-is-long-enough-0123456789",
                             std::chrono::hours(1));
    expect_problem(me("Bearer " + other
                                      .issue(user, std::chrono::floor<std::chrono::seconds>(
                                                       std::chrono::system_clock::now()))
                                      .token),
                   401);
    auth::TokenService ours(kTestSecret, std::chrono::seconds(60));
    const auto long_ago =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
        std::chrono::hours(2);
    expect_problem(me("Bearer " + ours.issue(user, long_ago).token), 401);
    expect_problem(me("Bearer garbage"), 401);
    expect_problem(me("Basic " + ann.token), 401);
    auto r = http().get("/v1/me");
    expect_problem(r, 401);
    EXPECT_NE(r.header("WWW-Authenticate").find("Bearer"), std::string::npos);
}

TEST_F(E2eTest, DisabledUsersTokensAreRefused) {
    const auto ann = account("ann@example.com");
    pqxx::work tx(db());
    tx.exec0("UPDATE users SET disabled_at = now() WHERE id = " + std::to_string(ann.id));
    tx.commit();
    expect_problem(http().get("/v1/me", ann.auth()), 401);
    expect_problem(http().get("/v1/bookings", ann.auth()), 401);
    expect_problem(
        http().post_json("/v1/auth/login", {{"email", ann.email}, {"password", "correct horse"}}),
        401);
}

TEST_F(E2eTest, TrustedProxiesForwardedAddressIsLogged) {
    start({{"server.trusted_proxies", "[\"127.0.0.1\"]"}});
    http().get("/healthz",
               {{"X-Forwarded-For", "203.0.113.9, 10.1.2.3"}, {"X-Request-Id", "via-proxy"}});
    http().get("/healthz", {{"X-Forwarded-For", "<script>"}, {"X-Request-Id", "bad-forward"}});
    const auto log = daemon().log();
    EXPECT_NE(log.find("id=via-proxy peer=10.1.2.3"), std::string::npos) << log;
    EXPECT_NE(log.find("id=bad-forward peer=127.0.0.1"), std::string::npos) << log;
}

TEST_F(E2eTest, KeepAliveServesManyRequestsOnOneConnection) {
    for (int i = 0; i < 50; ++i) ASSERT_EQ(http().get("/healthz").status, 200);
    auto metrics = http().get("/metrics").body;
    EXPECT_NE(metrics.find("bookingd_http_connections"), std::string::npos);
}

}  // namespace
}  // namespace booking::e2e
