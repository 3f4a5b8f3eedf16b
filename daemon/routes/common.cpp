#include "daemon/routes/common.hpp"

#include "daemon/router.hpp"

namespace booking::daemon {

http::Response json_answer(int status, const nlohmann::json& value) {
    return http::json_response(
        status, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<nlohmann::json> read_json(const ExchangePtr& ex) {
    auto parsed = http::parse_json_object(ex->request);
    if (auto* response = std::get_if<http::Response>(&parsed)) {
        ex->respond(std::move(*response));
        return std::nullopt;
    }
    return std::move(std::get<nlohmann::json>(parsed));
}

std::optional<http::Query> read_query(const ExchangePtr& ex) {
    http::Query query(ex->request.query);
    if (!query.valid()) {
        ex->respond(
            http::problem(400, "the query string is malformed (bad percent-encoding or UTF-8)"));
        return std::nullopt;
    }
    return query;
}

std::optional<BusinessZone::Range> date_range_params(const ExchangePtr& ex,
                                                     const http::Query& query) {
    std::optional<Date> from, to;
    if (!date_param(ex, query, "from", from) || !date_param(ex, query, "to", to))
        return std::nullopt;
    try {
        return ex->app.zone.dates(from, to);
    } catch (const Invalid& e) {
        ex->respond(http::problem(400, "to must not be before from", {{e.field(), e.message()}}));
        return std::nullopt;
    }
}

bool date_param(const ExchangePtr& ex, const http::Query& query, const char* name,
                std::optional<Date>& value) {
    const auto text = query.get(name);
    if (!text) return true;
    try {
        value = parse_date(*text, name);
        return true;
    } catch (const Invalid& e) {
        ex->respond(http::problem(400, std::string(name) + " must be a date YYYY-MM-DD",
                                  {{name, e.message()}}));
        return false;
    }
}

std::string location(const char* collection, long long id) {
    return std::string(collection) + "/" + std::to_string(id);
}

void add_all_routes(Router& router) {
    add_auth_routes(router);
    add_catalog_routes(router);
    add_booking_routes(router);
    add_slot_routes(router);
    add_health_routes(router);
    add_integration_routes(router);
    add_site_routes(router);
}

}  // namespace booking::daemon
