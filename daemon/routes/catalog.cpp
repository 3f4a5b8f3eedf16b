// GET /v1/services, /v1/resources, /v1/business, /v1/availability and
// /v1/availability/days. The availability rules live in core/availability
// (days.hpp); these only translate.
#include <pqxx/pqxx>

#include "core/availability/availability.hpp"
#include "core/availability/calendar_store.hpp"
#include "core/availability/day_cache.hpp"
#include "core/availability/days.hpp"
#include "core/resources/resources.hpp"
#include "core/services/services.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

namespace av = availability;

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

long long whole_minutes(Seconds s) { return std::chrono::duration_cast<Minutes>(s).count(); }

void business(const ExchangePtr& ex) {
    const auto& app = ex->app;
    ex->respond(json_answer(
        200, {{"name", app.config.business.name},
              {"time_zone", app.zone.name()},
              {"slot_step_minutes", whole_minutes(app.policy.slot_step)},
              {"min_notice_minutes", whole_minutes(app.policy.min_notice)},
              {"horizon_days",
               std::chrono::duration_cast<std::chrono::days>(app.policy.horizon).count()},
              {"cancel_notice_minutes", whole_minutes(app.policy.cancel_notice)},
              {"reschedule_notice_minutes", whole_minutes(app.policy.reschedule_notice)}}));
}

// What both availability endpoints are asked: a service, maybe a resource.
struct Subject {
    std::string service;
    std::optional<std::string> resource;
};

// service= and resource= of the query, or nullopt after answering 400.
std::optional<Subject> subject_params(const ExchangePtr& ex, const http::Query& query) {
    auto service = query.get("service");
    if (!service || service->empty()) {
        ex->respond(http::problem(400, "service is required", {{"service", "is required"}}));
        return std::nullopt;
    }
    std::optional<std::string> resource = query.get("resource");
    if (resource && resource->empty()) resource.reset();
    return Subject{std::move(*service), std::move(resource)};
}

// False after answering 404 for a service the daemon knows does not exist
// (no database work); true when it exists or is not known now.
bool service_may_exist(const ExchangePtr& ex, const std::string& service) {
    const auto known = ex->app.availability_cache.has_service(service);
    if (!known || *known) return true;
    ex->respond(http::problem(404, "no such service: " + service));
    return false;
}

// One availability request: what was asked, and when.
struct DayQuestion {
    av::LocalDay day;
    Subject subject;
    Time asked_at;
};

// The hot path of the API: most answers come from the daemon's cache of each
// day's free times (core/availability/day_cache) without any database work,
// and are written straight into the body, no JSON tree.
http::Response availability_answer(const App& app, const DayQuestion& q, std::string_view slots) {
    std::string out;
    out.reserve(96 + q.subject.service.size() + slots.size());
    out += "{\"date\":\"";
    out += format_date(q.day.date);
    out += "\",\"time_zone\":";
    av::append_json_string(out, app.zone.name());
    out += ",\"service\":";
    av::append_json_string(out, q.subject.service);
    out += ",\"slots\":[";
    out += slots;
    out += "]}";
    return http::json_response(200, std::move(out));
}

http::Response availability_answer(const App& app, const DayQuestion& q, const av::DayAnswer& day) {
    const auto offered = av::offered_times(app.offer, q.asked_at);
    return availability_answer(app, q, day.slots_json(offered.start, offered.end));
}

// Reads the day from the database (one round trip), answers, and hands the
// answer to the cache when load says so (and to requests that joined it).
void read_day(const ExchangePtr& ex, std::shared_ptr<const DayQuestion> question,
              std::shared_ptr<av::DayCache::Load> load) {
    ex->on_db([ex, question, load](pqxx::connection& conn) {
        auto& app = ex->app;
        const auto& q = *question;
        pqxx::nontransaction tx(conn);
        const auto calendars =
            av::load_day(tx, q.subject.service, q.subject.resource, q.day.start, q.day.end);
        auto answer = av::compute_day(calendars, q.day, app.offer.step);
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
    auto subject = subject_params(ex, *query);
    if (!subject || !service_may_exist(ex, subject->service)) return;

    auto& app = ex->app;
    const Time asked_at = now();
    if (!av::offered_dates(app.zone, app.offer, asked_at).contains(*date)) {
        const DayQuestion q{av::LocalDay{*date, {}, {}}, std::move(*subject), asked_at};
        return ex->respond(availability_answer(app, q, std::string_view{}));
    }
    const auto key = av::day_key(subject->service, subject->resource, *date);
    if (auto day = app.availability_cache.find(key)) {
        const DayQuestion q{av::LocalDay{*date, {}, {}}, std::move(*subject), asked_at};
        return ex->respond(availability_answer(app, q, *day));
    }
    auto question = std::make_shared<const DayQuestion>(
        DayQuestion{av::local_day(app.zone, *date), std::move(*subject), asked_at});
    std::unique_ptr<av::DayCache::Load> load = app.availability_cache.join_or_load(
        key, av::day_dependencies(question->day),
        [ex, question](std::shared_ptr<const av::DayAnswer> day) {
            if (!day) return read_day(ex, question, nullptr);  // the shared read failed
            ex->respond(availability_answer(ex->app, *question, *day));
        });
    if (load) read_day(ex, question, std::move(load));
}

// month=YYYY-MM: its first day, or nullopt after answering 400.
std::optional<Date> month_param(const ExchangePtr& ex, const http::Query& query) {
    const auto month = query.get("month");
    if (!month)
        ex->respond(http::problem(400, "month is required (YYYY-MM)", {{"month", "is required"}}));
    else if (month->size() != 7 || (*month)[4] != '-')
        ex->respond(http::problem(400, "month must be YYYY-MM", {{"month", "must be YYYY-MM"}}));
    else
        try {
            return parse_date(*month + "-01", "month");
        } catch (const Invalid&) {
            ex->respond(
                http::problem(400, "month must be YYYY-MM", {{"month", "must be YYYY-MM"}}));
        }
    return std::nullopt;
}

// One month view: each offered day of it, from the day cache, the days it
// lacks read from the database in one round trip and kept for both endpoints.
struct MonthQuestion {
    Date month;
    Subject subject;
    Time asked_at;
    std::vector<av::LocalDay> days;                             // the offered days of the month
    std::vector<std::shared_ptr<const av::DayAnswer>> answers;  // per day; null: to read
};

http::Response days_answer(const App& app, const MonthQuestion& q) {
    const auto offered = av::offered_times(app.offer, q.asked_at);
    nlohmann::json days = nlohmann::json::array();
    for (std::size_t i = 0; i < q.days.size(); ++i) {
        const auto free = q.answers[i] ? q.answers[i]->count(offered.start, offered.end) : 0;
        if (free > 0) days.push_back({{"date", format_date(q.days[i].date)}, {"free", free}});
    }
    return json_answer(200, {{"month", format_date(q.month).substr(0, 7)},
                             {"time_zone", app.zone.name()},
                             {"service", q.subject.service},
                             {"days", std::move(days)}});
}

void read_days(const ExchangePtr& ex, std::shared_ptr<MonthQuestion> question) {
    // Tickets first: a change that comes during the read keeps its days out of the cache.
    auto loads =
        std::make_shared<std::vector<std::unique_ptr<av::DayCache::Load>>>(question->days.size());
    std::optional<std::size_t> first, last;
    for (std::size_t i = 0; i < question->days.size(); ++i) {
        if (question->answers[i]) continue;
        (*loads)[i] = ex->app.availability_cache.load_alone(av::day_key(
            question->subject.service, question->subject.resource, question->days[i].date));
        if (!first) first = i;
        last = i;
    }
    ex->on_db([ex, question, loads, first = *first, last = *last](pqxx::connection& conn) {
        auto& app = ex->app;
        auto& q = *question;
        pqxx::nontransaction tx(conn);
        const auto calendars = av::load_day(tx, q.subject.service, q.subject.resource,
                                            q.days[first].start, q.days[last].end);
        for (std::size_t i = first; i <= last; ++i) {
            if (q.answers[i]) continue;
            q.answers[i] = av::compute_day(calendars, q.days[i], app.offer.step);
            (*loads)[i]->finish(q.answers[i]);
        }
        return days_answer(app, q);
    });
}

void availability_days(const ExchangePtr& ex) {
    auto query = read_query(ex);
    if (!query) return;
    const auto month = month_param(ex, *query);
    if (!month) return;
    auto subject = subject_params(ex, *query);
    if (!subject || !service_may_exist(ex, subject->service)) return;

    auto& app = ex->app;
    auto q =
        std::make_shared<MonthQuestion>(MonthQuestion{*month, std::move(*subject), now(), {}, {}});
    const auto offered = av::offered_dates(app.zone, app.offer, q->asked_at);
    bool missing = false;
    for (Date d = *month; d.month == month->month; d = add_days(d, 1)) {
        if (!offered.contains(d)) continue;
        q->days.push_back(av::local_day(app.zone, d));
        q->answers.push_back(
            app.availability_cache.find(av::day_key(q->subject.service, q->subject.resource, d)));
        missing = missing || !q->answers.back();
    }
    if (!missing) return ex->respond(days_answer(app, *q));
    read_days(ex, std::move(q));
}

}  // namespace

void add_catalog_routes(Router& router) {
    router.add(http::Method::Get, "/v1/services", list_services);
    router.add(http::Method::Get, "/v1/resources", list_resources);
    router.add(http::Method::Get, "/v1/business", business);
    router.add(http::Method::Get, "/v1/availability", availability);
    router.add(http::Method::Get, "/v1/availability/days", availability_days);
}

}  // namespace booking::daemon
