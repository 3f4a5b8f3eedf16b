#include "core/tokens/links.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace booking::tokens {
namespace {

constexpr std::size_t kSelectorBytes = 12;
constexpr std::size_t kMacBytes = 20;  // 160 bits of the HMAC-SHA256
constexpr std::size_t kTokenBytes = kSelectorBytes + kMacBytes;
constexpr std::size_t kEncodedBytes = 43;  // base64url of 32 bytes, unpadded
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

void ensure_sodium() {
    static const bool ready = [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
        return true;
    }();
    (void)ready;
}

std::string encode(const unsigned char* bytes, std::size_t size) {
    std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, size, kVariant);
    out.resize(out.find('\0'));
    return out;
}

// The decoded bytes when text is exactly `size` bytes in unpadded base64url.
// Only the alphabet reaches libsodium: its 1.0.18 reads any byte from 0x80 up
// as a digit (core/encoding.cpp).
template <std::size_t N>
bool decode(std::string_view text, std::array<unsigned char, N>& out) {
    for (const char c : text)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                          kVariant) != 0)
        return false;
    return length == N && end == text.data() + text.size();
}

void mac(const unsigned char (&key)[32], Purpose purpose, const unsigned char* selector,
         unsigned char (&out)[crypto_auth_hmacsha256_BYTES]) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key, sizeof key);
    const auto prefix = prefix_of(purpose);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                  prefix.size());
    crypto_auth_hmacsha256_update(&state, selector, kSelectorBytes);
    crypto_auth_hmacsha256_final(&state, out);
}

}  // namespace

std::string_view prefix_of(Purpose purpose) {
    switch (purpose) {
        case Purpose::Manage:
            return "bm_";
        case Purpose::PasswordReset:
            return "rt_";
        case Purpose::SignIn:
            return "sl_";
    }
    return "bm_";
}

std::string new_selector() {
    ensure_sodium();
    unsigned char bytes[kSelectorBytes];
    randombytes_buf(bytes, sizeof bytes);
    return encode(bytes, sizeof bytes);
}

LinkKey::LinkKey(std::string_view jwt_secret) {
    ensure_sodium();
    constexpr std::string_view label = "bookingd link tokens v1";
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(jwt_secret.data()),
                                jwt_secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(label.data()),
                                  label.size());
    crypto_auth_hmacsha256_final(&state, key_);
}

std::string LinkKey::token(Purpose purpose, std::string_view selector) const {
    std::array<unsigned char, kSelectorBytes> raw{};
    if (!decode(selector, raw)) throw std::invalid_argument("not a stored selector");
    unsigned char full[crypto_auth_hmacsha256_BYTES];
    mac(key_, purpose, raw.data(), full);
    unsigned char bytes[kTokenBytes];
    std::copy(raw.begin(), raw.end(), bytes);
    std::copy(full, full + kMacBytes, bytes + kSelectorBytes);
    std::string out(prefix_of(purpose));
    out += encode(bytes, sizeof bytes);
    sodium_memzero(full, sizeof full);
    sodium_memzero(bytes, sizeof bytes);
    return out;
}

std::optional<std::string> LinkKey::selector_of(Purpose purpose, std::string_view token) const {
    const auto prefix = prefix_of(purpose);
    if (token.size() != prefix.size() + kEncodedBytes || token.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    std::array<unsigned char, kTokenBytes> bytes{};
    if (!decode(token.substr(prefix.size()), bytes)) return std::nullopt;
    unsigned char full[crypto_auth_hmacsha256_BYTES];
    mac(key_, purpose, bytes.data(), full);
    const bool ok = sodium_memcmp(full, bytes.data() + kSelectorBytes, kMacBytes) == 0;
    sodium_memzero(full, sizeof full);
    if (!ok) return std::nullopt;
    return encode(bytes.data(), kSelectorBytes);
}

bool looks_like_token(std::string_view text) {
    if (text.size() != 3 + kEncodedBytes) return false;
    const auto prefix = text.substr(0, 3);
    if (prefix != "bm_" && prefix != "rt_" && prefix != "sl_") return false;
    for (char c : text.substr(3))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

}  // namespace booking::tokens
