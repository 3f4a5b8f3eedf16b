#pragma once
// bookingd's background work (SPEC §3, §4, §9, §10): the mailer, which sends
// the email outbox, the webhook sender, the reminder scheduler, the hourly
// slots sync, and housekeeping (pruning failed logins and Idempotency-Keys).
// Each is paced by an Asio timer on the daemon's io_context and does its
// database, SMTP or HTTP work on a thread of its own with its own database
// connection, so that no HTTP I/O thread and no pooled request connection
// ever waits for it. Several daemons may run: they coordinate only through
// PostgreSQL (SKIP LOCKED claims, the reminder index, advisory locks).
#include <memory>

#include "core/tokens/links.hpp"

namespace boost::asio {
class io_context;
}

namespace booking {
struct Config;
}

namespace booking::daemon::jobs {

class Jobs {
  public:
    // Checks the mail settings and templates and prepares the transport;
    // throws ConfigError naming the key or file.
    // links: the key of the secrets in emailed links (SPEC §8).
    Jobs(boost::asio::io_context& io, const Config& config, const tokens::LinkKey& links);
    ~Jobs();
    Jobs(const Jobs&) = delete;
    Jobs& operator=(const Jobs&) = delete;

    // Starts the loops (the reminder scheduler catches up at once).
    void start();
    // From any thread: no new work; the mailer stops between emails.
    void request_stop();
    // request_stop, then waits for the workers to finish what they are doing.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace booking::daemon::jobs
