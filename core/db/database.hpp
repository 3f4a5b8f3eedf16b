#pragma once
// Connections and the translation of PostgreSQL errors into core errors.
#include <memory>
#include <pqxx/connection>
#include <string>

#include "core/config/duration.hpp"

namespace booking::db {

// Throws Unavailable naming the (redacted) URL and libpq's reason.
std::unique_ptr<pqxx::connection> connect(const std::string& url);
// The same, with statement_timeout set for the session (SPEC §2
// database.statement_timeout): a statement running longer is cancelled by
// PostgreSQL (SQLSTATE 57014), which rethrow_as_core_error makes a
// StatementTimeout. Zero: no limit.
std::unique_ptr<pqxx::connection> connect(const std::string& url, Seconds statement_timeout);
void set_statement_timeout(pqxx::connection& conn, Seconds timeout);

// Connection attempts give up after kConnectTimeoutSeconds unless the URL
// (connect_timeout=) or PGCONNECT_TIMEOUT says otherwise: without it, a
// database host that drops packets holds a connecting thread (and shutdown)
// for the kernel's TCP timeout, about two minutes. Call once at startup,
// before any thread connects (it sets PGCONNECT_TIMEOUT when unset).
inline constexpr int kConnectTimeoutSeconds = 10;
void default_connect_timeout();

// SQLSTATEs that carry meaning for us.
inline constexpr const char* kUniqueViolation = "23505";
inline constexpr const char* kExclusionViolation = "23P01";
inline constexpr const char* kCheckViolation = "23514";
inline constexpr const char* kForeignKeyViolation = "23503";
inline constexpr const char* kQueryCanceled = "57014";  // statement_timeout, or a cancel
// Ours (sql/0012): a confirmed booking inserted or moved into time off that
// was added while it was being made.
inline constexpr const char* kInsideTimeOff = "BK001";

// Inside a catch block: rethrows the current exception as a core error
// (broken connection -> Unavailable, a statement cancelled by statement_timeout
// -> StatementTimeout; anything else unchanged).
[[noreturn]] void rethrow_as_core_error();

}  // namespace booking::db
