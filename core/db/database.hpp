#pragma once
// Connections and the translation of PostgreSQL errors into core errors.
#include <memory>
#include <pqxx/connection>
#include <string>

namespace booking::db {

// Throws Unavailable naming the (redacted) URL and libpq's reason.
std::unique_ptr<pqxx::connection> connect(const std::string& url);

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

// Inside a catch block: rethrows the current exception as a core error
// (broken connection -> Unavailable; anything else unchanged).
[[noreturn]] void rethrow_as_core_error();

}  // namespace booking::db
