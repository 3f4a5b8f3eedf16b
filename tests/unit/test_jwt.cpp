// Bearer tokens: what verify() accepts, and that it holds up on many threads
// at once (as bookingd's I/O threads use it).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/auth/jwt.hpp"
#include "tests/unit/support.hpp"

namespace booking::auth {
namespace {

const std::string kSecret(40, 's');

User customer() {
    User u;
    u.id = 42;
    u.email = "a@example.com";
    u.role = Role::Customer;
    return u;
}

TEST(Jwt, VerifiesWhatItIssuedUntilItExpires) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const auto issued = tokens.issue(customer(), t);
    const auto claims = tokens.verify(issued.token, t + std::chrono::minutes(59));
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->user_id, 42);
    EXPECT_EQ(claims->role, Role::Customer);
    EXPECT_FALSE(tokens.verify(issued.token, t + std::chrono::hours(2)));
    EXPECT_FALSE(TokenService(std::string(40, 'x'), std::chrono::hours(1)).verify(issued.token, t));
}

// An accepted token is remembered: what is recalled must be exactly what was
// checked, and only until it expires.
TEST(Jwt, ARememberedTokenIsRecalledOnlyAsItWasAndUntilItExpires) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const auto issued = tokens.issue(customer(), t);
    ASSERT_TRUE(tokens.verify(issued.token, t));
    ASSERT_TRUE(tokens.verify(issued.token, t + std::chrono::minutes(30)));
    std::string altered = issued.token;
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens.verify(altered, t));
    EXPECT_FALSE(tokens.verify(issued.token.substr(0, issued.token.size() - 1), t));
    EXPECT_FALSE(tokens.verify(issued.token + "x", t));
    EXPECT_FALSE(tokens.verify(issued.token, issued.expires_at));
    EXPECT_FALSE(tokens.verify(issued.token, t + std::chrono::hours(2)));
    // More tokens than it remembers: every one is still accepted.
    User user = customer();
    for (int n = 1; n <= 5000; ++n) {
        user.id = n;
        const auto token = tokens.issue(user, t).token;
        ASSERT_TRUE(tokens.verify(token, t)) << n;
        ASSERT_EQ(tokens.verify(token, t)->user_id, n);
    }
}

// Poco sets OpenSSL up and down by reference count per signature; without
// the process-wide reference TokenService holds, this crashed bookingd.
TEST(Jwt, ManyThreadsSignAndVerifyAtOnce) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    std::atomic<int> verified{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            User user = customer();
            for (int n = 0; n < 2000; ++n) {
                user.id = i * 10000 + n + 1;  // every token new: each is checked, not recalled
                if (tokens.verify(tokens.issue(user, t).token, t)) ++verified;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(verified.load(), 8 * 2000);
}

}  // namespace
}  // namespace booking::auth
