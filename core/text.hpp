#pragma once
// Small text checks shared by every input path (CLI and HTTP alike).
#include <optional>
#include <string>
#include <string_view>

namespace booking {

std::string_view trim(std::string_view text);
std::string to_lower_ascii(std::string_view text);
// RFC 3629: no overlong forms, surrogates or values past U+10FFFF. The one
// validator of bodies, queries, fields and templates.
bool is_valid_utf8(std::string_view text);
// Code points in valid UTF-8.
std::size_t utf8_length(std::string_view text);
// Valid UTF-8 with its code points in reverse order (as PostgreSQL's reverse()).
std::string utf8_reversed(std::string_view text);
// C0 controls (other than tab) and DEL.
bool has_control_chars(std::string_view text);
// Text of several lines with LF line ends: CR LF, CR and LF each end a line;
// the other control characters (except TAB) and DEL are left out.
std::string multiline_text(std::string_view text);
// A positive decimal id ("42"): ASCII digits only (no sign, space or
// overflow), or nullopt. The one id reader of URLs, tokens and the CLI.
std::optional<long long> parse_id(std::string_view text);
// A service or resource code: lower-case letters, digits, - and _, at most 64.
// Throws Invalid("code", ...) naming what it is the code of.
void validate_code(std::string_view code, const std::string& what);
// The text for an error message: control characters and invalid UTF-8 shown as '?', at most 100
// characters.
std::string printable(std::string_view text);

}  // namespace booking
