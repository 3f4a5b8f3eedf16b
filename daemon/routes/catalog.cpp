// GET /v1/services, GET /v1/resources, GET /v1/availability.
#include <pqxx/pqxx>

#include "core/availability/availability.hpp"
#include "core/availability/calendar_store.hpp"
#include "core/resources/resources.hpp"
#include "core/services/services.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

void list_services(const ExchangePtr& ex) {
    ex->on_db([](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        return json_answer(200, {{"services", services::list(tx, true)}});
    });
}

void list_resources(const ExchangePtr& ex) {
    ex->on_db([](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        return json_answer(200, {{"resources", resources::list(tx, true)}});
    });
}

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += nlohmann::json(std::string(1, c)).dump().substr(1, 6);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

// The hot path of the API: written straight into the body, no JSON tree.
std::string availability_body(const std::string& date, const std::string& zone,
                              const std::string& service, const std::vector<FreeStart>& starts) {
    std::string out;
    out.reserve(96 + starts.size() * 80);
    out += "{\"date\":";
    append_json_string(out, date);
    out += ",\"time_zone\":";
    append_json_string(out, zone);
    out += ",\"service\":";
    append_json_string(out, service);
    out += ",\"slots\":[";
    bool first = true;
    for (const auto& s : starts) {
        if (!first) out.push_back(',');
        first = false;
        out += "{\"start\":\"";
        out += format_utc(s.start);
        out += "\",\"end\":\"";
        out += format_utc(s.end);
        out += "\",\"resources\":[";
        for (std::size_t i = 0; i < s.resources.size(); ++i) {
            if (i) out.push_back(',');
            append_json_string(out, s.resources[i]);
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

void availability(const ExchangePtr& ex) {
    auto query = read_query(ex);
    if (!query) return;
    std::optional<Date> date;
    if (!date_param(ex, *query, "date", date)) return;
    if (!date)
        return ex->respond(
            http::problem(400, "date is required (YYYY-MM-DD)", {{"date", "is required"}}));
    auto service = query->get("service");
    if (!service || service->empty())
        return ex->respond(http::problem(400, "service is required", {{"service", "is required"}}));
    std::optional<std::string> resource = query->get("resource");
    if (resource && resource->empty()) resource.reset();

    const auto& app = ex->app;
    const Time day_start = app.zone.start_of_day(*date);
    const Time day_end = app.zone.start_of_day(add_days(*date, 1));
    const Time t = now();
    ex->on_db([ex, date = *date, service = *service, resource, day_start, day_end,
               t](pqxx::connection& conn) {
        const auto& app = ex->app;
        pqxx::nontransaction tx(conn);
        const auto day = availability::load_day(tx, service, resource, day_start, day_end);
        AvailabilityQuery q;
        q.duration = day.duration;
        q.buffer = day.buffer;
        q.step = app.policy.slot_step;
        q.window_start = day_start;
        q.window_end = day_end;
        q.earliest = t + app.policy.min_notice;
        q.latest = t + app.policy.horizon;
        const auto starts = compute_availability(q, day.calendars);
        return http::json_response(
            200, availability_body(format_date(date), app.zone.name(), service, starts));
    });
}

}  // namespace

void add_catalog_routes(Router& router) {
    router.add(http::Method::Get, "/v1/services", list_services);
    router.add(http::Method::Get, "/v1/resources", list_resources);
    router.add(http::Method::Get, "/v1/availability", availability);
}

}  // namespace booking::daemon
