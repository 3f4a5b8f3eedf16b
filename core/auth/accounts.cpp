#include "core/auth/accounts.hpp"

#include <string>

#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"

namespace booking::auth {
namespace {
const db::Statement kStoreHash{
    "auth_store_password_hash",
    "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1"};
}

void store_password_hash(pqxx::transaction_base& tx, long long user_id, std::string_view hash) {
    if (db::exec(tx, kStoreHash, user_id, std::string(hash)).affected_rows() != 1)
        throw NotFound("no user with id " + std::to_string(user_id));
}

}  // namespace booking::auth
