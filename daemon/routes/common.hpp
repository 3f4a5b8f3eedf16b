#pragma once
// Small pieces every route file uses: JSON answers, reading bodies and query
// parameters (answering 4xx themselves), dates.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/errors.hpp"
#include "core/time/business_time.hpp"
#include "daemon/exchange.hpp"
#include "daemon/http/input.hpp"
#include "daemon/http/problem.hpp"

namespace booking::daemon {

using ExchangePtr = std::shared_ptr<Exchange>;

http::Response json_answer(int status, const nlohmann::json& value);

// The body as a JSON object, or nullopt after answering 4xx.
std::optional<nlohmann::json> read_json(const ExchangePtr& ex);
// The query, or nullopt after answering 400.
std::optional<http::Query> read_query(const ExchangePtr& ex);

// A YYYY-MM-DD query parameter. Absent: nullopt in value, true returned.
// Malformed: answers 400 and returns false.
bool date_param(const ExchangePtr& ex, const http::Query& query, const char* name,
                std::optional<Date>& value);
// from=D&to=D (local dates, inclusive, either optional) as instants. Malformed,
// or to before from: answers 400 and returns nullopt.
std::optional<BusinessZone::Range> date_range_params(const ExchangePtr& ex,
                                                     const http::Query& query);

// The field errors of Invalid exceptions thrown by each check, collected.
template <class... Checks>
std::vector<http::FieldError> collect_invalid(Checks&&... checks) {
    std::vector<http::FieldError> errors;
    auto run = [&](auto&& check) {
        try {
            check();
        } catch (const Invalid& e) {
            errors.push_back({e.field(), e.message()});
        }
    };
    (run(checks), ...);
    return errors;
}

// "Location" for a created object.
std::string location(const char* collection, long long id);

void add_auth_routes(Router& router);
void add_catalog_routes(Router& router);
void add_booking_routes(Router& router);
void add_slot_routes(Router& router);
void add_health_routes(Router& router);
void add_site_routes(Router& router);
void add_integration_routes(Router& router);

}  // namespace booking::daemon
