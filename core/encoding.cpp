#include "core/encoding.hpp"

#include <sodium.h>

#include <string>

namespace booking {
namespace {

int sodium_variant(Base64 variant) {
    return variant == Base64::Standard ? sodium_base64_VARIANT_ORIGINAL
                                       : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
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
