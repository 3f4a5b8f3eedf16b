#pragma once
// The outbox: queueing an email is inserting a row in the caller's transaction.
#include <pqxx/transaction_base>
#include <string_view>

namespace booking::mail {

inline constexpr std::string_view kConfirmation = "confirmation";
inline constexpr std::string_view kReminder = "reminder";
inline constexpr std::string_view kCancellation = "cancellation";
inline constexpr std::string_view kRescheduled = "rescheduled";

// Queues an email of that kind about the booking's current state, to its customer.
void queue_booking_email(pqxx::transaction_base& tx, long long booking_id, std::string_view kind);

}  // namespace booking::mail
