#pragma once
// Test helpers for email: a real SMTP server (tests/support/smtp_sink.py on
// Debian's aiosmtpd) run as a child process of the test, the messages it
// stored, and their summary as Python's email parser and python3-icalendar
// see them. Header-only, shared by the integration and e2e mail tests.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/wait.hpp"

namespace booking::test::mail {

namespace fs = std::filesystem;

// Debian's interpreter, which has aiosmtpd and icalendar (a pyenv python on
// PATH may not).
inline constexpr const char* kPython = "/usr/bin/python3";

// From the source tree named at build time, not __FILE__: a compiler cache
// (ccache with CCACHE_BASEDIR) turns __FILE__ into a path relative to the build.
inline std::string sink_script() {
    return (fs::path(BOOKING_SOURCE_DIR) / "tests" / "support" / "smtp_sink.py").string();
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct SinkStats {
    long long connections = 0;
    long long messages = 0;
};

class SmtpSink {
  public:
    // Starts a sink storing into dir, on `port` (0: any free port), with
    // extra options of smtp_sink.py serve (--delay, --reject-rcpt, --auth, ...).
    explicit SmtpSink(std::string dir, int port = 0, std::vector<std::string> options = {})
        : dir_(std::move(dir)), port_(port), options_(std::move(options)) {
        start();
    }
    ~SmtpSink() { stop(); }

    // The sink of the CTest fixture `smtp` (tests/CMakeLists.txt), when it
    // runs; else a private one storing into private_dir. Tests sharing the
    // fixture's sink keep apart by the recipients' domain.
    static std::unique_ptr<SmtpSink> fixture_or_private(const std::string& private_dir) {
        const auto state = fs::path(BOOKING_TEST_STATE).parent_path() / "smtp-state" / "env";
        std::map<std::string, std::string> env;
        std::istringstream lines(read_text(state.string()));
        for (std::string line; std::getline(lines, line);)
            if (auto eq = line.find('='); eq != std::string::npos)
                env[line.substr(0, eq)] = line.substr(eq + 1);
        if (env.count("SMTP_PORT") && env.count("SMTP_PID") &&
            ::kill(std::stoi(env["SMTP_PID"]), 0) == 0) {
            auto sink = std::unique_ptr<SmtpSink>(new SmtpSink());
            sink->dir_ = env["SMTP_DIR"];
            sink->port_ = std::stoi(env["SMTP_PORT"]);
            return sink;
        }
        return std::make_unique<SmtpSink>(private_dir);
    }
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    int port() const { return port_; }
    const std::string& dir() const { return dir_; }
    bool running() const { return pid_ > 0; }

    void start() {
        if (pid_ > 0) return;
        const std::string port_file = dir_ + ".port";
        fs::remove(port_file);
        std::vector<std::string> argv{
            kPython,  sink_script(),         "serve",       "--dir",  dir_,
            "--port", std::to_string(port_), "--port-file", port_file};
        argv.insert(argv.end(), options_.begin(), options_.end());
        const std::string log = dir_ + ".log";
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(a.data());
            args.push_back(nullptr);
            ::execv(kPython, args.data());
            ::_exit(127);
        }
        const bool started = poll_until(
            [&] {
                if (fs::exists(port_file)) return true;
                int status = 0;
                if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                    pid_ = -1;
                    throw std::runtime_error("smtp_sink.py exited at start:\n" + read_text(log));
                }
                return false;
            },
            std::chrono::seconds(30), std::chrono::milliseconds(20));
        if (!started) throw std::runtime_error("smtp_sink.py did not start:\n" + read_text(log));
        port_ = std::stoi(read_text(port_file));
    }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    // The stored messages for recipients at `domain`, in arrival order.
    std::vector<std::string> messages(const std::string& domain = "example.test") const {
        std::vector<std::pair<int, std::string>> found;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(fs::path(dir_) / domain, ec)) {
            if (entry.path().extension() != ".eml") continue;
            found.emplace_back(std::stoi(entry.path().stem().string()), entry.path().string());
        }
        std::sort(found.begin(), found.end());
        std::vector<std::string> out;
        for (auto& f : found) out.push_back(std::move(f.second));
        return out;
    }

    // Waits until at least n messages for the domain are stored.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout,
                  const std::string& domain = "example.test") const {
        return poll_until([&] { return messages(domain).size() >= n; }, timeout,
                          std::chrono::milliseconds(20));
    }

    SinkStats stats() const {
        SinkStats s;
        const std::string text = read_text(dir_ + "/stats.json");
        if (text.empty()) return s;
        auto j = nlohmann::json::parse(text);
        s.connections = j.value("connections", 0LL);
        s.messages = j.value("messages", 0LL);
        return s;
    }

  private:
    SmtpSink() = default;  // attached to the fixture's sink: not ours to start or stop

    std::string dir_;
    int port_ = 0;
    std::vector<std::string> options_;
    pid_t pid_ = -1;
};

// smtp_sink.py inspect: headers (decoded), defects, parts with their text and
// the calendar as python3-icalendar parsed it.
inline nlohmann::json inspect(const std::string& eml) {
    auto run = run_process({kPython, sink_script(), "inspect", eml});
    if (run.exit_code != 0)
        throw std::runtime_error("smtp_sink.py inspect " + eml + " failed: " + run.err);
    return nlohmann::json::parse(run.out);
}

inline std::string header(const nlohmann::json& summary, const std::string& name) {
    for (const auto& h : summary["headers"])
        if (h[0].get<std::string>() == name) return h[1].get<std::string>();
    return {};
}

// The Message-ID header of a stored message (raw).
inline std::string message_id(const std::string& eml) {
    const std::string text = read_text(eml);
    const auto at = text.find("\r\nMessage-ID: ");
    if (at == std::string::npos) return {};
    const auto end = text.find("\r\n", at + 2);
    return text.substr(at + 14, end - at - 14);
}

// How many times each Message-ID arrived.
inline std::map<std::string, int> message_id_counts(const std::vector<std::string>& files) {
    std::map<std::string, int> counts;
    for (const auto& f : files) ++counts[message_id(f)];
    return counts;
}

// A self-signed certificate for 127.0.0.1 (and localhost): {cert, key}.
inline std::pair<std::string, std::string> make_certificate(const std::string& dir) {
    const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
    auto run = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                            "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:127.0.0.1", "-keyout",
                            key, "-out", cert});
    if (run.exit_code != 0) throw std::runtime_error("openssl req failed: " + run.err);
    return {cert, key};
}

}  // namespace booking::test::mail

#include "core/mail/outbox.hpp"
#include "tests/support/bookingctl_test.hpp"

namespace booking::test::mail {

// An integration test with bookings and their emails: a customer per test
// whose address is at a domain of its own (so that tests sharing the
// fixture's SMTP sink keep apart), and bookings on their own resources.
class MailTest : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        std::string name;
        for (char c : database_name())
            name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c))
                                                                : '-';
        domain_ = name + ".test";
        customer_ = seed_user("ann@" + domain_, "Ann");
        seed_service("consultation", "Consultation", 60);
    }

    // A confirmed booking of the customer `hours` from now, made 3 days ago.
    long long booking_in(double hours) { return seed_booking_in(customer_, hours); }

    // Queues an email as a booking change would; returns its id.
    long long queue(long long booking, std::string_view kind) {
        pqxx::work tx(db());
        booking::mail::queue_booking_email(tx, booking, kind);
        const auto id = tx.exec1("SELECT max(id) FROM emails")[0].as<long long>();
        tx.commit();
        return id;
    }

    // n bookings (one resource each would be slow: all on one resource, an hour apart)
    // with a confirmation each, in one statement.
    void queue_confirmations(int n) {
        pqxx::work tx(db());
        tx.exec_params0(
            "WITH b AS (INSERT INTO bookings (user_id, service_id, resource_id, starts_at, "
            "ends_at, blocked_until, created_at) "
            "SELECT $1, s.id, r.id, t.at, t.at + interval '1 hour', t.at + interval '1 hour', "
            "now() - interval '3 days' FROM services s, resources r, "
            "(SELECT date_trunc('hour', now()) + interval '2 days' + g * interval '1 hour' AS at "
            "FROM generate_series(1, $2) g) t WHERE s.code = 'consultation' AND r.code = 'main' "
            "RETURNING id, starts_at) "
            "INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence) "
            "SELECT b.id, 'confirmation', $3, b.starts_at, 0 FROM b",
            customer_, n, "ann@" + domain_);
        tx.commit();
    }

    std::string status_of(long long email) {
        return text("SELECT status FROM emails WHERE id = " + std::to_string(email));
    }

    std::string domain_;
    long long customer_ = 0;
};

}  // namespace booking::test::mail
