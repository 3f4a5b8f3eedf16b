#include "tests/e2e/harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/process.hpp"

namespace booking::e2e {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

std::string HttpResult::header(const std::string& name) const {
    std::string key;
    for (char c : name)
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    auto it = headers.find(key);
    return it == headers.end() ? std::string() : it->second;
}

nlohmann::json HttpResult::json() const {
    auto value = nlohmann::json::parse(body, nullptr, false);
    if (value.is_discarded())
        throw std::runtime_error("not JSON (status " + std::to_string(status) +
                                 "): " + body.substr(0, 500) + error);
    return value;
}

struct HttpClient::Impl {
    int port;
    net::io_context io;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    HttpResult once(const std::string& method, const std::string& target,
                    const std::optional<std::string>& body, const Headers& headers) {
        if (!stream) {
            stream.emplace(io);
            stream->expires_after(std::chrono::seconds(30));
            stream->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                          static_cast<unsigned short>(port)));
            buffer.clear();
        }
        bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
        req.set(bhttp::field::host, "127.0.0.1");
        req.keep_alive(true);
        for (const auto& [name, value] : headers) req.set(name, value);
        if (body) {
            req.body() = *body;
            if (req.find(bhttp::field::content_type) == req.end())
                req.set(bhttp::field::content_type, "application/json");
        }
        req.prepare_payload();
        stream->expires_after(std::chrono::seconds(60));
        bhttp::write(*stream, req);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        bhttp::read(*stream, buffer, parser);
        auto res = parser.release();
        HttpResult out;
        out.status = static_cast<int>(res.result_int());
        out.body = res.body();
        for (const auto& field : res) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.headers[name] = std::string(field.value());
        }
        if (!res.keep_alive()) stream.reset();
        return out;
    }
};

HttpClient::HttpClient(int port) : impl_(std::make_unique<Impl>()) { impl_->port = port; }
HttpClient::~HttpClient() = default;

namespace {

// Every JSON answer of the e2e suite is appended to E2E_ANSWERS_FILE (one
// object a line, in one write so that parallel tests do not interleave); the
// ctest step openapi_answers then validates each against the OpenAPI
// document's schemas (tests/integrations/check_answers.py).
void record_answer(const std::string& method, const std::string& target, const HttpResult& r) {
    const std::string type = r.header("content-type");
    if (type.rfind("application/json", 0) != 0 && type.rfind("application/problem+json", 0) != 0)
        return;
    const std::string line = nlohmann::json{{"method", method},
                                            {"target", target},
                                            {"status", r.status},
                                            {"content_type", type},
                                            {"body", r.body}}
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                             "\n";
    const int fd = ::open(E2E_ANSWERS_FILE, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    [[maybe_unused]] auto written = ::write(fd, line.data(), line.size());
    ::close(fd);
}

}  // namespace

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::optional<std::string>& body, const Headers& headers) {
    // A keep-alive connection the server closed meanwhile is retried once on a new one.
    for (int attempt = 0;; ++attempt) {
        const bool reused = impl_->stream.has_value();
        try {
            HttpResult result = impl_->once(method, target, body, headers);
            record_answer(method, target, result);
            return result;
        } catch (const std::exception& e) {
            impl_->stream.reset();
            if (attempt == 0 && reused) continue;
            HttpResult failed;
            failed.error = e.what();
            return failed;
        }
    }
}

HttpResult HttpClient::post_json(const std::string& target, const nlohmann::json& body,
                                 const Headers& headers) {
    return request("POST", target, body.dump(), headers);
}

RawConnection::RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close();  // no destructor runs for a constructor that throws
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
}

RawConnection::~RawConnection() { close(); }

void RawConnection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool RawConnection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::string RawConnection::read_all(std::chrono::milliseconds timeout) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[8192];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return true;
    }
}

std::string write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
    return path;
}

namespace {

std::string toml_string(const std::string& value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string config_text(const DaemonOptions& options, int port) {
    std::map<std::string, std::map<std::string, std::string>> sections;
    sections["database"]["url"] = toml_string(options.database_url);
    sections["database"]["pool_size"] = "4";
    sections["server"]["listen"] = toml_string("127.0.0.1:" + std::to_string(port));
    sections["server"]["threads"] = "2";
    sections["auth"]["jwt_secret"] = toml_string(kTestSecret);
    sections["business"]["time_zone"] = "\"Europe/London\"";
    sections["mail"]["transport"] = "\"log\"";
    sections["reminders"]["enabled"] = "false";
    sections["log"]["level"] = "\"info\"";
    for (const auto& [key, value] : options.settings) {
        const auto dot = key.rfind('.');
        sections[key.substr(0, dot)][key.substr(dot + 1)] = value;
    }
    std::ostringstream out;
    for (const auto& [section, keys] : sections) {
        out << "[" << section << "]\n";
        for (const auto& [key, value] : keys) out << key << " = " << value << "\n";
    }
    return out.str();
}

}  // namespace

double metric(HttpClient& http, const std::string& name) {
    const auto body = "\n" + http.get("/metrics").body;
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(body.substr(at + name.size() + 2));
}

std::map<std::string, std::string> smtp_settings(int port) {
    return {{"mail.transport", "\"smtp\""},
            {"mail.from", "\"Example Studio <bookings@example.com>\""},
            {"mail.retry_base", "\"1s\""},
            {"mail.smtp.host", "\"127.0.0.1\""},
            {"mail.smtp.port", std::to_string(port)},
            {"mail.smtp.timeout", "\"5s\""}};
}

Daemon::Daemon(const std::string& work_dir, const DaemonOptions& options) {
    port_ = test::unused_port();
    config_path_ = write_file(work_dir + "/bookingd.toml", config_text(options, port_));
    log_path_ = work_dir + "/bookingd.log";
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::unsetenv("BOOKING_DATABASE_URL");
        ::unsetenv("BOOKING_LISTEN");
        ::unsetenv("BOOKING_JWT_SECRET");
        ::unsetenv("NOTIFY_SOCKET");
        ::setenv("LSAN_OPTIONS", "suppressions=" E2E_LSAN_SUPPRESSIONS, 1);
        ::execl(BOOKINGD_PATH, BOOKINGD_PATH, "--config", config_path_.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("bookingd exited during startup:\n" + log());
        }
        HttpClient probe(port_);
        if (probe.get("/healthz").status == 200) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("bookingd did not answer /healthz within 30 s:\n" + log());
}

Daemon::~Daemon() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

std::string Daemon::log() const {
    std::ifstream in(log_path_);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void Daemon::signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

int Daemon::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            pid_ = -1;
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
            return -1;
        }
        if (std::chrono::steady_clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

Run run_bookingd(const std::vector<std::string>& args,
                 const std::map<std::string, std::optional<std::string>>& env) {
    std::vector<std::string> argv{BOOKINGD_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    test::ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    options.env = {{"BOOKING_CONFIG", std::nullopt},
                   {"BOOKING_DATABASE_URL", std::nullopt},
                   {"BOOKING_LISTEN", std::nullopt},
                   {"BOOKING_JWT_SECRET", std::nullopt}};
    for (const auto& [k, v] : env) options.env[k] = v;
    auto result = test::run_process(argv, options);
    return {result.exit_code, result.out, result.err};
}

}  // namespace booking::e2e
