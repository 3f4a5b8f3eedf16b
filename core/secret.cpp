#include "core/secret.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace booking::secret {
namespace {

void ensure_sodium() {
    static const bool ready = [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
        return true;
    }();
    (void)ready;
}

std::string encode(const unsigned char* data, std::size_t size, int variant) {
    std::string out(sodium_base64_encoded_len(size, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, variant);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string random(std::size_t bytes, int variant) {
    ensure_sodium();
    std::vector<unsigned char> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    return encode(buffer.data(), buffer.size(), variant);
}

}  // namespace

std::string random_base64(std::size_t bytes) {
    return random(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::string random_base64url(std::size_t bytes) {
    return random(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string sha256(std::string_view text) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string to_base64(std::string_view bytes) {
    return encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                  sodium_base64_VARIANT_ORIGINAL);
}

std::string from_base64(std::string_view text) {
    std::string out(text.size(), '\0');
    std::size_t size = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &size, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        throw std::invalid_argument("not base64");
    out.resize(size);
    return out;
}

}  // namespace booking::secret
