#include "daemon/exchange.hpp"

#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "core/tokens/manage.hpp"
#include "core/users/users.hpp"
#include "daemon/cors.hpp"
#include "daemon/http/problem.hpp"
#include "daemon/logging.hpp"
#include "daemon/router.hpp"
#include "daemon/site.hpp"

namespace booking::daemon {

Time now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

Exchange::Exchange(App& app_, http::Request&& request_, http::Completion done, int route,
                   std::vector<long long> ids_)
    : app(app_),
      request(std::move(request_)),
      ids(std::move(ids_)),
      done_(std::move(done)),
      route_(route) {}

void Exchange::respond(http::Response&& response) {
    if (responded_.exchange(true)) return;
    response.header("X-Request-Id", request.request_id);
    if (cors_allowed(app.config.server.cors_origins, request.origin))
        add_cors_headers(response, request.origin);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - request.received).count();
    app.metrics.observe(route_, response.status, seconds);
    log_request(request, response.status, seconds);
    done_(std::move(response));
}

std::string_view Exchange::bearer() const {
    std::string_view header = request.authorization;
    constexpr std::string_view scheme = "bearer ";
    bool has_scheme = header.size() > scheme.size();
    for (std::size_t i = 0; has_scheme && i < scheme.size(); ++i)
        has_scheme = std::tolower(static_cast<unsigned char>(header[i])) == scheme[i];
    if (!has_scheme) return {};
    header.remove_prefix(scheme.size());
    while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
    while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
    return header;
}

std::optional<auth::Claims> Exchange::authenticate() {
    const auto token = bearer();
    if (token.empty()) {
        respond(http::unauthorized("a bearer token is required"));
        return std::nullopt;
    }
    auto claims = app.tokens.verify(token, now());
    if (!claims) respond(http::unauthorized("the token is invalid or expired"));
    return claims;
}

void Exchange::answer_current_exception() noexcept {
    try {
        respond(http::answer_current_exception(request.request_id).response);
    } catch (...) {
        spdlog::error("request {}: could not answer after an error", request.request_id);
    }
}

std::optional<Exchange::BookingCredential> Exchange::authenticate_for_booking() {
    const auto token = bearer();
    const auto manage_prefix = tokens::prefix_of(tokens::Purpose::Manage);
    if (token.substr(0, manage_prefix.size()) != manage_prefix) {
        auto claims = authenticate();
        if (!claims) return std::nullopt;
        return BookingCredential{std::move(claims), {}};
    }
    if (refuse_guesser()) return std::nullopt;
    auto selector = app.links.selector_of(tokens::Purpose::Manage, token);
    if (!selector) {
        wrong_guess();
        respond(http::unauthorized("the manage link is invalid or has expired"));
        return std::nullopt;
    }
    return BookingCredential{std::nullopt, std::move(*selector)};
}

Actor Exchange::booking_actor(pqxx::transaction_base& tx, const BookingCredential& credential,
                              long long booking_id, bool for_change) {
    if (credential.claims) return actor(tx, *credential.claims);
    const auto result =
        tokens::check_manage_link(tx, credential.manage_selector, booking_id, now(), for_change);
    switch (result.check) {
        case tokens::ManageCheck::Granted:
            return result.grant.actor;
        case tokens::ManageCheck::OtherBooking:
            throw NotFound("no booking with id " + std::to_string(booking_id));
        case tokens::ManageCheck::Invalid:
            break;
    }
    throw Unauthenticated("the manage link is invalid or has expired");
}

bool Exchange::refuse_guesser() {
    const auto wait = app.guesses.blocked(request.peer);
    if (!wait) return false;
    respond(http::too_many_requests(*wait, "too many wrong guesses from this address; try later"));
    return true;
}

void Exchange::wrong_guess() { app.guesses.wrong(request.peer); }

void Exchange::on_db(std::function<http::Response(pqxx::connection&)> work) {
    auto self = shared_from_this();
    app.db->submit(
        [self, work = std::move(work)](pqxx::connection& conn, bool& broken) {
            try {
                auto response = work(conn);
                self->forget_changed_days();
                if (response.status != 0) self->respond(std::move(response));
            } catch (const Unauthenticated& e) {
                self->forget_changed_days();
                self->respond(http::unauthorized(e.what()));
            } catch (...) {
                try {
                    self->forget_changed_days();
                    auto answer = http::answer_current_exception(self->request.request_id);
                    broken = answer.connection_broken;
                    self->respond(std::move(answer.response));
                } catch (...) {
                    broken = true;
                    self->answer_current_exception();
                }
            }
        },
        [self](std::string_view why) {
            try {
                self->respond(http::service_unavailable(why));
            } catch (...) {
                self->answer_current_exception();
            }
        });
}

void Exchange::calendar_changed(Time from, Time until) {
    calendar_changes_.push_back({from, until});
}

void Exchange::calendar_changed() { calendar_changes_.push_back(availability::kAllTime); }

void Exchange::forget_changed_days() {
    for (const auto& change : calendar_changes_)
        app.availability_cache.invalidate(change.start, change.end);
    calendar_changes_.clear();
}

void Exchange::on_hasher(std::function<void()> work) {
    auto self = shared_from_this();
    app.hasher->submit(
        [self, work = std::move(work)] {
            try {
                work();
            } catch (...) {
                self->answer_current_exception();
            }
        },
        [self] {
            try {
                self->respond(http::service_unavailable("the server is busy, try again shortly"));
            } catch (...) {
                self->answer_current_exception();
            }
        });
}

Actor Exchange::actor(pqxx::transaction_base& tx, const auth::Claims& claims) {
    auto entry = app.users.get(claims.user_id);
    if (!entry) {
        const auto user = users::find_by_id(tx, claims.user_id);
        const bool active = user && !user->disabled;
        const Role role = user ? user->role : Role::Customer;
        const Time valid_after = user ? user->tokens_valid_after : Time{};
        app.users.put(claims.user_id, active, role, valid_after);
        entry = app.users.get(claims.user_id);
        if (!entry) entry = UserCache::Entry{active, role, valid_after, {}};
    }
    if (!entry->active) throw Unauthenticated("the account is disabled or no longer exists");
    if (claims.issued_at < entry->tokens_valid_after)
        throw Unauthenticated("the token was issued before the password was reset");
    return Actor{claims.user_id, entry->role};
}

void dispatch(App& app, http::Request&& request, http::Completion done) {
    auto match = app.router.match(request.method, request.path);
    if (!match.handler) {
        const bool preflight = match.path_known && request.method == http::Method::Options &&
                               cors_allowed(app.config.server.cors_origins, request.origin);
        auto exchange = std::make_shared<Exchange>(app, std::move(request), std::move(done),
                                                   match.route, std::vector<long long>{});
        if (preflight) return exchange->respond(cors_preflight(match.allow));
        if (match.path_known) return exchange->respond(http::method_not_allowed(match.allow));
        if (app.site && is_page_visit(exchange->request))
            return exchange->respond(app.site->missing_page(exchange->request));
        exchange->respond(http::problem(404, "there is no such resource"));
        return;
    }
    auto exchange = std::make_shared<Exchange>(app, std::move(request), std::move(done),
                                               match.route, std::move(match.ids));
    try {
        match.handler(exchange);
    } catch (...) {
        exchange->answer_current_exception();
    }
}

}  // namespace booking::daemon
