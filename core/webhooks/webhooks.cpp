#include "core/webhooks/webhooks.hpp"

#include <sodium.h>

#include <Poco/Net/DNS.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <stdexcept>

#include "core/db/statements.hpp"
#include "core/encoding.hpp"
#include "core/errors.hpp"
#include "core/secret.hpp"
#include "core/text.hpp"

namespace booking::webhooks {
namespace {

constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kSecretBytes = 32;

const db::Statement kEnqueue{
    "webhooks_enqueue",
    "INSERT INTO webhook_deliveries (webhook_id, event, booking_id, payload) "
    "SELECT id, $1, $2, $3 FROM webhooks "
    "WHERE enabled AND removed_at IS NULL AND $1 = ANY (events)"};

#define ENDPOINT_COLUMNS                                                        \
    "id, url, secret, array_to_string(events, ','), enabled, disabled_reason, " \
    "floor(extract(epoch FROM created_at))::bigint"

const db::Statement kAdd{"webhooks_add",
                         "INSERT INTO webhooks (url, secret, events) "
                         "VALUES ($1, $2, string_to_array($3, ',')) RETURNING " ENDPOINT_COLUMNS};
const db::Statement kList{"webhooks_list", "SELECT " ENDPOINT_COLUMNS
                                           " FROM webhooks WHERE removed_at IS NULL ORDER BY id"};
const db::Statement kGet{"webhooks_get", "SELECT " ENDPOINT_COLUMNS
                                         " FROM webhooks WHERE id = $1 AND removed_at IS NULL"};
const db::Statement kRemove{"webhooks_remove",
                            "UPDATE webhooks SET removed_at = now(), enabled = false "
                            "WHERE id = $1 AND removed_at IS NULL RETURNING id"};
const db::Statement kFailPending{"webhooks_fail_pending",
                                 "UPDATE webhook_deliveries SET status = 'failed', last_error = $2 "
                                 "WHERE webhook_id = $1 AND status = 'pending'"};
const db::Statement kSetEnabled{
    "webhooks_set_enabled",
    "UPDATE webhooks SET enabled = $2, disabled_reason = CASE WHEN $2 THEN NULL ELSE $3 END "
    "WHERE id = $1 AND removed_at IS NULL RETURNING " ENDPOINT_COLUMNS};

#define DELIVERY_COLUMNS                                                            \
    "id, webhook_id, event, booking_id, status, attempts, "                         \
    "floor(extract(epoch FROM next_attempt_at))::bigint, last_status, last_error, " \
    "floor(extract(epoch FROM sent_at))::bigint, floor(extract(epoch FROM created_at))::bigint"

const db::Statement kQueuePing{"webhooks_ping",
                               "INSERT INTO webhook_deliveries (webhook_id, event, payload) "
                               "VALUES ($1, 'ping', $2) RETURNING " DELIVERY_COLUMNS};
const db::Statement kDeliveries{
    "webhooks_deliveries",
    "SELECT " DELIVERY_COLUMNS
    " FROM webhook_deliveries "
    "WHERE ($1::bigint IS NULL OR webhook_id = $1) AND ($2::text IS NULL OR status = $2) "
    "ORDER BY id LIMIT $3"};
const db::Statement kGetDelivery{
    "webhooks_get_delivery", "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries WHERE id = $1"};
// Only while its endpoint is still there: a removed endpoint's deliveries stay failed.
const db::Statement kRetry{
    "webhooks_retry",
    "UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now() "
    "FROM webhooks w WHERE w.id = d.webhook_id AND w.removed_at IS NULL "
    "AND ($1::bigint IS NULL OR d.id = $1) AND d.status = 'failed' "
    "RETURNING d.id, d.webhook_id, d.event, d.booking_id, d.status, d.attempts, "
    "floor(extract(epoch FROM d.next_attempt_at))::bigint, d.last_status, d.last_error, "
    "floor(extract(epoch FROM d.sent_at))::bigint, floor(extract(epoch FROM "
    "d.created_at))::bigint"};

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const auto comma = text.find(',', from);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > from) out.push_back(text.substr(from, end - from));
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

Endpoint endpoint_from(const pqxx::row& r) {
    Endpoint e;
    e.id = r[0].as<long long>();
    e.url = r[1].as<std::string>();
    e.secret = r[2].as<std::string>();
    e.events = split(r[3].as<std::string>());
    e.enabled = r[4].as<bool>();
    if (!r[5].is_null()) e.disabled_reason = r[5].as<std::string>();
    e.created_at = db::as_time(r[6]);
    return e;
}

Delivery delivery_from(const pqxx::row& r) {
    Delivery d;
    d.id = r[0].as<long long>();
    d.webhook_id = r[1].as<long long>();
    d.event = r[2].as<std::string>();
    if (!r[3].is_null()) d.booking_id = r[3].as<long long>();
    d.status = r[4].as<std::string>();
    d.attempts = r[5].as<int>();
    d.next_attempt_at = db::as_time(r[6]);
    if (!r[7].is_null()) d.last_status = r[7].as<int>();
    if (!r[8].is_null()) d.last_error = r[8].as<std::string>();
    if (!r[9].is_null()) d.sent_at = db::as_time(r[9]);
    d.created_at = db::as_time(r[10]);
    return d;
}

std::vector<Delivery> deliveries(const pqxx::result& result) {
    std::vector<Delivery> out;
    for (const auto& row : result) out.push_back(delivery_from(row));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

std::string not_found(long long id) { return "no webhook with id " + std::to_string(id); }

bool in_v4(const unsigned char* a, unsigned char b0, unsigned char b1, int prefix) {
    const unsigned value = (unsigned(a[0]) << 8) | a[1];
    const unsigned net = (unsigned(b0) << 8) | b1;
    const unsigned mask = prefix >= 16 ? 0xFFFFu : (0xFFFFu << (16 - prefix)) & 0xFFFFu;
    return (value & mask) == (net & mask);
}

std::optional<std::string> forbidden_v4(const unsigned char* a) {
    if (in_v4(a, 127, 0, 8)) return "loopback";
    if (in_v4(a, 10, 0, 8) || in_v4(a, 172, 16, 12) || in_v4(a, 192, 168, 16) ||
        in_v4(a, 100, 64, 10))
        return "private";
    if (in_v4(a, 169, 254, 16)) return "link-local";
    if (in_v4(a, 224, 0, 4)) return "multicast";
    if (in_v4(a, 0, 0, 8) || in_v4(a, 240, 0, 4)) return "reserved";
    return std::nullopt;
}

}  // namespace

void to_json(nlohmann::json& out, const Endpoint& e) {
    out = nlohmann::json{{"id", e.id},
                         {"url", e.url},
                         {"events", e.events},
                         {"enabled", e.enabled},
                         {"disabled_reason", e.disabled_reason ? nlohmann::json(*e.disabled_reason)
                                                               : nlohmann::json(nullptr)},
                         {"created_at", format_utc(e.created_at)}};
}

void to_json(nlohmann::json& out, const Delivery& d) {
    auto optional = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    out = nlohmann::json{
        {"id", d.id},
        {"webhook_id", d.webhook_id},
        {"event", d.event},
        {"booking_id", optional(d.booking_id)},
        {"status", d.status},
        {"attempts", d.attempts},
        {"next_attempt_at", d.status == "pending" ? nlohmann::json(format_utc(d.next_attempt_at))
                                                  : nlohmann::json(nullptr)},
        {"last_status", optional(d.last_status)},
        {"last_error", optional(d.last_error)},
        {"sent_at", d.sent_at ? nlohmann::json(format_utc(*d.sent_at)) : nlohmann::json(nullptr)},
        {"created_at", format_utc(d.created_at)}};
}

std::string payload(std::string_view event, Time at, const nlohmann::json& data) {
    return nlohmann::json{{"type", event}, {"timestamp", format_utc(at)}, {"data", data}}.dump();
}

void enqueue(pqxx::transaction_base& tx, std::string_view event, const Booking& b) {
    const nlohmann::json data{
        {"booking", b},
        {"customer", {{"id", b.user_id}, {"email", b.customer_email}, {"name", b.customer_name}}}};
    const Time now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    db::exec(tx, kEnqueue, std::string(event), b.id, payload(event, now, data));
}

std::vector<std::string> parse_events(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& name : split(std::string(text))) {
        if (name != kCreated && name != kCancelled && name != kRescheduled)
            throw Invalid("--events", "\"" + printable(name) +
                                          "\" is not an event (booking.created, "
                                          "booking.cancelled or booking.rescheduled)");
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    if (out.empty()) throw Invalid("--events", "name at least one event");
    return out;
}

void check_url(const std::string& url, bool allow_private) {
    if (url.size() > kMaxUrl)
        throw Invalid("url", "longer than " + std::to_string(kMaxUrl) + " characters");
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const std::exception&) {
        throw Invalid("url", "\"" + printable(url) + "\" is not a URL");
    }
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
        throw Invalid("url", "\"" + printable(url) + "\" is not an http:// or https:// URL");
    if (!uri.getUserInfo().empty())
        throw Invalid("url", "a webhook URL carries no user name or password");
    if (allow_private) return;
    std::vector<std::string> addresses;
    Poco::Net::IPAddress literal;
    if (Poco::Net::IPAddress::tryParse(uri.getHost(), literal)) {
        addresses.push_back(literal.toString());
    } else {
        try {
            // Named, not iterated as a temporary: a range-for over a member of
            // the temporary HostEntry would read its addresses after it is gone.
            const Poco::Net::HostEntry entry = Poco::Net::DNS::hostByName(uri.getHost());
            for (const auto& a : entry.addresses()) addresses.push_back(a.toString());
        } catch (const std::exception&) {
            // Not resolvable now: the sender checks again before every attempt.
        }
    }
    for (const auto& address : addresses)
        if (auto why = forbidden_address(address))
            throw Invalid("url", uri.getHost() + " is a " + *why + " address (" + address +
                                     "); set webhooks.allow_private to deliver there");
}

Endpoint add(pqxx::transaction_base& tx, const std::string& url,
             const std::vector<std::string>& events) {
    const std::string secret = "whsec_" + secret::random_base64(kSecretBytes);
    return endpoint_from(db::exec(tx, kAdd, url, secret, join(events))[0]);
}

std::vector<Endpoint> list(pqxx::transaction_base& tx) {
    std::vector<Endpoint> out;
    for (const auto& row : db::exec(tx, kList)) out.push_back(endpoint_from(row));
    return out;
}

Endpoint get(pqxx::transaction_base& tx, long long id) {
    auto result = db::exec(tx, kGet, id);
    if (result.empty()) throw NotFound(not_found(id), "webhook");
    return endpoint_from(result[0]);
}

void remove(pqxx::transaction_base& tx, long long id) {
    if (db::exec(tx, kRemove, id).empty()) throw NotFound(not_found(id), "webhook");
    db::exec(tx, kFailPending, id, std::string("the endpoint was removed"));
}

Endpoint set_enabled(pqxx::transaction_base& tx, long long id, bool enabled,
                     const std::string& reason) {
    auto result = db::exec(tx, kSetEnabled, id, enabled, reason);
    if (result.empty()) throw NotFound(not_found(id), "webhook");
    return endpoint_from(result[0]);
}

Delivery ping(pqxx::transaction_base& tx, long long id, Time now) {
    get(tx, id);
    return delivery_from(
        db::exec(tx, kQueuePing, id, payload(kPing, now, nlohmann::json::object()))[0]);
}

std::string parse_delivery_status(std::string_view text) {
    for (const char* status : {"pending", "sent", "failed"})
        if (text == status) return status;
    throw Invalid("--status",
                  "\"" + printable(text) + "\" is not a delivery status (pending, sent or failed)");
}

std::vector<Delivery> list_deliveries(pqxx::transaction_base& tx, const DeliveryFilter& filter) {
    std::optional<long long> limit;
    if (filter.limit > 0) limit = filter.limit;
    return deliveries(db::exec(tx, kDeliveries, filter.webhook_id, filter.status, limit));
}

Retried retry(pqxx::transaction_base& tx, long long delivery_id) {
    auto result = db::exec(tx, kRetry, std::optional<long long>(delivery_id));
    if (!result.empty()) return {delivery_from(result[0]), true};
    auto found = db::exec(tx, kGetDelivery, delivery_id);
    if (found.empty()) throw NotFound("no delivery with id " + std::to_string(delivery_id));
    Delivery d = delivery_from(found[0]);
    if (d.status == "pending") return {d, false};
    throw Conflict("delivery " + std::to_string(delivery_id) + " is " + d.status +
                   (d.status == "failed" ? " and its endpoint was removed"
                                         : "; only failed deliveries are retried"));
}

std::vector<Delivery> retry_failed(pqxx::transaction_base& tx) {
    return deliveries(db::exec(tx, kRetry, std::optional<long long>()));
}

const outbox::Backoff& backoff() {
    using std::chrono::hours, std::chrono::minutes, std::chrono::seconds;
    static const outbox::Backoff schedule(
        {seconds(5), minutes(5), minutes(30), hours(2), hours(5), hours(10), hours(10)});
    return schedule;
}

std::string signature(const std::string& secret, std::string_view id, long long timestamp,
                      std::string_view body) {
    std::string_view encoded = secret;
    if (encoded.substr(0, 6) == "whsec_") encoded.remove_prefix(6);
    const auto key = base64_decode(encoded, Base64::Standard);
    if (!key) throw std::invalid_argument("the endpoint's secret is not whsec_ and base64");
    const std::string signed_content =
        std::string(id) + "." + std::to_string(timestamp) + "." + std::string(body);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key->data()),
                                key->size());
    crypto_auth_hmacsha256_update(&state,
                                  reinterpret_cast<const unsigned char*>(signed_content.data()),
                                  signed_content.size());
    crypto_auth_hmacsha256_final(&state, mac);
    return "v1," + base64_encode(std::string_view(reinterpret_cast<char*>(mac), sizeof mac));
}

std::optional<std::string> forbidden_address(const std::string& text) {
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(text, address)) return "unparsable";
    const auto* a = static_cast<const unsigned char*>(address.addr());
    if (address.family() == Poco::Net::IPAddress::IPv4) return forbidden_v4(a);
    // IPv6: ::ffff:a.b.c.d speaks for its IPv4 address.
    if (address.isIPv4Mapped()) return forbidden_v4(a + 12);
    if (address.isWildcard()) return "unspecified";
    if (address.isLoopback()) return "loopback";
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return "link-local";
    if ((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)) return "private";
    if (a[0] == 0xff) return "multicast";
    return std::nullopt;
}

}  // namespace booking::webhooks
