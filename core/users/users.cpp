#include "core/users/users.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/db/database.hpp"
#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/users/password.hpp"

namespace booking {

std::string to_string(Role role) {
    switch (role) {
        case Role::Customer:
            return "customer";
        case Role::Staff:
            return "staff";
        case Role::Admin:
            return "admin";
    }
    return "customer";
}

Role parse_role(std::string_view text) {
    if (text == "customer") return Role::Customer;
    if (text == "staff") return Role::Staff;
    if (text == "admin") return Role::Admin;
    throw Invalid("role", "\"" + std::string(text) + "\" is not a role (customer, staff or admin)");
}

void to_json(nlohmann::json& out, const User& user) {
    out = nlohmann::json{{"id", user.id},
                         {"email", user.email},
                         {"name", user.name},
                         {"role", to_string(user.role)},
                         {"created_at", format_utc(user.created_at)}};
}

namespace users {
namespace {

#define USER_COLUMNS                                                            \
    "id, email, name, role, disabled_at IS NOT NULL, floor(extract(epoch FROM " \
    "created_at))::bigint, "                                                    \
    "coalesce(floor(extract(epoch FROM tokens_valid_after))::bigint, 0)"

const db::Statement kInsert{
    "users_insert",
    "INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (email) DO NOTHING RETURNING " USER_COLUMNS};
const db::Statement kById{"users_by_id", "SELECT " USER_COLUMNS " FROM users WHERE id = $1"};
const db::Statement kByEmail{"users_by_email",
                             "SELECT " USER_COLUMNS ", password_hash FROM users WHERE email = $1"};
const db::Statement kList{"users_list",
                          "SELECT " USER_COLUMNS
                          " FROM users WHERE $1::text IS NULL OR role = $1 ORDER BY id LIMIT $2"};
const db::Statement kCount{"users_count",
                           "SELECT count(*) FROM users WHERE $1::text IS NULL OR role = $1"};
// Name or email containing $1 (a LIKE pattern '%text%', wildcards escaped),
// found through the trigram indexes of sql/0006; the exact email $2 always
// (users_email_key). Best first: the exact email, an exact name, a name or
// email starting with the text, then shorter names, by name. Ranking is cheap
// expressions over at most 1000 candidates (similarity() over every user named
// "Ann" of 200,000 cost half a second), so the time stays bounded however
// common the text is; past 1000 matches the rest are ranked among those.
#define USERS_SEARCH_RANKED                                                                  \
    " SELECT " USER_COLUMNS                                                                  \
    " FROM candidates "                                                                      \
    "ORDER BY email = $2 DESC, lower(name) = $2 DESC, "                                      \
    "(starts_with(email, $2) OR starts_with(lower(name), $2)) DESC, length(name), name, id " \
    "LIMIT $3"
const db::Statement kSearch{
    "users_search",
    "WITH candidates AS ((SELECT * FROM users WHERE email = $2) UNION "
    "(SELECT * FROM users WHERE name ILIKE $1 OR email ILIKE $1 LIMIT 1000))" USERS_SEARCH_RANKED};
// The same for a text with one '@' after something ("ann@ex", a whole email):
// an email containing it ends its local part with what comes before the '@',
// so the b-tree of sql/0010 on the reversed local part finds the candidates by
// the prefix $4 (that part reversed, wildcards escaped, '%'). The trigram index
// would read the posting lists of trigrams that nearly every address shares
// ("com", "@ex", ...): 100 ms at 200,000 users, against 0.1 ms this way.
const db::Statement kSearchEmail{
    "users_search_email",
    "WITH candidates AS ((SELECT * FROM users WHERE email = $2) UNION "
    "(SELECT * FROM users WHERE reverse(split_part(email, '@', 1)) LIKE $4 AND strpos(email, $2) > "
    "0 "
    "LIMIT 1000) UNION (SELECT * FROM users WHERE name ILIKE $1 LIMIT 1000))" USERS_SEARCH_RANKED};
// Names or emails like $1 (trigram similarity over pg_trgm's threshold), most alike first.
const db::Statement kClosest{
    "users_closest",
    "SELECT " USER_COLUMNS
    " FROM users WHERE name % $1 OR email % $1 "
    "ORDER BY greatest(similarity(name, $1), similarity(email, $1)) DESC, id LIMIT $2"};
const db::Statement kSetRole{
    "users_set_role",
    "UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING " USER_COLUMNS};
const db::Statement kSetDisabled{"users_set_disabled",
                                 "UPDATE users SET disabled_at = CASE WHEN $2 THEN "
                                 "coalesce(disabled_at, now()) END, updated_at = now() "
                                 "WHERE id = $1 RETURNING " USER_COLUMNS};
const db::Statement kResetPassword{
    "users_reset_password",
    "UPDATE users SET password_hash = $2, tokens_valid_after = to_timestamp($3), updated_at = "
    "now() WHERE id = $1 AND disabled_at IS NULL RETURNING " USER_COLUMNS};
const db::Statement kSetPassword{"users_set_password",
                                 "UPDATE users SET password_hash = $2, updated_at = now() WHERE id "
                                 "= $1 RETURNING " USER_COLUMNS};

User from_row(const pqxx::row& row) {
    return User{row[0].as<long long>(),   row[1].as<std::string>(),
                row[2].as<std::string>(), parse_role(row[3].as<std::string>()),
                row[4].as<bool>(),        db::as_time(row[5]),
                db::as_time(row[6])};
}

User one(const pqxx::result& result, long long id) {
    if (result.empty()) throw NotFound("no user with id " + std::to_string(id));
    return from_row(result[0]);
}

}  // namespace

std::string normalize_email(std::string_view email) {
    std::string out = to_lower_ascii(trim(email));
    auto at = out.find('@');
    bool ok = !out.empty() && out.size() <= 254 && at != std::string::npos && at > 0 &&
              out.find('@', at + 1) == std::string::npos && at + 1 < out.size() &&
              out.find('.', at + 2) != std::string::npos && out.back() != '.' && is_valid_utf8(out);
    for (char c : out)
        if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == '<' || c == '>' || c == '"')
            ok = false;
    if (!ok)
        throw Invalid("email", "\"" + printable(email) + "\" does not look like an email address");
    return out;
}

std::string validate_name(std::string_view name) {
    std::string out(trim(name));
    if (!is_valid_utf8(out)) throw Invalid("name", "is not valid UTF-8");
    std::size_t length = utf8_length(out);
    if (length < 1 || length > 200) throw Invalid("name", "must be 1 to 200 characters");
    if (has_control_chars(out)) throw Invalid("name", "must not contain control characters");
    return out;
}

void validate_password(std::string_view password) {
    if (!is_valid_utf8(password)) throw Invalid("password", "is not valid UTF-8");
    std::size_t length = utf8_length(password);
    if (length < 8 || length > 1024) throw Invalid("password", "must be 8 to 1024 characters");
}

User create(pqxx::transaction_base& tx, const NewUser& user) {
    std::string email = normalize_email(user.email);
    std::string name = validate_name(user.name);
    std::optional<std::string> hash = user.password_hash;
    if (user.password && !hash) {
        validate_password(*user.password);
        hash = hash_password(*user.password);
    }
    auto result = db::exec(tx, kInsert, email, name, to_string(user.role), hash);
    if (result.empty()) throw Conflict("a user with email " + email + " already exists");
    return from_row(result[0]);
}

std::optional<User> find_by_id(pqxx::transaction_base& tx, long long id) {
    auto result = db::exec(tx, kById, id);
    if (result.empty()) return std::nullopt;
    return from_row(result[0]);
}

User find(pqxx::transaction_base& tx, std::string_view id_or_email) {
    if (auto id = parse_id(id_or_email)) {
        if (auto user = find_by_id(tx, *id)) return *user;
        throw NotFound("no user with id " + std::string(id_or_email));
    }
    std::string email = to_lower_ascii(trim(id_or_email));
    auto result = db::exec(tx, kByEmail, email);
    if (result.empty()) throw NotFound("no user with email " + printable(id_or_email));
    return from_row(result[0]);
}

std::vector<User> list(pqxx::transaction_base& tx, std::optional<Role> role,
                       std::optional<long long> limit) {
    std::optional<std::string> role_text;
    if (role) role_text = to_string(*role);
    std::vector<User> out;
    for (const auto& row : db::exec(tx, kList, role_text, limit)) out.push_back(from_row(row));
    return out;
}

long long count(pqxx::transaction_base& tx, std::optional<Role> role) {
    std::optional<std::string> role_text;
    if (role) role_text = to_string(*role);
    return db::exec(tx, kCount, role_text)[0][0].as<long long>();
}

namespace {

std::string like_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::vector<User> search(pqxx::transaction_base& tx, std::string_view text, int limit) {
    std::string needle = to_lower_ascii(trim(text));
    if (needle.empty()) throw Invalid("text", "is empty: give part of a name or an email");
    if (!is_valid_utf8(needle) || utf8_length(needle) > 254)
        throw Invalid("text", "must be valid UTF-8 of at most 254 characters");
    const std::string pattern = "%" + like_escaped(needle) + "%";
    const auto at = needle.find('@');
    const bool email_like =
        at != std::string::npos && at > 0 && needle.find('@', at + 1) == std::string::npos;
    const auto rows = email_like ? db::exec(tx, kSearchEmail, pattern, needle, limit,
                                            like_escaped(utf8_reversed(needle.substr(0, at))) + "%")
                                 : db::exec(tx, kSearch, pattern, needle, limit);
    std::vector<User> out;
    for (const auto& row : rows) out.push_back(from_row(row));
    return out;
}

std::vector<User> closest(pqxx::transaction_base& tx, std::string_view text, int limit) {
    std::string needle = to_lower_ascii(trim(text));
    if (needle.empty() || !is_valid_utf8(needle) || utf8_length(needle) > 254) return {};
    auto out = search(tx, needle, limit);
    if (!out.empty()) return out;
    for (const auto& row : db::exec(tx, kClosest, needle, limit)) out.push_back(from_row(row));
    return out;
}

User set_role(pqxx::transaction_base& tx, long long id, Role role) {
    return one(db::exec(tx, kSetRole, id, to_string(role)), id);
}

User set_disabled(pqxx::transaction_base& tx, long long id, bool disabled) {
    return one(db::exec(tx, kSetDisabled, id, disabled), id);
}

User set_password(pqxx::transaction_base& tx, long long id, std::string_view password) {
    validate_password(password);
    return one(db::exec(tx, kSetPassword, id, hash_password(password)), id);
}

User reset_password(pqxx::transaction_base& tx, long long id, std::string_view hash,
                    Time valid_after) {
    return one(db::exec(tx, kResetPassword, id, std::string(hash), db::epoch(valid_after)), id);
}

std::optional<Credentials> credentials(pqxx::transaction_base& tx, std::string_view email) {
    auto result = db::exec(tx, kByEmail, std::string(email));
    if (result.empty()) return std::nullopt;
    Credentials out{from_row(result[0]), std::nullopt};
    if (!result[0][7].is_null()) out.password_hash = result[0][7].as<std::string>();
    return out;
}

}  // namespace users
}  // namespace booking
