// bookingctl mail list | retry against a real PostgreSQL: the outbox as staff
// see it, and failed emails put back in the queue.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/mail_sink.hpp"

namespace booking::test::mail {
namespace {

class MailCli : public MailTest {
  protected:
    void set_status(long long email, const std::string& status, int attempts,
                    const std::string& error = "") {
        pqxx::work tx(db());
        tx.exec_params0(
            "UPDATE emails SET status = $2, attempts = $3, last_error = nullif($4, ''), "
            "sent_at = CASE WHEN $2 = 'sent' THEN now() END, "
            "next_attempt_at = now() + interval '1 hour' WHERE id = $1",
            email, status, attempts, error);
        tx.commit();
    }
};

TEST_F(MailCli, ListShowsTheOutboxOldestFirstAndFiltersByStatus) {
    const long long b = booking_in(30);
    const long long confirmation = queue(b, "confirmation");
    const long long cancellation = queue(b, "cancellation");
    set_status(confirmation, "sent", 1);

    auto json = ctl({"--format", "json", "mail", "list"});
    ASSERT_TRUE(ExitedWith(json, kOk));
    auto all = json_of(json);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0]["id"], confirmation);
    EXPECT_EQ(all[0]["kind"], "confirmation");
    EXPECT_EQ(all[0]["status"], "sent");
    EXPECT_TRUE(all[0]["sent_at"].is_string());
    EXPECT_TRUE(all[0]["next_attempt_at"].is_null());
    EXPECT_EQ(all[1]["id"], cancellation);
    EXPECT_EQ(all[1]["booking_id"], b);
    EXPECT_EQ(all[1]["recipient"], "ann@" + domain_);
    EXPECT_EQ(all[1]["status"], "pending");
    EXPECT_EQ(all[1]["attempts"], 0);
    EXPECT_TRUE(all[1]["next_attempt_at"].is_string());
    EXPECT_TRUE(all[1]["last_error"].is_null());
    for (const char* field : {"booking_start", "sequence", "created_at"})
        EXPECT_TRUE(all[1].contains(field)) << field;

    auto pending = json_of(ctl({"--format", "json", "mail", "list", "--status", "pending"}));
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0]["id"], cancellation);

    auto table = ctl({"mail", "list"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    const auto lines = lines_of(table.out);
    ASSERT_EQ(lines.size(), 3u) << table.out;
    EXPECT_EQ(lines[0].rfind("ID", 0), 0u) << lines[0];
    for (const auto& line : lines) EXPECT_LE(display_width(line), 80u) << line;

    auto csv = ctl({"--format", "csv", "mail", "list", "--booking", std::to_string(b)});
    ASSERT_TRUE(ExitedWith(csv, kOk));
    EXPECT_EQ(lines_of(csv.out).at(0),
              "id,kind,booking_id,recipient,booking_start,sequence,status,attempts,next_attempt_at,"
              "sent_at,last_error,created_at");
    EXPECT_EQ(lines_of(csv.out).size(), 3u);

    EXPECT_TRUE(FailedWith(ctl({"mail", "list", "--status", "lost"}), kUsage));
}

TEST_F(MailCli, RetryPutsAFailedEmailBackWithFreshAttempts) {
    const long long b = booking_in(30);
    const long long failed = queue(b, "confirmation");
    set_status(failed, "failed", 8, "SMTP server x:25: Connection refused");

    auto run = ctl({"--format", "json", "mail", "retry", std::to_string(failed)});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto email = json_of(run);
    EXPECT_EQ(email["id"], failed);
    EXPECT_EQ(email["status"], "pending");
    EXPECT_EQ(email["attempts"], 0);
    EXPECT_NE(run.err.find("queued to be sent again"), std::string::npos) << run.err;
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE id = " + std::to_string(failed) +
                     " AND status = 'pending' AND attempts = 0 AND next_attempt_at <= now()"),
              1);

    // Pending already: nothing to do, and said so.
    auto again = ctl({"mail", "retry", std::to_string(failed)});
    ASSERT_TRUE(ExitedWith(again, kOk));
    EXPECT_NE(again.err.find("pending already"), std::string::npos) << again.err;
}

TEST_F(MailCli, RetryRefusesSentUnknownAndMalformed) {
    const long long b = booking_in(30);
    const long long sent = queue(b, "confirmation");
    set_status(sent, "sent", 1);
    const std::string before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"mail", "retry", std::to_string(sent)}), kConflict));
    EXPECT_TRUE(FailedWith(ctl({"mail", "retry", "999999"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"mail", "retry", "abc"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"mail", "retry"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"mail", "retry", std::to_string(sent), "--all-failed"}), kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(MailCli, RetryAllFailedRequeuesEveryFailedEmailOnly) {
    const long long b = booking_in(30);
    const long long f1 = queue(b, "confirmation");
    const long long f2 = queue(b, "rescheduled");
    const long long sent = queue(b, "cancellation");
    set_status(f1, "failed", 8, "x");
    set_status(f2, "failed", 3, "550 no such user");
    set_status(sent, "sent", 1);

    auto run = ctl({"--format", "json", "mail", "retry", "--all-failed"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto retried = json_of(run);
    ASSERT_EQ(retried.size(), 2u);
    EXPECT_EQ(retried[0]["id"], f1);
    EXPECT_EQ(retried[1]["id"], f2);
    EXPECT_NE(run.err.find("2 emails queued to be sent again"), std::string::npos) << run.err;
    EXPECT_EQ(status_of(f1), "pending");
    EXPECT_EQ(status_of(f2), "pending");
    EXPECT_EQ(status_of(sent), "sent");

    auto none = ctl({"mail", "retry", "--all-failed"});
    ASSERT_TRUE(ExitedWith(none, kOk));
    EXPECT_NE(none.err.find("0 emails"), std::string::npos) << none.err;
}

TEST_F(MailCli, HelpHasExamples) {
    for (const char* verb : {"list", "retry"}) {
        auto help = ctl({"mail", verb, "--help"});
        ASSERT_TRUE(ExitedWith(help, kOk));
        EXPECT_NE(help.out.find("Example:\n  bookingctl mail " + std::string(verb)),
                  std::string::npos)
            << help.out;
    }
}

}  // namespace
}  // namespace booking::test::mail
