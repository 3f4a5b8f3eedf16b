#include "core/idempotency/idempotency.hpp"

#include <sodium.h>

#include <pqxx/pqxx>

#include "core/db/statements.hpp"
#include "core/errors.hpp"

namespace booking::idempotency {
namespace {

// The placeholder status of a claimed key whose answer is not stored yet; no
// other transaction ever sees it (it is stored before commit). A key older
// than its lifetime ($4 seconds, SPEC §3: 24 h) is forgotten: claimed afresh
// as if new, even before the scheduler has pruned it.
const db::Statement kClaim{
    "idem_claim",
    "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response_body) "
    "VALUES ($1, $2, $3, 0, '') ON CONFLICT (user_id, key) DO UPDATE SET "
    "request_hash = EXCLUDED.request_hash, status_code = 0, response_body = '', "
    "created_at = now() "
    "WHERE idempotency_keys.created_at < now() - make_interval(secs => $4)"};
const db::Statement kFind{"idem_find",
                          "SELECT request_hash, status_code, response_body FROM idempotency_keys "
                          "WHERE user_id = $1 AND key = $2"};
const db::Statement kStore{"idem_store",
                           "UPDATE idempotency_keys SET status_code = $3, response_body = $4 "
                           "WHERE user_id = $1 AND key = $2"};

}  // namespace

void validate_key(std::string_view key) {
    if (key.empty() || key.size() > kMaxKeyLength)
        throw Invalid("idempotency_key", "must be 1 to 255 characters");
    for (unsigned char c : key)
        if (c < 0x21 || c > 0x7e)
            throw Invalid("idempotency_key", "must be printable ASCII without spaces");
}

std::string fingerprint(std::string_view canonical_request) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical_request.data()),
                       canonical_request.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::optional<StoredAnswer> claim(pqxx::transaction_base& tx, long long user_id,
                                  std::string_view key, std::string_view request_fingerprint) {
    const std::string k(key), fp(request_fingerprint);
    if (db::exec(tx, kClaim, user_id, k, fp, kKeyLifetimeSeconds).affected_rows() == 1)
        return std::nullopt;
    const auto rows = db::exec(tx, kFind, user_id, k);
    if (rows.empty()) throw Unavailable("the idempotency key vanished while it was being read");
    const auto row = rows[0];
    if (row[0].as<std::string>() != fp)
        throw Invalid("idempotency_key", "was already used with a different request");
    return StoredAnswer{row[1].as<int>(), row[2].as<std::string>()};
}

void store(pqxx::transaction_base& tx, long long user_id, std::string_view key, int status,
           std::string_view body) {
    db::exec(tx, kStore, user_id, std::string(key), status, std::string(body));
}

}  // namespace booking::idempotency
