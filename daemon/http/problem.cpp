#include "daemon/http/problem.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <pqxx/except>

#include "core/db/database.hpp"
#include "core/errors.hpp"

namespace booking::http {
namespace {

struct StatusInfo {
    int status;
    const char* title;
};

constexpr StatusInfo kStatuses[] = {
    {200, "OK"},
    {201, "Created"},
    {204, "No Content"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {413, "Content Too Large"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {503, "Service Unavailable"},
};

// The one mapping of core's error kinds to statuses.
int status_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Invalid:
            return 422;
        case ErrorKind::NotFound:
            return 404;
        case ErrorKind::Conflict:
            return 409;
        case ErrorKind::Forbidden:
            return 403;
        case ErrorKind::Unavailable:
            return 503;
        case ErrorKind::Config:
            return 500;
    }
    return 500;
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// SQLSTATE classes that mean "the database is not there right now": connection
// exceptions (08), operator intervention such as a shutdown (57), insufficient
// resources (53).
bool means_unavailable(const std::string& sqlstate) {
    return starts_with(sqlstate, "08") || starts_with(sqlstate, "57") ||
           starts_with(sqlstate, "53");
}

// PostgreSQL cancelled a statement at database.statement_timeout: the
// connection is fine (its transaction is rolled back); the client may retry.
ExceptionAnswer statement_timeout(std::string_view request_id, std::string_view what) {
    spdlog::warn("request {}: database statement cancelled: {}", request_id, what);
    return {service_unavailable("the database is busy, try again shortly"), false};
}

ExceptionAnswer internal_error(std::string_view request_id, std::string_view what) {
    spdlog::error("request {}: internal error: {}", request_id, what);
    return {problem(500, "an internal error occurred; it has been logged"), false};
}

}  // namespace

std::string_view status_title(int status) {
    for (const auto& s : kStatuses)
        if (s.status == status) return s.title;
    return "Error";
}

Response json_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response problem(int status, std::string_view detail, const std::vector<FieldError>& errors) {
    nlohmann::json body = {{"type", "about:blank"},
                           {"title", status_title(status)},
                           {"status", status},
                           {"detail", detail}};
    if (!errors.empty()) {
        auto& list = body["errors"] = nlohmann::json::array();
        for (const auto& e : errors) list.push_back({{"field", e.field}, {"message", e.message}});
    }
    Response r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Response invalid(const std::vector<FieldError>& errors, std::string_view detail) {
    return problem(422, detail, errors);
}

Response unauthorized(std::string_view detail) {
    return problem(401, detail).header("WWW-Authenticate", "Bearer realm=\"bookingd\"");
}

Response method_not_allowed(std::string_view allow) {
    return problem(405, "this method is not allowed here").header("Allow", std::string(allow));
}

Response too_many_requests(long long retry_after_seconds, std::string_view detail) {
    return problem(429, detail).header("Retry-After", std::to_string(retry_after_seconds));
}

Response service_unavailable(std::string_view detail) {
    return problem(503, detail).header("Retry-After", "1");
}

ExceptionAnswer answer_current_exception(std::string_view request_id) {
    try {
        throw;
    } catch (const Invalid& e) {
        return {invalid({{e.field(), e.message()}}, e.what()), false};
    } catch (const StatementTimeout& e) {
        return statement_timeout(request_id, e.what());
    } catch (const Unavailable& e) {
        spdlog::warn("request {}: database unavailable: {}", request_id, e.what());
        return {service_unavailable("the database is unavailable, try again shortly"), true};
    } catch (const Error& e) {
        const int status = status_of(e.kind());
        if (status >= 500) return internal_error(request_id, e.what());
        return {problem(status, e.what()), false};
    } catch (const pqxx::broken_connection& e) {
        spdlog::warn("request {}: database connection lost: {}", request_id, e.what());
        return {service_unavailable("the database is unavailable, try again shortly"), true};
    } catch (const pqxx::in_doubt_error& e) {
        spdlog::warn("request {}: database connection lost during commit: {}", request_id,
                     e.what());
        return {service_unavailable("the database is unavailable, try again shortly"), true};
    } catch (const pqxx::sql_error& e) {
        const std::string state = e.sqlstate();
        if (state == db::kQueryCanceled) return statement_timeout(request_id, e.what());
        if (means_unavailable(state)) {
            spdlog::warn("request {}: database unavailable ({}): {}", request_id, state, e.what());
            return {service_unavailable("the database is unavailable, try again shortly"), true};
        }
        // Constraint violations core did not translate still mean "conflict".
        if (state == "23P01" || state == "23505")
            return {problem(409, "this conflicts with the current state"), false};
        if (state == "40001" || state == "40P01")
            return {service_unavailable("the database was busy, try again"), false};
        return internal_error(request_id, std::string("SQL error ") + state + ": " + e.what());
    } catch (const pqxx::failure& e) {
        // Other libpqxx failures leave the connection in an unknown state.
        spdlog::error("request {}: database failure: {}", request_id, e.what());
        return {service_unavailable("the database is unavailable, try again shortly"), true};
    } catch (const std::exception& e) {
        return internal_error(request_id, e.what());
    } catch (...) {
        return internal_error(request_id, "unknown exception");
    }
}

}  // namespace booking::http
