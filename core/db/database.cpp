#include "core/db/database.hpp"

#include <cstdlib>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <string>

#include "core/config/config.hpp"
#include "core/errors.hpp"

namespace booking::db {
namespace {

std::string first_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
    return text;
}

}  // namespace

std::unique_ptr<pqxx::connection> connect(const std::string& url) {
    try {
        return std::make_unique<pqxx::connection>(url);
    } catch (const std::exception& e) {
        throw Unavailable("cannot connect to the database " + redact_database_url(url) + ": " +
                          first_line(e.what()));
    }
}

std::unique_ptr<pqxx::connection> connect(const std::string& url, Seconds statement_timeout) {
    auto conn = connect(url);
    try {
        set_statement_timeout(*conn, statement_timeout);
    } catch (const pqxx::broken_connection& e) {
        throw Unavailable("lost the connection to the database: " + first_line(e.what()));
    }
    return conn;
}

void set_statement_timeout(pqxx::connection& conn, Seconds timeout) {
    // A session setting (not SET LOCAL): it holds for every transaction on the
    // connection. set_config takes the value as a bound parameter.
    pqxx::nontransaction tx(conn);
    tx.exec_params("SELECT set_config('statement_timeout', $1, false)",
                   std::to_string(timeout.count() * 1000));
}

void default_connect_timeout() {
    ::setenv("PGCONNECT_TIMEOUT", std::to_string(kConnectTimeoutSeconds).c_str(), 0);
}

void rethrow_as_core_error() {
    try {
        throw;
    } catch (const pqxx::broken_connection& e) {
        throw Unavailable("lost the connection to the database: " + first_line(e.what()));
    } catch (const pqxx::in_doubt_error& e) {
        throw Unavailable("the database connection broke during commit: " + first_line(e.what()));
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() == kQueryCanceled) throw StatementTimeout(first_line(e.what()));
        throw;
    }
}

}  // namespace booking::db
