#pragma once
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "core/resources/resource.hpp"

namespace booking::resources {

Resource create(pqxx::transaction_base& tx, const std::string& code, const std::string& name);
Resource set_active(pqxx::transaction_base& tx, const std::string& code, bool active);
Resource find(pqxx::transaction_base& tx, const std::string& code);  // NotFound
std::vector<Resource> list(pqxx::transaction_base& tx, bool active_only);

}  // namespace booking::resources
