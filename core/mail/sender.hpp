#pragma once
// Sending the email outbox: each batch (core/outbox, shared with the webhook
// sender) claims due emails, sends them over one transport connection and
// records each outcome before committing.
#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/connection>

#include "core/mail/settings.hpp"
#include "core/mail/templates.hpp"
#include "core/mail/transport.hpp"
#include "core/outbox/outbox.hpp"

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
    outbox::Outbox outbox_;
};

}  // namespace booking::mail
