// The SMTP transport on Poco Net: plain, STARTTLS or implicit TLS, AUTH PLAIN
// or LOGIN (whichever the server offers), timeouts on connect and on every
// answer, and one connection reused for a run of messages.
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <mutex>
#include <sstream>

#include "core/mail/transport.hpp"
#include "core/tls.hpp"

namespace booking::mail {
namespace {

// Many providers close a connection after about this many messages; opening
// a fresh one first avoids a failure that would count as an attempt.
constexpr int kMessagesPerConnection = 100;

// Poco's SMTP session with what the public API lacks: the EHLO answer (to
// choose an AUTH method and see STARTTLS) and STARTTLS with our own context
// and host name, so that the server's certificate is checked against the host.
class Session : public Poco::Net::SMTPClientSession {
  public:
    explicit Session(const Poco::Net::StreamSocket& socket) : SMTPClientSession(socket) {}

    std::string hello(const std::string& client_name) {
        std::string response;
        login(client_name, response);
        return response;
    }

    void start_tls(const std::string& host, Poco::Net::Context::Ptr context) {
        std::string response;
        const int status = sendCommand("STARTTLS", response);
        if (!isPositiveCompletion(status))
            throw Poco::Net::SMTPException("STARTTLS refused", response, status);
        socket() = Poco::Net::SecureStreamSocket::attach(socket(), host, context);
    }

    void authenticate(const std::string& ehlo, const std::string& user,
                      const std::string& password) {
        const auto auth = ehlo.find("AUTH");
        const std::string offered = auth == std::string::npos ? "" : ehlo.substr(auth);
        if (offered.find("PLAIN") != std::string::npos)
            loginUsingPlain(user, password);
        else if (offered.find("LOGIN") != std::string::npos)
            loginUsingLogin(user, password);
        else
            throw Poco::Net::SMTPException(
                "the server offers neither AUTH PLAIN nor AUTH LOGIN (is TLS needed first?)");
    }

    void reset() {
        std::string response;
        sendCommand("RSET", response);
    }
};

// The server's words, on one line and short enough for last_error.
std::string describe(const Poco::Exception& e) {
    std::string text = e.displayText();
    for (char& c : text)
        if (c == '\r' || c == '\n') c = ' ';
    if (text.size() > 500) text.resize(500);
    return text;
}

class SmtpTransport : public Transport {
  public:
    explicit SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
        if (settings_.tls != "none") context_ = tls_context();
    }
    ~SmtpTransport() override { idle(); }

    const char* name() const override { return "smtp"; }
    bool unreachable() const override { return unreachable_; }

    SendResult send(const ComposedMessage& message) override {
        // A connection kept from earlier messages may have been closed by the
        // server in the meantime: one fresh try before counting a failure.
        const bool reused = session_ != nullptr;
        SendResult result = attempt(message);
        if (result.status == SendStatus::Retry && reused && !session_ && !unreachable_)
            result = attempt(message);
        return result;
    }

    void idle() override {
        if (!session_) return;
        try {
            session_->close();
        } catch (const Poco::Exception&) {
            // QUIT is a courtesy; the socket closes either way.
        }
        session_.reset();
    }

  private:
    SendResult attempt(const ComposedMessage& message) {
        unreachable_ = false;
        if (!session_) {
            try {
                connect();
            } catch (const Poco::Exception& e) {
                session_.reset();
                unreachable_ = true;
                return {SendStatus::Retry, "SMTP server " + address() + ": " + describe(e)};
            }
        }
        try {
            session_->sendAddresses(message.from_address, {message.to_address});
            session_->sendData();
            std::istringstream data(message.data);
            session_->sendMessage(data);
        } catch (const Poco::Net::SMTPException& e) {
            const int status = e.code();
            try {
                session_->reset();
            } catch (const Poco::Exception&) {
                session_.reset();
            }
            const auto kind =
                status >= 500 && status < 600 ? SendStatus::Reject : SendStatus::Retry;
            return {kind, "SMTP server " + address() + ": " + describe(e)};
        } catch (const Poco::Exception& e) {
            session_.reset();
            return {SendStatus::Retry, "SMTP server " + address() + ": " + describe(e)};
        }
        ++stats_.messages;
        if (++on_connection_ >= kMessagesPerConnection) idle();
        return {SendStatus::Sent, {}};
    }

    std::string address() const { return settings_.host + ":" + std::to_string(settings_.port); }

    void connect() {
        const Poco::Timespan timeout(static_cast<long>(settings_.timeout.count()), 0);
        const Poco::Net::SocketAddress where(settings_.host,
                                             static_cast<Poco::UInt16>(settings_.port));
        Poco::Net::StreamSocket socket;
        if (settings_.tls == "tls") {
            // The handshake is bounded by the connect timeout too.
            Poco::Net::SecureStreamSocket secure(context_);
            secure.setPeerHostName(settings_.host);
            secure.connect(where, timeout);
            socket = secure;
        } else {
            socket.connect(where, timeout);
        }
        socket.setReceiveTimeout(timeout);
        socket.setSendTimeout(timeout);
        // SMTP is request and answer in small writes (the end of DATA comes
        // after the body): with Nagle's algorithm each message would wait for
        // the server's delayed ACK, some 40 ms.
        socket.setNoDelay(true);
        ++stats_.connections;
        on_connection_ = 0;
        auto session = std::make_unique<Session>(socket);
        session->setTimeout(timeout);
        const std::string client = Poco::Environment::nodeName();
        std::string ehlo = session->hello(client);
        if (settings_.tls == "starttls") {
            if (ehlo.find("STARTTLS") == std::string::npos)
                throw Poco::Net::SMTPException(
                    "the server does not offer STARTTLS (mail.smtp.tls = \"starttls\")");
            session->start_tls(settings_.host, context_);
            ehlo = session->hello(client);
        }
        if (!settings_.username.empty())
            session->authenticate(ehlo, settings_.username, settings_.password);
        session_ = std::move(session);
    }

    SmtpSettings settings_;
    Poco::Net::Context::Ptr context_;
    std::unique_ptr<Session> session_;
    int on_connection_ = 0;
    bool unreachable_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_smtp_transport(const SmtpSettings& settings) {
    return std::make_unique<SmtpTransport>(settings);
}

}  // namespace booking::mail
