#pragma once
// Logging on spdlog to stderr (journald keeps it): "text" lines or "json"
// objects, one a line. Never passwords, tokens or bodies.
#include <string>
#include <string_view>

#include "daemon/http/message.hpp"

namespace booking::daemon {

void setup_logging(const std::string& level, const std::string& format);
// Accepts trace debug info warn error; false for anything else.
bool set_log_level(const std::string& level);

// The access log line: method, path, status, duration, request id, peer.
void log_request(const http::Request& request, int status, double seconds);
// The request path as the access log shows it: secrets in paths redacted.
std::string logged_path(std::string_view path);

}  // namespace booking::daemon
