// SPEC §2/§6 operations: flags, refusing bad configs, SIGTERM drain, SIGHUP,
// and surviving a PostgreSQL restart.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/e2e/fixture.hpp"
#include "tests/support/database.hpp"
#include "tests/support/process.hpp"
#include "tests/support/wait.hpp"

namespace booking::e2e {
namespace {

TEST(BookingdFlags, VersionAndHelp) {
    auto r = run_bookingd({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("bookingd ", 0), 0u) << r.out;
    r = run_bookingd({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* flag : {"--config", "--check-config", "--version", "--help"})
        EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
    r = run_bookingd({"--no-such-flag"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos);
}

class ConfigTest : public ::testing::Test {
  protected:
    void SetUp() override { dir_ = test::make_temp_dir("bookingd-cfg"); }
    void TearDown() override { test::remove_tree(dir_); }
    std::string dir_;
};

TEST_F(ConfigTest, CheckConfigPrintsSettingsWithoutSecrets) {
    const auto path =
        write_file(dir_ + "/ok.toml", "[auth]\njwt_secret = \"" + std::string(kTestSecret) +
                                          "\"\n[database]\nurl = \"postgresql://u:pw@h/db\"\n");
    auto r = run_bookingd({"--config", path, "--check-config"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("[server]"), std::string::npos);
    EXPECT_EQ(r.out.find(kTestSecret), std::string::npos);
    EXPECT_EQ(r.out.find("pw@"), std::string::npos);
}

TEST_F(ConfigTest, ShortSecretMissingOrInvalidConfigExit78) {
    const auto short_secret =
        write_file(dir_ + "/short.toml", "[auth]\njwt_secret = \"too short\"\n");
    auto r = run_bookingd({"--config", short_secret});
    EXPECT_EQ(r.exit_code, 78);
    EXPECT_NE(r.err.find("32 bytes"), std::string::npos) << r.err;
    r = run_bookingd({"--config", short_secret, "--check-config"});
    EXPECT_EQ(r.exit_code, 78);

    r = run_bookingd({"--config", dir_ + "/missing.toml"});
    EXPECT_EQ(r.exit_code, 78);
    EXPECT_NE(r.err.find("missing.toml"), std::string::npos) << r.err;

    const auto bad = write_file(dir_ + "/bad.toml", "[server]\nthreads = \"many\"\n");
    r = run_bookingd({"--config", bad});
    EXPECT_EQ(r.exit_code, 78);
    EXPECT_NE(r.err.find("server.threads"), std::string::npos) << r.err;

    const auto good = write_file(dir_ + "/good.toml",
                                 "[auth]\njwt_secret = \"" + std::string(kTestSecret) + "\"\n");
    r = run_bookingd({"--config", good, "--check-config"},
                     {{"BOOKING_AVAILABILITY_CACHE", "sometimes"}});
    EXPECT_EQ(r.exit_code, 78);
    EXPECT_NE(r.err.find("BOOKING_AVAILABILITY_CACHE"), std::string::npos) << r.err;

    const auto unreadable_secret = write_file(
        dir_ + "/file.toml", "[auth]\njwt_secret_file = \"" + dir_ + "/no-such-secret\"\n");
    r = run_bookingd({"--config", unreadable_secret});
    EXPECT_EQ(r.exit_code, 78);
    EXPECT_NE(r.err.find("no-such-secret"), std::string::npos) << r.err;

    // The secret from a file, or from the environment, is accepted.
    write_file(dir_ + "/secret", std::string(kTestSecret) + "\n");
    const auto from_file =
        write_file(dir_ + "/good.toml", "[auth]\njwt_secret_file = \"" + dir_ + "/secret\"\n");
    EXPECT_EQ(run_bookingd({"--config", from_file, "--check-config"}).exit_code, 0);
    EXPECT_EQ(run_bookingd({"--config", short_secret, "--check-config"},
                           {{"BOOKING_JWT_SECRET", kTestSecret}})
                  .exit_code,
              0);
}

TEST_F(E2eTest, SigtermFinishesRequestsInFlightAndExits0) {
    // Logins are slow (argon2id), so several are surely in flight at the signal.
    // One account each: at once, logins for one email beyond
    // auth.login_max_failures are refused (SPEC §3, the lockout holds under
    // concurrency).
    constexpr int kClients = 6;
    for (int i = 0; i < kClients; ++i) account("ann" + std::to_string(i) + "@example.com");
    std::vector<HttpResult> results(kClients);
    std::vector<std::thread> threads;
    std::atomic<int> sent{0};
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            HttpClient client(daemon().port());
            client.get("/healthz");
            sent.fetch_add(1);
            results[i] = client.post_json("/v1/auth/login",
                                          {{"email", "ann" + std::to_string(i) + "@example.com"},
                                           {"password", "correct horse"}});
        });
    EXPECT_TRUE(test::poll_until([&] { return sent.load() == kClients; }, std::chrono::seconds(20),
                                 std::chrono::milliseconds(1)));
    // Every login has reached the daemon: each is in flight (besides this
    // /metrics request) or already answered.
    EXPECT_TRUE(test::poll_until(
        [&] {
            const double in_flight = metric(http(), "bookingd_http_requests_in_flight") - 1;
            const double done =
                metric(http(),
                       "bookingd_http_requests_total{method=\"POST\",route=\"/v1/auth/login\","
                       "status=\"200\"}");
            return in_flight + std::max(0.0, done) >= kClients;
        },
        std::chrono::seconds(20), std::chrono::milliseconds(1)));
    daemon().signal(SIGTERM);
    for (auto& t : threads) t.join();
    EXPECT_EQ(daemon().wait(std::chrono::seconds(15)), 0) << daemon().log();
    for (const auto& r : results) EXPECT_EQ(r.status, 200) << r.error << r.body;
    // It no longer accepts connections.
    EXPECT_EQ(HttpClient(daemon().port()).get("/healthz").status, 0);
}

// A connection accepted as SIGTERM arrives can still be queued when the I/O
// threads stop, with its socket already in the context of another thread: it
// goes before any context is destroyed (it once went after, through freed
// memory: exit 1 under ASan, about one SIGTERM in three). Five rounds, each
// with clients connecting and hanging up as fast as they can, SIGTERM after
// 100, 200, ... 500 connections.
TEST_F(E2eTest, SigtermWhileClientsConnectExits0) {
    for (int round = 0; round < 5; ++round) {
        auto d = another_daemon("connecting" + std::to_string(round));  // two I/O threads
        std::atomic<bool> stop{false};
        std::atomic<int> connected{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < 4; ++i)
            clients.emplace_back([&] {
                while (!stop.load()) {
                    try {
                        RawConnection c(d->port());
                        connected.fetch_add(1);
                    } catch (const std::exception&) {  // refused once it stops listening
                    }
                }
            });
        EXPECT_TRUE(test::poll_until([&] { return connected.load() >= 100 * (round + 1); },
                                     std::chrono::seconds(20), std::chrono::milliseconds(1)));
        d->signal(SIGTERM);
        const int status = d->wait(std::chrono::seconds(15));
        stop = true;
        for (auto& t : clients) t.join();
        EXPECT_EQ(status, 0) << "round " << round << ":\n" << d->log();
    }
}

TEST_F(E2eTest, SighupReloadsLogLevel) {
    http().get("/healthz");
    ASSERT_NE(daemon().log().find("GET /healthz 200"), std::string::npos);
    std::string config;
    {
        std::ifstream in(daemon().config_path());
        config.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto pos = config.find("level = \"info\"");
    ASSERT_NE(pos, std::string::npos) << config;
    config.replace(pos, 14, "level = \"warn\"");
    write_file(daemon().config_path(), config);
    daemon().signal(SIGHUP);
    ASSERT_TRUE(
        test::poll_until([&] { return test::occurrences(daemon().log(), "SIGHUP: reloaded") == 1; },
                         std::chrono::seconds(10), std::chrono::milliseconds(20)))
        << daemon().log();
    http().get("/readyz");
    // A second reload logs at warn after the request's line would have been
    // written: once it is there, the log is complete up to it.
    daemon().signal(SIGHUP);
    ASSERT_TRUE(
        test::poll_until([&] { return test::occurrences(daemon().log(), "SIGHUP: reloaded") == 2; },
                         std::chrono::seconds(10), std::chrono::milliseconds(20)))
        << daemon().log();
    EXPECT_EQ(daemon().log().find("GET /readyz"), std::string::npos) << daemon().log();
}

TEST_F(E2eTest, JsonLogFormatWritesOneObjectALine) {
    start({{"log.format", "\"json\""}});
    http().get("/healthz", {{"X-Request-Id", "json-\"quoted"}});
    http().get("/v1/\x01odd");
    std::istringstream lines(daemon().log());
    int objects = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        const auto value = nlohmann::json::parse(line, nullptr, false);
        ASSERT_TRUE(value.is_object()) << line;
        EXPECT_TRUE(value.contains("time") && value.contains("level") && value.contains("msg"))
            << line;
        ++objects;
    }
    EXPECT_GE(objects, 3);
}

// A private PostgreSQL cluster, so that stopping it disturbs no other test.
class DatabaseRestartTest : public ::testing::Test {
  protected:
    void SetUp() override {
        state_ = test::make_temp_dir("bookingd-pg-state");
        auto r = test::run_process({PG_CLUSTER_SCRIPT, "start", state_});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        std::ifstream env(state_ + "/env");
        for (std::string line; std::getline(env, line);) {
            const auto eq = line.find('=');
            vars_[line.substr(0, eq)] = line.substr(eq + 1);
        }
        url_ =
            "postgresql://postgres@/postgres?host=" + vars_["PGHOST"] + "&port=" + vars_["PGPORT"];
        work_ = test::make_temp_dir("bookingd-e2e-pg");
        const auto config = write_file(work_ + "/ctl.toml", "[database]\nurl = \"" + url_ + "\"\n");
        r = test::run_process({BOOKINGCTL_PATH, "--config", config, "db", "migrate"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    void TearDown() override {
        daemon_.reset();
        test::run_process({PG_CLUSTER_SCRIPT, "stop", state_});
        test::remove_tree(state_);
        test::remove_tree(work_);
    }
    int pg_ctl(const std::string& action) {
        std::vector<std::string> argv{
            vars_["PG_BIN"] + "/pg_ctl", "-D", vars_["PG_DATA"], "-w", "-m", "fast"};
        if (action == "start")
            argv = {vars_["PG_BIN"] + "/pg_ctl",
                    "-D",
                    vars_["PG_DATA"],
                    "-w",
                    "-l",
                    vars_["PG_CLUSTER_DIR"] + "/server.log"};
        argv.push_back(action);
        if (::geteuid() == 0)
            argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
        return test::run_process(argv).exit_code;
    }
    std::string state_, work_, url_;
    std::map<std::string, std::string> vars_;
    std::unique_ptr<Daemon> daemon_;
};

TEST_F(DatabaseRestartTest, Answers503WhileDownAndRecoversByItself) {
    daemon_ = std::make_unique<Daemon>(work_, DaemonOptions{{}, url_});
    HttpClient http(daemon_->port());
    ASSERT_EQ(http.get("/readyz").status, 200);
    ASSERT_EQ(http.get("/v1/services").status, 200);

    const auto wait_for_cache = [&](int enabled) {
        test::poll_until(
            [&] { return metric(http, "bookingd_availability_cache_enabled") == enabled; },
            std::chrono::seconds(10), std::chrono::milliseconds(20));
        return metric(http, "bookingd_availability_cache_enabled");
    };
    EXPECT_EQ(wait_for_cache(1), 1);

    ASSERT_EQ(pg_ctl("stop"), 0);
    // Changes made while it cannot listen would be missed: no answers from memory.
    EXPECT_EQ(wait_for_cache(0), 0);
    for (const char* target : {"/readyz", "/v1/services", "/v1/services", "/readyz"}) {
        auto r = http.get(target);
        EXPECT_EQ(r.status, 503) << target << " " << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    }
    EXPECT_EQ(http.get("/healthz").status, 200);
    auto reg =
        http.post_json("/v1/auth/register",
                       {{"email", "a@example.com"}, {"password", "correct horse"}, {"name", "A"}});
    EXPECT_EQ(reg.status, 503) << reg.body;

    ASSERT_EQ(pg_ctl("start"), 0);
    int status = 0;
    test::poll_until(
        [&] {
            status = http.get("/readyz").status;
            return status == 200;
        },
        std::chrono::seconds(10), std::chrono::milliseconds(100));
    EXPECT_EQ(status, 200) << daemon_->log();
    EXPECT_EQ(wait_for_cache(1), 1);  // listening again, from an empty cache
    // Every pooled connection recovers, not just one.
    for (int i = 0; i < 10; ++i) EXPECT_EQ(http.get("/v1/services").status, 200);
    EXPECT_EQ(
        http.post_json("/v1/auth/register",
                       {{"email", "a@example.com"}, {"password", "correct horse"}, {"name", "A"}})
            .status,
        201);
    daemon_->signal(SIGTERM);
    EXPECT_EQ(daemon_->wait(std::chrono::seconds(15)), 0) << daemon_->log();
}

}  // namespace
}  // namespace booking::e2e
