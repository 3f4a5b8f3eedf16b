// GET /v1/services, GET /v1/resources, GET /v1/availability.
#include <pqxx/pqxx>

#include "core/availability/availability.hpp"
#include "core/availability/calendar_store.hpp"
#include "core/availability/day_cache.hpp"
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

// One availability request: what was asked, and when.
struct DayQuestion {
    Date date;
    std::string service;
    std::optional<std::string> resource;
    Time asked_at;
    Time day_start{};  // the local day, once it has to be read from the database
    Time day_end{};
};

// The hot path of the API: most answers come from the daemon's cache of each
// day's free times (core/availability/day_cache) without any database work,
// and are written straight into the body, no JSON tree.
http::Response availability_answer(const App& app, const DayQuestion& q,
                                   const availability::DayAnswer& day) {
    const std::string_view slots =
        day.slots_json(q.asked_at + app.policy.min_notice, q.asked_at + app.policy.horizon);
    std::string out;
    out.reserve(96 + q.service.size() + slots.size());
    out += "{\"date\":\"";
    out += format_date(q.date);
    out += "\",\"time_zone\":";
    availability::append_json_string(out, app.zone.name());
    out += ",\"service\":";
    availability::append_json_string(out, q.service);
    out += ",\"slots\":[";
    out += slots;
    out += "]}";
    return http::json_response(200, std::move(out));
}

// Reads the day from the database (one round trip), answers, and hands the
// answer to the cache when load says so (and to requests that joined it).
void read_day(const ExchangePtr& ex, std::shared_ptr<const DayQuestion> question,
              std::shared_ptr<availability::DayCache::Load> load) {
    ex->on_db([ex, question, load](pqxx::connection& conn) {
        const auto& app = ex->app;
        const auto& q = *question;
        pqxx::nontransaction tx(conn);
        const auto day = availability::load_day(tx, q.service, q.resource, q.day_start, q.day_end);
        // The whole day, whatever the time: min_notice and horizon are applied per answer.
        AvailabilityQuery whole_day;
        whole_day.duration = day.duration;
        whole_day.buffer = day.buffer;
        whole_day.step = app.policy.slot_step;
        whole_day.window_start = whole_day.earliest = q.day_start;
        whole_day.window_end = whole_day.latest = q.day_end;
        auto answer = std::make_shared<const availability::DayAnswer>(
            compute_availability(whole_day, day.calendars),
            Interval{q.day_start, q.day_end + day.duration + day.buffer});
        if (load) load->finish(answer);
        return availability_answer(app, q, *answer);
    });
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

    auto& app = ex->app;
    auto question = std::make_shared<DayQuestion>(
        DayQuestion{*date, std::move(*service), std::move(resource), now()});
    std::string key = question->service;
    key += '\0';
    key += question->resource.value_or("");
    key += '\0';
    key += std::to_string(days_since_epoch(*date));
    if (auto day = app.availability_cache.find(key))
        return ex->respond(availability_answer(app, *question, *day));

    question->day_start = app.zone.start_of_day(*date);
    question->day_end = app.zone.start_of_day(add_days(*date, 1));
    // What the day's answer can depend on: its slots, and bookings up to a
    // service's longest duration and buffer (a day each, sql/0001) after it.
    const Interval bound{question->day_start, question->day_end + std::chrono::hours(48)};
    std::unique_ptr<availability::DayCache::Load> load = app.availability_cache.join_or_load(
        key, bound, [ex, question](std::shared_ptr<const availability::DayAnswer> day) {
            if (!day) return read_day(ex, question, nullptr);  // the shared read failed
            ex->respond(availability_answer(ex->app, *question, *day));
        });
    if (load) read_day(ex, question, std::move(load));
}

}  // namespace

void add_catalog_routes(Router& router) {
    router.add(http::Method::Get, "/v1/services", list_services);
    router.add(http::Method::Get, "/v1/resources", list_resources);
    router.add(http::Method::Get, "/v1/availability", availability);
}

}  // namespace booking::daemon
