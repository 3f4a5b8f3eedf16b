#pragma once
// The daemon's view of an HTTP exchange, free of Beast so that routes compile
// quickly: the server copies what routes need out of the parsed request and
// turns a Response into the wire format.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace booking::http {

enum class Method { Get, Post, Put, Patch, Delete, Head, Options, Other };
std::string_view to_string(Method method);

struct Request {
    Method method = Method::Other;
    std::string method_text;
    std::string path;   // without the query
    std::string query;  // after '?', undecoded
    std::string authorization;
    std::string content_type;
    std::string idempotency_key;
    bool has_idempotency_key = false;
    std::string request_id;       // sane client value or generated
    std::string origin;           // Origin (CORS)
    std::string accept;           // Accept (a browser visiting a page asks for text/html)
    std::string accept_encoding;  // Accept-Encoding (the site's gzip)
    std::string if_none_match;    // If-None-Match (the site's ETags)
    std::string body;
    std::string peer;  // remote address
    std::chrono::steady_clock::time_point received{};
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

Response json_response(int status, std::string body);

}  // namespace booking::http
