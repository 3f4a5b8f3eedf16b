// /v1/bookings: create (with Idempotency-Key), list (keyset cursor), get,
// cancel, reschedule, ics. The rules are core's (bookings::*); the exclusion
// constraint decides races, and core reports them as Conflict (409).
#include <pqxx/pqxx>

#include "core/bookings/bookings.hpp"
#include "core/export/ics.hpp"
#include "core/idempotency/idempotency.hpp"
#include "core/text.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"
#include "daemon/routes/cursor.hpp"

namespace booking::daemon {
namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;

// The time a booking's change can matter to (core/availability/days).
void calendar_changed(Exchange& ex, const Booking& b) {
    const auto reach = availability::booking_reach(b.start, b.end);
    ex.calendar_changed(reach.start, reach.end);
}

http::Response created(const Booking& b) {
    return json_answer(201, b).header("Location", location("/v1/bookings", b.id));
}

// In a request body, a service or resource that does not exist is a bad value
// (422 naming the field), not a missing URL (404).
http::Response refusal_of_body(const NotFound& e) {
    const std::string what = e.what();
    return http::invalid({{e.subject(), what}}, what);
}

// The time a request names, as RFC 3339 with an offset.
std::optional<Time> start_field(http::Fields& fields, const char* name) {
    const auto text = fields.required_string(name);
    if (!fields.errors().empty() && fields.errors().back().field == name) return std::nullopt;
    auto t = parse_rfc3339(text);
    if (!t)
        fields.add_error(name,
                         "must be an RFC 3339 time with an offset, e.g. 2026-12-01T09:00:00Z");
    return t;
}

http::Response replay(const idempotency::StoredAnswer& stored) {
    http::Response r = http::json_response(stored.status, stored.body);
    if (stored.status >= 400) r.content_type = "application/problem+json";
    if (stored.status == 201) {
        const auto body = nlohmann::json::parse(stored.body, nullptr, false);
        if (body.is_object() && body.contains("id") && body["id"].is_number_integer())
            r.header("Location", location("/v1/bookings", body["id"].get<long long>()));
    }
    return r;
}

// The answer to a create, as it will be stored for an Idempotency-Key: core's
// refusals become their problem; failures of the database propagate.
http::Response try_create(pqxx::dbtransaction& tx, Exchange& ex,
                          const bookings::NewBooking& request, const std::string& request_id) {
    try {
        pqxx::subtransaction attempt(tx, "create_booking");
        Booking b = bookings::create(attempt, ex.app.policy, request, now());
        attempt.commit();
        calendar_changed(ex, b);
        return created(b);
    } catch (const Unavailable&) {
        throw;
    } catch (const NotFound& e) {
        return refusal_of_body(e);
    } catch (const Error&) {
        return http::answer_current_exception(request_id).response;
    }
}

void create_booking(const ExchangePtr& ex) {
    auto claims = ex->authenticate();
    if (!claims) return;
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    bookings::NewBooking request;
    request.service = fields.required_string("service");
    const auto start = start_field(fields, "start");
    request.resource = fields.optional_string("resource");
    request.notes = fields.optional_string("notes").value_or("");
    const auto& key = ex->request.idempotency_key;
    if (ex->request.has_idempotency_key) {
        try {
            idempotency::validate_key(key);
        } catch (const Invalid& e) {
            fields.add_error("Idempotency-Key", e.message());
        }
    }
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    request.start = *start;
    request.user_id = claims->user_id;
    std::string fingerprint;
    if (ex->request.has_idempotency_key) {
        const nlohmann::json canonical = {
            {"service", request.service},
            {"start", format_utc(request.start)},
            {"resource", request.resource ? nlohmann::json(*request.resource) : nullptr},
            {"notes", request.notes}};
        fingerprint = idempotency::fingerprint(canonical.dump());
    }

    ex->on_db(
        [ex, claims = *claims, request, fingerprint](pqxx::connection& conn) -> http::Response {
            if (!ex->request.has_idempotency_key) {
                try {
                    // Checked outside a transaction: a refusal (most often a
                    // time already taken) costs one round trip, not six.
                    bookings::PreparedBooking prepared;
                    {
                        pqxx::nontransaction check(conn);
                        ex->actor(check, claims);
                        prepared = bookings::prepare(check, ex->app.policy, request, now());
                    }
                    pqxx::work tx(conn);
                    Booking b = bookings::book(tx, prepared);
                    tx.commit();
                    calendar_changed(*ex, b);
                    return created(b);
                } catch (const NotFound& e) {
                    return refusal_of_body(e);
                }
            }
            pqxx::work tx(conn);
            ex->actor(tx, claims);
            const auto& key = ex->request.idempotency_key;
            if (auto stored = idempotency::claim(tx, claims.user_id, key, fingerprint)) {
                tx.commit();
                return replay(*stored);
            }
            http::Response answer = try_create(tx, *ex, request, ex->request.request_id);
            idempotency::store(tx, claims.user_id, key, answer.status, answer.body);
            tx.commit();
            return answer;
        });
}

void list_bookings(const ExchangePtr& ex) {
    auto claims = ex->authenticate();
    if (!claims) return;
    auto query = read_query(ex);
    if (!query) return;
    const auto range = date_range_params(ex, *query);
    if (!range) return;
    bookings::BookingFilter filter;
    filter.from = range->from;
    filter.to = range->to;
    if (auto status = query->get("status")) {
        if (*status != "confirmed" && *status != "cancelled")
            return ex->respond(http::problem(400, "status must be confirmed or cancelled",
                                             {{"status", "must be confirmed or cancelled"}}));
        filter.status = *status;
    }
    int limit = kDefaultLimit;
    if (auto text = query->get("limit")) {
        auto n = parse_id(*text);
        if (!n || *n > kMaxLimit)
            return ex->respond(http::problem(400, "limit must be an integer from 1 to 500",
                                             {{"limit", "must be an integer from 1 to 500"}}));
        limit = static_cast<int>(*n);
    }
    if (auto text = query->get("cursor")) {
        filter.after = decode_cursor(*text);
        if (!filter.after)
            return ex->respond(http::problem(400, "cursor is not one this server gave out",
                                             {{"cursor", "is invalid"}}));
    }
    if (auto text = query->get("user_id")) {
        auto id = parse_id(*text);
        if (!id)
            return ex->respond(http::problem(400, "user_id must be a positive integer",
                                             {{"user_id", "must be a positive integer"}}));
        filter.user_id = *id;
    }
    if (auto text = query->get("resource"); text && !text->empty()) filter.resource = *text;
    filter.limit = limit + 1;  // one more tells whether there is a next page

    ex->on_db([ex, claims = *claims, filter, limit](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        const Actor actor = ex->actor(tx, claims);
        auto rows = bookings::list(tx, actor, filter);
        nlohmann::json next = nullptr;
        if (rows.size() > static_cast<std::size_t>(limit)) {
            rows.resize(limit);
            next = encode_cursor(rows.back());
        }
        return json_answer(200, {{"bookings", rows}, {"next_cursor", next}});
    });
}

// get, cancel, reschedule and ics also take the booking's manage token (SPEC §8).
void get_booking(const ExchangePtr& ex) {
    auto who = ex->authenticate_for_booking();
    if (!who) return;
    ex->on_db([ex, who = *who](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        const long long id = ex->ids.at(0);
        return json_answer(200, bookings::get(tx, ex->booking_actor(tx, who, id, false), id));
    });
}

void cancel_booking(const ExchangePtr& ex) {
    auto who = ex->authenticate_for_booking();
    if (!who) return;
    ex->on_db([ex, who = *who](pqxx::connection& conn) {
        pqxx::work tx(conn);
        const Actor actor = ex->booking_actor(tx, who, ex->ids.at(0), true);
        Booking b = bookings::cancel(tx, ex->app.policy, actor, ex->ids.at(0), now());
        tx.commit();
        calendar_changed(*ex, b);
        return json_answer(200, b);
    });
}

void reschedule_booking(const ExchangePtr& ex) {
    auto who = ex->authenticate_for_booking();
    if (!who) return;
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto start = start_field(fields, "start");
    const auto resource = fields.optional_string("resource");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    ex->on_db([ex, who = *who, start = *start, resource](pqxx::connection& conn) -> http::Response {
        pqxx::work tx(conn);
        const Actor actor = ex->booking_actor(tx, who, ex->ids.at(0), true);
        try {
            Booking b = bookings::reschedule(tx, ex->app.policy, actor, ex->ids.at(0), start,
                                             resource, now());
            tx.commit();
            ex->calendar_changed();  // where it was is not known here
            return json_answer(200, b);
        } catch (const NotFound& e) {
            // The booking itself unknown (or not the caller's) is 404; a named resource, 422.
            if (e.subject() == "resource" || e.subject() == "service") return refusal_of_body(e);
            throw;
        }
    });
}

void booking_ics(const ExchangePtr& ex) {
    auto who = ex->authenticate_for_booking();
    if (!who) return;
    ex->on_db([ex, who = *who](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        const long long id = ex->ids.at(0);
        const Booking b = bookings::get(tx, ex->booking_actor(tx, who, id, false), id);
        const auto method =
            b.status == "cancelled" ? CalendarMethod::Cancel : CalendarMethod::Publish;
        http::Response r = http::json_response(200, booking_calendar(b, ex->app.calendar, method));
        r.content_type = "text/calendar; charset=utf-8";
        r.header("Content-Disposition",
                 "inline; filename=\"booking-" + std::to_string(b.id) + ".ics\"");
        return r;
    });
}

}  // namespace

void add_booking_routes(Router& router) {
    router.add(http::Method::Post, "/v1/bookings", create_booking);
    router.add(http::Method::Get, "/v1/bookings", list_bookings);
    router.add(http::Method::Get, "/v1/bookings/{id}", get_booking);
    router.add(http::Method::Post, "/v1/bookings/{id}/cancel", cancel_booking);
    router.add(http::Method::Post, "/v1/bookings/{id}/reschedule", reschedule_booking);
    router.add(http::Method::Get, "/v1/bookings/{id}/ics", booking_ics);
}

}  // namespace booking::daemon
