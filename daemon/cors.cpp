#include "daemon/cors.hpp"

#include <algorithm>

namespace booking::daemon {

bool cors_allowed(const std::vector<std::string>& origins, std::string_view origin) {
    return !origin.empty() && std::find(origins.begin(), origins.end(), origin) != origins.end();
}

void add_cors_headers(http::Response& response, std::string_view origin) {
    response.header("Access-Control-Allow-Origin", std::string(origin));
    response.header("Vary", "Origin");
    response.header("Access-Control-Expose-Headers",
                    "Location, Retry-After, WWW-Authenticate, X-Request-Id");
}

http::Response cors_preflight(std::string_view allow) {
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    r.header("Access-Control-Allow-Methods", std::string(allow));
    r.header("Access-Control-Allow-Headers",
             "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
    r.header("Access-Control-Max-Age", "600");
    return r;
}

}  // namespace booking::daemon
