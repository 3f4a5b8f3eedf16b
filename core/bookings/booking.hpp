#pragma once
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "core/time/business_time.hpp"

namespace booking {

struct Booking {
    long long id = 0;
    long long user_id = 0;
    std::string service;   // code
    std::string resource;  // code
    Time start{};
    Time end{};
    int duration_minutes = 0;
    std::string status;  // confirmed | cancelled
    std::string notes;
    Time created_at{};
    Time updated_at{};
    std::optional<Time> cancelled_at;
    int sequence = 0;  // iCalendar SEQUENCE, up by one with every change
    // For exports, emails and staff views:
    std::string customer_name;
    std::string customer_email;
    std::string service_name;
    std::string resource_name;
};

// The API's booking object (without the customer_* and *_name fields).
void to_json(nlohmann::json& out, const Booking& booking);

}  // namespace booking
