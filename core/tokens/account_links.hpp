#pragma once
// Password-reset and sign-in links (SPEC §3, §8): rows of auth_tokens, each
// with its email queued in the same transaction. A link works once, until it
// expires; a password reset retires the account's other links.
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>

#include "core/config/duration.hpp"
#include "core/time/business_time.hpp"
#include "core/tokens/links.hpp"

namespace booking::tokens {

// At most this many links of one purpose are emailed to an account per hour.
inline constexpr int kLinksPerHour = 3;

// For an anonymous request: when the address (normalized) belongs to an
// active account that has had fewer than kLinksPerHour links of this purpose
// in the last hour, makes one valid for ttl and queues its email. Says nothing
// either way (the API answers 202 whatever happened).
void request_account_link(pqxx::transaction_base& tx, Purpose purpose, std::string_view email,
                          Seconds ttl, Time now);

// For staff (bookingctl users send-reset): a link for that user whatever the
// hourly count. Throws Conflict for a disabled account.
void send_account_link(pqxx::transaction_base& tx, Purpose purpose, long long user_id, Seconds ttl,
                       Time now);

// Uses the link up: the account's id, when the link of that purpose and
// selector exists, is unused and unexpired, and its account is active;
// nullopt otherwise. Of concurrent calls for one link, exactly one gets it.
std::optional<long long> use_account_link(pqxx::transaction_base& tx, Purpose purpose,
                                          std::string_view selector, Time now);

// Retires every unused link of the account (after its password was reset).
void retire_account_links(pqxx::transaction_base& tx, long long user_id);

// The token of an auth_tokens row, for its email.
std::optional<std::string> account_link_token(pqxx::transaction_base& tx, const LinkKey& key,
                                              long long auth_token_id);

// "password_reset" or "sign_in_link": the purpose's name in auth_tokens and
// its email's kind.
std::string_view purpose_name(Purpose purpose);

}  // namespace booking::tokens
