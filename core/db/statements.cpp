#include "core/db/statements.hpp"

#include <mutex>

namespace booking::db {
namespace {

struct Registry {
    std::mutex mutex;
    std::vector<Statement> statements;
};

// Constructed on first use: statements are defined at namespace scope in other
// files, whose static initialisation may run before this file's.
Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

Statement::Statement(const char* statement_name, const char* statement_sql)
    : name(statement_name), sql(statement_sql) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.statements.push_back(*this);
}

std::vector<Statement> registered_statements() {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    return r.statements;
}

}  // namespace booking::db
