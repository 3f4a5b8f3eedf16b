// bookingd: the HTTP daemon of the booking engine (SPEC §2, §3, §6).
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <malloc.h>

#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "core/arguments.hpp"
#include "core/auth/jwt.hpp"
#include "core/config/config.hpp"
#include "core/db/database.hpp"
#include "core/errors.hpp"
#include "core/mail/settings.hpp"
#include "daemon/app.hpp"
#include "daemon/exchange.hpp"
#include "daemon/http/server.hpp"
#include "daemon/jobs/calendar_listener.hpp"
#include "daemon/jobs/jobs.hpp"
#include "daemon/logging.hpp"
#include "daemon/router.hpp"
#include "daemon/systemd.hpp"

namespace {

using namespace booking;
namespace net = boost::asio;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitConfig = 78;  // EX_CONFIG
constexpr auto kDrainLimit = std::chrono::seconds(10);

constexpr const char* kFooter =
    R"(Environment: BOOKING_CONFIG, BOOKING_DATABASE_URL, BOOKING_LISTEN,
BOOKING_JWT_SECRET (the last three win over the file).
Signals: SIGTERM/SIGINT finish requests in flight (up to 10 s) and exit;
SIGHUP reloads log.level. Exit status: 0 ok, 1 runtime failure or bad
arguments, 78 bad configuration.

Examples:
  bookingd --config /etc/bookingd/bookingd.toml --check-config
  bookingd --config /etc/bookingd/bookingd.toml

See bookingd(8) and bookingd.toml(5).)";

struct Options {
    std::optional<std::string> config;
    bool check_config = false;
    bool availability_cache = true;  // BOOKING_AVAILABILITY_CACHE
};

// BOOKING_AVAILABILITY_CACHE=off is for measuring only (bench/scale): the
// availability cache is never switched on, so every availability answer is
// read from the database, as on a miss. Unset, empty or "on": the cache works.
bool availability_cache_wanted() {
    const char* value = std::getenv("BOOKING_AVAILABILITY_CACHE");
    const std::string_view v = value ? value : "";
    if (v.empty() || v == "on") return true;
    if (v == "off") return false;
    throw ConfigError("BOOKING_AVAILABILITY_CACHE: \"" + std::string(v) +
                      "\" is neither on nor off");
}

// The flags of SPEC §2, read by CLI11 as bookingctl's are; the exit code when the run ends here
// (--help, --version: 0; a usage error: 1).
std::variant<Options, int> parse_arguments(int argc, char** argv) {
    Options o;
    CLI::App app{"bookingd - the HTTP daemon of the booking engine", "bookingd"};
    app.footer(kFooter);
    app.set_version_flag("-V,--version", std::string("bookingd ") + BOOKING_VERSION,
                         "Print the version and exit");
    app.set_help_flag("-h,--help", "Print this help and exit");
    app.add_option("-c,--config", o.config,
                   "Read settings from FILE (else $BOOKING_CONFIG, else "
                   "/etc/bookingd/bookingd.toml if it exists, else defaults)")
        ->type_name("FILE")
        ->check(CLI::Validator(
            [](const std::string& value) {
                return value.empty() ? std::string("needs a file name") : std::string();
            },
            "FILE"));
    app.add_flag("--check-config", o.check_config,
                 "Validate the settings, print them without secrets, and exit");
    if (const auto exit_code = parse_arguments_or_exit(app, argc, argv, "bookingd", kExitFailure))
        return *exit_code;
    return o;
}

// 1000 keep-alive clients need 1000 descriptors: take what the hard limit allows.
void raise_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// An io_context whose pending handlers, and what they own, can be destroyed
// before the context itself. A handler of one I/O context can own a socket of
// another: the acceptor, on the main context, accepts each connection straight
// into the context of the thread that will serve it. An accepted connection
// still queued on the main context when it stopped was destroyed with it, after
// the other contexts, and closed its socket through their freed services
// (heap-use-after-free under ASan, at SIGTERM while clients connect). So
// every context is shut down before any is destroyed: see Daemon::run().
class IoContext : public net::io_context {
  public:
    using net::execution_context::shutdown;  // destroys the pending handlers
    using net::io_context::io_context;
};

class Daemon {
  public:
    Daemon(const Options& options, const Config& config, const std::string& secret)
        : options_(options),
          app_(config, secret, router()),
          io_(1),
          connection_io_(connection_contexts(threads(config))),
          server_(
              io_, context_pointers(), server_options(config),
              [this](http::Request&& request, http::Completion done) {
                  daemon::dispatch(app_, std::move(request), std::move(done));
              },
              [](const http::Request& request, int status) {
                  daemon::log_request(request, status, 0);
              }),
          signals_(io_, SIGTERM, SIGINT, SIGHUP),
          drain_timer_(io_),
          ready_timer_(io_),
          watchdog_timer_(io_),
          jobs_(io_, config, app_.links),
          calendar_listener_(config.database.url, app_.availability_cache,
                             options.availability_cache) {
        app_.connections = [this] { return server_.connections(); };
        app_.in_flight = [this] { return server_.in_flight(); };
    }

    int run() {
        server_.start();
        spdlog::info("bookingd {} listening on {} ({} I/O threads, {} database connections)",
                     BOOKING_VERSION, server_.local_address(), threads(app_.config),
                     app_.config.database.pool_size);
        wait_for_signals();
        probe_database();
        start_watchdog();
        jobs_.start();
        calendar_listener_.start();
        // This thread runs io_ (the acceptor, signals, timers and the first
        // share of the connections); each other I/O thread its own io_context.
        std::vector<std::thread> workers;
        for (auto& io : connection_io_) workers.emplace_back([this, &io] { run_io(io->context); });
        run_io(io_);
        for (auto& io : connection_io_) io->stop();
        for (auto& t : workers) t.join();
        jobs_.stop();
        calendar_listener_.stop();
        app_.db->stop();
        app_.hasher->stop();
        // Nothing runs or posts any more: the connections, sockets and
        // handlers still pending go now, while every context is still there.
        io_.shutdown();
        for (auto& io : connection_io_) io->context.shutdown();
        spdlog::info("bookingd stopped");
        return kExitOk;
    }

  private:
    // One I/O thread. A handler that throws ends io_context::run() on its
    // thread; the exception is logged and the thread runs on, so that a stray
    // exception costs at most the one connection, never the daemon. (The
    // request handlers answer their own errors, with the request id, in
    // daemon/exchange.cpp; this is the last line behind them.)
    void run_io(net::io_context& io) {
        for (;;) {
            try {
                io.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("I/O thread: uncaught exception: {}", e.what());
            } catch (...) {
                spdlog::error("I/O thread: uncaught exception of an unknown type");
            }
        }
    }

    static const daemon::Router& router() {
        static const daemon::Router table = [] {
            daemon::Router r;
            daemon::add_all_routes(r);
            return r;
        }();
        return table;
    }

    static int threads(const Config& config) {
        if (config.server.threads > 0) return config.server.threads;
        return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }

    // The io_context of an I/O thread other than the main one: it runs (with
    // nothing to do between connections) until stop().
    struct ConnectionIo {
        IoContext context{1};
        net::executor_work_guard<net::io_context::executor_type> keep_running{
            context.get_executor()};
        void stop() {
            keep_running.reset();
            context.stop();
        }
    };
    static std::vector<std::unique_ptr<ConnectionIo>> connection_contexts(int threads) {
        std::vector<std::unique_ptr<ConnectionIo>> out;
        for (int i = 1; i < threads; ++i) out.push_back(std::make_unique<ConnectionIo>());
        return out;
    }
    // Where the server puts connections, in turn: io_ first, then the others.
    std::vector<net::io_context*> context_pointers() {
        std::vector<net::io_context*> out{&io_};
        for (auto& io : connection_io_) out.push_back(&io->context);
        return out;
    }

    static http::ServerOptions server_options(const Config& config) {
        http::ServerOptions o;
        o.listen = config.server.listen;
        o.max_body_bytes = static_cast<std::size_t>(config.server.max_body_bytes);
        o.request_timeout = config.server.request_timeout;
        o.trusted_proxies = config.server.trusted_proxies;
        return o;
    }

    void wait_for_signals() {
        signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec) return;
            if (signal == SIGHUP) {
                reload();
                return wait_for_signals();
            }
            shutdown(signal);
        });
    }

    // SIGHUP: the reloadable settings (log.level) from the same file.
    void reload() {
        try {
            const Config fresh = load_config(options_.config);
            daemon::set_log_level(fresh.log.level);
            spdlog::warn("SIGHUP: reloaded {}, log.level = {}", fresh.source, fresh.log.level);
        } catch (const std::exception& e) {
            spdlog::error("SIGHUP: keeping the current settings: {}", e.what());
        }
    }

    void shutdown(int signal) {
        spdlog::warn("{}: finishing {} requests in flight, then exiting",
                     signal == SIGINT ? "SIGINT" : "SIGTERM", server_.in_flight());
        daemon::systemd::notify_stopping();
        jobs_.request_stop();
        server_.drain();
        drain_deadline_ = std::chrono::steady_clock::now() + kDrainLimit;
        wait_for_drain();
    }

    void wait_for_drain() {
        if (server_.in_flight() == 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
            if (server_.in_flight() > 0)
                spdlog::warn("{} requests still in flight after {}s; exiting anyway",
                             server_.in_flight(), kDrainLimit.count());
            io_.stop();
            return;
        }
        drain_timer_.expires_after(std::chrono::milliseconds(20));
        drain_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) wait_for_drain();
        });
    }

    // READY=1 once listening and the database has answered; until then (and
    // whenever it is down) requests that need it answer 503.
    void probe_database() {
        app_.db->submit(
            [this](pqxx::connection& conn, bool& broken) {
                try {
                    pqxx::nontransaction tx(conn);
                    tx.exec("SELECT 1");
                    net::post(io_, [] {
                        daemon::systemd::notify_ready();
                        spdlog::info("the database answers; ready");
                    });
                } catch (const std::exception& e) {
                    broken = true;
                    retry_probe();
                }
            },
            [this](std::string_view) { retry_probe(); });
    }

    void retry_probe() {
        net::post(io_, [this] {
            ready_timer_.expires_after(std::chrono::seconds(1));
            ready_timer_.async_wait([this](const boost::system::error_code& ec) {
                if (!ec) probe_database();
            });
        });
    }

    void start_watchdog() {
        const auto interval = daemon::systemd::watchdog_interval();
        if (!interval) return;
        daemon::systemd::notify_watchdog();
        watchdog_timer_.expires_after(*interval);
        watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) start_watchdog();
        });
    }

    Options options_;
    daemon::App app_;
    IoContext io_;
    std::vector<std::unique_ptr<ConnectionIo>> connection_io_;  // one per I/O thread but this one
    http::Server server_;
    net::signal_set signals_;
    net::steady_timer drain_timer_;
    net::steady_timer ready_timer_;
    net::steady_timer watchdog_timer_;
    std::chrono::steady_clock::time_point drain_deadline_{};
    daemon::jobs::Jobs jobs_;                           // the mailer and reminder scheduler
    daemon::jobs::CalendarListener calendar_listener_;  // keeps the availability cache coherent
};

}  // namespace

int main(int argc, char** argv) {
    // One malloc arena per core rather than glibc's eight: the daemon's ~15
    // threads would each keep an arena of freed memory (about 3 MB more RSS
    // under load, measured with bench/compare).
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
    booking::db::default_connect_timeout();
    const auto parsed = parse_arguments(argc, argv);
    if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
    Options options = std::get<Options>(parsed);

    Config config;
    std::string secret;
    try {
        config = load_config(options.config);
        options.availability_cache = availability_cache_wanted();
        secret = auth::resolve_jwt_secret(config.auth.jwt_secret, config.auth.jwt_secret_file);
        std::string host, port;
        if (!http::split_listen_address(config.server.listen, host, port))
            throw ConfigError(config.source + ": server.listen: \"" + config.server.listen +
                              "\" is not host:port (or [v6]:port)");
        mail::validate_mail_config(config);  // settings and email templates
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bookingd: configuration error: %s\n", e.what());
        return kExitConfig;
    }
    if (options.check_config) {
        std::fputs(describe_config(config).c_str(), stdout);
        std::fprintf(stderr, "bookingd: the configuration is valid\n");
        return kExitOk;
    }

    daemon::setup_logging(config.log.level, config.log.format);
    raise_file_limit();
    std::signal(SIGPIPE, SIG_IGN);
    try {
        Daemon d(options, config, secret);
        return d.run();
    } catch (const std::exception& e) {
        spdlog::critical("bookingd cannot start: {}", e.what());
        return kExitFailure;
    }
}
