// The bearer tokens and emailed links a client sends (Authorization, the
// manage, reset and sign-in links): TokenService::verify, LinkKey::selector_of
// and base64 (core/encoding, libsodium) on any bytes. An input starting "S" is
// a JWT header, a newline and claims that this target signs with the
// daemon's key first, so that the claim checks behind the constant-time
// signature check are reached too; "L" and 12 bytes is a link selector.
#include <sodium.h>

#include <optional>
#include <string>

#include "core/auth/jwt.hpp"
#include "core/encoding.hpp"
#include "core/tokens/links.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

namespace {

const std::string kSecret = "fuzz-secret-0123456789abcdefghij";  // 32 bytes
const Time kNow = Time(Seconds(1'796'083'200));                  // 2026-12-01T00:00:00Z

std::string b64(std::string_view bytes) { return base64_encode(bytes, Base64::UrlNoPadding); }

std::string signed_token(std::string_view header, std::string_view claims) {
    std::string token = b64(header) + "." + b64(claims);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                           reinterpret_cast<const unsigned char*>(kSecret.data()));
    return token + "." + b64(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

void check_claims(const std::optional<auth::Claims>& claims) {
    if (!claims) return;
    fuzz::check(claims->user_id > 0, "a token names a positive user id");
    fuzz::check(claims->expires_at > kNow, "an accepted token has not expired");
    fuzz::check(claims->role == Role::Customer || claims->role == Role::Staff ||
                    claims->role == Role::Admin,
                "a known role");
}

void check_base64(std::string_view text) {
    for (const auto variant : {Base64::Standard, Base64::UrlNoPadding}) {
        if (const auto bytes = base64_decode(text, variant))
            fuzz::check(base64_encode(*bytes, variant) == text, "one spelling per value");
    }
}

}  // namespace

FUZZ_ENTRY {
    static const auth::TokenService service(kSecret, Seconds(3600));
    static const tokens::LinkKey links(kSecret);
    const auto text = fuzz::text_of(data, size);

    if (!text.empty() && text[0] == 'S') {
        const auto rest = text.substr(1);
        const auto newline = rest.find('\n');
        if (newline == std::string_view::npos) return 0;
        const std::string token = signed_token(rest.substr(0, newline), rest.substr(newline + 1));
        const auto claims = service.verify(token, kNow);
        check_claims(claims);
        const auto again = service.verify(token, kNow);  // from what verify() remembered
        fuzz::check(again.has_value() == claims.has_value(), "the same token, the same answer");
        if (claims) fuzz::check(again->user_id == claims->user_id, "the same user");
        return 0;
    }
    if (text.size() == 13 && text[0] == 'L') {
        const std::string selector = b64(text.substr(1));
        for (const auto purpose :
             {tokens::Purpose::Manage, tokens::Purpose::PasswordReset, tokens::Purpose::SignIn}) {
            const std::string token = links.token(purpose, selector);
            fuzz::check(tokens::looks_like_token(token), "a link token looks like one");
            fuzz::check(links.selector_of(purpose, token) == selector, "a link reads back");
        }
        return 0;
    }

    if (const auto claims = service.verify(text, kNow)) {
        check_claims(claims);
        for (const char c : text)
            fuzz::check((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.',
                        "an accepted token is spelled in base64url only");
    }
    for (const auto purpose :
         {tokens::Purpose::Manage, tokens::Purpose::PasswordReset, tokens::Purpose::SignIn}) {
        if (const auto selector = links.selector_of(purpose, text)) {
            fuzz::check(tokens::looks_like_token(text), "an accepted link looks like a token");
            fuzz::check(links.token(purpose, *selector) == text, "the selector makes the token");
        }
    }
    check_base64(text);
    return 0;
}
