// The JSON body and field reader: a body (with one of a few content types)
// -> a JSON object whose string fields are read as the routes read them, or a
// 4xx (415, 400, 422).
#include <fuzzer/FuzzedDataProvider.h>

#include <variant>

#include "core/text.hpp"
#include "daemon/http/input.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    FuzzedDataProvider in(data, size);
    static const char* const kTypes[] = {"application/json", "application/json; charset=utf-8",
                                         "APPLICATION/JSON ", "text/plain", ""};
    http::Request request;
    request.content_type = kTypes[in.ConsumeIntegralInRange<int>(0, 4)];
    request.body = in.ConsumeRemainingBytesAsString();
    auto result = http::parse_json_object(request);
    if (auto* answer = std::get_if<http::Response>(&result)) {
        const int s = answer->status;
        fuzz::check(s == 400 || s == 415 || s == 422, "a bad body is 400, 415 or 422");
        fuzz::check(!answer->body.empty(), "a refusal says why");
        return 0;
    }
    const auto& object = std::get<nlohmann::json>(result);
    fuzz::check(object.is_object(), "the body is an object");
    http::Fields fields(object);
    const std::string email = fields.required_string("email");
    const auto notes = fields.optional_string("notes");
    for (const auto& [key, value] : object.items()) (void)fields.optional_string(key.c_str());
    fuzz::check(email.find('\0') == std::string::npos, "no NUL in a string field");
    if (notes) fuzz::check(is_valid_utf8(*notes), "string fields are UTF-8");
    return 0;
}
