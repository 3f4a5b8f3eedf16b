#include "core/tokens/manage.hpp"

#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"

namespace booking::tokens {
namespace {

const db::Statement kCreate{"manage_links_create",
                            "INSERT INTO manage_links (booking_id, selector) VALUES ($1, $2)"};
const db::Statement kSelectorOf{"manage_links_selector",
                                "SELECT selector FROM manage_links WHERE booking_id = $1"};
// Served by the unique index on manage_links.selector.
#define MANAGE_LOOKUP                                                          \
    "SELECT m.booking_id, b.user_id, b.ends_at > to_timestamp($2), "           \
    "u.disabled_at IS NULL, b.status FROM manage_links m "                     \
    "JOIN bookings b ON b.id = m.booking_id JOIN users u ON u.id = b.user_id " \
    "WHERE m.selector = $1"
const db::Statement kLookup{"manage_links_lookup", MANAGE_LOOKUP};
const db::Statement kLookupForChange{"manage_links_lookup_for_change",
                                     MANAGE_LOOKUP " FOR UPDATE OF b"};

}  // namespace

void create_manage_link(pqxx::transaction_base& tx, long long booking_id) {
    db::exec(tx, kCreate, booking_id, new_selector());
}

std::optional<std::string> manage_token(pqxx::transaction_base& tx, const LinkKey& key,
                                        long long booking_id) {
    const auto rows = db::exec(tx, kSelectorOf, booking_id);
    if (rows.empty()) return std::nullopt;
    return key.token(Purpose::Manage, rows[0][0].as<std::string>());
}

ManageResult check_manage_link(pqxx::transaction_base& tx, std::string_view selector,
                               long long booking_id, Time now, bool for_change) {
    const auto rows = db::exec(tx, for_change ? kLookupForChange : kLookup, std::string(selector),
                               db::epoch(now));
    ManageResult out;
    if (rows.empty() || !rows[0][2].as<bool>() || !rows[0][3].as<bool>()) return out;
    out.grant.booking_id = rows[0][0].as<long long>();
    out.grant.actor = Actor{rows[0][1].as<long long>(), Role::Customer};
    if (out.grant.booking_id != booking_id) {
        out.check = ManageCheck::OtherBooking;
        return out;
    }
    if (for_change && rows[0][4].as<std::string>() == "cancelled")
        throw Conflict("booking " + std::to_string(booking_id) +
                       " is cancelled; its manage link can only show it");
    out.check = ManageCheck::Granted;
    return out;
}

}  // namespace booking::tokens
