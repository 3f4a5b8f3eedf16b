#include "core/webhooks/sender.hpp"

#include <Poco/DateTimeParser.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <istream>
#include <pqxx/pqxx>
#include <set>
#include <stdexcept>

#include "core/db/statements.hpp"
#include "core/tls.hpp"
#include "core/webhooks/webhooks.hpp"

namespace booking::webhooks {
namespace {

// Due deliveries of enabled endpoints, oldest due first; rows another sender
// holds are skipped, not waited for.
const db::Statement kSent{"webhook_deliveries_sent", OUTBOX_SENT_SQL("webhook_deliveries")};
const db::Statement kFailedAttempt{"webhook_deliveries_failed_attempt",
                                   OUTBOX_FAILED_SQL("webhook_deliveries")};
const db::Statement kClaim{
    "webhooks_claim_due",
    "SELECT d.id, d.event, d.payload, d.attempts, w.id, w.url, w.secret "
    "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
    "WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.enabled "
    "ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED"};
const db::Statement kLastStatus{"webhooks_last_status",
                                "UPDATE webhook_deliveries SET last_status = $2 WHERE id = $1"};
const db::Statement kGone{"webhooks_gone",
                          "UPDATE webhooks SET enabled = false, disabled_reason = $2 "
                          "WHERE id = $1"};

constexpr Seconds kMaxRetryAfter{10 * 3600};
constexpr std::streamsize kMaxAnswerBytes = 64 * 1024;  // read, then thrown away

std::optional<Seconds> parse_retry_after(const std::string& value) {
    if (value.empty()) return std::nullopt;
    Seconds wait{};
    if (value.find_first_not_of("0123456789") == std::string::npos && value.size() < 10) {
        wait = Seconds{std::stoll(value)};
    } else {
        int tzd = 0;
        Poco::DateTime at;
        if (!Poco::DateTimeParser::tryParse(value, at, tzd)) return std::nullopt;
        wait = Seconds{(at.timestamp() - Poco::Timestamp()) / Poco::Timestamp::resolution()};
    }
    return std::clamp(wait, Seconds{1}, kMaxRetryAfter);
}

// The addresses of host the guard lets us reach, and why the others were refused.
std::vector<Poco::Net::IPAddress> allowed_addresses(const std::string& host, bool allow_private,
                                                    std::string& refused) {
    std::vector<Poco::Net::IPAddress> all;
    Poco::Net::IPAddress literal;
    if (Poco::Net::IPAddress::tryParse(host, literal))
        all.push_back(literal);
    else
        all = Poco::Net::DNS::hostByName(host).addresses();
    std::vector<Poco::Net::IPAddress> out;
    for (const auto& a : all) {
        auto why = allow_private ? std::nullopt : forbidden_address(a.toString());
        if (why)
            refused = host + " resolves to the " + *why + " address " + a.toString() +
                      " (webhooks.allow_private is off)";
        else
            out.push_back(a);
    }
    return out;
}

std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    if (text.size() > 300) text.resize(300);
    return text;
}

}  // namespace

Attempt post(const std::string& url, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers,
             const PostOptions& options) {
    Attempt attempt;
    try {
        const Poco::URI uri(url);
        const bool tls = uri.getScheme() == "https";
        std::string refused;
        const auto addresses = allowed_addresses(uri.getHost(), options.allow_private, refused);
        if (addresses.empty()) {
            attempt.error = refused.empty() ? "no address for " + uri.getHost() : refused;
            return attempt;
        }
        const Poco::Timespan timeout(static_cast<long>(options.timeout.count()), 0);
        Poco::Net::StreamSocket socket;
        std::string connect_error;
        bool connected = false;
        for (const auto& address : addresses) {
            try {
                socket = Poco::Net::StreamSocket();
                socket.connect(Poco::Net::SocketAddress(address, uri.getPort()), timeout);
                connected = true;
                break;
            } catch (const Poco::Exception& e) {
                connect_error = "cannot connect to " + address.toString() + ": " + e.displayText();
            }
        }
        if (!connected) {
            attempt.error = connect_error;
            return attempt;
        }
        // The guard holds for the address actually connected to.
        const std::string peer = socket.peerAddress().host().toString();
        if (!options.allow_private)
            if (auto why = forbidden_address(peer)) {
                attempt.error = "refused: connected to the " + *why + " address " + peer;
                return attempt;
            }
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (tls)
            session = std::make_unique<Poco::Net::HTTPSClientSession>(
                Poco::Net::SecureStreamSocket::attach(socket, uri.getHost(), tls_context()));
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
        session->setTimeout(timeout);
        session->setKeepAlive(false);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                       uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost(uri.getHost(), uri.getPort());
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("User-Agent", "bookingd-webhooks/1");
        for (const auto& [name, value] : headers) request.set(name, value);
        session->sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& answer = session->receiveResponse(response);
        answer.ignore(kMaxAnswerBytes);
        const int status = static_cast<int>(response.getStatus());
        attempt.status = status;
        if (status >= 200 && status < 300) return attempt;
        attempt.error = "HTTP " + std::to_string(status);
        if (status >= 300 && status < 400) attempt.error += " (redirects are not followed)";
        if (response.has("Retry-After"))
            attempt.retry_after = parse_retry_after(response.get("Retry-After"));
    } catch (const Poco::Exception& e) {
        attempt.error = one_line(e.displayText());
    } catch (const std::exception& e) {
        attempt.error = one_line(e.what());
    }
    if (attempt.error.empty()) attempt.error = "failed";
    return attempt;
}

WebhookSender::WebhookSender(PostOptions options, outbox::BatchOptions batch)
    : options_(options), batch_(batch), outbox_(kSent, kFailedAttempt, backoff()) {}

SendReport WebhookSender::deliver_batch(pqxx::connection& conn, const std::function<bool()>& stop) {
    SendReport report;
    // Endpoints that answered 410 in this batch: their other rows stay pending,
    // untried, until someone enables the endpoint again.
    std::set<long long> gone_now;
    const auto batch =
        outbox_.run_batch(conn, kClaim, batch_, stop, [&](pqxx::work& tx, const pqxx::row& row) {
            const long long id = row[0].as<long long>();
            const auto event = row[1].as<std::string>();
            const auto body = row[2].as<std::string>();
            const int attempts = row[3].as<int>();
            const long long webhook = row[4].as<long long>();
            if (gone_now.count(webhook)) return;
            const auto url = row[5].as<std::string>();
            const auto secret = row[6].as<std::string>();
            const std::string message_id = std::to_string(id);
            const long long timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count();
            std::string signed_with;
            try {
                signed_with = signature(secret, message_id, timestamp, body);
            } catch (const std::invalid_argument& e) {
                // Only a secret written by hand can be; it will not get better.
                outbox_.failed(tx, id, attempts, e.what(), true);
                ++report.failed;
                spdlog::error("webhook delivery {} ({}) to endpoint {} failed: {}", id, event,
                              webhook, e.what());
                return;
            }
            const Attempt attempt = post(url, body,
                                         {{"webhook-id", message_id},
                                          {"webhook-timestamp", std::to_string(timestamp)},
                                          {"webhook-signature", signed_with}},
                                         options_);
            if (attempt.status) db::exec(tx, kLastStatus, id, *attempt.status);
            if (attempt.delivered()) {
                outbox_.sent(tx, id);
                ++report.sent;
                spdlog::info("webhook delivery {} ({}) sent to endpoint {}", id, event, webhook);
                return;
            }
            const bool gone = attempt.status == 410;
            if (gone) gone_now.insert(webhook);
            if (gone)
                db::exec(tx, kGone, webhook,
                         std::string("the endpoint answered 410 Gone to delivery ") + message_id);
            const auto failure =
                outbox_.failed(tx, id, attempts, attempt.error, gone, attempt.retry_after);
            if (gone) {
                ++report.failed;
                spdlog::warn("webhook endpoint {} answered 410 Gone: disabled; delivery {} failed",
                             webhook, id);
            } else if (!failure.retry) {
                ++report.failed;
                spdlog::error(
                    "webhook delivery {} ({}) to endpoint {} failed after {} attempts: {}; kept "
                    "for `bookingctl webhooks retry`",
                    id, event, webhook, failure.attempts, attempt.error);
            } else {
                ++report.retried;
                spdlog::warn(
                    "webhook delivery {} ({}) to endpoint {}: attempt {} failed: {}; "
                    "next in {}",
                    id, event, webhook, failure.attempts, attempt.error,
                    format_duration(*failure.retry));
            }
        });
    report.claimed = batch.claimed;
    report.more = batch.more;
    return report;
}

SendReport WebhookSender::deliver_due(pqxx::connection& conn, const std::function<bool()>& stop) {
    SendReport total;
    do {
        const auto r = deliver_batch(conn, stop);
        total.claimed += r.claimed;
        total.sent += r.sent;
        total.retried += r.retried;
        total.failed += r.failed;
        total.more = r.more;
    } while (total.more && !stop());
    return total;
}

}  // namespace booking::webhooks
