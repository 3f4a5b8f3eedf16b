#include "cli/exit_codes.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <pqxx/except>
#include <string>

#include "cli/terminal.hpp"
#include "core/db/database.hpp"
#include "core/errors.hpp"

namespace bookingctl {
namespace {

// The one table from core errors to exit codes.
int exit_code(booking::ErrorKind kind) {
    switch (kind) {
        case booking::ErrorKind::Invalid:
            return kUsage;
        case booking::ErrorKind::NotFound:
            return kNotFound;
        case booking::ErrorKind::Conflict:
        case booking::ErrorKind::Forbidden:
            return kConflict;
        case booking::ErrorKind::Unavailable:
            return kFailure;
        case booking::ErrorKind::Config:
            return kConfig;
    }
    return kFailure;
}

// Database constraint violations that slipped past core's own checks.
int exit_code(const pqxx::sql_error& e) {
    std::string state = e.sqlstate();
    if (state == booking::db::kUniqueViolation || state == booking::db::kExclusionViolation)
        return kConflict;
    if (state.rfind("23", 0) == 0 || state.rfind("22", 0) == 0) return kUsage;
    return kFailure;
}

int fail(int code, std::string message) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    for (char& c : message)
        if (c == '\n') c = ' ';
    std::cerr << "bookingctl: " << message << '\n';
    return code;
}

}  // namespace

int report_current_exception() {
    try {
        throw;
    } catch (const NotConfirmed& e) {
        return fail(kFailure, e.what());
    } catch (const booking::Error& e) {
        return fail(exit_code(e.kind()), e.what());
    } catch (const pqxx::broken_connection& e) {
        return fail(kFailure, std::string("lost the connection to the database: ") + e.what());
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() == booking::db::kQueryCanceled)
            return fail(kFailure, std::string("the database cancelled a statement that ran past "
                                              "database.statement_timeout: ") +
                                      e.what());
        return fail(exit_code(e), std::string("the database refused the change: ") + e.what());
    } catch (const std::ios_base::failure& e) {
        return fail(kFailure, std::string("I/O error: ") + e.what());
    } catch (const std::exception& e) {
        return fail(kFailure, e.what());
    }
}

}  // namespace bookingctl
