#pragma once
// Where composed messages go (mail.transport): "smtp" (Poco Net, one
// connection reused for a run of messages), "file" (one complete .eml per
// message, written atomically into mail.spool_dir) or "log" (a log line, for
// development). Transports are used by one thread at a time.
#include <memory>
#include <string>

#include "core/mail/message.hpp"
#include "core/mail/settings.hpp"

namespace booking::mail {

enum class SendStatus {
    Sent,
    Retry,   // may work later: connection trouble, 4xx answers, a full disk
    Reject,  // never will: the server refused it for good (5xx)
};

struct SendResult {
    SendStatus status = SendStatus::Sent;
    std::string error;  // for last_error and the log; never the message itself
};

struct TransportStats {
    long long messages = 0;     // sent
    long long connections = 0;  // SMTP connections opened
};

class Transport {
  public:
    virtual ~Transport() = default;
    virtual const char* name() const = 0;
    virtual SendResult send(const ComposedMessage& message) = 0;
    // After a Retry: true when the transport itself is unreachable, so the
    // rest of a batch would fail in the same way without being tried.
    virtual bool unreachable() const { return false; }
    // The queue is empty for now: release connections.
    virtual void idle() {}
    const TransportStats& stats() const { return stats_; }

  protected:
    TransportStats stats_;
};

// Throws ConfigError (e.g. a spool_dir that cannot be created).
std::unique_ptr<Transport> make_transport(const MailSettings& settings);

std::unique_ptr<Transport> make_smtp_transport(const SmtpSettings& settings);
std::unique_ptr<Transport> make_file_transport(const std::string& spool_dir);
std::unique_ptr<Transport> make_log_transport();

}  // namespace booking::mail
