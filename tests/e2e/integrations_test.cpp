// Webhooks and calendar feeds (SPEC §9) end to end: the real bookingd and
// bookingctl, a real HTTP receiver (tests/integrations/receiver.js) whose
// signature check is npm's standardwebhooks, and feeds read over HTTP and
// parsed by python3-icalendar.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

#include "core/tokens/links.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"
#include "tests/support/wait.hpp"

namespace booking::e2e {
namespace {

using namespace std::chrono_literals;

// Polls every 100 ms: each look reads a file or asks the database.
template <class Condition>
bool wait_until(Condition&& condition, std::chrono::milliseconds timeout) {
    return test::poll_until(std::forward<Condition>(condition), timeout, 100ms);
}

// `node receiver.js` as a child process, answering `status` after `delay_ms`.
class Receiver {
  public:
    Receiver(int port, std::string secret, std::string log, int status = 200, int delay_ms = 0)
        : port_(port), log_(std::move(log)) {
        // Everything the child needs is made before fork(): between fork and
        // exec a child of a threaded process may only make async-signal-safe calls.
        std::vector<std::string> args{
            "node",
            std::string(BOOKING_SOURCE_DIR) + "/tests/integrations/receiver.js",
            std::to_string(port),
            secret,
            log_,
            std::to_string(status),
            std::to_string(delay_ms)};
        std::vector<std::string> env{std::string("NODE_PATH=") + BOOKING_NODE_MODULES};
        for (char** e = environ; *e; ++e)
            if (std::string_view(*e).rfind("NODE_PATH=", 0) != 0) env.emplace_back(*e);
        auto pointers = [](std::vector<std::string>& strings) {
            std::vector<char*> out;
            for (auto& s : strings) out.push_back(s.data());
            out.push_back(nullptr);
            return out;
        };
        auto argv = pointers(args), envp = pointers(env);
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int null = ::open("/dev/null", O_RDWR);
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::execvpe("node", argv.data(), envp.data());
            ::_exit(127);
        }
        const bool up = wait_until(
            [&] {
                try {
                    RawConnection probe(port_);
                    return true;
                } catch (const std::exception&) {
                    return false;
                }
            },
            20s);
        if (!up) throw std::runtime_error("the receiver did not start on port " + p());
    }
    ~Receiver() { stop(); }
    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }
    // Every request received so far.
    std::vector<nlohmann::json> received() const {
        std::vector<nlohmann::json> out;
        std::ifstream in(log_);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.push_back(nlohmann::json::parse(line));
        return out;
    }

  private:
    std::string p() const { return std::to_string(port_); }
    int port_;
    std::string log_;
    pid_t pid_ = -1;
};

class IntegrationsTest : public E2eTest {
  protected:
    std::map<std::string, std::string> settings(bool allow_private = true) {
        return {{"webhooks.allow_private", allow_private ? "true" : "false"},
                {"site.public_url", "\"https://book.example\""}};
    }

    test::ProcessResult ctl(const std::vector<std::string>& args) {
        std::vector<std::string> argv{BOOKINGCTL_PATH, "--config", daemon().config_path()};
        argv.insert(argv.end(), args.begin(), args.end());
        test::ProcessOptions options;
        options.env = {{"BOOKING_DATABASE_URL", std::nullopt}};
        return test::run_process(argv, options);
    }

    // webhooks add URL --events ... --format json: {id, secret, ...}.
    nlohmann::json add_webhook(
        const std::string& url,
        const std::string& events = "booking.created,booking.cancelled,booking.rescheduled") {
        auto r = ctl({"webhooks", "add", url, "--events", events, "--format", "json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out);
    }

    std::string receiver_log(const std::string& name = "received") {
        return work_dir_ + "/" + name + ".jsonl";
    }

    // A second resource with the same week of slots as main, so that a burst
    // of a hundred one-hour bookings fits.
    void add_second_resource() {
        pqxx::work tx(db());
        tx.exec0("INSERT INTO resources (code, name) VALUES ('second', 'Second')");
        tx.exec0(
            "INSERT INTO slots (resource_id, starts_at, ends_at) SELECT r2.id, s.starts_at, "
            "s.ends_at FROM slots s, resources r2 WHERE r2.code = 'second'");
        tx.commit();
    }

    // The i-th of 112 free one-hour start times (8 a day on each resource).
    std::string start_number(int i) {
        const int day = 1 + (i / 16) % 7, hour = 9 + (i % 16) / 2;
        return at(day, (hour < 10 ? "0" : "") + std::to_string(hour) + ":00");
    }
};

std::set<std::string> delivered_ids(const std::vector<nlohmann::json>& received) {
    std::set<std::string> ids;
    for (const auto& r : received) ids.insert(r["id"].get<std::string>());
    return ids;
}

TEST_F(IntegrationsTest, EventsFromTheApiAndBookingctlArriveSignedAndVerify) {
    start(settings());
    const int port = test::unused_port();
    auto hook = add_webhook("http://127.0.0.1:" + std::to_string(port) + "/hooks?x=1");
    const std::string secret = hook["secret"];
    EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
    // The secret is shown once: the list does not carry it.
    EXPECT_EQ(ctl({"webhooks", "list", "--format", "json"}).out.find(secret), std::string::npos);
    Receiver receiver(port, secret, receiver_log());

    auto ann = account("ann@example.com");
    auto booked = book(ann, at(1, "10:00"));
    const long long api_id = booked["id"];
    auto cancelled = http().post_json("/v1/bookings/" + std::to_string(api_id) + "/cancel",
                                      nlohmann::json::object(), ann.auth());
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    auto created = ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                        "consultation", "--start", at(2, "11:00"), "--format", "json"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const long long cli_id = nlohmann::json::parse(created.out)["id"];
    auto moved = ctl({"bookings", "reschedule", std::to_string(cli_id), "--start", at(2, "14:00")});
    ASSERT_EQ(moved.exit_code, 0) << moved.err;
    ASSERT_EQ(ctl({"webhooks", "test", hook["id"].dump()}).exit_code, 0);

    ASSERT_TRUE(wait_until([&] { return receiver.received().size() >= 5; }, 30s))
        << receiver.received().size() << " deliveries";
    std::vector<std::pair<std::string, long long>> events;
    for (const auto& r : receiver.received()) {
        EXPECT_TRUE(r["verified"].get<bool>()) << r.dump();
        EXPECT_EQ(r["url"], "/hooks?x=1");
        EXPECT_EQ(r["content_type"], "application/json");
        const auto& payload = r["payload"];
        const std::string type = payload["type"];
        events.emplace_back(type,
                            type == "ping" ? 0 : payload["data"]["booking"]["id"].get<long long>());
        if (type != "ping") {
            EXPECT_EQ(payload["data"]["customer"]["email"], "ann@example.com");
            EXPECT_EQ(payload["data"]["customer"]["id"], ann.id);
        }
    }
    const std::vector<std::pair<std::string, long long>> expected{{"booking.created", api_id},
                                                                  {"booking.cancelled", api_id},
                                                                  {"booking.created", cli_id},
                                                                  {"booking.rescheduled", cli_id},
                                                                  {"ping", 0}};
    EXPECT_EQ(events, expected);
    // The webhook-id is the delivery's id, which bookingctl shows as sent.
    auto deliveries =
        nlohmann::json::parse(ctl({"webhooks", "deliveries", "--format", "json"}).out);
    ASSERT_EQ(deliveries.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(deliveries[i]["status"], "sent");
        EXPECT_EQ(receiver.received()[i]["id"],
                  std::to_string(deliveries[i]["id"].get<long long>()));
    }
    EXPECT_EQ(metric(http(), "bookingd_webhook_deliveries{status=\"sent\"}"), 5);
}

// Every other way a booking changes: its customer's manage link (SPEC §8),
// time off and a removed slot with --cancel-bookings. Each tells the webhook
// in the change's transaction, as the API and bookingctl do.
TEST_F(IntegrationsTest, ManageLinksTimeOffAndRemovedSlotsTellTheWebhookToo) {
    start(settings());
    const int port = test::unused_port();
    auto hook = add_webhook("http://127.0.0.1:" + std::to_string(port) + "/");
    Receiver receiver(port, hook["secret"], receiver_log());
    auto ann = account("ann@example.com");
    const long long by_link = book(ann, at(1, "10:00"))["id"];
    const long long moved_by_link = book(ann, at(1, "12:00"))["id"];
    const long long in_time_off = book(ann, at(2, "10:00"))["id"];
    const long long in_slot = book(ann, at(3, "10:00"))["id"];

    // The manage token as the confirmation email carries it.
    auto manage = [&](long long id) {
        const auto selector = pqxx::nontransaction(db())
                                  .exec_params1(
                                      "SELECT selector FROM manage_links WHERE "
                                      "booking_id = $1",
                                      id)[0]
                                  .as<std::string>();
        return Headers{
            {"Authorization",
             "Bearer " + tokens::LinkKey(kTestSecret).token(tokens::Purpose::Manage, selector)}};
    };
    auto cancelled = http().post_json("/v1/bookings/" + std::to_string(by_link) + "/cancel",
                                      nlohmann::json::object(), manage(by_link));
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    auto moved = http().post_json("/v1/bookings/" + std::to_string(moved_by_link) + "/reschedule",
                                  {{"start", at(1, "14:00")}}, manage(moved_by_link));
    ASSERT_EQ(moved.status, 200) << moved.body;
    auto time_off = ctl({"time-off", "add", "--resource", "main", "--from", at(2, "09:00"), "--to",
                         at(2, "17:00"), "--reason", "closed", "--cancel-bookings", "--yes"});
    ASSERT_EQ(time_off.exit_code, 0) << time_off.err;
    const long long slot = count(
        "SELECT s.id FROM slots s JOIN bookings b ON b.resource_id = s.resource_id AND "
        "b.starts_at >= s.starts_at AND b.ends_at <= s.ends_at WHERE b.id = " +
        std::to_string(in_slot));
    auto removed = ctl({"slots", "remove", std::to_string(slot), "--cancel-bookings", "--yes"});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;

    ASSERT_TRUE(wait_until([&] { return receiver.received().size() >= 8; }, 30s))
        << receiver.received().size() << " deliveries";
    std::vector<std::pair<std::string, long long>> events;
    for (const auto& r : receiver.received()) {
        EXPECT_TRUE(r["verified"].get<bool>()) << r.dump();
        events.emplace_back(r["payload"]["type"].get<std::string>(),
                            r["payload"]["data"]["booking"]["id"].get<long long>());
        EXPECT_EQ(r["payload"]["data"]["customer"]["email"], "ann@example.com");
    }
    const std::vector<std::pair<std::string, long long>> expected{
        {"booking.created", by_link},       {"booking.created", moved_by_link},
        {"booking.created", in_time_off},   {"booking.created", in_slot},
        {"booking.cancelled", by_link},     {"booking.rescheduled", moved_by_link},
        {"booking.cancelled", in_time_off}, {"booking.cancelled", in_slot}};
    EXPECT_EQ(events, expected);
    EXPECT_EQ(receiver.received()[5]["payload"]["data"]["booking"]["start"], at(1, "14:00"));
}

TEST_F(IntegrationsTest, AReceiverThatWasDownGetsTheDeliveryWhenItReturnsWithTheSameId) {
    start(settings());
    const int port = test::unused_port();
    auto hook = add_webhook("http://127.0.0.1:" + std::to_string(port) + "/");
    auto ann = account("ann@example.com");
    book(ann, at(1, "10:00"));
    // Nobody listens: the first attempt fails and the delivery waits for its retry.
    ASSERT_TRUE(wait_until(
        [&] {
            return count(
                       "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND "
                       "attempts >= 1") == 1;
        },
        20s));
    const std::string id = std::to_string(count("SELECT id FROM webhook_deliveries"));
    Receiver receiver(port, hook["secret"], receiver_log());
    ASSERT_TRUE(wait_until([&] { return !receiver.received().empty(); }, 30s));
    auto received = receiver.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0]["id"], id);
    EXPECT_TRUE(received[0]["verified"].get<bool>()) << received[0].dump();
    // bookingd marks it sent once the receiver's answer is back, just after
    // the receiver has recorded the request.
    EXPECT_TRUE(wait_until(
        [&] { return count("SELECT count(*) FROM webhook_deliveries WHERE status = 'sent'") == 1; },
        10s));
}

TEST_F(IntegrationsTest, EveryDeliveryOfABurstArrivesAfterBookingdIsKilledInTheMiddleOfIt) {
    add_second_resource();
    start(settings());
    const int port = test::unused_port();
    auto hook = add_webhook("http://127.0.0.1:" + std::to_string(port) + "/", "booking.created");
    Receiver receiver(port, hook["secret"], receiver_log());
    auto ann = account("ann@example.com");

    // at() asks the test's database connection, which one thread at a time may use.
    std::vector<std::string> starts;
    for (int i = 0; i < 100; ++i) starts.push_back(start_number(i));
    std::atomic<int> next{0};
    auto burst = [&](int port_of_daemon) {
        HttpClient client(port_of_daemon);
        for (int i; (i = next.fetch_add(1)) < 100;) {
            auto r = client.post_json(
                "/v1/bookings", {{"service", "consultation"}, {"start", starts[i]}}, ann.auth());
            if (r.status == 0) return;  // the daemon is gone
        }
    };
    std::thread first(burst, daemon().port());
    ASSERT_TRUE(wait_until([&] { return count("SELECT count(*) FROM bookings") >= 40; }, 60s));
    daemon().signal(SIGKILL);
    first.join();
    daemon().wait(5s);

    // The same database, a new daemon: the rest of the burst, then every delivery.
    const auto restarted = another_daemon("second", settings());
    next = static_cast<int>(count("SELECT count(*) FROM bookings"));
    burst(restarted->port());
    ASSERT_EQ(count("SELECT count(*) FROM bookings"), 100);

    ASSERT_TRUE(wait_until([&] { return delivered_ids(receiver.received()).size() >= 100; }, 120s))
        << delivered_ids(receiver.received()).size() << " of 100 delivered";
    std::set<long long> booked;
    for (const auto& r : receiver.received()) {
        EXPECT_TRUE(r["verified"].get<bool>());
        booked.insert(r["payload"]["data"]["booking"]["id"].get<long long>());
    }
    EXPECT_EQ(booked.size(), 100u);
    // Marked sent once each answer is back, just after the receiver recorded it.
    EXPECT_TRUE(wait_until(
        [&] {
            return count("SELECT count(*) FROM webhook_deliveries WHERE status = 'sent'") == 100;
        },
        10s));
}

TEST_F(IntegrationsTest, TwoDaemonsSendEachDeliveryOnce) {
    add_second_resource();
    start(settings());
    const auto other = another_daemon("other", settings());
    const int port = test::unused_port();
    auto hook = add_webhook("http://127.0.0.1:" + std::to_string(port) + "/", "booking.created");
    // A slow receiver, so that both daemons' senders are busy at once.
    Receiver receiver(port, hook["secret"], receiver_log(), 200, 50);
    auto ann = account("ann@example.com");
    HttpClient one(daemon().port()), two(other->port());
    for (int i = 0; i < 40; ++i)
        ASSERT_EQ(
            (i % 2 ? one : two)
                .post_json("/v1/bookings",
                           {{"service", "consultation"}, {"start", start_number(i)}}, ann.auth())
                .status,
            201);
    // A delivery is marked sent only after the receiver logged it and answered,
    // so once all 40 are sent every POST either daemon made for them is logged.
    ASSERT_TRUE(wait_until(
        [&] {
            return count("SELECT count(*) FROM webhook_deliveries WHERE status = 'sent'") == 40;
        },
        60s));
    const auto received = receiver.received();
    EXPECT_EQ(received.size(), 40u);
    EXPECT_EQ(delivered_ids(received).size(), 40u);
}

TEST_F(IntegrationsTest, AnEndpointAnswering410IsDisabled) {
    start(settings());
    const int port = test::unused_port();
    auto hook = add_webhook("http://127.0.0.1:" + std::to_string(port) + "/");
    const std::string id = hook["id"].dump();
    Receiver receiver(port, hook["secret"], receiver_log(), 410);
    // Two pings queued while the endpoint is off are claimed in one batch once
    // it is on: the first answer, 410, disables it, and the second is not tried.
    ASSERT_EQ(ctl({"webhooks", "disable", id}).exit_code, 0);
    ASSERT_EQ(ctl({"webhooks", "test", id}).exit_code, 0);
    ASSERT_EQ(ctl({"webhooks", "test", id}).exit_code, 0);
    ASSERT_EQ(ctl({"webhooks", "enable", id}).exit_code, 0);
    ASSERT_TRUE(wait_until(
        [&] { return count("SELECT count(*) FROM webhooks WHERE NOT enabled") == 1; }, 20s));
    auto list = nlohmann::json::parse(ctl({"webhooks", "list", "--format", "json"}).out);
    EXPECT_EQ(list[0]["enabled"], false);
    EXPECT_NE(list[0]["disabled_reason"].get<std::string>().find("410"), std::string::npos);
    auto failed = ctl({"webhooks", "deliveries", "--status", "failed", "--format", "json"});
    EXPECT_EQ(nlohmann::json::parse(failed.out).size(), 1u);
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND "
                    "attempts = 0"),
              1);
    EXPECT_EQ(receiver.received().size(), 1u);
    // A disabled endpoint is sent no new events.
    book(account("ann@example.com"), at(1, "10:00"));
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries"), 2);
}

TEST_F(IntegrationsTest, LoopbackEndpointsAreRefusedWithoutAllowPrivate) {
    start(settings(false));
    const int port = test::unused_port();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
    auto refused = ctl({"webhooks", "add", url, "--events", "booking.created"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("loopback"), std::string::npos) << refused.err;
    EXPECT_EQ(count("SELECT count(*) FROM webhooks"), 0);
    // One added while private addresses were allowed is not delivered to either.
    {
        pqxx::work tx(db());
        tx.exec0("INSERT INTO webhooks (url, secret, events) VALUES (" + tx.quote(url) +
                 ", 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{booking.created}')");
        tx.commit();
    }
    Receiver receiver(port, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", receiver_log());
    book(account("ann@example.com"), at(1, "10:00"));
    ASSERT_TRUE(wait_until(
        [&] {
            return count(
                       "SELECT count(*) FROM webhook_deliveries WHERE last_error LIKE "
                       "'%loopback%'") == 1;
        },
        20s));
    EXPECT_TRUE(receiver.received().empty());
}

// The feed parsed by python3-icalendar: the UIDs of its events, one a line.
std::string feed_uids(const std::string& ics, const std::string& dir) {
    const std::string file = write_file(dir + "/feed.ics", ics);
    auto r = test::run_process(
        {"/usr/bin/python3", "-c",
         "import sys, icalendar\n"
         "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
         "assert cal.name == 'VCALENDAR'\n"
         "for e in cal.walk('VEVENT'):\n"
         "    assert e.get('DTSTART') and e.get('SUMMARY') and e.get('DESCRIPTION')\n"
         "    print(e.get('UID'))\n",
         file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

TEST_F(IntegrationsTest, AFeedShowsNewBookingsDropsCancelledOnesAndDiesWhenRevoked) {
    start(settings());
    auto added =
        ctl({"feeds", "add", "--resource", "main", "--name", "Main's phone", "--format", "json"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const auto feed = nlohmann::json::parse(added.out);
    const std::string url = feed["url"];
    const std::string prefix = "https://book.example/feeds/";
    ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
    const std::string path = url.substr(std::string("https://book.example").size());
    const std::string token = url.substr(prefix.size(), url.size() - prefix.size() - 4);
    EXPECT_GE(token.size(), 22u);  // at least 128 bits of base64url
    EXPECT_EQ(count("SELECT count(*) FROM feeds WHERE position(convert_to(" + db().quote(token) +
                    ", 'UTF8') IN token_hash) > 0"),
              0);

    auto empty = http().get(path);
    ASSERT_EQ(empty.status, 200);
    EXPECT_EQ(empty.header("content-type").rfind("text/calendar", 0), 0u);
    EXPECT_EQ(feed_uids(empty.body, work_dir_), "");

    auto ann = account("ann@example.com");
    const long long id = book(ann, at(1, "10:00"))["id"];
    auto shown = http().get(path);
    ASSERT_EQ(shown.status, 200);
    EXPECT_NE(feed_uids(shown.body, work_dir_).find("booking-" + std::to_string(id) + "@"),
              std::string::npos);
    EXPECT_NE(shown.body.find("ann@example.com"), std::string::npos);
    const std::string etag = shown.header("etag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(http().get(path, {{"If-None-Match", etag}}).status, 304);
    // A feed of every resource names the resource of each booking.
    auto all = ctl({"feeds", "add", "--all", "--format", "json"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    const std::string all_url = nlohmann::json::parse(all.out)["url"];
    auto everyone = http().get(all_url.substr(std::string("https://book.example").size()));
    ASSERT_EQ(everyone.status, 200);
    EXPECT_NE(feed_uids(everyone.body, work_dir_).find("booking-" + std::to_string(id) + "@"),
              std::string::npos);
    EXPECT_NE(everyone.body.find("LOCATION:Main"), std::string::npos) << everyone.body;

    ASSERT_EQ(http()
                  .post_json("/v1/bookings/" + std::to_string(id) + "/cancel",
                             nlohmann::json::object(), ann.auth())
                  .status,
              200);
    auto after = http().get(path, {{"If-None-Match", etag}});
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(feed_uids(after.body, work_dir_), "");

    ASSERT_EQ(ctl({"feeds", "revoke", feed["id"].dump()}).exit_code, 0);
    EXPECT_EQ(http().get(path).status, 404);
    EXPECT_EQ(http().get("/feeds/" + std::string(32, 'A') + ".ics").status, 404);
    EXPECT_EQ(daemon().log().find(token), std::string::npos);
    EXPECT_NE(daemon().log().find("/feeds/[redacted]"), std::string::npos);
}

TEST_F(IntegrationsTest, BookingctlRefusesBadInputWithOneLineAndChangesNothing) {
    start(settings());
    auto one_line = [](const test::ProcessResult& r) {
        return std::count(r.err.begin(), r.err.end(), '\n') == 1 && r.out.empty();
    };
    auto bad_events =
        ctl({"webhooks", "add", "https://93.184.216.34/", "--events", "booking.deleted"});
    EXPECT_EQ(bad_events.exit_code, 2);
    EXPECT_TRUE(one_line(bad_events)) << bad_events.err;
    auto bad_url = ctl({"webhooks", "add", "ftp://example.com/", "--events", "booking.created"});
    EXPECT_EQ(bad_url.exit_code, 2);
    EXPECT_TRUE(one_line(bad_url)) << bad_url.err;
    EXPECT_EQ(count("SELECT count(*) FROM webhooks"), 0);
    for (const auto& verb : {"remove", "disable", "enable", "test"}) {
        auto r = ctl({"webhooks", verb, "99"});
        EXPECT_EQ(r.exit_code, 3) << verb;
        EXPECT_TRUE(one_line(r)) << r.err;
    }
    EXPECT_EQ(ctl({"webhooks", "retry", "99"}).exit_code, 3);
    EXPECT_EQ(ctl({"webhooks", "retry"}).exit_code, 2);
    EXPECT_EQ(ctl({"webhooks", "deliveries", "--status", "lost"}).exit_code, 2);
    EXPECT_EQ(ctl({"feeds", "add", "--resource", "nosuch"}).exit_code, 3);
    EXPECT_EQ(ctl({"feeds", "add"}).exit_code, 2);
    EXPECT_EQ(ctl({"feeds", "add", "--all", "--resource", "main"}).exit_code, 2);
    EXPECT_EQ(ctl({"feeds", "revoke", "99"}).exit_code, 3);
    EXPECT_EQ(count("SELECT count(*) FROM feeds"), 0);
}

}  // namespace
}  // namespace booking::e2e
