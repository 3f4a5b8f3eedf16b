// Email end to end: the real bookingd sends to a real SMTP server (aiosmtpd,
// tests/support/smtp_sink.py) what customers do over HTTP, and each message is
// read back with Python's email parser and python3-icalendar.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/fixture.hpp"
#include "tests/support/mail_sink.hpp"
#include "tests/support/wait.hpp"

namespace booking::e2e {
namespace {

using namespace std::chrono_literals;
using test::mail::header;
using test::mail::inspect;
using test::mail::SmtpSink;

std::string iso(std::string rfc3339) {
    if (!rfc3339.empty() && rfc3339.back() == 'Z') rfc3339.replace(rfc3339.size() - 1, 1, "+00:00");
    return rfc3339;
}

class MailE2e : public E2eTest {
  protected:
    void SetUp() override {
        E2eTest::SetUp();
        sink_ = std::make_unique<SmtpSink>(work_dir_ + "/sink");
    }
    void TearDown() override {
        E2eTest::TearDown();
        sink_.reset();
    }

    // The one stored message whose subject begins with `prefix`.
    nlohmann::json message_with_subject(const std::string& prefix) {
        for (const auto& file : sink_->messages()) {
            auto summary = inspect(file);
            if (header(summary, "Subject").rfind(prefix, 0) == 0) return summary;
        }
        ADD_FAILURE() << "no message with a subject beginning \"" << prefix << "\"";
        return nlohmann::json::object();
    }

    bool wait_until_sent(std::chrono::milliseconds timeout = 5000ms) {
        return test::poll_until(
            [&] { return count("SELECT count(*) FROM emails WHERE status <> 'sent'") == 0; },
            timeout, 20ms);
    }

    std::unique_ptr<SmtpSink> sink_;
};

TEST_F(MailE2e, ConfirmationArrivesWithinFiveSecondsWithACalendarThatParses) {
    start(smtp_settings(sink_->port()));
    const auto ann = account("ann@example.test");
    const auto began = std::chrono::steady_clock::now();
    const auto booking = book(ann, at(2, "10:00"));
    ASSERT_TRUE(sink_->wait_for(1, 5s)) << daemon().log();
    const auto took = std::chrono::steady_clock::now() - began;
    EXPECT_LT(took, 5s);
    std::cerr << "confirmation delivered "
              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
              << " ms after the booking\n";

    const auto m = inspect(sink_->messages().at(0));
    EXPECT_TRUE(m["defects"].empty()) << m.dump(2);
    EXPECT_FALSE(m["bare_lf"].get<bool>());
    EXPECT_EQ(header(m, "Subject").rfind("Booking confirmed", 0), 0u) << header(m, "Subject");
    EXPECT_EQ(header(m, "From"), "Example Studio <bookings@example.com>");
    EXPECT_EQ(header(m, "To"), "Test <ann@example.test>");
    EXPECT_FALSE(header(m, "Date").empty());
    const auto id = booking["id"].get<long long>();
    EXPECT_NE(header(m, "Message-ID").find("booking-" + std::to_string(id) + "@example.com"),
              std::string::npos);
    EXPECT_EQ(m["content_type"], "multipart/mixed");
    ASSERT_EQ(m["parts"].size(), 2u) << m.dump(2);
    const auto& text = m["parts"][0];
    EXPECT_EQ(text["content_type"], "text/plain");
    const std::string body = text["text"];
    for (const std::string& fact :
         {std::string("Consultation"), std::string("Main"), std::to_string(id),
          std::string("Example Studio"), std::string("Europe/London"), std::string("10:00")})
        EXPECT_NE(body.find(fact), std::string::npos) << fact << " not in\n" << body;

    const auto& ics = m["parts"][1];
    EXPECT_EQ(ics["content_type"], "text/calendar");
    EXPECT_EQ(ics["params"]["method"], "REQUEST");
    EXPECT_EQ(ics["disposition"], "attachment");
    const auto& calendar = ics["calendar"];
    EXPECT_EQ(calendar["method"], "REQUEST");
    ASSERT_EQ(calendar["events"].size(), 1u);
    const auto& event = calendar["events"][0];
    EXPECT_EQ(event["uid"], "booking-" + std::to_string(id) + "@example.com");
    EXPECT_EQ(event["sequence"], 0);
    EXPECT_EQ(event["status"], "CONFIRMED");
    EXPECT_EQ(event["dtstart"], iso(booking["start"]));
    EXPECT_EQ(event["dtend"], iso(booking["end"]));
    EXPECT_EQ(event["attendee"], "mailto:ann@example.test");

    // Marked sent once the server's answer is back, just after the sink has the message.
    EXPECT_TRUE(wait_until_sent()) << daemon().log();
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE status = 'sent' AND sent_at IS NOT NULL"),
              1);
    EXPECT_NE(daemon().log().find("sent to ann@example.test via smtp"), std::string::npos);
}

TEST_F(MailE2e, RescheduleAndCancellationCarryMethodAndRisingSequence) {
    start(smtp_settings(sink_->port()));
    const auto ann = account("ann@example.test");
    const auto booking = book(ann, at(2, "10:00"));
    const std::string id = std::to_string(booking["id"].get<long long>());
    auto moved = http().post_json("/v1/bookings/" + id + "/reschedule", {{"start", at(3, "14:00")}},
                                  ann.auth());
    ASSERT_EQ(moved.status, 200) << moved.body;
    auto cancelled =
        http().post_json("/v1/bookings/" + id + "/cancel", nlohmann::json::object(), ann.auth());
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    ASSERT_TRUE(sink_->wait_for(3, 10s)) << daemon().log();

    const auto confirmed = message_with_subject("Booking confirmed");
    const auto rescheduled = message_with_subject("Booking rescheduled");
    const auto cancellation = message_with_subject("Booking cancelled");
    const auto& c = confirmed["parts"][1]["calendar"];
    const auto& r = rescheduled["parts"][1]["calendar"];
    const auto& x = cancellation["parts"][1]["calendar"];
    EXPECT_EQ(c["method"], "REQUEST");
    EXPECT_EQ(r["method"], "REQUEST");
    EXPECT_EQ(x["method"], "CANCEL");
    EXPECT_EQ(cancellation["parts"][1]["params"]["method"], "CANCEL");
    EXPECT_EQ(c["events"][0]["sequence"], 0);
    EXPECT_EQ(r["events"][0]["sequence"], 1);
    EXPECT_EQ(x["events"][0]["sequence"], 2);
    EXPECT_EQ(x["events"][0]["status"], "CANCELLED");
    EXPECT_EQ(c["events"][0]["uid"], r["events"][0]["uid"]);
    EXPECT_EQ(c["events"][0]["uid"], x["events"][0]["uid"]);
    EXPECT_EQ(c["events"][0]["dtstart"], iso(booking["start"]));
    EXPECT_EQ(r["events"][0]["dtstart"], iso(moved.json()["start"]));
    EXPECT_EQ(x["events"][0]["dtstart"], iso(moved.json()["start"]));
    // The rescheduled email's text names the new time.
    EXPECT_NE(rescheduled["parts"][0]["text"].get<std::string>().find("14:00"), std::string::npos);
}

TEST_F(MailE2e, HostileNamesAndNotesMakeAWellFormedMessage) {
    start(smtp_settings(sink_->port()));
    const auto eve = account("eve@example.test");
    {
        // The API refuses control characters in names; older rows or other
        // tools may not have, so the database gets the worst directly.
        pqxx::work tx(db());
        tx.exec_params0("UPDATE users SET name = $2 WHERE id = $1", eve.id,
                        "Eve\r\nBcc: victim@example.com\r\n\r\n--MIME_boundary_0123456789\r\n"
                        "Content-Type: text/html");
        tx.commit();
    }
    auto r = http().post_json(
        "/v1/bookings",
        {{"service", "consultation"},
         {"start", at(2, "11:00")},
         {"notes",
          "see you\r\n--MIME_boundary_0123456789--\r\nContent-Type: text/html\r\n\r\n<b>"}},
        eve.auth());
    ASSERT_EQ(r.status, 201) << r.body;
    ASSERT_TRUE(sink_->wait_for(1, 5s)) << daemon().log();
    const std::string file = sink_->messages().at(0);
    const auto m = inspect(file);
    EXPECT_TRUE(m["defects"].empty()) << m.dump(2);
    std::multiset<std::string> names;
    for (const auto& n : m["raw_header_names"]) names.insert(n.get<std::string>());
    EXPECT_EQ(names.count("Bcc"), 0u);
    EXPECT_EQ(names.count("Content-Type"), 1u);
    EXPECT_EQ(names.count("To"), 1u);
    EXPECT_EQ(header(m, "To"),
              "\"Eve Bcc: victim@example.com --MIME_boundary_0123456789 Content-Type: text/html\" "
              "<eve@example.test>");
    ASSERT_EQ(m["parts"].size(), 2u) << m.dump(2);
    EXPECT_EQ(m["parts"][0]["content_type"], "text/plain");
    EXPECT_EQ(m["parts"][1]["content_type"], "text/calendar");
    EXPECT_EQ(m["parts"][1]["calendar"]["events"].size(), 1u);
    const auto envelope =
        nlohmann::json::parse(test::mail::read_text(file.substr(0, file.size() - 4) + ".json"));
    EXPECT_EQ(envelope["rcpt_tos"], nlohmann::json::array({"eve@example.test"}));
    EXPECT_TRUE(sink_->messages("example.com").empty()) << "nothing went to the Bcc victim";
}

TEST_F(MailE2e, FileTransportSpoolsOneCompleteMessagePerEmail) {
    const std::string spool = work_dir_ + "/spool";
    start({{"mail.transport", "\"file\""}, {"mail.spool_dir", "\"" + spool + "\""}});
    const auto ann = account("ann@example.test");
    const auto booking = book(ann, at(2, "10:00"));
    // A watcher of the spool sees complete messages only: *.eml appear by
    // rename; the temporary file is hidden (a dot file) until then.
    auto complete = [&] {
        std::vector<std::string> found;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(spool, ec))
            if (e.path().extension() == ".eml" && e.path().filename().string()[0] != '.')
                found.push_back(e.path().string());
        return found;
    };
    std::vector<std::string> files;
    test::poll_until(
        [&] {
            files = complete();
            return !files.empty();
        },
        5s, 20ms);
    ASSERT_TRUE(wait_until_sent());
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(spool),
                            std::filesystem::directory_iterator()),
              1)
        << "no temporary file is left behind";
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(std::filesystem::path(files[0]).extension(), ".eml");
    const auto m = inspect(files[0]);
    EXPECT_TRUE(m["defects"].empty());
    EXPECT_EQ(header(m, "Subject").rfind("Booking confirmed", 0), 0u);
    EXPECT_EQ(m["parts"][1]["calendar"]["events"][0]["uid"],
              "booking-" + std::to_string(booking["id"].get<long long>()) + "@example.com");
}

// A calendar app matches the API's .ics with the emails' attachments by UID:
// both take the host from mail.from the same way, whatever whitespace it has.
TEST_F(MailE2e, TheApiCalendarAndTheEmailCarryTheSameUid) {
    auto settings = smtp_settings(sink_->port());
    settings["mail.from"] = "\"Studio <bookings@studio.example\\t>\"";
    start(settings);
    const auto ann = account("ann@example.test");
    const auto booking = book(ann, at(2, "10:00"));
    const auto id = std::to_string(booking["id"].get<long long>());
    ASSERT_TRUE(sink_->wait_for(1, 5s)) << daemon().log();
    const auto m = inspect(sink_->messages().at(0));
    const std::string email_uid = m["parts"][1]["calendar"]["events"][0]["uid"];
    EXPECT_EQ(email_uid, "booking-" + id + "@studio.example");

    const auto ics = http().get("/v1/bookings/" + id + "/ics", ann.auth());
    ASSERT_EQ(ics.status, 200) << ics.body;
    const auto at_uid = ics.body.find("\r\nUID:");
    ASSERT_NE(at_uid, std::string::npos) << ics.body;
    const auto end = ics.body.find("\r\n", at_uid + 2);
    EXPECT_EQ(ics.body.substr(at_uid + 6, end - at_uid - 6), email_uid) << ics.body;
}

TEST_F(MailE2e, TemplateOverridesAreUsedAndBrokenOnesStopTheStart) {
    const std::string templates = work_dir_ + "/templates";
    std::filesystem::create_directories(templates);
    std::ofstream(templates + "/confirmation.txt")
        << "# ours\nSubject: Booking confirmed - see you {{date}}\n\nDear {{customer_name}}, "
           "booking {{booking_id}} at {{business}}.\n";
    auto settings = smtp_settings(sink_->port());
    settings["mail.templates_dir"] = "\"" + templates + "\"";
    start(settings);
    const auto ann = account("ann@example.test");
    book(ann, at(2, "10:00"));
    ASSERT_TRUE(sink_->wait_for(1, 5s));
    const auto m = inspect(sink_->messages().at(0));
    EXPECT_EQ(header(m, "Subject").rfind("Booking confirmed - see you ", 0), 0u);
    EXPECT_EQ(m["parts"][0]["text"].get<std::string>().rfind("Dear Test, booking ", 0), 0u);

    // The same file broken: bookingd refuses to start (78) and names it.
    std::ofstream(templates + "/confirmation.txt") << "Subject: x\n\nHello {{custmer}}\n";
    const std::string config = daemon().config_path();
    for (const auto& args : {std::vector<std::string>{"--config", config},
                             std::vector<std::string>{"--config", config, "--check-config"}}) {
        const auto run = run_bookingd(args);
        EXPECT_EQ(run.exit_code, 78) << run.err;
        EXPECT_NE(run.err.find(templates + "/confirmation.txt: line 3: unknown placeholder "
                                           "{{custmer}}"),
                  std::string::npos)
            << run.err;
    }
    std::filesystem::remove(templates + "/confirmation.txt");
    std::filesystem::remove(templates);
    const auto missing = run_bookingd({"--config", config, "--check-config"});
    EXPECT_EQ(missing.exit_code, 78);
    EXPECT_NE(missing.err.find("mail.templates_dir: " + templates + ": does not exist"),
              std::string::npos)
        << missing.err;
}

TEST_F(MailE2e, BadMailSettingsStopTheStartNamingTheKey) {
    start(smtp_settings(sink_->port()));
    std::ifstream in(daemon().config_path());
    std::stringstream original;
    original << in.rdbuf();
    // The daemon's config with one line of [mail] replaced (or added).
    auto check_with = [&](const std::string& section, const std::string& key,
                          const std::string& line) {
        std::string t = original.str();
        const auto mail = t.find("[" + section + "]\n") + section.size() + 3;
        const auto at = t.find(key + " = ", mail);
        if (at != std::string::npos && at < t.find("\n[", mail))
            t.replace(at, t.find('\n', at) - at, line);
        else
            t.insert(mail, line + "\n");
        const std::string path = work_dir_ + "/changed.toml";
        std::ofstream(path) << t;
        return run_bookingd({"--config", path, "--check-config"});
    };
    auto ok = check_with("mail", "transport", "transport = \"smtp\"");
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    auto bad_from = check_with("mail", "from", "from = \"Studio <not an address>\"");
    EXPECT_EQ(bad_from.exit_code, 78);
    EXPECT_NE(bad_from.err.find("mail.from"), std::string::npos) << bad_from.err;
    auto no_password = check_with("mail.smtp", "username", "username = \"mailer\"");
    EXPECT_EQ(no_password.exit_code, 78);
    EXPECT_NE(no_password.err.find("mail.smtp.password_file"), std::string::npos)
        << no_password.err;
}

TEST_F(MailE2e, RemindersAreQueuedAndSentOnceByTheScheduler) {
    auto settings = smtp_settings(sink_->port());
    settings["reminders.enabled"] = "true";
    settings["reminders.interval"] = "\"1s\"";
    const auto ann = [&] {
        start(settings);
        return account("ann@example.test");
    }();
    {
        // Booked three days ago for three hours from now: due for a reminder.
        pqxx::work tx(db());
        tx.exec_params0(
            "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
            "blocked_until, created_at) SELECT $1, s.id, r.id, t.at, t.at + interval '1 hour', "
            "t.at + interval '1 hour', now() - interval '3 days' FROM services s, resources r, "
            "(SELECT date_trunc('minute', now()) + interval '3 hours' AS at) t "
            "WHERE s.code = 'consultation' AND r.code = 'main'",
            ann.id);
        tx.commit();
    }
    ASSERT_TRUE(sink_->wait_for(1, 10s)) << daemon().log();
    // Two more ticks of the scheduler (and the mailer's polls between them):
    // still one reminder.
    const auto ticks = test::occurrences(daemon().log(), "reminders: queued");
    EXPECT_TRUE(test::poll_until(
        [&] { return test::occurrences(daemon().log(), "reminders: queued") >= ticks + 2; }, 20s,
        50ms));
    EXPECT_TRUE(wait_until_sent());
    EXPECT_EQ(sink_->messages().size(), 1u);
    const auto m = inspect(sink_->messages().at(0));
    EXPECT_EQ(header(m, "Subject").rfind("Reminder:", 0), 0u);
    EXPECT_EQ(m["parts"][1]["calendar"]["method"], "REQUEST");
    EXPECT_EQ(count("SELECT count(*) FROM emails WHERE kind = 'reminder'"), 1);
    EXPECT_NE(daemon().log().find("reminders: queued 1"), std::string::npos);
}

}  // namespace
}  // namespace booking::e2e
