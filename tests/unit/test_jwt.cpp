// Bearer tokens: what verify() accepts, and that it holds up on many threads
// at once (as bookingd's I/O threads use it).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/auth/jwt.hpp"
#include "core/encoding.hpp"
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

// A token signed with the secret the way any HS256 library would, from the
// header and payload text given (independent of TokenService::issue).
std::string signed_token(const std::string& header, const std::string& payload,
                         const std::string& secret = kSecret) {
    const std::string input = base64_encode(header, Base64::UrlNoPadding) + "." +
                              base64_encode(payload, Base64::UrlNoPadding);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                  input.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    return input + "." +
           base64_encode(std::string(reinterpret_cast<const char*>(mac), sizeof mac),
                         Base64::UrlNoPadding);
}

std::string claims_text(long long exp, const std::string& extra = "") {
    return R"({"iss":"bookingd","sub":"42","role":"staff","iat":1796115600,"exp":)" +
           std::to_string(exp) + extra + "}";
}

const char* const kHs256 = R"({"alg":"HS256","typ":"JWT"})";

TEST(Jwt, AcceptsAnyCorrectHs256TokenWithTheSpecClaims) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const long long exp = t.time_since_epoch().count() + 600;
    const auto claims = tokens.verify(signed_token(kHs256, claims_text(exp)), t);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->user_id, 42);
    EXPECT_EQ(claims->role, Role::Staff);
    EXPECT_EQ(claims->expires_at.time_since_epoch().count(), exp);
    // Without typ, as some libraries write it.
    EXPECT_TRUE(tokens.verify(signed_token(R"({"alg":"HS256"})", claims_text(exp)), t));
}

// SPEC §3: HS256 only, iss "bookingd", exp ahead, sub a user id as a string,
// a known role. Each of these is signed with the right secret and still refused.
TEST(Jwt, RefusesSignedTokensThatBreakAClaimRule) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const long long exp = t.time_since_epoch().count() + 600;
    const std::string good = claims_text(exp);
    const std::vector<std::pair<std::string, std::string>> refused = {
        {R"({"alg":"none","typ":"JWT"})", good},
        {R"({"alg":"HS512","typ":"JWT"})", good},
        {R"({"alg":"hs256","typ":"JWT"})", good},
        {R"({"typ":"JWT"})", good},
        {R"({"alg":"HS256","typ":"JWS+weird"})", good},
        {R"({"alg":"HS256","crit":["exp"]})", good},
        {R"(["alg","HS256"])", good},
        {"not json", good},
        {kHs256,
         R"({"iss":"someone-else","sub":"42","role":"staff","exp":)" + std::to_string(exp) + "}"},
        {kHs256, R"({"sub":"42","role":"staff","exp":)" + std::to_string(exp) + "}"},
        {kHs256, R"({"iss":"bookingd","sub":42,"role":"staff","exp":)" + std::to_string(exp) + "}"},
        {kHs256,
         R"({"iss":"bookingd","sub":"-1","role":"staff","exp":)" + std::to_string(exp) + "}"},
        {kHs256,
         R"({"iss":"bookingd","sub":"4 2","role":"staff","exp":)" + std::to_string(exp) + "}"},
        {kHs256,
         R"({"iss":"bookingd","sub":"42","role":"root","exp":)" + std::to_string(exp) + "}"},
        {kHs256, R"({"iss":"bookingd","sub":"42","exp":)" + std::to_string(exp) + "}"},
        {kHs256, R"({"iss":"bookingd","sub":"42","role":"staff"})"},
        {kHs256, claims_text(t.time_since_epoch().count())},  // expired this second
        {kHs256,
         R"({"iss":"bookingd","sub":"42","role":"staff","exp":")" + std::to_string(exp) + "\"}"},
        // A fraction of a second is not a NumericDate this daemon writes.
        {kHs256,
         R"({"iss":"bookingd","sub":"42","role":"staff","exp":)" + std::to_string(exp) + ".5}"},
        {kHs256, R"({"iss":"bookingd","sub":"42","role":"staff","exp":1e30})"},
        {kHs256, claims_text(exp, R"(,"iat":"yesterday")")},
        {kHs256, "\"just a string\""},
    };
    for (const auto& [header, payload] : refused)
        EXPECT_FALSE(tokens.verify(signed_token(header, payload), t)) << header << " " << payload;
}

TEST(Jwt, RefusesWhatIsNotExactlyThreeSegmentsSignedWithTheSecret) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const std::string token = signed_token(kHs256, claims_text(t.time_since_epoch().count() + 600));
    ASSERT_TRUE(tokens.verify(token, t));
    const auto last_dot = token.rfind('.');
    EXPECT_FALSE(tokens.verify(token.substr(0, last_dot), t));
    EXPECT_FALSE(tokens.verify(token.substr(0, last_dot + 1), t));
    EXPECT_FALSE(tokens.verify(token + ".", t));
    EXPECT_FALSE(tokens.verify(token + "." + token.substr(last_dot + 1), t));
    EXPECT_FALSE(tokens.verify(token + "=", t));
    EXPECT_FALSE(tokens.verify(" " + token, t));
    EXPECT_FALSE(tokens.verify("", t));
    EXPECT_FALSE(tokens.verify("..", t));
    EXPECT_FALSE(tokens.verify(std::string(5000, 'a') + token, t));
    EXPECT_FALSE(tokens.verify(
        signed_token(kHs256, claims_text(t.time_since_epoch().count() + 600), std::string(40, 'x')),
        t));
}

// The 32 bytes of an HS256 signature take 43 base64url characters, the last
// of which has two bits that carry nothing. A lenient decoder (Poco 1.11's)
// reads the same signature whatever those bits are, so one token had four
// spellings that all passed; the signature must be the one spelling of it.
TEST(Jwt, RefusesASignatureSpelledWithUnusedBitsSet) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const std::string token = signed_token(kHs256, claims_text(t.time_since_epoch().count() + 600));
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto value = alphabet.find(token.back());
    ASSERT_NE(value, std::string::npos);
    ASSERT_EQ(value & 3, 0u) << "the last character's two spare bits are zero in a canonical token";
    for (std::size_t spare = 1; spare < 4; ++spare) {
        std::string respelled = token;
        respelled.back() = alphabet[value | spare];
        EXPECT_FALSE(tokens.verify(respelled, t)) << respelled;
    }
    EXPECT_TRUE(tokens.verify(token, t));
}

// libsodium 1.0.18 reads any byte from 0x80 up as a base64 digit: a token with
// one of them in place of a character of its signature (or header, or
// claims) is another spelling, refused (found by fuzz_token).
TEST(Jwt, RefusesATokenWithABytePastAsciiInPlaceOfACharacter) {
    const TokenService tokens(kSecret, std::chrono::hours(1));
    const Time t = test::utc("2026-12-01T09:00:00Z");
    const std::string token = signed_token(kHs256, claims_text(t.time_since_epoch().count() + 600));
    for (const std::size_t at : {std::size_t{0}, token.find('.') + 1, token.size() - 1}) {
        for (const int byte : {0x80, 0xdf, 0xff}) {
            std::string respelled = token;
            respelled[at] = static_cast<char>(byte);
            EXPECT_FALSE(tokens.verify(respelled, t)) << "byte " << byte << " at " << at;
        }
    }
    EXPECT_TRUE(tokens.verify(token, t));
}

TEST(Base64, DecodesOnlyTheVariantsAlphabet) {
    EXPECT_EQ(base64_decode("AAA_", Base64::UrlNoPadding), std::string("\0\0?", 3));
    EXPECT_EQ(base64_decode("AAA/", Base64::Standard), std::string("\0\0?", 3));
    for (const char* text : {"AAA\xff", "AAA\x80", "AA\xdf_", "AAA/"})
        EXPECT_EQ(base64_decode(text, Base64::UrlNoPadding), std::nullopt) << text;
    for (const char* text : {"AAA\xff", "AAA_", "AA==\xc3"})
        EXPECT_EQ(base64_decode(text, Base64::Standard), std::nullopt) << text;
}

// Signing and checking on bookingd's I/O threads at once (under Poco's JWT,
// OpenSSL's set-up by reference count crashed bookingd here).
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
