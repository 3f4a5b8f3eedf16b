#pragma once
// Manage links (SPEC §8): `{public_url}/manage/{id}#bm_...`, one per booking,
// made in the booking's transaction. The token acts as the booking's customer
// for that booking only, until the booking's end; after a cancellation it still
// shows the booking, and cancelling or rescheduling again is a conflict.
#include <optional>
#include <pqxx/transaction_base>
#include <string>

#include "core/time/business_time.hpp"
#include "core/tokens/links.hpp"
#include "core/users/user.hpp"

namespace booking::tokens {

// The booking's manage link, in the caller's (the booking's) transaction.
void create_manage_link(pqxx::transaction_base& tx, long long booking_id);

// The manage token of a booking, for its emails; nullopt when it has none
// (booked before manage links existed).
std::optional<std::string> manage_token(pqxx::transaction_base& tx, const LinkKey& key,
                                        long long booking_id);

// What a presented manage token grants.
struct ManageGrant {
    long long booking_id = 0;
    Actor actor;  // the booking's customer
};

enum class ManageCheck { Granted, Invalid, OtherBooking };
struct ManageResult {
    ManageCheck check = ManageCheck::Invalid;
    ManageGrant grant;
};

// One indexed lookup by the token's selector (its MAC was checked by
// key.selector_of before). Invalid: no such link, the booking has ended, or
// its customer is disabled. OtherBooking: a real link of another booking.
// With for_change, the booking's row is locked and a cancelled booking is
// Conflict (a manage link cannot cancel or move it again).
ManageResult check_manage_link(pqxx::transaction_base& tx, std::string_view selector,
                               long long booking_id, Time now, bool for_change);

}  // namespace booking::tokens
