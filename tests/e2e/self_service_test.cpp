// Self-service from the inbox (SPEC §3, §8): manage links, password reset and
// sign-in links, end to end: the real bookingd, a real SMTP server, the links
// read from the messages it stored, and a real HTTP client. Also the login
// lockout under concurrency and the one limiter of wrong guesses.
#include <gtest/gtest.h>

#include <cctype>

#include <atomic>
#include <fstream>
#include <thread>

#include "tests/e2e/fixture.hpp"
#include "tests/support/mail_sink.hpp"
#include "tests/support/process.hpp"

namespace booking::e2e {
namespace {

using namespace std::chrono_literals;
using test::mail::header;
using test::mail::inspect;
using test::mail::SmtpSink;

constexpr const char* kPublicUrl = "https://studio.example";

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// The first thing in text that looks like a link secret: bm_, rt_ or sl_
// followed by at least min_length base64url characters (empty: none). Plain
// scanning, not std::regex (GCC 12 warns falsely inside <regex> at -O1).
std::string secret_like(const std::string& text, std::size_t min_length) {
    auto is_token_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    };
    for (const char* prefix : {"bm_", "rt_", "sl_"}) {
        for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
            std::size_t end = at + 3;
            while (end < text.size() && is_token_char(text[end])) ++end;
            if (end - at - 3 >= min_length) return text.substr(at, end - at);
        }
    }
    return {};
}

class SelfServiceE2e : public E2eTest {
  protected:
    void SetUp() override {
        E2eTest::SetUp();
        sink_ = std::make_unique<SmtpSink>(work_dir_ + "/sink");
    }
    void TearDown() override {
        // No secret of any kind anywhere in the daemon's whole log (access
        // and application lines alike).
        const auto log = daemon().log();
        EXPECT_EQ(secret_like(log, 43), "");
        E2eTest::TearDown();
        sink_.reset();
    }

    Daemon& start_linked(std::map<std::string, std::string> extra = {}) {
        auto settings = smtp_settings(sink_->port());
        settings["site.public_url"] = std::string("\"") + kPublicUrl + "\"";
        for (auto& [k, v] : extra) settings[k] = v;
        return start(settings);
    }

    // The text/plain part of the n-th message (1-based) once it has arrived.
    nlohmann::json message(std::size_t n) {
        EXPECT_TRUE(sink_->wait_for(n, 10s)) << daemon().log();
        const auto files = sink_->messages();
        if (files.size() < n) return nlohmann::json::object();
        return inspect(files.at(n - 1));
    }
    static std::string text_of(const nlohmann::json& m) {
        for (const auto& part : m["parts"])
            if (part["content_type"] == "text/plain") return part["text"].get<std::string>();
        return {};
    }
    // The link after `label` in the text ("Manage your booking: " or the URL's start).
    static std::string link_in(const std::string& text, const std::string& start) {
        const auto at = text.find(start);
        if (at == std::string::npos) return {};
        const auto end = text.find_first_of(" \r\n", at);
        return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    }
    static std::string fragment(const std::string& link) {
        const auto hash = link.find('#');
        return hash == std::string::npos ? std::string() : link.substr(hash + 1);
    }
    std::string manage_token_of_message(std::size_t n, long long booking_id) {
        const auto text = text_of(message(n));
        const auto link =
            link_in(text, std::string(kPublicUrl) + "/manage/" + std::to_string(booking_id) + "#");
        EXPECT_NE(text.find("Manage your booking: " + link), std::string::npos) << text;
        return fragment(link);
    }
    std::string link_token(std::size_t n, const std::string& path) {
        const auto m = message(n);
        EXPECT_EQ(m["content_type"], "text/plain") << m.dump(2);
        return fragment(link_in(text_of(m), std::string(kPublicUrl) + path + "#"));
    }

    std::unique_ptr<SmtpSink> sink_;
};

TEST_F(SelfServiceE2e, ManageLinkFromTheConfirmationActsOnThatBookingOnly) {
    start_linked();
    const auto ann = account("ann@example.test");
    const auto b = book(ann, at(3, "10:00"));
    const auto other = book(ann, at(3, "12:00"));
    const auto id = b["id"].get<long long>();
    const auto token = manage_token_of_message(1, id);
    ASSERT_EQ(token.rfind("bm_", 0), 0u) << token;
    EXPECT_GE(token.size(), 3u + 22u);  // at least 128 bits

    auto r = http().get("/v1/bookings/" + std::to_string(id), bearer(token));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["id"], id);
    r = http().get("/v1/bookings/" + std::to_string(id) + "/ics", bearer(token));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("BEGIN:VEVENT"), std::string::npos);
    // Another booking (even the same customer's): 404; any other endpoint: 401.
    EXPECT_EQ(
        http()
            .get("/v1/bookings/" + std::to_string(other["id"].get<long long>()), bearer(token))
            .status,
        404);
    EXPECT_EQ(http().get("/v1/me", bearer(token)).status, 401);
    EXPECT_EQ(http().get("/v1/bookings", bearer(token)).status, 401);
    EXPECT_EQ(
        http()
            .post_json("/v1/bookings", {{"service", "consultation"}, {"start", at(4, "10:00")}},
                       bearer(token))
            .status,
        401);
    // A forged token (the right shape, a wrong MAC): 401.
    std::string forged = token;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(http().get("/v1/bookings/" + std::to_string(id), bearer(forged)).status, 401);

    // Reschedule, then cancel, through the link; then it still shows the
    // booking, and cancel and reschedule are 409.
    r = http().post_json("/v1/bookings/" + std::to_string(id) + "/reschedule",
                         {{"start", at(3, "14:00")}}, bearer(token));
    EXPECT_EQ(r.status, 200) << r.body;
    r = http().request(
        "POST", "/v1/bookings/" + std::to_string(id) + "/cancel", "{}",
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "cancelled");
    r = http().get("/v1/bookings/" + std::to_string(id), bearer(token));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["status"], "cancelled");
    r = http().request(
        "POST", "/v1/bookings/" + std::to_string(id) + "/cancel", "{}",
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 409) << r.body;
    r = http().post_json("/v1/bookings/" + std::to_string(id) + "/reschedule",
                         {{"start", at(3, "15:00")}}, bearer(token));
    EXPECT_EQ(r.status, 409) << r.body;
    // The rescheduled email carried the link too.
    const auto rescheduled = text_of(message(3));
    EXPECT_NE(rescheduled.find("Manage your booking: "), std::string::npos) << rescheduled;
    EXPECT_EQ(daemon().log().find(token), std::string::npos);
}

TEST_F(SelfServiceE2e, ManageLinkKeepsTheCustomersNoticeAndEndsWithTheBooking) {
    start_linked({{"business.min_notice", "\"0s\""}});
    const auto ann = account("ann@example.test");
    const auto b = book(ann, at(3, "10:00"));
    const auto id = b["id"].get<long long>();
    const auto token = manage_token_of_message(1, id);
    {
        pqxx::work tx(db());  // within cancel_notice now
        tx.exec0(
            "UPDATE bookings SET starts_at = now() + interval '30 minutes', ends_at = now() + "
            "interval '90 minutes', blocked_until = now() + interval '90 minutes' WHERE id = " +
            std::to_string(id));
        tx.commit();
    }
    auto r = http().request(
        "POST", "/v1/bookings/" + std::to_string(id) + "/cancel", "{}",
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 409) << r.body;
    {
        pqxx::work tx(db());  // over
        tx.exec0(
            "UPDATE bookings SET starts_at = now() - interval '2 hours', ends_at = now() - "
            "interval '1 hour', blocked_until = now() - interval '1 hour' WHERE id = " +
            std::to_string(id));
        tx.commit();
    }
    EXPECT_EQ(http().get("/v1/bookings/" + std::to_string(id), bearer(token)).status, 401);
}

TEST_F(SelfServiceE2e, NoManageLineWithoutAPublicUrl) {
    start(smtp_settings(sink_->port()));
    const auto ann = account("ann@example.test");
    book(ann, at(3, "10:00"));
    const auto text = text_of(message(1));
    EXPECT_EQ(text.find("Manage your booking"), std::string::npos) << text;
    EXPECT_EQ(text.find("bm_"), std::string::npos);
    // And no reset email is queued while links cannot be sent.
    EXPECT_EQ(http().post_json("/v1/auth/password-reset", {{"email", ann.email}}).status, 202);
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'password_reset'"), 0);
}

TEST_F(SelfServiceE2e, PasswordResetFromTheEmailToSigningInWithTheNewPassword) {
    start_linked();
    const auto ann = account("ann@example.test");
    const auto bob = account("bob@example.test");
    auto r = http().post_json("/v1/auth/password-reset", {{"email", "ANN@example.test "}});
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, "{}");
    // An unknown address answers the same, and sends nothing.
    r = http().post_json("/v1/auth/password-reset", {{"email", "nobody@example.test"}});
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, "{}");
    const auto m = message(1);
    EXPECT_EQ(header(m, "Subject").rfind("Reset your password", 0), 0u) << header(m, "Subject");
    EXPECT_EQ(header(m, "To"), "Test <ann@example.test>");
    const auto token = fragment(link_in(text_of(m), std::string(kPublicUrl) + "/reset#"));
    ASSERT_EQ(token.rfind("rt_", 0), 0u) << text_of(m);

    // A too-short password is 422 on password, and uses nothing up.
    r = http().post_json("/v1/auth/password-reset/confirm",
                         {{"token", token}, {"password", "short"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json()["errors"][0]["field"], "password");

    r = http().post_json("/v1/auth/password-reset/confirm",
                         {{"token", token}, {"password", "a brand new password"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["user"]["email"], "ann@example.test");
    const auto fresh = r.json()["token"].get<std::string>();
    EXPECT_EQ(http().get("/v1/me", bearer(fresh)).status, 200);
    // The JWT from before the reset is refused; the old password is wrong; the new one works.
    EXPECT_EQ(http().get("/v1/me", ann.auth()).status, 401);
    EXPECT_EQ(
        http()
            .post_json("/v1/auth/login", {{"email", ann.email}, {"password", "correct horse"}})
            .status,
        401);
    r = http().post_json("/v1/auth/login",
                         {{"email", ann.email}, {"password", "a brand new password"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(http().get("/v1/me", bearer(r.json()["token"].get<std::string>())).status, 200);
    // Bob's account is untouched.
    EXPECT_EQ(http().get("/v1/me", bob.auth()).status, 200);

    // The link used twice: 422 on token.
    r = http().post_json("/v1/auth/password-reset/confirm",
                         {{"token", token}, {"password", "yet another password"}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json()["errors"][0]["field"], "token");
    EXPECT_EQ(r.body.find(token), std::string::npos);
    EXPECT_EQ(daemon().log().find(token), std::string::npos);
}

TEST_F(SelfServiceE2e, ResetTokensAreSingleUseForTheirOwnAccountAndExpire) {
    start_linked({{"auth.reset_ttl", "\"1h\""}});
    const auto ann = account("ann@example.test");
    EXPECT_EQ(http().post_json("/v1/auth/password-reset", {{"email", ann.email}}).status, 202);
    EXPECT_EQ(http().post_json("/v1/auth/password-reset", {{"email", ann.email}}).status, 202);
    const auto first = link_token(1, "/reset");
    const auto second = link_token(2, "/reset");
    ASSERT_NE(first, second);
    // A sign-in link is not a reset token (another purpose: 422), nor a manage token.
    std::string as_sign_in = "sl_" + first.substr(3);
    auto r = http().post_json("/v1/auth/sign-in-link/confirm", {{"token", as_sign_in}});
    EXPECT_EQ(r.status, 422);
    // 20 concurrent confirms of one token: exactly one succeeds.
    std::atomic<int> ok{0}, refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            HttpClient client(daemon().port());
            auto answer = client.post_json(
                "/v1/auth/password-reset/confirm",
                {{"token", first}, {"password", "concurrent password " + std::to_string(i)}});
            if (answer.status == 200) ++ok;
            if (answer.status == 422) ++refused;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(refused.load(), 19);
    // The account's other reset link was retired by the reset.
    r = http().post_json("/v1/auth/password-reset/confirm",
                         {{"token", second}, {"password", "another new password"}});
    EXPECT_EQ(r.status, 422) << r.body;
    // An expired one.
    EXPECT_EQ(http().post_json("/v1/auth/password-reset", {{"email", ann.email}}).status, 202);
    const auto third = link_token(3, "/reset");
    {
        pqxx::work tx(db());
        tx.exec0(
            "UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS "
            "NULL");
        tx.commit();
    }
    r = http().post_json("/v1/auth/password-reset/confirm",
                         {{"token", third}, {"password", "another new password"}});
    EXPECT_EQ(r.status, 422) << r.body;
    // An unknown token, malformed or well-formed.
    for (const std::string bad :
         {"rt_nonsense", "rt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""}) {
        r = http().post_json("/v1/auth/password-reset/confirm",
                             {{"token", bad}, {"password", "another new password"}});
        EXPECT_EQ(r.status, 422) << bad;
    }
}

TEST_F(SelfServiceE2e, AtMostThreeLinkEmailsPerAddressPerHour) {
    start_linked();
    const auto ann = account("ann@example.test");
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(http().post_json("/v1/auth/password-reset", {{"email", ann.email}}).status, 202);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(http().post_json("/v1/auth/sign-in-link", {{"email", ann.email}}).status, 202);
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'password_reset'"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'sign_in_link'"), 3);
    EXPECT_EQ(http().post_json("/v1/auth/password-reset", {{"email", "not an address"}}).status,
              422);
    EXPECT_EQ(http().post_json("/v1/auth/password-reset", nlohmann::json::object()).status, 422);
}

TEST_F(SelfServiceE2e, SignInLinkLetsAPhoneCustomerInOnce) {
    start_linked({{"auth.sign_in_link_ttl", "\"15m\""}});
    {
        pqxx::work tx(db());  // booked by phone: no password
        tx.exec0("INSERT INTO users (email, name) VALUES ('phone@example.test', 'Phone')");
        tx.commit();
    }
    EXPECT_EQ(http().post_json("/v1/auth/sign-in-link", {{"email", "phone@example.test"}}).status,
              202);
    const auto m = message(1);
    EXPECT_EQ(header(m, "Subject").rfind("Your sign-in link", 0), 0u);
    EXPECT_EQ(m["content_type"], "text/plain");
    const auto token = fragment(link_in(text_of(m), std::string(kPublicUrl) + "/sign-in#"));
    ASSERT_EQ(token.rfind("sl_", 0), 0u) << text_of(m);
    auto r = http().post_json("/v1/auth/sign-in-link/confirm", {{"token", token}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["user"]["email"], "phone@example.test");
    EXPECT_EQ(http().get("/v1/me", bearer(r.json()["token"].get<std::string>())).status, 200);
    r = http().post_json("/v1/auth/sign-in-link/confirm", {{"token", token}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json()["errors"][0]["field"], "token");
    // A reset token is not a sign-in token.
    EXPECT_EQ(http()
                  .post_json("/v1/auth/password-reset/confirm",
                             {{"token", "rt_" + token.substr(3)}, {"password", "whatever pass"}})
                  .status,
              422);
    EXPECT_EQ(daemon().log().find(token), std::string::npos);
}

TEST_F(SelfServiceE2e, BookingctlSendResetQueuesAWorkingLink) {
    start_linked();
    const auto ann = account("ann@example.test");
    auto run = test::run_process(
        {BOOKINGCTL_PATH, "--config", daemon().config_path(), "users", "send-reset", ann.email});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto token = link_token(1, "/reset");
    auto r = http().post_json("/v1/auth/password-reset/confirm",
                              {{"token", token}, {"password", "set on the phone"}});
    EXPECT_EQ(r.status, 200) << r.body;
    run = test::run_process({BOOKINGCTL_PATH, "--config", daemon().config_path(), "users",
                             "send-reset", "nobody@example.test"});
    EXPECT_EQ(run.exit_code, 3) << run.err;
}

TEST_F(SelfServiceE2e, LoginLockoutHoldsUnderSixtyFourConcurrentAttempts) {
    start();
    const auto ann = account("ann@example.test");
    std::atomic<int> unauthorized{0}, limited{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i)
        threads.emplace_back([&] {
            HttpClient client(daemon().port());
            auto r = client.post_json("/v1/auth/login",
                                      {{"email", ann.email}, {"password", "wrong password"}});
            if (r.status == 401)
                ++unauthorized;
            else if (r.status == 429 && !r.header("retry-after").empty())
                ++limited;
            else
                ++other;
        });
    for (auto& t : threads) t.join();
    EXPECT_LE(unauthorized.load(), 5);
    EXPECT_EQ(unauthorized.load() + limited.load(), 64);
    EXPECT_EQ(other.load(), 0);
    auto r =
        http().post_json("/v1/auth/login", {{"email", ann.email}, {"password", "correct horse"}});
    EXPECT_EQ(r.status, 429);
    EXPECT_FALSE(r.header("retry-after").empty());
    // Rows for one email stay bounded however many attempts came.
    EXPECT_LE(count("SELECT count(*) FROM login_failures"), 5);
}

TEST_F(SelfServiceE2e, RepeatedWrongTokensFromOneAddressAre429BeforeTheDatabase) {
    start_linked();
    const auto ann = account("ann@example.test");
    const auto b = book(ann, at(3, "10:00"));
    const auto id = std::to_string(b["id"].get<long long>());
    int limited = 0;
    std::string retry_after;
    for (int i = 0; i < 40 && !limited; ++i) {
        auto r = http().get("/v1/bookings/" + id,
                            bearer("bm_" + std::string(43, static_cast<char>('a' + i % 26))));
        if (r.status == 429) {
            ++limited;
            retry_after = r.header("retry-after");
        } else {
            EXPECT_EQ(r.status, 401);
        }
    }
    EXPECT_EQ(limited, 1);
    EXPECT_FALSE(retry_after.empty());
    // The same limiter guards the confirms and logins of that address.
    EXPECT_EQ(http().post_json("/v1/auth/sign-in-link/confirm", {{"token", "sl_x"}}).status, 429);
    EXPECT_EQ(http().post_json("/v1/auth/login", {{"email", ann.email}, {"password", "x"}}).status,
              429);
    // Not a token anywhere in what the daemon wrote.
    const auto log = daemon().log();
    EXPECT_EQ(log.find("bm_aaaa"), std::string::npos);
    EXPECT_EQ(secret_like(log, 20), "");
    const auto metrics = http().get("/metrics").body;
    EXPECT_EQ(metrics.find("bm_"), std::string::npos);
}

}  // namespace
}  // namespace booking::e2e
