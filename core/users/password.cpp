#include "core/users/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace booking {
namespace {

// OWASP's argon2id parameters: 19 MiB of memory, two passes, one lane.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;

// sodium_init must run before any other libsodium call; a function-local
// static makes that happen once, even with many threads hashing at once.
void ensure_sodium() {
    static const bool ready = [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
        return true;
    }();
    (void)ready;
}

}  // namespace

std::string hash_password(std::string_view password) {
    ensure_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("password hashing failed: not enough memory");
    return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
    ensure_sodium();
    // libsodium reads a NUL-terminated string of less than STRBYTES bytes.
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
        hash.find('\0') != std::string_view::npos)
        return false;
    char stored[crypto_pwhash_STRBYTES] = {};
    hash.copy(stored, hash.size());
    return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

}  // namespace booking
