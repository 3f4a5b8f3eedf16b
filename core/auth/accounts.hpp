#pragma once
// What the daemon needs beyond core/users for sign-up: storing a password hash
// computed elsewhere (the daemon hashes on its own small thread pool, so that
// no database connection is held during the deliberately slow argon2id).
#include <pqxx/transaction_base>
#include <string_view>

namespace booking::auth {

// Sets the stored argon2id hash (from hash_password) of user id.
void store_password_hash(pqxx::transaction_base& tx, long long user_id, std::string_view hash);

}  // namespace booking::auth
