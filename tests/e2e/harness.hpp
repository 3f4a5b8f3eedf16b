#pragma once
// The e2e harness: a running bookingd (a child process with its own config and
// database), an HTTP/1.1 client on Boost.Beast, and raw sockets for hostile input.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace booking::e2e {

struct HttpResult {
    int status = 0;  // 0: no answer (connection failed or closed)
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string error;

    std::string header(const std::string& name) const;
    nlohmann::json json() const;  // throws with the body when it is not JSON
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One keep-alive connection, opened on first use and reopened when the server closed it.
class HttpClient {
  public:
    explicit HttpClient(int port);
    ~HttpClient();
    HttpResult request(const std::string& method, const std::string& target,
                       const std::optional<std::string>& body = {}, const Headers& headers = {});
    HttpResult get(const std::string& target, const Headers& headers = {}) {
        return request("GET", target, {}, headers);
    }
    HttpResult post_json(const std::string& target, const nlohmann::json& body,
                         const Headers& headers = {});

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A plain TCP connection for bytes no well-behaved client sends.
class RawConnection {
  public:
    explicit RawConnection(int port);
    ~RawConnection();
    bool send(const std::string& bytes);  // false once the server has closed
    // Everything until the server closes or `timeout` passes.
    std::string read_all(std::chrono::milliseconds timeout);
    // True when the server closed the connection within timeout.
    bool closed_within(std::chrono::milliseconds timeout);
    void close();

  private:
    int fd_ = -1;
};

// A value from the daemon's /metrics: the line that begins with name (labels
// included, e.g. foo_total{result="hit"}); -1 when there is none.
double metric(HttpClient& http, const std::string& name);

struct DaemonOptions {
    std::map<std::string, std::string>
        settings;  // "section.key" -> TOML value, e.g. {"server.request_timeout", "\"2s\""}
    std::string database_url;
};

// bookingd --config <file> as a child process; its output goes to a log file.
class Daemon {
  public:
    // Writes the config, starts bookingd, waits until /healthz answers.
    Daemon(const std::string& work_dir, const DaemonOptions& options);
    ~Daemon();
    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::string& config_path() const { return config_path_; }
    std::string log() const;
    void signal(int sig);
    // Waits for the exit; the exit code, 128+signal, or -1 on timeout.
    int wait(std::chrono::milliseconds timeout);

  private:
    std::string config_path_;
    std::string log_path_;
    int port_ = 0;
    pid_t pid_ = -1;
};

// Settings for a daemon that sends its email to an SMTP server on 127.0.0.1:port
// (retries after 1 s, 5 s timeouts), from "Example Studio <bookings@example.com>".
std::map<std::string, std::string> smtp_settings(int port);

inline constexpr const char* kTestSecret = "e2e-secret-0123456789-abcdefghijklmnop";

// Runs bookingd with args (no server expected): exit code, stdout, stderr.
struct Run {
    int exit_code;
    std::string out;
    std::string err;
};
Run run_bookingd(const std::vector<std::string>& args,
                 const std::map<std::string, std::optional<std::string>>& env = {});

std::string write_file(const std::string& path, const std::string& text);

}  // namespace booking::e2e
