#pragma once
// Webhook endpoints and their deliveries (SPEC §9, Standard Webhooks v1).
// A delivery is an outbox row (core/outbox) queued in the transaction of the
// booking change it tells of; the daemon's sender (webhooks/sender.hpp)
// signs and posts it. Rows are never deleted.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>
#include <vector>

#include "core/bookings/booking.hpp"
#include "core/outbox/outbox.hpp"
#include "core/time/business_time.hpp"

namespace booking::webhooks {

inline constexpr std::string_view kCreated = "booking.created";
inline constexpr std::string_view kCancelled = "booking.cancelled";
inline constexpr std::string_view kRescheduled = "booking.rescheduled";
inline constexpr std::string_view kPing = "ping";

struct Endpoint {
    long long id = 0;
    std::string url;
    std::string secret;  // whsec_...; shown once, by `webhooks add`
    std::vector<std::string> events;
    bool enabled = true;
    std::optional<std::string> disabled_reason;
    Time created_at{};
};
// Without the secret.
void to_json(nlohmann::json& out, const Endpoint& endpoint);

struct Delivery {
    long long id = 0;  // the webhook-id header
    long long webhook_id = 0;
    std::string event;
    std::optional<long long> booking_id;
    std::string status;  // pending | sent | failed
    int attempts = 0;
    Time next_attempt_at{};
    std::optional<int> last_status;
    std::optional<std::string> last_error;
    std::optional<Time> sent_at;
    Time created_at{};
};
void to_json(nlohmann::json& out, const Delivery& delivery);

// Queues `event` about the booking (as it is now) to every enabled endpoint
// subscribed to it, in the caller's transaction.
void enqueue(pqxx::transaction_base& tx, std::string_view event, const Booking& booking);

// The body of a delivery: {"type", "timestamp", "data"}.
std::string payload(std::string_view event, Time at, const nlohmann::json& data);

// Parses "booking.created,booking.cancelled"; throws Invalid("--events", ...).
std::vector<std::string> parse_events(std::string_view text);
// An http(s) URL with a host, at most 2000 characters; unless allow_private,
// one whose host resolves to a loopback, private, link-local or multicast
// address is refused too. Throws Invalid("url", ...).
void check_url(const std::string& url, bool allow_private);

// Creates an endpoint with a new secret (32 random bytes).
Endpoint add(pqxx::transaction_base& tx, const std::string& url,
             const std::vector<std::string>& events);
std::vector<Endpoint> list(pqxx::transaction_base& tx);
// These throw NotFound for an unknown (or removed) id.
Endpoint get(pqxx::transaction_base& tx, long long id);
// Removes the endpoint (kept, with its deliveries, for the record); its
// pending deliveries are failed.
void remove(pqxx::transaction_base& tx, long long id);
Endpoint set_enabled(pqxx::transaction_base& tx, long long id, bool enabled,
                     const std::string& reason = "disabled by staff");
// Queues a ping to that endpoint (whatever its events); returns the delivery.
Delivery ping(pqxx::transaction_base& tx, long long id, Time now);

struct DeliveryFilter {
    std::optional<long long> webhook_id;
    std::optional<std::string> status;
    int limit = 0;  // 0 = all
};
// "pending", "sent" or "failed"; throws Invalid("--status", ...).
std::string parse_delivery_status(std::string_view text);
// Oldest first.
std::vector<Delivery> list_deliveries(pqxx::transaction_base& tx, const DeliveryFilter& filter);
// A failed delivery back to pending, due now, with fresh attempts (the same
// webhook-id); a pending one is returned as is; a sent one is Conflict.
struct Retried {
    Delivery delivery;
    bool requeued = false;
};
Retried retry(pqxx::transaction_base& tx, long long delivery_id);
std::vector<Delivery> retry_failed(pqxx::transaction_base& tx);

// After about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then failed.
const outbox::Backoff& backoff();

// `v1,` + base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed with
// the base64-decoded part of the whsec_ secret (Standard Webhooks). Throws
// std::invalid_argument when that part is not base64.
std::string signature(const std::string& secret, std::string_view id, long long timestamp,
                      std::string_view body);

// Why a delivery must not go to this address (loopback, private, link-local,
// multicast, unspecified), or nullopt when it may. Takes the textual IPv4 or
// IPv6 address.
std::optional<std::string> forbidden_address(const std::string& address);

}  // namespace booking::webhooks
