#pragma once
// Sending the outbox. A batch claims due emails with FOR UPDATE SKIP LOCKED in
// one transaction, sends them over one transport connection and records each
// outcome before committing. Several senders (daemons) therefore never claim
// the same email; if one dies mid-batch its transaction rolls back, the locks
// go with its connection, and the emails are claimed again: at least once,
// never lost. A batch is bounded in size and time, so a slow server holds few
// rows and no transaction for long.
#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/connection>

#include "core/mail/settings.hpp"
#include "core/mail/templates.hpp"
#include "core/mail/transport.hpp"

namespace booking::mail {

struct DeliveryReport {
    int claimed = 0;
    int sent = 0;
    int retried = 0;    // failed this time, will be tried again
    int failed = 0;     // failed for good (kept for `bookingctl mail retry`)
    int skipped = 0;    // reminders whose booking changed
    bool more = false;  // due emails may remain
    DeliveryReport& operator+=(const DeliveryReport& o);
};

struct SenderOptions {
    int batch_size = 100;
    std::chrono::milliseconds batch_time{10000};  // no new message after this
};

class MailSender {
  public:
    MailSender(MailSettings settings, TemplateSet templates, std::unique_ptr<Transport> transport,
               SenderOptions options = {});

    // One batch. `stop` is asked before each message ("between emails").
    // Database errors propagate (nothing of the batch is recorded then).
    DeliveryReport deliver_batch(pqxx::connection& conn, const std::function<bool()>& stop);
    // Batches until nothing is due or stop() says so; then lets the transport
    // close its connection.
    DeliveryReport deliver_due(pqxx::connection& conn, const std::function<bool()>& stop);

    const Transport& transport() const { return *transport_; }

  private:
    MailSettings settings_;
    TemplateSet templates_;
    std::unique_ptr<Transport> transport_;
    SenderOptions options_;
};

}  // namespace booking::mail
