#include "core/auth/jwt.hpp"

#include <sodium.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "core/encoding.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"

namespace booking::auth {
namespace {

// A header and claims are a few hundred bytes; anything much longer is not ours.
constexpr std::size_t kMaxCheckedTokenBytes = 4096;
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

// HMAC-SHA256 with a key of any length (RFC 2104), as HS256 wants it:
// crypto_auth_hmacsha256() itself takes 32-byte keys only.
Mac hs256(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    Mac mac;
    crypto_auth_hmacsha256_final(&state, mac.data());
    sodium_memzero(&state, sizeof state);
    return mac;
}

// Whether "header.payload.signature" carries the HMAC of "header.payload"
// under the secret, compared in constant time (sodium_memcmp). Nothing of the
// header or payload is decoded before this has said yes.
bool signature_matches(std::string_view secret, std::string_view signing_input,
                       std::string_view signature_text) {
    const auto signature = base64_decode(signature_text, Base64::UrlNoPadding);
    if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES) return false;
    const Mac expected = hs256(secret, signing_input);
    return sodium_memcmp(expected.data(), signature->data(), expected.size()) == 0;
}

// A JSON object from a base64url segment, or a discarded value.
nlohmann::json json_segment(std::string_view segment) {
    const auto text = base64_decode(segment, Base64::UrlNoPadding);
    if (!text || !is_valid_utf8(*text)) return nlohmann::json(nlohmann::json::value_t::discarded);
    auto value = nlohmann::json::parse(*text, nullptr, false);
    if (!value.is_object()) return nlohmann::json(nlohmann::json::value_t::discarded);
    return value;
}

// A claim that must be a whole number of seconds since the epoch (a fraction,
// a string or a number out of range is refused).
std::optional<long long> seconds_claim(const nlohmann::json& payload, const char* name) {
    const auto it = payload.find(name);
    if (it == payload.end() || !it->is_number_integer()) return std::nullopt;
    constexpr long long kLimit = 10'000'000'000'000;  // far past any real expiry
    if (it->is_number_unsigned()) {
        const auto value = it->get<unsigned long long>();
        if (value == 0 || value >= static_cast<unsigned long long>(kLimit)) return std::nullopt;
        return static_cast<long long>(value);
    }
    const auto value = it->get<long long>();
    if (value <= 0 || value >= kLimit) return std::nullopt;
    return value;
}

std::optional<std::string> string_claim(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<Role> role_claim(const nlohmann::json& payload) {
    const auto text = string_claim(payload, "role");
    if (!text) return std::nullopt;
    try {
        return parse_role(*text);
    } catch (const Invalid&) {
        return std::nullopt;
    }
}

}  // namespace

// What verify() accepted. Checking a token (HMAC-SHA256, base64, JSON) costs
// microseconds; finding an exact copy of one already checked costs a hash.
struct TokenService::Accepted {
    static constexpr std::size_t kMaxTokens = 4096;
    static constexpr std::size_t kMaxTokenBytes = 1024;
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::mutex mutex;
    std::unordered_map<std::string, Claims, Hash, std::equal_to<>> claims;
};

TokenService::TokenService(std::string secret, Seconds ttl)
    : secret_(std::move(secret)), ttl_(ttl), accepted_(std::make_unique<Accepted>()) {
    if (secret_.size() < kMinSecretBytes)
        throw ConfigError("auth.jwt_secret: must be at least " + std::to_string(kMinSecretBytes) +
                          " bytes (it is " + std::to_string(secret_.size()) + ")");
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

IssuedToken TokenService::issue(const User& user, Time now) const {
    const Time expires = now + ttl_;
    const nlohmann::json claims = {{"iss", kIssuer},
                                   {"sub", std::to_string(user.id)},
                                   {"role", to_string(user.role)},
                                   {"iat", now.time_since_epoch().count()},
                                   {"exp", expires.time_since_epoch().count()}};
    std::string token = base64_encode(kHeader, Base64::UrlNoPadding) + "." +
                        base64_encode(claims.dump(), Base64::UrlNoPadding);
    const Mac mac = hs256(secret_, token);
    token += ".";
    token += base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()),
                           Base64::UrlNoPadding);
    return {std::move(token), expires};
}

TokenService::~TokenService() = default;
TokenService::TokenService(TokenService&&) noexcept = default;

std::optional<Claims> TokenService::verify(std::string_view raw, Time now) const {
    {
        std::lock_guard lock(accepted_->mutex);
        const auto it = accepted_->claims.find(raw);
        if (it != accepted_->claims.end() && it->second.expires_at > now) return it->second;
    }
    auto claims = check(raw, now);
    if (claims && raw.size() <= Accepted::kMaxTokenBytes) {
        std::lock_guard lock(accepted_->mutex);
        if (accepted_->claims.size() >= Accepted::kMaxTokens) accepted_->claims.clear();
        accepted_->claims.insert_or_assign(std::string(raw), *claims);
    }
    return claims;
}

std::optional<Claims> TokenService::check(std::string_view raw, Time now) const {
    if (raw.size() > kMaxCheckedTokenBytes) return std::nullopt;
    const auto first_dot = raw.find('.');
    const auto last_dot = raw.rfind('.');
    if (first_dot == std::string_view::npos || first_dot == last_dot ||
        raw.find('.', first_dot + 1) != last_dot)
        return std::nullopt;
    // The signature first, in constant time: an attacker's bytes reach the
    // JSON parser only once they are known to be ours.
    if (!signature_matches(secret_, raw.substr(0, last_dot), raw.substr(last_dot + 1)))
        return std::nullopt;
    const auto header = json_segment(raw.substr(0, first_dot));
    const auto payload = json_segment(raw.substr(first_dot + 1, last_dot - first_dot - 1));
    if (header.is_discarded() || payload.is_discarded()) return std::nullopt;
    // HS256 only: "none" and every other alg are refused even when signed by
    // us; a header that demands extensions (crit) we do not know is too.
    if (string_claim(header, "alg") != "HS256" || header.contains("crit")) return std::nullopt;
    if (header.contains("typ") && string_claim(header, "typ") != "JWT") return std::nullopt;
    if (string_claim(payload, "iss") != kIssuer) return std::nullopt;
    const auto exp = seconds_claim(payload, "exp");
    if (!exp || *exp <= now.time_since_epoch().count()) return std::nullopt;
    const auto subject = string_claim(payload, "sub");
    const auto id = subject ? parse_id(*subject) : std::nullopt;
    if (!id) return std::nullopt;
    const auto role = role_claim(payload);
    if (!role) return std::nullopt;
    Claims claims;
    claims.user_id = *id;
    claims.role = *role;
    claims.expires_at = Time(Seconds(*exp));
    if (payload.contains("iat")) {
        const auto iat = seconds_claim(payload, "iat");
        if (!iat) return std::nullopt;
        claims.issued_at = Time(Seconds(*iat));
    }
    return claims;
}

std::string resolve_jwt_secret(const std::string& inline_secret, const std::string& secret_file) {
    std::string secret = inline_secret;
    if (secret.empty() && !secret_file.empty()) {
        std::ifstream in(secret_file, std::ios::binary);
        if (!in)
            throw ConfigError("auth.jwt_secret_file: " + secret_file + ": cannot be read (" +
                              std::strerror(errno) + ")");
        std::ostringstream text;
        text << in.rdbuf();
        secret = text.str();
        if (!secret.empty() && secret.back() == '\n') secret.pop_back();
        if (!secret.empty() && secret.back() == '\r') secret.pop_back();
    }
    if (secret.size() < kMinSecretBytes) {
        const std::string where = inline_secret.empty() && !secret_file.empty()
                                      ? "auth.jwt_secret_file (" + secret_file + ")"
                                      : "auth.jwt_secret";
        throw ConfigError(where + ": the JWT secret must be at least " +
                          std::to_string(kMinSecretBytes) + " bytes, it is " +
                          std::to_string(secret.size()) +
                          " (set auth.jwt_secret, auth.jwt_secret_file or BOOKING_JWT_SECRET)");
    }
    return secret;
}

}  // namespace booking::auth
