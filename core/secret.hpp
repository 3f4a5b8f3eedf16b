#pragma once
// Random secrets and their hashes (libsodium): what customers, calendar apps
// and webhook receivers hold is random, and where it is only ever compared it
// is stored as its SHA-256.
#include <string>
#include <string_view>

namespace booking::secret {

// `bytes` random bytes, base64 (standard alphabet, padded).
std::string random_base64(std::size_t bytes);
// `bytes` random bytes, base64url without padding: safe in a URL path.
std::string random_base64url(std::size_t bytes);
// The raw 32-byte SHA-256 digest of text.
std::string sha256(std::string_view text);

std::string to_base64(std::string_view bytes);
// Throws std::invalid_argument when text is not base64 (standard, padded).
std::string from_base64(std::string_view text);

}  // namespace booking::secret
