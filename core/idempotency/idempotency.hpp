#pragma once
// Idempotency-Key (SPEC §3, POST /v1/bookings): the first answer to a (user,
// key) is stored in idempotency_keys in the same transaction as the booking
// and replayed for every repeat. Concurrent repeats wait on the primary key
// until the first transaction commits, then replay its answer.
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>

namespace booking::idempotency {

inline constexpr std::size_t kMaxKeyLength = 255;
// Remembered this long (SPEC §3); then forgotten, and pruned by bookingd's
// scheduler (core/housekeeping).
inline constexpr long long kKeyLifetimeSeconds = 24 * 3600;

// Throws Invalid("idempotency_key", ...) unless 1-255 printable ASCII characters.
void validate_key(std::string_view key);

// A fingerprint of the request (SHA-256 of its canonical form, hex).
std::string fingerprint(std::string_view canonical_request);

struct StoredAnswer {
    int status = 0;
    std::string body;
};

// Claims the key for this transaction. nullopt: the caller owns it and must
// store() its answer before committing. Otherwise the stored answer of an
// earlier request; Invalid("idempotency_key", ...) when that request differed.
std::optional<StoredAnswer> claim(pqxx::transaction_base& tx, long long user_id,
                                  std::string_view key, std::string_view request_fingerprint);

void store(pqxx::transaction_base& tx, long long user_id, std::string_view key, int status,
           std::string_view body);

}  // namespace booking::idempotency
