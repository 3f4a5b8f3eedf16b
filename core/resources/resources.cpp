#include "core/resources/resources.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/users/users.hpp"

namespace booking {

void to_json(nlohmann::json& out, const Resource& r) {
    out = nlohmann::json{{"code", r.code}, {"name", r.name}, {"active", r.active}};
}

namespace resources {
namespace {

const db::Statement kInsert{
    "resources_insert",
    "INSERT INTO resources (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING "
    "RETURNING id, code, name, active"};
const db::Statement kSetActive{
    "resources_set_active",
    "UPDATE resources SET active = $2 WHERE code = $1 RETURNING id, code, name, active"};
const db::Statement kFind{"resources_find",
                          "SELECT id, code, name, active FROM resources WHERE code = $1"};
const db::Statement kList{
    "resources_list",
    "SELECT id, code, name, active FROM resources WHERE active OR NOT $1 ORDER BY code"};

Resource from_row(const pqxx::row& r) {
    return Resource{r[0].as<long long>(), r[1].as<std::string>(), r[2].as<std::string>(),
                    r[3].as<bool>()};
}

Resource one(const pqxx::result& result, const std::string& code) {
    if (result.empty())
        throw NotFound("no resource with code \"" + printable(code) + "\"", "resource");
    return from_row(result[0]);
}

}  // namespace

Resource create(pqxx::transaction_base& tx, const std::string& code, const std::string& name) {
    validate_code(code, "resource");
    auto result = db::exec(tx, kInsert, code, users::validate_name(name));
    if (result.empty()) throw Conflict("a resource with code \"" + code + "\" already exists");
    return from_row(result[0]);
}

Resource set_active(pqxx::transaction_base& tx, const std::string& code, bool active) {
    return one(db::exec(tx, kSetActive, code, active), code);
}

Resource find(pqxx::transaction_base& tx, const std::string& code) {
    return one(db::exec(tx, kFind, code), code);
}

std::vector<Resource> list(pqxx::transaction_base& tx, bool active_only) {
    std::vector<Resource> out;
    for (const auto& row : db::exec(tx, kList, active_only)) out.push_back(from_row(row));
    return out;
}

}  // namespace resources
}  // namespace booking
