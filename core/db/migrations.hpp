#pragma once
// The schema's migrations (sql/NNNN_*.sql, compiled in) and their bookkeeping
// table schema_migrations.
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

namespace booking::db {

struct Migration {
    int version;
    std::string name;  // file name
    std::string_view sql;
};
const std::vector<Migration>& migrations();
int latest_schema_version();

struct MigrationStatus {
    std::vector<std::pair<Migration, std::string>> applied;  // with applied_at (RFC 3339)
    std::vector<Migration> pending;
};
MigrationStatus migration_status(pqxx::connection& conn);

// Applies each pending migration in its own transaction, holding an advisory
// lock so that concurrent runs apply each once. Returns what it applied.
std::vector<Migration> migrate(pqxx::connection& conn);

// The highest applied version (0 on an empty database).
int current_schema_version(pqxx::connection& conn);

}  // namespace booking::db
