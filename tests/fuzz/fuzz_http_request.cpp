// The HTTP request reader: bytes as a client sends them -> the request the
// routes see, or the 4xx a connection answers. Then the query and the JSON
// body of a request that was read, as the routes read them.
#include <variant>

#include "daemon/http/input.hpp"
#include "daemon/http/server.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    http::ServerOptions options;
    options.max_body_bytes = 4096;
    options.header_limit = 1024;
    // The fuzzed bytes come from the "peer" "", trusted so that
    // X-Forwarded-For is read too.
    options.trusted_proxies = {""};
    auto result = http::read_request(fuzz::text_of(data, size), options);
    if (auto* status = std::get_if<int>(&result)) {
        fuzz::check(*status == 0 || *status == 400 || *status == 413 || *status == 431,
                    "a request that cannot be read is 400, 413, 431 or a close");
        return 0;
    }
    auto& request = std::get<http::Request>(result);
    fuzz::check(request.body.size() <= options.max_body_bytes, "body within the limit");
    fuzz::check(request.path.find('?') == std::string::npos, "the path holds no query");
    fuzz::check(!request.request_id.empty() && request.request_id.size() <= 128,
                "a request id of 1-128 characters");
    http::Query query(request.query);
    if (query.valid()) (void)query.get("from");
    auto body = http::parse_json_object(request);
    if (auto* answer = std::get_if<http::Response>(&body))
        fuzz::check(answer->status >= 400 && answer->status < 500, "a bad body is a 4xx");
    return 0;
}
