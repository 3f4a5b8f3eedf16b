#pragma once
// Base64 (RFC 4648) by libsodium, in one place: the standard alphabet with
// padding for MIME, the URL-safe one without padding for JWTs.
#include <optional>
#include <string>
#include <string_view>

namespace booking {

enum class Base64 { Standard, UrlNoPadding };

std::string base64_encode(std::string_view bytes, Base64 variant = Base64::Standard);

// The bytes of exactly this text in that variant, or nullopt for anything
// else: a character outside the alphabet, a wrong length, or unused bits that
// are not zero (so that one value has one spelling only).
std::optional<std::string> base64_decode(std::string_view text, Base64 variant);

}  // namespace booking
