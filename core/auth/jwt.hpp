#pragma once
// Bearer tokens (SPEC §3): HS256 JWTs with claims sub (user id as a string),
// role, iat, exp and iss = "bookingd". HMAC-SHA256 and base64url are
// libsodium's, JSON is nlohmann's; the signature is checked in constant time
// before any of the token's JSON is parsed, then the rules: only HS256, issuer,
// expiry, a sane subject and role.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/config/duration.hpp"
#include "core/time/business_time.hpp"
#include "core/users/user.hpp"

namespace booking::auth {

inline constexpr const char* kIssuer = "bookingd";
inline constexpr std::size_t kMinSecretBytes = 32;

struct Claims {
    long long user_id = 0;
    Role role = Role::Customer;
    Time issued_at{};
    Time expires_at{};
};

struct IssuedToken {
    std::string token;
    Time expires_at{};
};

class TokenService {
  public:
    // Throws ConfigError when the secret is shorter than kMinSecretBytes.
    TokenService(std::string secret, Seconds ttl);

    IssuedToken issue(const User& user, Time now) const;

    // The claims of a valid token; nullopt for anything else: another alg
    // (including none), a bad signature, a wrong issuer, expired, malformed.
    // Tokens it accepted are remembered until they expire (exact copies only,
    // a bounded number): a client sends the same token with every request.
    std::optional<Claims> verify(std::string_view token, Time now) const;

    ~TokenService();
    TokenService(TokenService&&) noexcept;

  private:
    std::optional<Claims> check(std::string_view token, Time now) const;

    std::string secret_;
    Seconds ttl_;
    struct Accepted;
    std::unique_ptr<Accepted> accepted_;
};

// The secret from auth.jwt_secret, else the file auth.jwt_secret_file (one
// trailing newline dropped). Throws ConfigError naming the file when it cannot
// be read, and when the secret is shorter than kMinSecretBytes.
std::string resolve_jwt_secret(const std::string& inline_secret, const std::string& secret_file);

}  // namespace booking::auth
