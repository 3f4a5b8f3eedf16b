// GET /feeds/{token}.ics (staff calendar feeds, SPEC §9) and GET /v1/openapi.json.
#include <pqxx/pqxx>

#include "core/embedded.hpp"
#include "core/feeds/feeds.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"
#include "daemon/site.hpp"

namespace booking {
extern const std::vector<EmbeddedFile> kOpenApi;
}

namespace booking::daemon {
namespace {

void feed(const ExchangePtr& ex) {
    ex->on_db([ex](pqxx::connection& conn) {
        const std::string_view path = ex->request.path;
        const auto segment = path.substr(path.rfind('/') + 1);
        pqxx::read_transaction tx(conn);
        const auto found = feeds::find(tx, segment);
        // Revoked, unknown and malformed: one answer, with nothing of the token in it.
        if (!found) return http::problem(404, "no such feed");
        const std::string body =
            feeds::calendar(tx, *found, ex->app.calendar, now(), ex->app.config.business.horizon);
        // A strong validator of the exact body: the feed's DTSTAMPs are the
        // bookings' last changes, so an unchanged feed renders to the same bytes.
        const std::string etag = etag_of(body);
        http::Response r;
        if (etag_matches(ex->request.if_none_match, etag)) {
            r.status = 304;
            r.content_type.clear();
        } else {
            r = http::json_response(200, body);
            r.content_type = "text/calendar; charset=utf-8";
        }
        r.header("ETag", etag);
        r.header("Cache-Control", "private, no-cache");
        r.header("Referrer-Policy", "no-referrer");
        return r;
    });
}

void openapi(const ExchangePtr& ex) {
    http::Response r = http::json_response(200, std::string(kOpenApi.at(0).content));
    r.header("Cache-Control", "public, max-age=300");
    ex->respond(std::move(r));
}

}  // namespace

void add_integration_routes(Router& router) {
    router.add(http::Method::Get, "/feeds/{secret}", feed);
    router.add(http::Method::Get, "/v1/openapi.json", openapi);
}

}  // namespace booking::daemon
