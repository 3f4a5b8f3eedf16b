#include "daemon/http/input.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <algorithm>
#include <cctype>

#include "core/text.hpp"

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

// One name or value of a query: Poco::URI's percent-decoding, with '+' as a
// space (HTML forms); nullopt for bad percent-encoding, invalid UTF-8 or NUL.
std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    try {
        Poco::URI::decode(std::string(text), out, true);
    } catch (const Poco::SyntaxException&) {
        return std::nullopt;
    }
    if (!is_valid_utf8(out) || out.find('\0') != std::string::npos) return std::nullopt;
    return out;
}

}  // namespace

std::variant<nlohmann::json, Response> parse_json_object(const Request& request) {
    if (!is_json_media_type(request.content_type))
        return problem(415, "the body must be application/json");
    if (!is_valid_utf8(request.body)) return problem(400, "the body is not valid UTF-8");
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

}  // namespace booking::http
