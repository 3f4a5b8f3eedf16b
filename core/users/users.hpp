#pragma once
// Accounts in the database.
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/users/user.hpp"

namespace booking::users {

// Trimmed and lower-cased; throws Invalid("email", ...) unless it looks like an address.
std::string normalize_email(std::string_view email);
// Throws Invalid("name", ...) unless 1-200 characters after trimming.
std::string validate_name(std::string_view name);
// Throws Invalid("password", ...) unless 8-1024 characters.
void validate_password(std::string_view password);

struct NewUser {
    std::string email;
    std::string name;
    Role role = Role::Customer;
    std::optional<std::string> password;  // hashed with argon2id before it is stored
    // Or the argon2id hash itself, made elsewhere (the daemon hashes on its
    // own small pool, holding no database connection meanwhile).
    std::optional<std::string> password_hash;
};

// Conflict when the email is taken.
User create(pqxx::transaction_base& tx, const NewUser& user);
// By id ("42") or email; NotFound otherwise.
User find(pqxx::transaction_base& tx, std::string_view id_or_email);
std::optional<User> find_by_id(pqxx::transaction_base& tx, long long id);
// By id; at most `limit` (nullopt: all).
std::vector<User> list(pqxx::transaction_base& tx, std::optional<Role> role,
                       std::optional<long long> limit = std::nullopt);
long long count(pqxx::transaction_base& tx, std::optional<Role> role);
// Users whose name or email contains `text` (case-insensitive), best first:
// the exact email, an exact name, names or emails that start with it, then
// shorter names (ranked among at most 1000 matches); at most `limit`. Invalid("text") when empty or
// over 254 characters.
std::vector<User> search(pqxx::transaction_base& tx, std::string_view text, int limit = 20);
// For "did you mean": search(), or when nothing contains the text, the users
// whose name or email is most like it (trigram similarity).
std::vector<User> closest(pqxx::transaction_base& tx, std::string_view text, int limit = 3);
User set_role(pqxx::transaction_base& tx, long long id, Role role);
User set_disabled(pqxx::transaction_base& tx, long long id, bool disabled);
User set_password(pqxx::transaction_base& tx, long long id, std::string_view password);
// A password reset: the new hash, and every token issued before valid_after
// refused. NotFound unless the user exists and is enabled.
User reset_password(pqxx::transaction_base& tx, long long id, std::string_view hash,
                    Time valid_after);

// The stored hash of an active user with that email (for login).
struct Credentials {
    User user;
    std::optional<std::string> password_hash;
};
std::optional<Credentials> credentials(pqxx::transaction_base& tx, std::string_view email);

}  // namespace booking::users
