#include "daemon/http/input.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace booking::http {
namespace {

bool is_json_media_type(std::string_view content_type) {
    // "application/json", optionally with parameters ("; charset=utf-8").
    const auto semicolon = content_type.find(';');
    std::string_view type = content_type.substr(0, semicolon);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    constexpr std::string_view expected = "application/json";
    if (type.size() != expected.size()) return false;
    for (std::size_t i = 0; i < type.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(type[i])) != expected[i]) return false;
    return true;
}

// The deepest nesting of arrays and objects, counted outside strings, so that
// a hostile body is refused before the parser builds it.
int nesting_depth(std::string_view text) {
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{')
            deepest = std::max(deepest, ++depth);
        else if (c == ']' || c == '}')
            --depth;
    }
    return deepest;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    if (!valid_utf8(out) || out.find('\0') != std::string::npos) return std::nullopt;
    return out;
}

}  // namespace

bool valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned int cp;
        if ((c & 0xE0) == 0xC0)
            len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, cp = c & 0x07;
        else
            return false;
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += len;
    }
    return true;
}

std::variant<nlohmann::json, Response> parse_json_object(const Request& request) {
    if (!is_json_media_type(request.content_type))
        return problem(415, "the body must be application/json");
    if (!valid_utf8(request.body)) return problem(400, "the body is not valid UTF-8");
    if (nesting_depth(request.body) > kMaxJsonDepth)
        return problem(400, "the body is nested too deeply");
    nlohmann::json value = nlohmann::json::parse(request.body, nullptr, false);
    if (value.is_discarded()) return problem(400, "the body is not well-formed JSON");
    if (!value.is_object())
        return invalid({{"", "the body must be a JSON object"}}, "the body must be a JSON object");
    return value;
}

std::optional<std::string> Fields::string_value(const char* name, const nlohmann::json& value) {
    if (!value.is_string()) {
        add_error(name, "must be a string");
        return std::nullopt;
    }
    const auto& text = value.get_ref<const std::string&>();
    if (text.find('\0') != std::string::npos) {
        add_error(name, "must not contain NUL characters");
        return std::nullopt;
    }
    return text;
}

std::string Fields::required_string(const char* name) {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) {
        add_error(name, "is required");
        return {};
    }
    return string_value(name, *it).value_or(std::string());
}

std::optional<std::string> Fields::optional_string(const char* name) {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return std::nullopt;
    return string_value(name, *it);
}

Query::Query(std::string_view raw) {
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const std::string_view part = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        auto name = percent_decode(part.substr(0, eq));
        auto value =
            percent_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
        if (!name || !value) {
            valid_ = false;
            return;
        }
        params_.emplace_back(std::move(*name), std::move(*value));
    }
}

std::optional<std::string> Query::get(std::string_view name) const {
    for (const auto& [key, value] : params_)
        if (key == name) return value;
    return std::nullopt;
}

std::optional<long long> parse_positive_id(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    long long value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    if (value <= 0) return std::nullopt;
    return value;
}

}  // namespace booking::http
