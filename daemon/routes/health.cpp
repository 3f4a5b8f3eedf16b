// GET /healthz, GET /readyz, GET /metrics.
#include <pqxx/pqxx>

#include "core/db/migrations.hpp"
#include "core/db/statements.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

const db::Statement kOutbox{
    "metrics_outbox",
    "SELECT e.*, w.* FROM (SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER "
    "(WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE "
    "kind = 'reminder') FROM emails) e, (SELECT count(*) FILTER (WHERE status = 'pending'), "
    "count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed') FROM "
    "webhook_deliveries) w"};

void healthz(const ExchangePtr& ex) { ex->respond(http::json_response(200, R"({"status":"ok"})")); }

void readyz(const ExchangePtr& ex) {
    ex->on_db([](pqxx::connection& conn) {
        {
            pqxx::nontransaction tx(conn);
            tx.exec("SELECT 1");
        }
        const int current = db::current_schema_version(conn), latest = db::latest_schema_version();
        if (current != latest)
            return http::problem(503, "the database schema is at version " +
                                          std::to_string(current) + ", this daemon needs " +
                                          std::to_string(latest) + " (run: bookingctl db migrate)");
        return http::json_response(200, R"({"status":"ready"})");
    });
}

std::string render(const App& app, const std::optional<OutboxCounts>& outbox) {
    return app.metrics.render(PoolGauges{app.db->size(), app.db->in_use(), app.db->waiting()},
                              outbox, app.connections(), app.in_flight(),
                              app.availability_cache.stats());
}

// The outbox counts need the database; without it the rest still answers.
void metrics(const ExchangePtr& ex) {
    auto text = [](const std::string& body) {
        http::Response r = http::json_response(200, body);
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    };
    // A scrape never queues behind requests for a database connection: with
    // every connection busy (or held by a stuck statement) it answers at once,
    // without the outbox counts, instead of after the queue's deadline.
    auto self = ex;
    ex->app.db->submit_if_free(
        [self, text](pqxx::connection& conn, bool& broken) {
            std::optional<OutboxCounts> outbox;
            try {
                pqxx::nontransaction tx(conn);
                const auto row = db::exec(tx, kOutbox)[0];
                outbox = OutboxCounts{row[0].as<long long>(), row[1].as<long long>(),
                                      row[2].as<long long>(), row[3].as<long long>(),
                                      row[4].as<long long>(), row[5].as<long long>(),
                                      row[6].as<long long>()};
            } catch (const std::exception&) {
                broken = true;
            }
            self->respond(text(render(self->app, outbox)));
        },
        [self, text](std::string_view) { self->respond(text(render(self->app, std::nullopt))); });
}

}  // namespace

void add_health_routes(Router& router) {
    router.add(http::Method::Get, "/healthz", healthz);
    router.add(http::Method::Get, "/readyz", readyz);
    router.add(http::Method::Get, "/metrics", metrics);
}

}  // namespace booking::daemon
