#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/time/business_time.hpp"

namespace booking {

struct Slot {
    long long id = 0;
    std::string resource;  // code
    Time start{};
    Time end{};
};

// {id, resource, start, end}
void to_json(nlohmann::json& out, const Slot& slot);

}  // namespace booking
