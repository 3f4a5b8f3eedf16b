#include "core/auth/jwt.hpp"

#include <Poco/Crypto/Crypto.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "core/errors.hpp"

namespace booking::auth {
namespace {

// A claim that must be a whole number of seconds since the epoch.
std::optional<long long> integer_claim(const Poco::JSON::Object& payload, const std::string& name) {
    if (!payload.has(name)) return std::nullopt;
    const Poco::Dynamic::Var value = payload.get(name);
    if (!value.isNumeric()) return std::nullopt;
    const double number = value.convert<double>();
    if (!(number > 0 && number < 1e13)) return std::nullopt;
    return static_cast<long long>(number);
}

std::optional<long long> parse_subject(const std::string& text) {
    long long id = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, id);
    if (text.empty() || ec != std::errc() || ptr != end || id <= 0) return std::nullopt;
    return id;
}

}  // namespace

// What verify() accepted. Checking a token (base64, JSON, HMAC-SHA256 in Poco)
// cost ~10 µs; finding an exact copy of one already checked costs a hash.
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
    // Poco's HMAC engine sets OpenSSL up and tears it down by reference count
    // with every signature: on several threads at once the count can reach
    // zero on one while another starts over, and the process crashed under
    // load (a mutex destroyed while in use). One reference held for the life
    // of the process keeps the set-up in place, as Poco's documentation advises.
    static std::once_flag once;
    std::call_once(once, [] { Poco::Crypto::initializeCrypto(); });
}

IssuedToken TokenService::issue(const User& user, Time now) const {
    const Time expires = now + ttl_;
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setIssuer(kIssuer);
    token.setSubject(std::to_string(user.id));
    token.payload().set("role", to_string(user.role));
    token.payload().set("iat", static_cast<Poco::Int64>(now.time_since_epoch().count()));
    token.payload().set("exp", static_cast<Poco::Int64>(expires.time_since_epoch().count()));
    Poco::JWT::Signer signer(secret_);
    return {signer.sign(token, Poco::JWT::Signer::ALGO_HS256), expires};
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
    try {
        // The signer allows HS256 only (Poco's default): any other alg,
        // "none" included, fails verification.
        Poco::JWT::Signer signer(secret_);
        signer.setAlgorithms({Poco::JWT::Signer::ALGO_HS256});
        const Poco::JWT::Token token = signer.verify(std::string(raw));
        if (token.getAlgorithm() != Poco::JWT::Signer::ALGO_HS256) return std::nullopt;
        if (token.getIssuer() != kIssuer) return std::nullopt;
        const auto& payload = token.payload();
        const auto exp = integer_claim(payload, "exp");
        if (!exp || *exp <= now.time_since_epoch().count()) return std::nullopt;
        const auto id = parse_subject(token.getSubject());
        if (!id) return std::nullopt;
        if (!payload.has("role") || !payload.get("role").isString()) return std::nullopt;
        Claims claims;
        claims.user_id = *id;
        claims.role = parse_role(payload.getValue<std::string>("role"));
        claims.expires_at = Time(Seconds(*exp));
        if (auto iat = integer_claim(payload, "iat")) claims.issued_at = Time(Seconds(*iat));
        return claims;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
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
