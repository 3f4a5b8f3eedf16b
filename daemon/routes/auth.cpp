// POST /v1/auth/register, /login, /password-reset(/confirm), /sign-in-link(/confirm),
// GET /v1/me. The rules are core/auth's (sign_in.hpp) and core/tokens'; these
// handlers translate, hash on the hashing pool, and guard the secrets with the
// one GuessLimiter.
#include <pqxx/pqxx>

#include "core/auth/sign_in.hpp"
#include "core/tokens/account_links.hpp"
#include "core/users/password.hpp"
#include "core/users/users.hpp"
#include "daemon/router.hpp"
#include "daemon/routes/common.hpp"

namespace booking::daemon {
namespace {

nlohmann::json token_answer(const App& app, const User& user) {
    const auto token = app.tokens.issue(user, auth::issue_time(user, now()));
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
    ex->on_hasher([ex, user, password]() mutable {
        user.password_hash = hash_password(password);
        ex->on_db([ex, user = std::move(user)](pqxx::connection& conn) {
            pqxx::work tx(conn);
            User created = users::create(tx, user);
            tx.commit();
            return json_answer(201, token_answer(ex->app, created));
        });
    });
}

http::Response wrong_credentials() { return http::unauthorized("wrong email or password"); }

// core/auth's login in its three steps: begin (lockout, lookup: database),
// the password check (hashing pool), finish (database, on a match only).
void login(const ExchangePtr& ex) {
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto email_text = fields.required_string("email");
    const auto password = fields.required_string("password");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    if (ex->refuse_guesser()) return;
    std::string email;
    try {
        email = users::normalize_email(email_text);
    } catch (const Invalid&) {
        email.clear();  // cannot exist: answered like a wrong password
    }

    ex->on_db([ex, email, password](pqxx::connection& conn) -> http::Response {
        pqxx::work tx(conn);
        auto start = auth::begin_login(tx, ex->app.lockout, email, now());
        tx.commit();
        if (start.locked_out)
            return http::too_many_requests(start.locked_out->count(),
                                           "too many failed logins for this email; try later");
        ex->on_hasher([ex, email, password, start = std::move(start)] {
            if (!auth::password_matches(start, password, ex->app.dummy_hash)) {
                ex->wrong_guess();
                return ex->respond(wrong_credentials());
            }
            ex->on_db([ex, email, user = start.credentials->user](pqxx::connection& conn) {
                pqxx::work tx(conn);
                auth::finish_login(tx, email);
                tx.commit();
                return json_answer(200, token_answer(ex->app, user));
            });
        });
        return deferred();
    });
}

// POST /v1/auth/password-reset and /sign-in-link: always 202 {} for a
// well-formed address (whether it has an account is never told).
void request_link(const ExchangePtr& ex, tokens::Purpose purpose, Seconds ttl) {
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto email_text = fields.required_string("email");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    std::string email;
    auto errors = collect_invalid([&] { email = users::normalize_email(email_text); });
    if (!errors.empty()) return ex->respond(http::invalid(errors));
    // No links are sent while site.public_url is empty (SPEC §2).
    if (ex->app.config.site.public_url.empty())
        return ex->respond(json_answer(202, nlohmann::json::object()));
    ex->on_db([ex, purpose, ttl, email](pqxx::connection& conn) {
        pqxx::work tx(conn);
        tokens::request_account_link(tx, purpose, email, ttl, now());
        tx.commit();
        return json_answer(202, nlohmann::json::object());
    });
}

void request_reset(const ExchangePtr& ex) {
    request_link(ex, tokens::Purpose::PasswordReset, ex->app.config.auth.reset_ttl);
}

void request_sign_in_link(const ExchangePtr& ex) {
    request_link(ex, tokens::Purpose::SignIn, ex->app.config.auth.sign_in_link_ttl);
}

// The selector of the body's token, or nullopt after answering 429 (a
// guesser) or 422 (a token whose MAC is wrong: no query is made for it, and
// it counts as a wrong guess). A used or expired link is no guess: its MAC
// was right.
std::optional<std::string> link_selector(const ExchangePtr& ex, tokens::Purpose purpose,
                                         const std::string& token) {
    if (ex->refuse_guesser()) return std::nullopt;
    auto selector = ex->app.links.selector_of(purpose, token);
    if (!selector) {
        ex->wrong_guess();
        try {
            auth::refuse_link();
        } catch (const Invalid& e) {
            ex->respond(http::invalid({{e.field(), e.message()}}, e.message()));
        }
    }
    return selector;
}

void confirm_reset(const ExchangePtr& ex) {
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto token = fields.required_string("token");
    const auto password = fields.required_string("password");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    auto errors = collect_invalid([&] { users::validate_password(password); });
    if (!errors.empty()) return ex->respond(http::invalid(errors));
    auto selector = link_selector(ex, tokens::Purpose::PasswordReset, token);
    if (!selector) return;
    // The link is used up first, so that of concurrent confirms only the one
    // that got it costs a hash.
    ex->on_db([ex, selector = std::move(*selector), password](pqxx::connection& conn) {
        pqxx::work tx(conn);
        const long long user_id = auth::begin_reset(tx, selector, now());
        tx.commit();
        ex->on_hasher([ex, user_id, password] {
            std::string hash = hash_password(password);
            ex->on_db([ex, user_id, hash = std::move(hash)](pqxx::connection& conn) {
                pqxx::work tx(conn);
                const User user = auth::finish_reset(tx, user_id, hash, now());
                tx.commit();
                // This daemon refuses the account's older tokens at once.
                ex->app.users.put(user.id, true, user.role, user.tokens_valid_after);
                return json_answer(200, token_answer(ex->app, user));
            });
        });
        return deferred();
    });
}

void confirm_sign_in_link(const ExchangePtr& ex) {
    auto body = read_json(ex);
    if (!body) return;
    http::Fields fields(*body);
    const auto token = fields.required_string("token");
    if (!fields.errors().empty()) return ex->respond(http::invalid(fields.errors()));
    auto selector = link_selector(ex, tokens::Purpose::SignIn, token);
    if (!selector) return;
    ex->on_db([ex, selector = std::move(*selector)](pqxx::connection& conn) {
        pqxx::work tx(conn);
        const User user = auth::sign_in_with_link(tx, selector, now());
        tx.commit();
        return json_answer(200, token_answer(ex->app, user));
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
    router.add(http::Method::Post, "/v1/auth/password-reset", request_reset);
    router.add(http::Method::Post, "/v1/auth/password-reset/confirm", confirm_reset);
    router.add(http::Method::Post, "/v1/auth/sign-in-link", request_sign_in_link);
    router.add(http::Method::Post, "/v1/auth/sign-in-link/confirm", confirm_sign_in_link);
    router.add(http::Method::Get, "/v1/me", me);
}

}  // namespace booking::daemon
