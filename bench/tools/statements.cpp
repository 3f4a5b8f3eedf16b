// bench_statements: prints every SQL statement core defines, as one JSON
// object of name to SQL text (db::registered_statements(), the list the plan
// test EXPLAINs). bench/ceilings and bench/one-endpoint read the statements they
// run through pgbench from it (bench/lib/statements.py), so they run core's SQL
// as it is, not a copy, and fail by name when a statement they need is gone.
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/db/statements.hpp"

int main() {
    nlohmann::json out = nlohmann::json::object();  // sorted by name
    for (const auto& s : booking::db::registered_statements()) out[s.name] = s.sql;
    std::cout << out.dump(2) << '\n';
    return std::cout ? 0 : 1;
}
