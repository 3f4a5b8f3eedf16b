#include "core/encoding.hpp"

#include <sodium.h>

#include <string>

namespace booking {
namespace {

int sodium_variant(Base64 variant) {
    return variant == Base64::Standard ? sodium_base64_VARIANT_ORIGINAL
                                       : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

// Whether every character is one of the variant's alphabet (and '=' for the
// padded one). libsodium 1.0.18 (Debian 12's) takes every byte from 0x80 up
// for a digit, so "AAA\xff" decoded like "AAA_": one value had 128 more
// spellings per character, a bearer token among them (found by fuzz_token).
bool in_alphabet(std::string_view text, Base64 variant) {
    for (const char ch : text) {
        const bool alnum =
            (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        const bool other = variant == Base64::Standard ? (ch == '+' || ch == '/' || ch == '=')
                                                       : (ch == '-' || ch == '_');
        if (!alnum && !other) return false;
    }
    return true;
}

}  // namespace

std::string base64_encode(std::string_view bytes, Base64 variant) {
    const int v = sodium_variant(variant);
    // sodium_base64_ENCODED_LEN counts the terminating NUL.
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), v), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), v);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64 variant) {
    if (!in_alphabet(text, variant)) return std::nullopt;
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, &end, sodium_variant(variant)) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(length);
    return out;
}

}  // namespace booking
