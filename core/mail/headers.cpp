#include "core/mail/headers.hpp"

#include <cstring>
#include <vector>

#include "core/encoding.hpp"
#include "core/text.hpp"

namespace booking::mail {
namespace {

constexpr std::size_t kMaxLine = 78;         // RFC 5322 SHOULD
constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047
constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";

bool is_atext(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
}

// The length of the UTF-8 sequence starting with byte c (1 for anything odd,
// so that a broken sequence is still cut somewhere).
std::size_t utf8_sequence(unsigned char c) {
    if (c >= 0xF0 && c < 0xF8) return 4;
    if (c >= 0xE0) return c < 0xF0 ? 3 : 1;
    if (c >= 0xC0) return 2;
    return 1;
}

bool is_plain_ascii(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

}  // namespace

bool is_valid_address(std::string_view address) {
    if (address.empty() || address.size() > 254) return false;
    const auto at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
    if (address.find('@') != at) return false;
    for (unsigned char c : address) {
        if (c <= 0x20 || c >= 0x7f) return false;
        if (std::strchr("<>()[],;:\\\"", c) != nullptr) return false;
    }
    const auto domain = address.substr(at + 1);
    return domain.front() != '.' && domain.back() != '.' &&
           domain.find("..") == std::string_view::npos;
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
    text = trim(text);
    Mailbox box;
    if (const auto open = text.rfind('<'); open != std::string_view::npos) {
        if (text.back() != '>') return std::nullopt;
        box.address = std::string(trim(text.substr(open + 1, text.size() - open - 2)));
        std::string_view name = trim(text.substr(0, open));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
            name = name.substr(1, name.size() - 2);
        box.name = single_line(name);
    } else {
        box.address = std::string(text);
    }
    if (!is_valid_address(box.address)) return std::nullopt;
    return box;
}

std::string single_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += static_cast<char>(c);
    }
    return out;
}

std::string encoded_words(std::string_view text) {
    // Each word carries at most 45 bytes (60 base64 characters), which keeps
    // it within 75 characters; cut only between UTF-8 sequences.
    constexpr std::size_t kMaxBytes =
        (kMaxEncodedWord - kWordStart.size() - kWordEnd.size()) / 4 * 3;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = i;
        while (end < text.size()) {
            const std::size_t n = utf8_sequence(static_cast<unsigned char>(text[end]));
            if (end + n - i > kMaxBytes) break;
            end = std::min(end + n, text.size());
        }
        if (end == i) end = std::min(i + kMaxBytes, text.size());
        if (!out.empty()) out += "\r\n ";
        out += kWordStart;
        out += base64_encode(text.substr(i, end - i));
        out += kWordEnd;
        i = end;
    }
    return out;
}

std::string encode_phrase(std::string_view name) {
    const std::string line = single_line(name);
    if (line.empty()) return line;
    bool plain = true;
    for (unsigned char c : line)
        if (c != ' ' && !is_atext(c)) plain = false;
    // Plain words that could be mistaken for an encoded word are quoted.
    if (plain && line.find("=?") == std::string::npos) return line;
    // ASCII with specials (",", "<", ":", "@", quotes...): a quoted string,
    // which every reader shows as typed. Encoded words only for non-ASCII.
    if (is_plain_ascii(line)) {
        std::string quoted = "\"";
        for (char c : line) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        return quoted + '"';
    }
    return encoded_words(line);
}

std::string format_mailbox(const Mailbox& mailbox) {
    const std::string phrase = encode_phrase(mailbox.name);
    if (phrase.empty()) return mailbox.address;
    return phrase + " <" + mailbox.address + ">";
}

std::string encode_unstructured(std::string_view text, std::string_view header_name) {
    const std::string line = single_line(text);
    if (!is_plain_ascii(line) || line.find("=?") != std::string::npos) return encoded_words(line);
    // Fold at spaces so that no line is longer than 78 characters where possible.
    std::string out;
    std::size_t column = header_name.size() + 2;  // "Subject: "
    std::size_t start = 0;
    while (start < line.size()) {
        auto end = line.find(' ', start);
        if (end == std::string::npos) end = line.size();
        const auto word = std::string_view(line).substr(start, end - start);
        if (out.empty()) {
            out += word;
            column += word.size();
        } else if (column + 1 + word.size() > kMaxLine) {
            out += "\r\n ";
            out += word;
            column = 1 + word.size();
        } else {
            out += ' ';
            out += word;
            column += 1 + word.size();
        }
        start = end + 1;
    }
    return out;
}

}  // namespace booking::mail
