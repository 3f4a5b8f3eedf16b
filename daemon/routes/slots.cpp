// /v1/slots (staff): list, create, delete.
#include <pqxx/pqxx>

#include "core/slots/slots.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

// Staff and admin only; customers get 403 (they know the endpoint exists).
Actor require_staff(const ExchangePtr& ex, pqxx::transaction_base& tx, const auth::Claims& claims) {
    const Actor actor = ex->actor(tx, claims);
    if (!is_staff(actor.role)) throw Forbidden("only staff may manage slots");
    return actor;
}

void list_slots(const ExchangePtr& ex) {
    auto claims = ex->authenticate();
    if (!claims) return;
    auto query = read_query(ex);
    if (!query) return;
    const auto range = date_range_params(ex, *query);
    if (!range) return;
    slots::SlotFilter filter;
    filter.from = range->from;
    filter.to = range->to;
    if (auto resource = query->get("resource"); resource && !resource->empty())
        filter.resource = *resource;
    ex->on_db([ex, claims = *claims, filter](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        require_staff(ex, tx, claims);
        return json_answer(200, {{"slots", slots::list(tx, filter)}});
    });
}

void create_slot(const ExchangePtr& ex) {
    auto claims = ex->authenticate();
    if (!claims) return;
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto resource = fields.required_string("resource");
    std::optional<Time> start, end;
    for (auto [name, target] : {std::pair{"start", &start}, std::pair{"end", &end}}) {
        const auto before = fields.errors().size();
        const auto text = fields.required_string(name);
        if (fields.errors().size() != before) continue;
        *target = parse_rfc3339(text);
        if (!*target) fields.add_error(name, "must be an RFC 3339 time with an offset");
    }
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    ex->on_db([ex, claims = *claims, resource, start = *start,
               end = *end](pqxx::connection& conn) -> http::Response {
        pqxx::work tx(conn);
        require_staff(ex, tx, claims);
        try {
            Slot slot = slots::add(tx, resource, start, end);
            tx.commit();
            ex->calendar_changed(slot.start, slot.end);
            return json_answer(201, slot).header("Location", location("/v1/slots", slot.id));
        } catch (const NotFound& e) {
            return http::invalid({{"resource", e.what()}}, e.what());
        }
    });
}

void delete_slot(const ExchangePtr& ex) {
    auto claims = ex->authenticate();
    if (!claims) return;
    ex->on_db([ex, claims = *claims](pqxx::connection& conn) {
        pqxx::work tx(conn);
        require_staff(ex, tx, claims);
        slots::remove(tx, ex->ids.at(0), false, ex->app.policy, now());
        tx.commit();
        ex->calendar_changed();
        http::Response r;
        r.status = 204;
        r.content_type.clear();
        return r;
    });
}

}  // namespace

void add_slot_routes(Router& router) {
    router.add(http::Method::Get, "/v1/slots", list_slots);
    router.add(http::Method::Post, "/v1/slots", create_slot);
    router.add(http::Method::Delete, "/v1/slots/{id}", delete_slot);
}

}  // namespace booking::daemon
