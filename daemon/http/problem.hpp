#pragma once
// RFC 9457 problem+json answers, and the one table that maps errors (core's
// typed errors, database failures, anything else) to HTTP statuses.
#include <string>
#include <string_view>
#include <vector>

#include "daemon/http/message.hpp"

namespace booking::http {

struct FieldError {
    std::string field;
    std::string message;
};

std::string_view status_title(int status);

Response problem(int status, std::string_view detail, const std::vector<FieldError>& errors = {});
Response invalid(const std::vector<FieldError>& errors,
                 std::string_view detail = "the request is invalid");
Response unauthorized(std::string_view detail);
Response method_not_allowed(std::string_view allow);
Response too_many_requests(long long retry_after_seconds, std::string_view detail);
Response service_unavailable(std::string_view detail);

struct ExceptionAnswer {
    Response response;
    bool connection_broken = false;  // the database connection must be replaced
};

// Inside a catch block: the answer to the exception being handled. Internals
// (SQL, messages of unexpected exceptions) are logged with the request id,
// never shown.
ExceptionAnswer answer_current_exception(std::string_view request_id);

}  // namespace booking::http
