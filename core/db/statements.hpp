#pragma once
// Named SQL statements, prepared once per connection on first use (libpqxx
// prepares lazily and treats a repeated identical definition as a no-op), so
// the daemon's pooled connections plan each query once. Parameters are always
// bound, never spliced into the text.
//
// Every Statement registers itself when it is constructed, so that the plan
// test (tests/integration/test_plans.cpp) can EXPLAIN each one the program
// defines: define them at namespace scope, from string literals.
#include <pqxx/transaction_base>
#include <utility>
#include <vector>

namespace booking::db {

struct Statement {
    Statement(const char* name, const char* sql);
    const char* name;  // also what shows up in logs and pg_stat_statements
    const char* sql;
};

// Every statement defined in the program so far, in the order of definition
// (the order of static initialisation across files is unspecified).
std::vector<Statement> registered_statements();

template <class... Args>
pqxx::result exec(pqxx::transaction_base& tx, const Statement& statement, Args&&... args) {
    tx.conn().prepare(statement.name, statement.sql);
    return tx.exec_prepared(statement.name, std::forward<Args>(args)...);
}

}  // namespace booking::db

#include <string>

#include "core/time/business_time.hpp"

namespace booking::db {

// Times cross the wire as Unix seconds: `floor(extract(epoch FROM col))::bigint` out,
// `to_timestamp($n)` in.
inline long long epoch(Time t) { return t.time_since_epoch().count(); }
inline Time as_time(const pqxx::field& field) {
    return Time{std::chrono::seconds{field.as<long long>()}};
}

// A PostgreSQL array literal of integers, bound as one parameter (`$n::bigint[]`);
// libpqxx 6.4 has no conversion for containers.
template <class Range>
std::string int_array(const Range& values) {
    std::string out(1, '{');
    for (const auto& v : values) {
        if (out.size() > 1) out.push_back(',');
        out.append(std::to_string(v));
    }
    out.push_back('}');
    return out;
}

}  // namespace booking::db
