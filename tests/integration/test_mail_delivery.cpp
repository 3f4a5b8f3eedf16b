// Sending the outbox (core/mail/sender) against a real PostgreSQL and a real
// SMTP server: what is sent and recorded, retries with backoff when the server
// is down or says "later", failure for good when it refuses, stale reminders
// skipped, claims that never overlap, a dead sender's emails sent by another,
// STARTTLS/TLS/AUTH, and the file transport.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "core/mail/sender.hpp"
#include "tests/support/mail_sink.hpp"

namespace booking::test::mail {
namespace {

using namespace std::chrono_literals;
using booking::mail::DeliveryReport;
using booking::mail::MailSender;
using booking::mail::MailSettings;
using booking::mail::SenderOptions;

const auto kNever = [] { return false; };

class Delivery : public MailTest {
  protected:
    void SetUp() override {
        MailTest::SetUp();
        sink_ = SmtpSink::fixture_or_private(work_dir() + "/sink");
    }

    MailSettings settings(int port, const std::string& transport = "smtp") {
        Config c;
        c.business.time_zone = "Europe/London";
        c.mail.transport = transport;
        c.mail.from = "Example Studio <bookings@example.com>";
        c.mail.spool_dir = work_dir() + "/spool";
        c.mail.max_attempts = 3;
        c.mail.retry_base = std::chrono::seconds(60);
        c.mail.smtp.host = "127.0.0.1";
        c.mail.smtp.port = port;
        c.mail.smtp.timeout = std::chrono::seconds(5);
        return booking::mail::mail_settings(c);
    }

    std::unique_ptr<MailSender> sender(const MailSettings& s, SenderOptions options = {}) {
        return std::make_unique<MailSender>(s, booking::mail::TemplateSet::load(""),
                                            booking::mail::make_transport(s), options);
    }

    DeliveryReport deliver(MailSender& sender) {
        pqxx::connection conn(database_url());
        return sender.deliver_due(conn, kNever);
    }

    std::vector<std::string> received() const { return sink_->messages(domain_); }

    std::unique_ptr<SmtpSink> sink_;
};

TEST_F(Delivery, SendsEveryDueEmailOnceAndRecordsIt) {
    const long long b = booking_in(30);
    const long long confirmation = queue(b, "confirmation");
    const long long cancellation = queue(b, "cancellation");
    auto s = sender(settings(sink_->port()));
    const auto report = deliver(*s);
    EXPECT_EQ(report.sent, 2);
    EXPECT_EQ(report.claimed, 2);
    ASSERT_EQ(received().size(), 2u);
    EXPECT_EQ(status_of(confirmation), "sent");
    EXPECT_EQ(status_of(cancellation), "sent");
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE sent_at IS NOT NULL AND attempts = 1 "
                     "AND last_error IS NULL"),
              2);
    // Nothing is due any more: a second run sends nothing.
    EXPECT_EQ(deliver(*s).claimed, 0);
    EXPECT_EQ(received().size(), 2u);

    const auto first = inspect(received()[0]);
    EXPECT_TRUE(first["defects"].empty()) << first.dump();
    EXPECT_EQ(header(first, "Subject").rfind("Booking confirmed", 0), 0u);
    EXPECT_EQ(header(first, "To"), "Ann <ann@" + domain_ + ">");
    const auto meta = nlohmann::json::parse(
        read_text(received()[0].substr(0, received()[0].size() - 4) + ".json"));
    EXPECT_EQ(meta["mail_from"], "bookings@example.com");
    EXPECT_EQ(meta["rcpt_tos"], nlohmann::json::array({"ann@" + domain_}));
    const auto second = inspect(received()[1]);
    EXPECT_EQ(header(second, "Subject").rfind("Booking cancelled", 0), 0u);
    EXPECT_EQ(second["parts"][1]["calendar"]["method"], "CANCEL");
}

TEST_F(Delivery, OneConnectionCarriesTheBatch) {
    queue_confirmations(30);
    SmtpSink own(work_dir() + "/own");
    auto s = sender(settings(own.port()));
    EXPECT_EQ(deliver(*s).sent, 30);
    EXPECT_EQ(own.messages(domain_).size(), 30u);
    EXPECT_EQ(own.stats().connections, 1);
    EXPECT_EQ(s->transport().stats().connections, 1);
}

TEST_F(Delivery, ServerDownMeansRetriesWithBackoffThenFailedAndKept) {
    const long long b = booking_in(30);
    const long long id = queue(b, "confirmation");
    const int closed_port = unused_port();
    auto s = sender(settings(closed_port));
    auto report = deliver(*s);
    EXPECT_EQ(report.retried, 1);
    EXPECT_EQ(status_of(id), "pending");
    EXPECT_EQ(number("SELECT attempts FROM emails WHERE id = " + std::to_string(id)), 1);
    EXPECT_NE(text("SELECT last_error FROM emails WHERE id = " + std::to_string(id))
                  .find("127.0.0.1:" + std::to_string(closed_port)),
              std::string::npos);
    // retry_base is 60 s: the next attempt is a minute away, then two.
    auto seconds_to_next = [&] {
        return number(
            "SELECT round(extract(epoch FROM next_attempt_at - now()))::int FROM emails "
            "WHERE id = " +
            std::to_string(id));
    };
    EXPECT_GE(seconds_to_next(), 50);
    EXPECT_LE(seconds_to_next(), 60);
    EXPECT_EQ(deliver(*s).claimed, 0) << "not due before its next attempt";

    auto make_due = [&] {
        pqxx::work tx(db());
        tx.exec0("UPDATE emails SET next_attempt_at = now()");
        tx.commit();
    };
    make_due();
    deliver(*s);
    EXPECT_GE(seconds_to_next(), 110);
    EXPECT_LE(seconds_to_next(), 120);
    make_due();
    report = deliver(*s);  // the third of max_attempts = 3
    EXPECT_EQ(report.failed, 1);
    EXPECT_EQ(status_of(id), "failed");

    // Kept, and sent once staff retry it and the server answers.
    ASSERT_TRUE(ExitedWith(ctl({"mail", "retry", "--all-failed"}), kOk));
    SmtpSink back(work_dir() + "/back", closed_port);
    EXPECT_EQ(deliver(*s).sent, 1);
    EXPECT_EQ(status_of(id), "sent");
    EXPECT_EQ(back.messages(domain_).size(), 1u);
}

TEST_F(Delivery, AnUnreachableServerCountsOneAttemptForTheWholeBatch) {
    queue_confirmations(5);
    const auto before = std::chrono::steady_clock::now();
    auto s = sender(settings(unused_port()));
    const auto report = deliver(*s);
    EXPECT_EQ(report.retried, 5);
    EXPECT_EQ(s->transport().stats().connections, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE attempts = 1 AND status = 'pending'"), 5);
}

TEST_F(Delivery, PermanentRefusalFailsAtOnceTemporaryOneRetriesOthersStillGo) {
    SmtpSink picky(work_dir() + "/picky", 0,
                   {"--reject-rcpt", "nobody@", "--tempfail-rcpt", "later@"});
    const long long b = booking_in(30);
    const long long good1 = queue(b, "confirmation");
    const long long nobody = queue(b, "rescheduled");
    const long long later = queue(b, "cancellation");
    const long long good2 = queue(b, "reminder");
    {
        pqxx::work tx(db());
        tx.exec_params0("UPDATE emails SET recipient = $2 WHERE id = $1", nobody,
                        "nobody@" + domain_);
        tx.exec_params0("UPDATE emails SET recipient = $2 WHERE id = $1", later,
                        "later@" + domain_);
        tx.commit();
    }
    auto s = sender(settings(picky.port()));
    const auto report = deliver(*s);
    EXPECT_EQ(report.sent, 2);
    EXPECT_EQ(report.failed, 1);
    EXPECT_EQ(report.retried, 1);
    EXPECT_EQ(status_of(good1), "sent");
    EXPECT_EQ(status_of(good2), "sent");
    EXPECT_EQ(status_of(nobody), "failed");
    EXPECT_NE(
        text("SELECT last_error FROM emails WHERE id = " + std::to_string(nobody)).find("550"),
        std::string::npos);
    EXPECT_EQ(status_of(later), "pending");
    EXPECT_NE(text("SELECT last_error FROM emails WHERE id = " + std::to_string(later)).find("451"),
              std::string::npos);
    EXPECT_EQ(picky.messages(domain_).size(), 2u);
    EXPECT_EQ(picky.stats().connections, 1) << "the connection survives a refused recipient";
}

TEST_F(Delivery, RemindersOfCancelledMovedOrBegunBookingsAreSkippedNotSent) {
    const long long cancelled = booking_in(5);
    const long long moved = booking_in(6);
    const long long fine = booking_in(7);
    const long long r_cancelled = queue(cancelled, "reminder");
    const long long r_moved = queue(moved, "reminder");
    const long long r_fine = queue(fine, "reminder");
    {
        pqxx::work tx(db());
        tx.exec_params0(
            "UPDATE bookings SET status = 'cancelled', cancelled_at = now() WHERE id = $1",
            cancelled);
        tx.exec_params0(
            "UPDATE bookings SET starts_at = starts_at + interval '1 day', ends_at = ends_at + "
            "interval '1 day', blocked_until = blocked_until + interval '1 day' WHERE id = $1",
            moved);
        tx.commit();
    }
    auto s = sender(settings(sink_->port()));
    const auto report = deliver(*s);
    EXPECT_EQ(report.sent, 1);
    EXPECT_EQ(report.skipped, 2);
    EXPECT_EQ(status_of(r_cancelled), "skipped");
    EXPECT_EQ(status_of(r_moved), "skipped");
    EXPECT_EQ(status_of(r_fine), "sent");
    ASSERT_EQ(received().size(), 1u);
    EXPECT_EQ(header(inspect(received()[0]), "Subject").rfind("Reminder:", 0), 0u);
}

TEST_F(Delivery, TwoSendersNeverSendTheSameEmail) {
    queue_confirmations(200);
    SmtpSink own(work_dir() + "/own", 0, {"--delay", "0.002"});
    auto a = sender(settings(own.port()), SenderOptions{20, 10000ms});
    auto b = sender(settings(own.port()), SenderOptions{20, 10000ms});
    DeliveryReport ra, rb;
    std::thread ta([&] { ra = deliver(*a); });
    std::thread tb([&] { rb = deliver(*b); });
    ta.join();
    tb.join();
    EXPECT_EQ(ra.sent + rb.sent, 200);
    EXPECT_GT(ra.sent, 0);
    EXPECT_GT(rb.sent, 0);
    const auto counts = message_id_counts(own.messages(domain_));
    EXPECT_EQ(counts.size(), 200u);
    for (const auto& [id, n] : counts) EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE status = 'sent' AND attempts = 1"), 200);
}

TEST_F(Delivery, EmailsHeldByASenderThatDiesAreSentByAnother) {
    queue_confirmations(10);
    // A sender claims every due email and dies (its connection goes away)
    // without recording anything.
    auto dying = std::make_unique<pqxx::connection>(database_url());
    {
        pqxx::work claim(*dying);
        EXPECT_EQ(
            claim.exec("SELECT id FROM emails WHERE status = 'pending' FOR UPDATE SKIP LOCKED")
                .size(),
            10u);
        auto s = sender(settings(sink_->port()));
        EXPECT_EQ(deliver(*s).claimed, 0) << "held rows are skipped, not waited for";
        // ~work without commit, then the connection closes: as after a crash.
    }
    dying.reset();
    auto s = sender(settings(sink_->port()));
    EXPECT_EQ(deliver(*s).sent, 10);
    EXPECT_EQ(received().size(), 10u);
}

TEST_F(Delivery, StopIsHonouredBetweenEmails) {
    queue_confirmations(10);
    auto s = sender(settings(sink_->port()));
    pqxx::connection conn(database_url());
    int asked = 0;
    const auto report = s->deliver_due(conn, [&] { return ++asked > 3; });
    EXPECT_EQ(report.sent, 3);
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE status = 'pending' AND attempts = 0"), 7);
}

TEST_F(Delivery, FileTransportWritesOneCompleteMessagePerEmail) {
    const long long b = booking_in(30);
    const long long id = queue(b, "confirmation");
    queue(b, "cancellation");
    auto s = sender(settings(0, "file"));
    EXPECT_EQ(deliver(*s).sent, 2);
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(work_dir() + "/spool"))
        files.push_back(entry.path().filename().string());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 2u) << "no temporary files left behind";
    EXPECT_EQ(files[0], "email-" + std::to_string(id) + ".eml");
    const auto summary = inspect(work_dir() + "/spool/" + files[0]);
    EXPECT_TRUE(summary["defects"].empty());
    EXPECT_EQ(summary["parts"].size(), 2u);
    EXPECT_EQ(summary["parts"][1]["calendar"]["method"], "REQUEST");
}

class SecureDelivery : public Delivery {
  protected:
    void SetUp() override {
        Delivery::SetUp();
        std::tie(cert_, key_) = make_certificate(work_dir());
        // The test's own CA for OpenSSL's default verify paths.
        ::setenv("SSL_CERT_FILE", cert_.c_str(), 1);
    }
    void TearDown() override {
        ::unsetenv("SSL_CERT_FILE");
        Delivery::TearDown();
    }
    MailSettings secure(int port, const std::string& tls, const std::string& password) {
        auto s = settings(port);
        s.smtp.tls = tls;
        s.smtp.username = "mailer";
        s.smtp.password = password;
        return s;
    }
    std::string cert_, key_;
};

TEST_F(SecureDelivery, StartTlsWithAuth) {
    SmtpSink tls_sink(work_dir() + "/starttls", 0,
                      {"--starttls", cert_, key_, "--auth", "mailer:s3cret"});
    queue(booking_in(30), "confirmation");
    auto s = sender(secure(tls_sink.port(), "starttls", "s3cret"));
    EXPECT_EQ(deliver(*s).sent, 1);
    EXPECT_EQ(tls_sink.messages(domain_).size(), 1u);
}

TEST_F(SecureDelivery, ImplicitTlsWithAuth) {
    SmtpSink tls_sink(work_dir() + "/tls", 0,
                      {"--implicit-tls", cert_, key_, "--auth", "mailer:s3cret"});
    queue(booking_in(30), "confirmation");
    auto s = sender(secure(tls_sink.port(), "tls", "s3cret"));
    EXPECT_EQ(deliver(*s).sent, 1);
    EXPECT_EQ(tls_sink.messages(domain_).size(), 1u);
}

TEST_F(SecureDelivery, WrongPasswordOrUntrustedCertificateIsARetryNotASend) {
    SmtpSink tls_sink(work_dir() + "/tls", 0,
                      {"--implicit-tls", cert_, key_, "--auth", "mailer:s3cret"});
    const long long id = queue(booking_in(30), "confirmation");
    auto wrong = sender(secure(tls_sink.port(), "tls", "wrong"));
    EXPECT_EQ(deliver(*wrong).retried, 1);
    EXPECT_EQ(status_of(id), "pending");
    const std::string error =
        text("SELECT last_error FROM emails WHERE id = " + std::to_string(id));
    EXPECT_NE(error.find("535"), std::string::npos) << error;
    EXPECT_EQ(error.find("wrong"), std::string::npos) << "the password never reaches last_error";

    ::setenv("SSL_CERT_FILE", "/nonexistent", 1);
    {
        pqxx::work tx(db());
        tx.exec0("UPDATE emails SET next_attempt_at = now()");
        tx.commit();
    }
    auto untrusting = sender(secure(tls_sink.port(), "tls", "s3cret"));
    EXPECT_EQ(deliver(*untrusting).retried, 1);
    EXPECT_EQ(tls_sink.messages(domain_).size(), 0u);
}

TEST_F(SecureDelivery, StartTlsRequiredButNotOfferedIsRefused) {
    SmtpSink plain(work_dir() + "/plain");
    queue(booking_in(30), "confirmation");
    auto s = settings(plain.port());
    s.smtp.tls = "starttls";
    auto snd = sender(s);
    EXPECT_EQ(deliver(*snd).retried, 1);
    EXPECT_EQ(plain.messages(domain_).size(), 0u);
    EXPECT_NE(text("SELECT last_error FROM emails").find("STARTTLS"), std::string::npos);
}

}  // namespace
}  // namespace booking::test::mail
