#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace booking {

struct Resource {
    long long id = 0;
    std::string code;
    std::string name;
    bool active = true;
};

// {code, name, active}
void to_json(nlohmann::json& out, const Resource& resource);

}  // namespace booking
