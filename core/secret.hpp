#pragma once
// Random secrets and their hashes (libsodium): what calendar apps and webhook
// receivers hold is random, and where it is only ever compared it is stored
// as its SHA-256. Base64 itself is core/encoding's.
#include <string>
#include <string_view>

namespace booking::secret {

// `bytes` random bytes, base64 (standard alphabet, padded).
std::string random_base64(std::size_t bytes);
// `bytes` random bytes, base64url without padding: safe in a URL path.
std::string random_base64url(std::size_t bytes);
// The raw 32-byte SHA-256 digest of text.
std::string sha256(std::string_view text);

}  // namespace booking::secret
