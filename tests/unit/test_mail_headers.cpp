// Header values for email: addresses, display names and subjects can never
// carry a line break out of their header, and non-ASCII text is RFC 2047
// encoded in words of at most 75 characters.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/mail/headers.hpp"
#include "core/mail/outbox.hpp"

namespace {

using namespace booking::mail;

std::string base64_decode(std::string_view text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    int bits = 0, buffer = 0;
    for (char c : text) {
        const int v = value(c);
        if (v < 0) continue;
        buffer = (buffer << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

// The text of RFC 2047 "B" words (joined by folding whitespace), decoded.
std::string decode_words(const std::string& encoded) {
    std::string out;
    std::size_t at = 0;
    while ((at = encoded.find("=?UTF-8?B?", at)) != std::string::npos) {
        const auto end = encoded.find("?=", at + 10);
        out += base64_decode(std::string_view(encoded).substr(at + 10, end - at - 10));
        at = end + 2;
    }
    return out;
}

std::vector<std::string> words_of(const std::string& encoded) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < encoded.size()) {
        auto end = encoded.find("\r\n ", start);
        if (end == std::string::npos) end = encoded.size();
        words.push_back(encoded.substr(start, end - start));
        start = end + 3;
    }
    return words;
}

// Every CR LF inside a header value must be followed by a space or tab
// (folding); otherwise the text after it would be a header line of its own.
bool only_folding_breaks(const std::string& value) {
    for (std::size_t i = value.find('\n'); i != std::string::npos; i = value.find('\n', i + 1)) {
        if (i == 0 || value[i - 1] != '\r') return false;
        if (i + 1 >= value.size() || (value[i + 1] != ' ' && value[i + 1] != '\t')) return false;
    }
    for (std::size_t i = value.find('\r'); i != std::string::npos; i = value.find('\r', i + 1))
        if (i + 1 >= value.size() || value[i + 1] != '\n') return false;
    return true;
}

TEST(MailAddress, AcceptsOrdinaryAddressesAndRefusesWhatCouldBreakAnEnvelope) {
    for (const char* good : {"ann@example.com", "a.b+tag@sub.example.co.uk", "x@y"})
        EXPECT_TRUE(is_valid_address(good)) << good;
    for (const char* bad :
         {"", "ann", "@example.com", "ann@", "ann@@example.com", "ann @example.com",
          "ann@example.com\r\nRCPT TO:<evil@x.com>", "<ann@example.com>", "ann@exa,mple.com",
          "ann@example..com", "ann@.example.com", "\"ann\"@example.com", "ann@ex\xc3\xa4mple.com"})
        EXPECT_FALSE(is_valid_address(bad)) << bad;
    EXPECT_FALSE(is_valid_address(std::string(250, 'a') + "@b.cd"));
}

TEST(MailAddress, ParsesTheFromSetting) {
    auto box = parse_mailbox("Example Studio <bookings@example.com>");
    ASSERT_TRUE(box);
    EXPECT_EQ(box->name, "Example Studio");
    EXPECT_EQ(box->address, "bookings@example.com");
    box = parse_mailbox("\"Studio, Ltd\" <a@b.cd>");
    ASSERT_TRUE(box);
    EXPECT_EQ(box->name, "Studio, Ltd");
    box = parse_mailbox("  a@b.cd ");
    ASSERT_TRUE(box);
    EXPECT_EQ(box->name, "");
    EXPECT_EQ(box->address, "a@b.cd");
    EXPECT_FALSE(parse_mailbox("Studio <not an address>"));
    EXPECT_FALSE(parse_mailbox("Studio <a@b.cd"));
}

TEST(MailHeaders, SingleLineTurnsEveryControlCharacterIntoOneSpace) {
    EXPECT_EQ(single_line("Ann\r\nBcc: x@y.z"), "Ann Bcc: x@y.z");
    EXPECT_EQ(single_line("  a\t\tb \x01\x7f c  "), "a b c");
}

TEST(MailHeaders, PlainNamesStayReadableOthersAreEncodedWords) {
    EXPECT_EQ(encode_phrase("Ann Smith"), "Ann Smith");
    const std::string zoe = "Zo\xc3\xab Br\xc3\xb8nd";
    const std::string encoded = encode_phrase(zoe);
    EXPECT_EQ(encoded.rfind("=?UTF-8?B?", 0), 0u) << encoded;
    EXPECT_EQ(decode_words(encoded), zoe);
    // ASCII specials that mean something in an address header are quoted.
    EXPECT_EQ(encode_phrase("Smith, Ann"), "\"Smith, Ann\"");
    EXPECT_EQ(encode_phrase("Ann <evil@x.com>"), "\"Ann <evil@x.com>\"");
    EXPECT_EQ(encode_phrase("Ann \"The\" \\ (x)"), "\"Ann \\\"The\\\" \\\\ (x)\"");
    EXPECT_EQ(encode_phrase("=?x?="), "\"=?x?=\"");
    EXPECT_EQ(encode_phrase(std::string(100, 'a')), std::string(100, 'a'));
}

TEST(MailHeaders, EncodedWordsAreShortAndNeverSplitACharacter) {
    std::string text;
    for (int i = 0; i < 60; ++i) text += "\xe2\x82\xac";  // the euro sign, 3 bytes
    const std::string encoded = encoded_words(text);
    for (const auto& word : words_of(encoded)) {
        EXPECT_LE(word.size(), 75u) << word;
        EXPECT_EQ(base64_decode(word.substr(10, word.size() - 12)).size() % 3, 0u) << word;
    }
    EXPECT_EQ(decode_words(encoded), text);
    EXPECT_TRUE(only_folding_breaks(encoded));
}

TEST(MailHeaders, MailboxesCannotInjectHeaders) {
    const Mailbox hostile{"Eve\r\nBcc: victim@example.com\r\n\r\n--MIME_boundary",
                          "eve@example.com"};
    const std::string value = format_mailbox(hostile);
    EXPECT_TRUE(only_folding_breaks(value)) << value;
    EXPECT_NE(value.find("<eve@example.com>"), std::string::npos);
    EXPECT_EQ(format_mailbox({"", "ann@example.com"}), "ann@example.com");
}

TEST(MailHeaders, LongSubjectsAreFoldedAndHostileOnesFlattened) {
    std::string subject = "Booking confirmed:";
    for (int i = 0; i < 30; ++i) subject += " word" + std::to_string(i);
    const std::string folded = encode_unstructured(subject, "Subject");
    EXPECT_TRUE(only_folding_breaks(folded));
    std::size_t first = folded.find("\r\n");
    EXPECT_LE(first + 9, 78u);
    std::string unfolded = folded;
    for (auto at = unfolded.find("\r\n"); at != std::string::npos; at = unfolded.find("\r\n"))
        unfolded.erase(at, 2);
    EXPECT_EQ(unfolded, subject);

    const std::string hostile = encode_unstructured("Hi\r\nBcc: x@y.z\nX: y", "Subject");
    EXPECT_TRUE(only_folding_breaks(hostile)) << hostile;
    EXPECT_EQ(hostile, "Hi Bcc: x@y.z X: y");

    const std::string utf8 = encode_unstructured("Reminder: caf\xc3\xa9 at 10:00", "Subject");
    EXPECT_EQ(decode_words(utf8), "Reminder: caf\xc3\xa9 at 10:00");
}

TEST(MailRetry, DelayDoublesFromTheBaseAndNeverExceedsAnHour) {
    using std::chrono::seconds;
    EXPECT_EQ(retry_delay(1, seconds(60)), seconds(60));
    EXPECT_EQ(retry_delay(2, seconds(60)), seconds(120));
    EXPECT_EQ(retry_delay(3, seconds(60)), seconds(240));
    EXPECT_EQ(retry_delay(6, seconds(60)), seconds(1920));
    EXPECT_EQ(retry_delay(7, seconds(60)), seconds(3600));
    EXPECT_EQ(retry_delay(50, seconds(60)), seconds(3600));
    EXPECT_EQ(retry_delay(1, seconds(7200)), seconds(3600));
    EXPECT_EQ(retry_delay(3, seconds(1)), seconds(4));
}

}  // namespace
