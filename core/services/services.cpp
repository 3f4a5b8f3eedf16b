#include "core/services/services.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/users/users.hpp"

namespace booking {

void to_json(nlohmann::json& out, const Service& s) {
    out = nlohmann::json{{"code", s.code},
                         {"name", s.name},
                         {"duration_minutes", s.duration_minutes},
                         {"buffer_minutes", s.buffer_minutes},
                         {"description", s.description},
                         {"active", s.active}};
}

namespace services {
namespace {

#define SERVICE_COLUMNS "id, code, name, duration_minutes, buffer_minutes, description, active"

const db::Statement kInsert{
    "services_insert",
    "INSERT INTO services (code, name, duration_minutes, buffer_minutes, description) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING " SERVICE_COLUMNS};
const db::Statement kUpdate{
    "services_update",
    "UPDATE services SET name = coalesce($2, name), "
    "duration_minutes = coalesce($3, duration_minutes), "
    "buffer_minutes = coalesce($4, buffer_minutes), "
    "description = coalesce($5, description) WHERE code = $1 RETURNING " SERVICE_COLUMNS};
const db::Statement kSetActive{
    "services_set_active",
    "UPDATE services SET active = $2 WHERE code = $1 RETURNING " SERVICE_COLUMNS};
const db::Statement kFind{"services_find",
                          "SELECT " SERVICE_COLUMNS " FROM services WHERE code = $1"};
const db::Statement kList{"services_list", "SELECT " SERVICE_COLUMNS
                                           " FROM services WHERE active OR NOT $1 ORDER BY code"};

Service from_row(const pqxx::row& r) {
    return Service{r[0].as<long long>(), r[1].as<std::string>(), r[2].as<std::string>(),
                   r[3].as<int>(),       r[4].as<int>(),         r[5].as<std::string>(),
                   r[6].as<bool>()};
}

Service one(const pqxx::result& result, const std::string& code) {
    if (result.empty())
        throw NotFound("no service with code \"" + printable(code) + "\"", "service");
    return from_row(result[0]);
}

std::optional<int> minutes(const std::optional<Seconds>& value, const std::string& field,
                           bool allow_zero) {
    if (!value) return std::nullopt;
    long long s = value->count();
    if (s % 60 != 0) throw Invalid(field, "must be whole minutes");
    if (s < 0 || (!allow_zero && s == 0))
        throw Invalid(field, allow_zero ? "must not be negative" : "must be positive");
    if (s > 24 * 3600) throw Invalid(field, "must be at most 24h");
    return static_cast<int>(s / 60);
}

std::optional<std::string> checked_text(const std::optional<std::string>& value,
                                        const std::string& field, std::size_t max) {
    if (!value) return std::nullopt;
    if (field == "name") return users::validate_name(*value);
    if (!is_valid_utf8(*value) || utf8_length(*value) > max)
        throw Invalid(field,
                      "must be valid UTF-8 of at most " + std::to_string(max) + " characters");
    return *value;
}

}  // namespace

Service create(pqxx::transaction_base& tx, const std::string& code, const ServiceChange& fields) {
    validate_code(code, "service");
    if (!fields.name) throw Invalid("name", "is required");
    if (!fields.duration) throw Invalid("duration", "is required");
    auto result = db::exec(tx, kInsert, code, checked_text(fields.name, "name", 200),
                           minutes(fields.duration, "duration", false),
                           minutes(fields.buffer, "buffer", true).value_or(0),
                           checked_text(fields.description, "description", 2000).value_or(""));
    if (result.empty()) throw Conflict("a service with code \"" + code + "\" already exists");
    return from_row(result[0]);
}

Service update(pqxx::transaction_base& tx, const std::string& code, const ServiceChange& fields) {
    return one(db::exec(tx, kUpdate, code, checked_text(fields.name, "name", 200),
                        minutes(fields.duration, "duration", false),
                        minutes(fields.buffer, "buffer", true),
                        checked_text(fields.description, "description", 2000)),
               code);
}

Service set_active(pqxx::transaction_base& tx, const std::string& code, bool active) {
    return one(db::exec(tx, kSetActive, code, active), code);
}

Service find(pqxx::transaction_base& tx, const std::string& code) {
    return one(db::exec(tx, kFind, code), code);
}

std::vector<Service> list(pqxx::transaction_base& tx, bool active_only) {
    std::vector<Service> out;
    for (const auto& row : db::exec(tx, kList, active_only)) out.push_back(from_row(row));
    return out;
}

}  // namespace services
}  // namespace booking
