#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/time/business_time.hpp"

namespace booking {

enum class Role { Customer, Staff, Admin };
std::string to_string(Role role);
// Throws Invalid("role", ...) for anything but customer, staff, admin.
Role parse_role(std::string_view text);
inline bool is_staff(Role role) { return role != Role::Customer; }

struct User {
    long long id = 0;
    std::string email;
    std::string name;
    Role role = Role::Customer;
    bool disabled = false;
    Time created_at{};
    // Tokens (JWTs) issued before this are refused; the epoch when none
    // (set by a password reset).
    Time tokens_valid_after{};
};

// The API's user object: {id, email, name, role, created_at}.
void to_json(nlohmann::json& out, const User& user);

// Who is acting: a signed-in user, or staff at the terminal (bookingctl).
struct Actor {
    long long user_id = 0;  // 0 for bookingctl
    Role role = Role::Customer;
    static Actor terminal() { return Actor{0, Role::Admin}; }
};

}  // namespace booking
