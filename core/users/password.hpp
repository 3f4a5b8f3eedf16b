#pragma once
// argon2id password hashes (libsodium, OWASP parameters: 19 MiB, t=2).
#include <string>
#include <string_view>

namespace booking {

std::string hash_password(std::string_view password);
// Constant-time; false for a malformed hash.
bool verify_password(std::string_view hash, std::string_view password);

}  // namespace booking
