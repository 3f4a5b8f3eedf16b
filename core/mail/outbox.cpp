#include "core/mail/outbox.hpp"

#include <pqxx/pqxx>

#include "core/db/statements.hpp"

namespace booking::mail {
namespace {

const db::Statement kQueue{
    "emails_queue_booking",
    "INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence) "
    "SELECT b.id, $2, u.email, b.starts_at, b.sequence FROM bookings b JOIN users u ON u.id = "
    "b.user_id "
    "WHERE b.id = $1"};

}  // namespace

void queue_booking_email(pqxx::transaction_base& tx, long long booking_id, std::string_view kind) {
    db::exec(tx, kQueue, booking_id, std::string(kind));
}

}  // namespace booking::mail
