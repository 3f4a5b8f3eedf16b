#pragma once
// Sending webhook deliveries (SPEC §9): batches of due rows claimed through
// the same outbox mechanism as the email (core/outbox), each signed and
// POSTed with Poco Net, its outcome recorded before the batch commits.
#include <functional>
#include <optional>
#include <pqxx/connection>
#include <string>

#include "core/config/duration.hpp"
#include "core/outbox/outbox.hpp"

namespace booking::webhooks {

struct SendReport {
    int claimed = 0;
    int sent = 0;
    int retried = 0;
    int failed = 0;
    bool more = false;
};

// One HTTP attempt's outcome.
struct Attempt {
    std::optional<int> status;  // the endpoint's HTTP status, when it answered
    std::string error;          // empty when delivered (2xx)
    std::optional<Seconds> retry_after;
    bool delivered() const { return error.empty(); }
};

struct PostOptions {
    Seconds timeout{15};
    bool allow_private = false;
};

// POSTs body to url with those headers, connecting only to an address the
// SSRF guard allows (checked on the address actually connected to), never
// following a redirect.
Attempt post(const std::string& url, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers,
             const PostOptions& options);

class WebhookSender {
  public:
    explicit WebhookSender(PostOptions options, outbox::BatchOptions batch = {});
    SendReport deliver_due(pqxx::connection& conn, const std::function<bool()>& stop);

  private:
    SendReport deliver_batch(pqxx::connection& conn, const std::function<bool()>& stop);
    PostOptions options_;
    outbox::BatchOptions batch_;
    outbox::Outbox outbox_;
};

}  // namespace booking::webhooks
