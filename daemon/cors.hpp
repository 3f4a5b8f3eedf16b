#pragma once
// CORS for server.cors_origins (SPEC §2): a business's own website may call
// the API from the browser. Only origins listed exactly are answered with
// Access-Control-* headers; every other origin gets none, so the browser
// keeps the answer from its page. Tokens travel in Authorization, never in
// cookies, so credentials are not allowed.
#include <string>
#include <string_view>
#include <vector>

#include "daemon/http/message.hpp"

namespace booking::daemon {

bool cors_allowed(const std::vector<std::string>& origins, std::string_view origin);

// The headers of an answer to an allowed origin.
void add_cors_headers(http::Response& response, std::string_view origin);

// The answer to a preflight (OPTIONS from an allowed origin) for a path with
// these methods; Exchange::respond adds the headers every answer to it gets.
http::Response cors_preflight(std::string_view allow);

}  // namespace booking::daemon
