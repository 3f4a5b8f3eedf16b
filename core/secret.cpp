#include "core/secret.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/encoding.hpp"

namespace booking::secret {
namespace {

std::string random_bytes(std::size_t size) {
    static const bool ready = [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
        return true;
    }();
    (void)ready;
    std::string bytes(size, '\0');
    randombytes_buf(bytes.data(), bytes.size());
    return bytes;
}

}  // namespace

std::string random_base64(std::size_t bytes) {
    return base64_encode(random_bytes(bytes), Base64::Standard);
}

std::string random_base64url(std::size_t bytes) {
    return base64_encode(random_bytes(bytes), Base64::UrlNoPadding);
}

std::string sha256(std::string_view text) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace booking::secret
