#pragma once
// One request on its way through the daemon: the parsed request, the route's
// path ids, and the way back to the connection. Handlers run on an I/O thread
// and hand database work to the pool with on_db(); respond() may be called
// from any thread, exactly once.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction_base>
#include <stdexcept>
#include <vector>

#include "core/auth/jwt.hpp"
#include "core/availability/availability.hpp"
#include "core/users/user.hpp"
#include "daemon/app.hpp"
#include "daemon/http/message.hpp"
#include "daemon/http/server.hpp"

namespace booking::daemon {

// The token was fine but its user may not act any more (disabled, deleted): 401.
class Unauthenticated : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

Time now();

// What a step returns when a continuation it started will answer instead.
inline http::Response deferred() {
    http::Response r;
    r.status = 0;
    return r;
}

class Exchange : public std::enable_shared_from_this<Exchange> {
  public:
    Exchange(App& app, http::Request&& request, http::Completion done, int route,
             std::vector<long long> ids);

    App& app;
    const http::Request request;
    const std::vector<long long> ids;

    void respond(http::Response&& response);

    // Inside a catch block: logs the exception with the request id and
    // answers it (500 without internals for anything untyped). Never throws.
    void answer_current_exception() noexcept;

    // The bearer token's claims, or nullopt after answering 401.
    std::optional<auth::Claims> authenticate();

    // A JWT, or a manage token (SPEC §8: bm_..., for one booking's get,
    // cancel, reschedule and ics). nullopt after answering 401, or 429 for an
    // address that guessed wrong too often.
    struct BookingCredential {
        std::optional<auth::Claims> claims;
        std::string manage_selector;  // when it is a manage token whose MAC is right
    };
    std::optional<BookingCredential> authenticate_for_booking();
    // Inside on_db work: who acts on booking booking_id. For a manage token:
    // the booking's customer (another booking's token: NotFound; a stale one:
    // Unauthenticated); with for_change, a cancelled booking is Conflict.
    Actor booking_actor(pqxx::transaction_base& tx, const BookingCredential& credential,
                        long long booking_id, bool for_change);

    // Guessing secrets (the one GuessLimiter): true after answering 429 with
    // Retry-After when this client has guessed wrong too often.
    bool refuse_guesser();
    void wrong_guess();

    // Runs work on a pooled connection; its Response (or the problem for what
    // it throws) is the answer, unless it is deferred(). 503 when no
    // connection is available in time.
    void on_db(std::function<http::Response(pqxx::connection&)> work);

    // Runs work on the hashing pool (which answers 503 when it is full or
    // the job waited too long); work answers or starts the next step itself.
    void on_hasher(std::function<void()> work);

    // The acting user of a verified token, after checking (cached for at most
    // kUserCacheTtl) that the account still exists and is enabled. Throws Unauthenticated.
    Actor actor(pqxx::transaction_base& tx, const auth::Claims& claims);

    // Inside on_db work: this request changes slots or bookings in [from,
    // until) (or, without arguments, anything availability depends on). The
    // daemon's cached days for it are dropped when the work is over (its
    // transaction committed), before the answer goes out; other daemons learn
    // of it from PostgreSQL (daemon/jobs/calendar_listener).
    void calendar_changed(Time from, Time until);
    void calendar_changed();

  private:
    void forget_changed_days();
    std::string_view bearer() const;  // empty when there is no Bearer token

    std::vector<Interval> calendar_changes_;  // touched only by the work's thread
    http::Completion done_;
    int route_;
    std::atomic<bool> responded_{false};
};

// The route table with every endpoint of SPEC §3.
void add_all_routes(Router& router);

// Entry from the server: route, authenticate nothing, call the handler.
void dispatch(App& app, http::Request&& request, http::Completion done);

}  // namespace booking::daemon
