#include "core/db/migrations.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "core/embedded.hpp"
#include "core/errors.hpp"

namespace booking {
extern const std::vector<EmbeddedFile> kMigrationFiles;
}

namespace booking::db {
namespace {

// Any fixed number: all migrating processes agree on it.
constexpr long long kMigrationLock = 0x626f6f6b696e67;  // "booking"

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
    "now())";

std::vector<Migration> load() {
    std::vector<Migration> out;
    for (const auto& file : kMigrationFiles) {
        std::string name(file.name);
        int version = std::stoi(name.substr(0, name.find('_')));
        out.push_back({version, name, file.content});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

bool table_exists(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return !tx.exec("SELECT to_regclass('schema_migrations')")[0][0].is_null();
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = load();
    return all;
}

int latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

int current_schema_version(pqxx::connection& conn) {
    if (!table_exists(conn)) return 0;
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

MigrationStatus migration_status(pqxx::connection& conn) {
    MigrationStatus status;
    std::map<int, std::string> applied;
    if (table_exists(conn)) {
        pqxx::nontransaction tx(conn);
        for (const auto& row : tx.exec("SELECT version, to_char(applied_at AT TIME ZONE 'UTC', "
                                       "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                                       "FROM schema_migrations"))
            applied[row[0].as<int>()] = row[1].as<std::string>();
    }
    for (const auto& m : migrations()) {
        if (auto it = applied.find(m.version); it != applied.end())
            status.applied.emplace_back(m, it->second);
        else
            status.pending.push_back(m);
    }
    return status;
}

std::vector<Migration> migrate(pqxx::connection& conn) {
    std::vector<Migration> done;
    {
        pqxx::nontransaction tx(conn);
        tx.exec_params("SELECT pg_advisory_lock($1)", kMigrationLock);
    }
    try {
        {
            pqxx::work tx(conn);
            tx.exec(kCreateTable);
            tx.commit();
        }
        for (const auto& m : migration_status(conn).pending) {
            pqxx::work tx(conn);
            tx.exec(std::string(m.sql));
            tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                           m.version, m.name);
            tx.commit();
            done.push_back(m);
        }
    } catch (...) {
        try {
            pqxx::nontransaction tx(conn);
            tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLock);
        } catch (...) {
            // The connection is gone, and with it the session's lock.
        }
        throw;
    }
    pqxx::nontransaction tx(conn);
    tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLock);
    return done;
}

}  // namespace booking::db
