// The pure parts of webhooks (SPEC §9): the Standard Webhooks signature, the
// SSRF guard's address classes, the retry schedule, and the outbox backoff
// the mailer shares.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/mail/outbox.hpp"
#include "core/webhooks/webhooks.hpp"

namespace booking {
namespace {

using std::chrono::hours, std::chrono::minutes, std::chrono::seconds;

TEST(WebhookSignature, MatchesTheStandardWebhooksReferenceVector) {
    // The example of the Standard Webhooks specification and its libraries.
    EXPECT_EQ(
        webhooks::signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                            "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookAddresses, RefusesLoopbackPrivateLinkLocalMulticastAndReserved) {
    for (const char* a : {"127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"})
        EXPECT_EQ(webhooks::forbidden_address(a), "loopback") << a;
    for (const char* a : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
                          "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1"})
        EXPECT_EQ(webhooks::forbidden_address(a), "private") << a;
    for (const char* a : {"169.254.169.254", "fe80::1"})
        EXPECT_EQ(webhooks::forbidden_address(a), "link-local") << a;
    for (const char* a : {"224.0.0.1", "239.1.1.1", "ff02::1"})
        EXPECT_EQ(webhooks::forbidden_address(a), "multicast") << a;
    EXPECT_EQ(webhooks::forbidden_address("0.0.0.0"), "reserved");
    EXPECT_EQ(webhooks::forbidden_address("255.255.255.255"), "reserved");
    EXPECT_NE(webhooks::forbidden_address("::"), std::nullopt);  // unspecified
    for (const char* a : {"93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:2800:220:1::1"})
        EXPECT_EQ(webhooks::forbidden_address(a), std::nullopt) << a;
}

TEST(WebhookUrls, OnlyHttpAndHttpsWithAHostAndNoCredentials) {
    EXPECT_NO_THROW(webhooks::check_url("https://93.184.216.34/hooks", false));
    EXPECT_NO_THROW(webhooks::check_url("http://127.0.0.1:9/x", true));
    EXPECT_THROW(webhooks::check_url("http://127.0.0.1:9/x", false), Invalid);
    EXPECT_THROW(webhooks::check_url("http://[::1]/x", false), Invalid);
    // A name, not an address: resolved (here from /etc/hosts) and refused too.
    EXPECT_THROW(webhooks::check_url("http://localhost:9/x", false), Invalid);
    EXPECT_THROW(webhooks::check_url("ftp://example.com/", true), Invalid);
    EXPECT_THROW(webhooks::check_url("https:///nohost", true), Invalid);
    EXPECT_THROW(webhooks::check_url("https://user:pw@example.com/", true), Invalid);
    EXPECT_THROW(webhooks::check_url("https://example.com/" + std::string(2000, 'a'), true),
                 Invalid);
}

TEST(WebhookEvents, ParsesTheThreeBookingEvents) {
    EXPECT_EQ(webhooks::parse_events("booking.created,booking.cancelled,booking.created"),
              (std::vector<std::string>{"booking.created", "booking.cancelled"}));
    EXPECT_THROW(webhooks::parse_events("booking.deleted"), Invalid);
    EXPECT_THROW(webhooks::parse_events(","), Invalid);
}

TEST(WebhookBackoff, FollowsTheScheduleThenGivesUp) {
    const auto& b = webhooks::backoff();
    const std::vector<seconds> expected{seconds(5), minutes(5), minutes(30), hours(2),
                                        hours(5),   hours(10),  hours(10)};
    for (int i = 0; i < 7; ++i) EXPECT_EQ(b.after(i + 1), expected[i]) << i + 1;
    EXPECT_EQ(b.after(8), std::nullopt);
    EXPECT_EQ(b.max_attempts(), 8);
}

TEST(OutboxBackoff, DoublingIsTheMailersSchedule) {
    const auto b = mail::backoff(seconds(60), 8);
    EXPECT_EQ(b.after(1), seconds(60));
    EXPECT_EQ(b.after(2), seconds(120));
    EXPECT_EQ(b.after(6), seconds(1920));
    EXPECT_EQ(b.after(7), seconds(3600));
    EXPECT_EQ(b.after(8), std::nullopt);  // the eighth attempt was the last
}

}  // namespace
}  // namespace booking
