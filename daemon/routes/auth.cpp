// POST /v1/auth/register, POST /v1/auth/login, GET /v1/me.
#include <pqxx/pqxx>

#include "core/auth/accounts.hpp"
#include "core/users/password.hpp"
#include "core/users/users.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

nlohmann::json token_answer(const App& app, const User& user) {
    const auto token = app.tokens.issue(user, now());
    return {{"user", user}, {"token", token.token}, {"expires_at", format_utc(token.expires_at)}};
}

// Validate, hash on the hashing pool, then insert; the email's uniqueness is
// the database's to decide (409).
void register_user(const ExchangePtr& ex) {
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto email = fields.required_string("email");
    const auto password = fields.required_string("password");
    const auto name = fields.required_string("name");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    users::NewUser user;
    auto errors = collect_invalid([&] { user.email = users::normalize_email(email); },
                                  [&] { users::validate_password(password); },
                                  [&] { user.name = users::validate_name(name); });
    if (!errors.empty()) return ex->respond(http::invalid(errors));
    ex->on_hasher([ex, user, password] {
        std::string hash = hash_password(password);
        ex->on_db([ex, user, hash = std::move(hash)](pqxx::connection& conn) {
            pqxx::work tx(conn);
            User created = users::create(tx, user);
            auth::store_password_hash(tx, created.id, hash);
            tx.commit();
            return json_answer(201, token_answer(ex->app, created));
        });
    });
}

http::Response wrong_credentials() { return http::unauthorized("wrong email or password"); }

// Lockout and stored hash (database), the hash check (hashing pool), then the
// outcome recorded (database). Unknown emails are checked against a dummy hash
// so that they answer like wrong passwords, in the same time.
void login(const ExchangePtr& ex) {
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto email_text = fields.required_string("email");
    const auto password = fields.required_string("password");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    std::string email;
    try {
        email = users::normalize_email(email_text);
    } catch (const Invalid&) {
        email.clear();  // cannot exist: answered like a wrong password below
    }

    ex->on_db([ex, email, password](pqxx::connection& conn) -> http::Response {
        std::optional<users::Credentials> credentials;
        if (!email.empty()) {
            pqxx::work tx(conn);
            if (auto wait = auth::lockout_remaining(tx, ex->app.lockout, email, now()))
                return http::too_many_requests(wait->count(),
                                               "too many failed logins for this email; try later");
            credentials = users::credentials(tx, email);
            tx.commit();
        }
        if (credentials && credentials->user.disabled) credentials.reset();
        ex->on_hasher([ex, email, password, credentials] {
            const std::string& hash = credentials && credentials->password_hash
                                          ? *credentials->password_hash
                                          : ex->app.dummy_hash;
            const bool ok =
                verify_password(hash, password) && credentials && credentials->password_hash;
            if (email.empty()) return ex->respond(wrong_credentials());
            ex->on_db([ex, email, ok, credentials](pqxx::connection& conn) {
                pqxx::work tx(conn);
                if (!ok) {
                    auth::record_login_failure(tx, ex->app.lockout, email, now());
                    tx.commit();
                    return wrong_credentials();
                }
                auth::clear_login_failures(tx, email);
                tx.commit();
                return json_answer(200, token_answer(ex->app, credentials->user));
            });
        });
        return deferred();
    });
}

void me(const ExchangePtr& ex) {
    auto claims = ex->authenticate();
    if (!claims) return;
    ex->on_db([ex, claims = *claims](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        ex->actor(tx, claims);
        auto user = users::find_by_id(tx, claims.user_id);
        if (!user || user->disabled)
            throw Unauthenticated("the account is disabled or no longer exists");
        return json_answer(200, *user);
    });
}

}  // namespace

void add_auth_routes(Router& router) {
    router.add(http::Method::Post, "/v1/auth/register", register_user);
    router.add(http::Method::Post, "/v1/auth/login", login);
    router.add(http::Method::Get, "/v1/me", me);
}

}  // namespace booking::daemon
