#pragma once
// Safe header values for email (RFC 5322 and RFC 2047): whatever a customer
// typed into a name can never add a header line or break the MIME structure,
// because every value that reaches a header passes through these functions.
#include <optional>
#include <string>
#include <string_view>

namespace booking::mail {

struct Mailbox {
    std::string name;     // display name, UTF-8, may be empty
    std::string address;  // local@domain
};

// An address we can hand to an SMTP server: printable ASCII without spaces,
// quotes, angle brackets, commas or semicolons, one '@' with something on
// both sides, at most 254 characters.
bool is_valid_address(std::string_view address);

// "Name <local@domain>" or "local@domain" (as in mail.from); nullopt when the
// address is not valid.
std::optional<Mailbox> parse_mailbox(std::string_view text);

// One line of text: every control character (CR, LF, TAB, ...) becomes a
// space, runs of spaces become one, ends are trimmed.
std::string single_line(std::string_view text);

// A display name for From/To: kept as is when it is plain (letters, digits,
// spaces and RFC 5322 atext), a quoted string when it is ASCII with specials
// (",", "<", "@", ":", quotes), else RFC 2047 encoded words.
std::string encode_phrase(std::string_view name);

// "phrase <address>", or "address" without a name. The address must be valid.
std::string format_mailbox(const Mailbox& mailbox);

// An unstructured header value (Subject): one line, folded at spaces when
// long; RFC 2047 encoded words when it is not plain ASCII. `header_name`
// counts towards the first line's length.
std::string encode_unstructured(std::string_view text, std::string_view header_name);

// RFC 2047 "B" encoded words for UTF-8 text, each at most 75 characters, joined
// by folding whitespace (CRLF SP). Never splits a UTF-8 sequence.
std::string encoded_words(std::string_view text);

}  // namespace booking::mail
