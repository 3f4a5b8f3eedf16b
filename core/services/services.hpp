#pragma once
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/config/duration.hpp"
#include "core/services/service.hpp"

namespace booking::services {

struct ServiceChange {
    std::optional<std::string> name;
    std::optional<Seconds> duration;  // whole minutes, > 0
    std::optional<Seconds> buffer;    // whole minutes, >= 0
    std::optional<std::string> description;
};

// Throws Invalid for a bad code/name/duration, Conflict when the code is taken.
Service create(pqxx::transaction_base& tx, const std::string& code, const ServiceChange& fields);
Service update(pqxx::transaction_base& tx, const std::string& code, const ServiceChange& fields);
Service set_active(pqxx::transaction_base& tx, const std::string& code, bool active);
// NotFound for an unknown code (active or not).
Service find(pqxx::transaction_base& tx, const std::string& code);
std::vector<Service> list(pqxx::transaction_base& tx, bool active_only);

}  // namespace booking::services
