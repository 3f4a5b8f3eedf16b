#pragma once
// Reading what clients send: JSON bodies (media type, UTF-8, nesting depth,
// field types) and query strings. Each reader either returns the value or a
// ready 4xx Response; nothing here throws for bad input.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "daemon/http/message.hpp"
#include "daemon/http/problem.hpp"

namespace booking::http {

inline constexpr int kMaxJsonDepth = 32;

// The body as a JSON object, or 415 (not application/json), 400 (malformed,
// invalid UTF-8, nested deeper than kMaxJsonDepth) or 422 (not an object).
std::variant<nlohmann::json, Response> parse_json_object(const Request& request);

// Typed access to the fields of a body; type errors collect into errors().
class Fields {
  public:
    explicit Fields(const nlohmann::json& object) : object_(object) {}
    // Required string (missing, null or not a string is an error).
    std::string required_string(const char* name);
    // Absent or null -> nullopt; wrong type is an error.
    std::optional<std::string> optional_string(const char* name);
    const std::vector<FieldError>& errors() const { return errors_; }
    void add_error(std::string field, std::string message) {
        errors_.push_back({std::move(field), std::move(message)});
    }

  private:
    std::optional<std::string> string_value(const char* name, const nlohmann::json& value);
    const nlohmann::json& object_;
    std::vector<FieldError> errors_;
};

// A decoded query string. Malformed percent-encoding, invalid UTF-8 or NUL
// bytes make valid() false.
class Query {
  public:
    explicit Query(std::string_view raw);
    bool valid() const { return valid_; }
    std::optional<std::string> get(std::string_view name) const;

  private:
    std::vector<std::pair<std::string, std::string>> params_;
    bool valid_ = true;
};

}  // namespace booking::http
