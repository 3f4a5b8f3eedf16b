#pragma once
// The HTTP/1.1 server (Boost.Beast behind a pimpl, so that only server.cpp
// compiles Beast): async keep-alive connections spread over the I/O threads'
// io_contexts, header/body/time limits, graceful drain. It hands each complete
// request to the dispatch function and writes whatever Response comes back,
// from any thread.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "daemon/http/message.hpp"

namespace boost::asio {
class io_context;
}

namespace booking::http {

struct ServerOptions {
    std::string listen = "127.0.0.1:8080";  // host:port or [v6]:port
    std::size_t max_body_bytes = 65536;
    std::size_t header_limit = 8192;  // request line and headers together
    std::chrono::seconds request_timeout{30};
    // Peers whose X-Forwarded-For names the client (for the logs).
    std::vector<std::string> trusted_proxies;
};

using Completion = std::function<void(Response&&)>;
using Dispatch = std::function<void(Request&&, Completion)>;
// Called for requests refused before dispatch (malformed, too large): for the access log.
using RejectLog = std::function<void(const Request&, int status)>;

class Server {
  public:
    // Binds and listens on `io`; throws std::runtime_error naming the address
    // on failure. Each accepted connection is served, for its whole life, by
    // the next of `connection_contexts` in turn (by `io` when there are none);
    // each of them must be run by one thread only: a connection's handlers
    // rely on it to never run at once.
    Server(boost::asio::io_context& io, std::vector<boost::asio::io_context*> connection_contexts,
           const ServerOptions& options, Dispatch dispatch, RejectLog reject_log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    // Stops accepting, closes idle connections, and closes the others once
    // their response is written.
    void drain();
    // Requests read but not yet answered.
    int in_flight() const;
    int connections() const;
    std::string local_address() const;

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

// "host:port" / "[v6]:port" into its parts; false when malformed.
bool split_listen_address(const std::string& listen, std::string& host, std::string& port);

// One request read from bytes with the options' limits, as a connection reads
// it but without a socket (the fuzz target fuzz_http_request): the request, or
// the status a connection answers (400 malformed, 413 body too large, 431
// headers too large; 0 when the bytes end mid-request and it would just close).
std::variant<Request, int> read_request(std::string_view bytes, const ServerOptions& options);

// The client's X-Request-Id when sane (1-128 of [A-Za-z0-9._:-]), else a new one.
std::string request_id_for(std::string_view client_value);

}  // namespace booking::http
