#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace booking {

struct Service {
    long long id = 0;
    std::string code;
    std::string name;
    int duration_minutes = 0;
    int buffer_minutes = 0;
    std::string description;
    bool active = true;
};

// {code, name, duration_minutes, buffer_minutes, description, active}
void to_json(nlohmann::json& out, const Service& service);

}  // namespace booking
