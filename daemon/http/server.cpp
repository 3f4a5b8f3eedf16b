#include "daemon/http/server.hpp"

#include <spdlog/spdlog.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include "daemon/http/problem.hpp"

namespace booking::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
// Each connection lives on one of the I/O threads' io_contexts, each run by
// one thread, so its handlers never run at once and need no strand. The
// executor is named by its concrete type (not the type-erased
// any_io_executor, whose copies and queries showed in perf profiles).
using Executor = net::io_context::executor_type;
using Socket = net::basic_stream_socket<tcp, Executor>;
using Clock = std::chrono::steady_clock;
using Timer = net::basic_waitable_timer<Clock, net::wait_traits<Clock>, Executor>;

namespace {

// Connections taken at once from the listen queue, beyond the one async_accept
// brought: enough for a crowd, few enough not to hold up requests in progress.
constexpr int kAcceptBurst = 256;

// The listen queue asked for: Linux takes the smaller of this and
// net.core.somaxconn, so the administrator's sysctl decides (docs/operations.md).
// Asio's max_listen_connections is SOMAXCONN (4096), which capped a raised
// sysctl: an administrator who raised it for bursts of clients got 4096 still.
constexpr int kListenBacklog = 65535;

Method method_of(bhttp::verb verb) {
    switch (verb) {
        case bhttp::verb::get:
            return Method::Get;
        case bhttp::verb::post:
            return Method::Post;
        case bhttp::verb::put:
            return Method::Put;
        case bhttp::verb::patch:
            return Method::Patch;
        case bhttp::verb::delete_:
            return Method::Delete;
        case bhttp::verb::head:
            return Method::Head;
        case bhttp::verb::options:
            return Method::Options;
        default:
            return Method::Other;
    }
}

std::string random_prefix() {
    unsigned char bytes[6] = {};
    // Without randomness the ids are still unique within the process (counter).
    if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) bytes[0] = 0;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 15]);
    }
    return out;
}

const std::string& process_prefix() {
    static const std::string prefix = random_prefix();
    return prefix;
}
std::atomic<unsigned long long> request_counter{0};

bool sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

using RequestParser = bhttp::request_parser<bhttp::string_body>;
using BeastRequest = bhttp::request<bhttp::string_body>;

void apply_limits(RequestParser& parser, const ServerOptions& options) {
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.max_body_bytes);
}

// The status a request that could not be read is answered with; 0 when the
// client went away or stopped mid-request (the connection just closes).
int status_for_read_error(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) return 431;
    if (ec == bhttp::error::body_limit) return 413;
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
    if (&ec.category() == &bhttp::make_error_code(bhttp::error::bad_target).category())
        return 400;  // any other parse error: bad line, field, length, chunk...
    return 0;
}

// The peer, or for a trusted proxy the last address of X-Forwarded-For
// (the one that proxy added), when it looks like an address.
std::string client_address(const BeastRequest& req, const std::string& peer,
                           const std::vector<std::string>& proxies) {
    if (proxies.empty() || std::find(proxies.begin(), proxies.end(), peer) == proxies.end())
        return peer;
    std::string_view forwarded = req["X-Forwarded-For"];
    if (const auto comma = forwarded.rfind(','); comma != std::string_view::npos)
        forwarded.remove_prefix(comma + 1);
    while (!forwarded.empty() && forwarded.front() == ' ') forwarded.remove_prefix(1);
    while (!forwarded.empty() && forwarded.back() == ' ') forwarded.remove_suffix(1);
    if (forwarded.empty() || forwarded.size() > 45) return peer;
    for (char c : forwarded)
        if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.' && c != ':') return peer;
    return std::string(forwarded);
}

}  // namespace

std::string_view to_string(Method method) {
    switch (method) {
        case Method::Get:
            return "GET";
        case Method::Post:
            return "POST";
        case Method::Put:
            return "PUT";
        case Method::Patch:
            return "PATCH";
        case Method::Delete:
            return "DELETE";
        case Method::Head:
            return "HEAD";
        case Method::Options:
            return "OPTIONS";
        case Method::Other:
            return "OTHER";
    }
    return "OTHER";
}

std::string request_id_for(std::string_view client_value) {
    if (sane_request_id(client_value)) return std::string(client_value);
    const auto n = request_counter.fetch_add(1, std::memory_order_relaxed) + 1;
    char digits[24];
    const int len = std::snprintf(digits, sizeof digits, "%llx", n);
    std::string id = process_prefix();
    id.push_back('-');
    id.append(digits, static_cast<std::size_t>(len));
    return id;
}

bool split_listen_address(const std::string& listen, std::string& host, std::string& port) {
    std::size_t colon;
    if (!listen.empty() && listen.front() == '[') {
        const auto close = listen.find(']');
        if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':')
            return false;
        host = listen.substr(1, close - 1);
        colon = close + 1;
    } else {
        colon = listen.rfind(':');
        if (colon == std::string::npos) return false;
        host = listen.substr(0, colon);
        if (host.find(':') != std::string::npos) return false;  // IPv6 needs brackets
    }
    port = listen.substr(colon + 1);
    if (host.empty() || port.empty() || port.size() > 5) return false;
    for (char c : port)
        if (c < '0' || c > '9') return false;
    const int number = std::stoi(port);
    return number >= 0 && number <= 65535;
}

namespace {

Request to_request(BeastRequest&& req, const std::string& peer,
                   const std::vector<std::string>& trusted_proxies) {
    Request r;
    r.received = std::chrono::steady_clock::now();
    r.method = method_of(req.method());
    r.method_text = std::string(req.method_string());
    const std::string_view target = req.target();
    const auto question = target.find('?');
    r.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) r.query = std::string(target.substr(question + 1));
    r.authorization = std::string(req[bhttp::field::authorization]);
    r.content_type = std::string(req[bhttp::field::content_type]);
    if (auto it = req.find("Idempotency-Key"); it != req.end()) {
        r.has_idempotency_key = true;
        r.idempotency_key = std::string(it->value());
    }
    r.request_id = request_id_for(req["X-Request-Id"]);
    r.origin = std::string(req[bhttp::field::origin]);
    r.accept = std::string(req[bhttp::field::accept]);
    r.accept_encoding = std::string(req[bhttp::field::accept_encoding]);
    r.if_none_match = std::string(req[bhttp::field::if_none_match]);
    r.peer = client_address(req, peer, trusted_proxies);
    r.body = std::move(req.body());
    return r;
}

}  // namespace

std::variant<Request, int> read_request(std::string_view bytes, const ServerOptions& options) {
    RequestParser parser;
    apply_limits(parser, options);
    parser.eager(true);
    beast::error_code ec;
    while (!bytes.empty() && !parser.is_done()) {
        const std::size_t used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(used);
        if (ec == bhttp::error::need_more) {
            ec = {};
            break;  // all there is: the end of the stream comes next
        }
        if (ec || used == 0) break;
    }
    // As Beast's read does at the end of the stream: nothing at all is a
    // client that went away, a part of a message is put_eof's to judge.
    if (!ec && !parser.is_done()) {
        if (!parser.got_some()) return 0;
        parser.put_eof(ec);
    }
    if (ec) return status_for_read_error(ec);
    if (!parser.is_done()) return 0;
    return to_request(parser.release(), std::string(), options.trusted_proxies);
}

class Session;

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
    net::io_context& io;
    std::vector<net::io_context*> contexts;  // connections are spread over these in turn
    std::size_t next_context = 0;            // only the acceptor's handlers use it
    ServerOptions options;
    Dispatch dispatch;
    RejectLog reject_log;
    tcp::acceptor acceptor;
    net::steady_timer accept_retry;
    std::atomic<bool> draining{false};
    std::atomic<int> in_flight{0};
    std::atomic<int> connections{0};
    std::mutex sessions_mutex;
    std::list<std::weak_ptr<Session>> sessions;

    Impl(net::io_context& io_, std::vector<net::io_context*> contexts_,
         const ServerOptions& options_, Dispatch dispatch_, RejectLog reject_log_)
        : io(io_),
          contexts(std::move(contexts_)),
          options(options_),
          dispatch(std::move(dispatch_)),
          reject_log(std::move(reject_log_)),
          acceptor(net::make_strand(io_)),
          accept_retry(acceptor.get_executor()) {}

    // The io_context of the next connection.
    Executor next_executor() {
        if (contexts.empty()) return io.get_executor();
        return contexts[next_context++ % contexts.size()]->get_executor();
    }
    void accept();
    void on_accept(beast::error_code ec, Socket socket);
    void start_session(Socket&& socket);
};

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(Socket&& socket, std::shared_ptr<Server::Impl> server)
        : socket_(std::move(socket)), timer_(socket_.get_executor()), server_(std::move(server)) {
        beast::error_code ec;
        const auto remote = socket_.remote_endpoint(ec);
        if (!ec) peer_ = remote.address().to_string();
        server_->connections.fetch_add(1, std::memory_order_relaxed);
    }
    ~Session() {
        server_->connections.fetch_sub(1, std::memory_order_relaxed);
        std::lock_guard lock(server_->sessions_mutex);
        server_->sessions.erase(registration_);
    }

    void start(std::list<std::weak_ptr<Session>>::iterator registration) {
        registration_ = registration;
        net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
            self->read_header();
            self->watch();
        });
    }

    // From drain(): idle connections close now, busy ones after their response.
    void drain() {
        net::post(socket_.get_executor(), [self = shared_from_this()] {
            if (!self->busy_) self->close();
        });
    }

  private:
    // Time limits: reading a request and writing an answer each have until
    // deadline_ (none while the request is being handled). One timer per
    // connection checks it, re-armed only when it fires (at most every
    // request_timeout), so a request costs no timer operations at all. A timer
    // armed and cancelled per read and per write (Beast's basic_stream) cost
    // about 15 % of the server's CPU time under load, measured: contention on
    // the io_context's lock, and a cancelled handler to run for each.
    void set_deadline(Clock::duration limit) { deadline_ = Clock::now() + limit; }

    void watch() {
        timer_.expires_at(std::min(deadline_, Clock::now() + server_->options.request_timeout));
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || !self->socket_.is_open()) return;  // closed, or re-armed sooner
            if (Clock::now() >= self->deadline_) return self->close();
            self->watch();
        });
    }

    void read_header() {
        if (server_->draining.load()) return close();
        parser_.emplace();
        apply_limits(*parser_, server_->options);
        set_deadline(server_->options.request_timeout);
        bhttp::async_read_header(
            socket_, buffer_, *parser_,
            beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    void on_header(beast::error_code ec, std::size_t) {
        if (ec) return on_read_error(ec);
        const auto& req = parser_->get();
        if (beast::iequals(req[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
            continue_.emplace(bhttp::status::continue_, req.version());
            bhttp::async_write(socket_, *continue_,
                               [self = shared_from_this()](beast::error_code e, std::size_t) {
                                   if (e) return self->close();
                                   self->read_body();
                               });
            return;
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return handle();
        bhttp::async_read(socket_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->on_read_error(ec);
                              self->handle();
                          });
    }

    void handle() {
        deadline_ = Clock::time_point::max();
        busy_ = true;
        server_->in_flight.fetch_add(1, std::memory_order_relaxed);
        auto req = parser_->release();
        keep_alive_ = req.keep_alive();
        version_ = req.version();
        dispatching_on_.store(std::this_thread::get_id(), std::memory_order_relaxed);
        Request request = to_request(std::move(req), peer_, server_->options.trusted_proxies);
        server_->dispatch(std::move(request), [self = shared_from_this()](Response&& response) {
            // Answered by the handler itself, on this session's thread (the
            // in-memory availability, refusals before any database work):
            // written at once, without another trip through the io_context.
            if (self->dispatching_on_.load(std::memory_order_relaxed) == std::this_thread::get_id())
                return self->write(std::move(response), false);
            net::post(self->socket_.get_executor(),
                      [self, response = std::move(response)]() mutable {
                          self->write(std::move(response), false);
                      });
        });
        dispatching_on_.store(std::thread::id(), std::memory_order_relaxed);
    }

    void write(Response&& r, bool rejected) {
        response_.emplace();
        auto& res = *response_;
        res.version(version_ ? version_ : 11);
        res.result(static_cast<unsigned>(r.status));
        if (r.status != 204 && !r.content_type.empty())
            res.set(bhttp::field::content_type, r.content_type);
        for (auto& [name, value] : r.headers) res.insert(name, value);
        const bool keep = keep_alive_ && !rejected && !server_->draining.load();
        res.keep_alive(keep);
        res.body() = std::move(r.body);
        res.prepare_payload();
        set_deadline(server_->options.request_timeout);
        bhttp::async_write(
            socket_, res, [self = shared_from_this(), rejected](beast::error_code ec, std::size_t) {
                self->on_write(ec, rejected);
            });
    }

    void on_write(beast::error_code ec, bool rejected) {
        const bool keep = response_ && response_->keep_alive();
        response_.reset();
        if (busy_) {
            busy_ = false;
            server_->in_flight.fetch_sub(1, std::memory_order_relaxed);
        }
        if (ec) return close();
        if (rejected || !keep) return linger_close();
        read_header();
    }

    // A request that could not be read: answer what went wrong, then close,
    // because the rest of the stream cannot be trusted.
    void on_read_error(beast::error_code ec) {
        const int status = status_for_read_error(ec);
        if (status == 0) return close();
        keep_alive_ = false;
        Request shown;
        shown.received = std::chrono::steady_clock::now();
        shown.peer = peer_;
        shown.request_id = request_id_for({});
        if (parser_ && parser_->is_header_done()) {
            const auto& req = parser_->get();
            shown.method_text = std::string(req.method_string());
            const std::string_view target = req.target();
            shown.path = std::string(target.substr(0, target.find('?')));
            shown.request_id = request_id_for(req["X-Request-Id"]);
        }
        const char* detail = status == 431   ? "the request line or headers are too large"
                             : status == 413 ? "the body is larger than the server accepts"
                                             : "the request is malformed";
        Response r = problem(status, detail);
        r.header("X-Request-Id", shown.request_id);
        if (server_->reject_log) server_->reject_log(shown, status);
        write(std::move(r), true);
    }

    // Close after an error answer without resetting the connection while the
    // client may still be sending: stop writing, read and drop what comes
    // (for at most a second and 1 MiB), then close.
    void linger_close() {
        beast::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        set_deadline(std::chrono::seconds(1));
        watch();  // sooner than the timer is set for: cancels that wait
        discard();
    }

    void discard() {
        if (!discard_) discard_ = std::make_unique<std::array<char, 4096>>();
        socket_.async_read_some(net::buffer(*discard_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->discarded_ += n;
                                    if (ec || self->discarded_ > (1u << 20)) return self->close();
                                    self->discard();
                                });
    }

    void close() {
        beast::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        timer_.cancel();
    }

    Socket socket_;
    Timer timer_;
    Clock::time_point deadline_ = Clock::time_point::max();
    std::shared_ptr<Server::Impl> server_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::optional<bhttp::response<bhttp::empty_body>> continue_;
    std::optional<bhttp::response<bhttp::string_body>> response_;
    std::unique_ptr<std::array<char, 4096>> discard_;  // only while lingering: 1000 idle
                                                       // connections need not hold 4 MB
    std::size_t discarded_ = 0;
    std::list<std::weak_ptr<Session>>::iterator registration_;
    std::string peer_;
    unsigned version_ = 11;
    bool keep_alive_ = true;
    bool busy_ = false;
    // The I/O thread running the handler of this session's request, while it does.
    std::atomic<std::thread::id> dispatching_on_{};
};

void Server::Impl::accept() {
    acceptor.async_accept(next_executor(),
                          beast::bind_front_handler(&Server::Impl::on_accept, shared_from_this()));
}

void Server::Impl::on_accept(beast::error_code ec, Socket socket) {
    if (draining.load() || !acceptor.is_open()) return;
    if (ec) {
        // Out of file descriptors and the like: wait a little instead of spinning.
        spdlog::warn("accepting a connection failed: {}", ec.message());
        accept_retry.expires_after(std::chrono::milliseconds(100));
        accept_retry.async_wait([self = shared_from_this()](beast::error_code e) {
            if (!e) self->accept();
        });
        return;
    }
    start_session(std::move(socket));
    // Take every other connection already waiting, without a trip through the
    // io_context per connection: under load, that queue is long, and 1000
    // clients connecting at once waited seconds for their first answer.
    for (int i = 0; i < kAcceptBurst && !draining.load(); ++i) {
        Socket more(next_executor());
        acceptor.accept(more, ec);  // the acceptor is non-blocking
        if (ec) break;              // none waiting (or an error the next async_accept reports)
        start_session(std::move(more));
    }
    accept();
}

void Server::Impl::start_session(Socket&& socket) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(std::move(socket), shared_from_this());
    std::list<std::weak_ptr<Session>>::iterator registration;
    {
        std::lock_guard lock(sessions_mutex);
        registration = sessions.insert(sessions.end(), session);
    }
    session->start(registration);
}

Server::Server(net::io_context& io, std::vector<net::io_context*> connection_contexts,
               const ServerOptions& options, Dispatch dispatch, RejectLog reject_log)
    : impl_(std::make_shared<Impl>(io, std::move(connection_contexts), options, std::move(dispatch),
                                   std::move(reject_log))) {
    std::string host, port;
    if (!split_listen_address(options.listen, host, port))
        throw std::runtime_error("server.listen: \"" + options.listen + "\" is not host:port");
    beast::error_code ec;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(host, port, tcp::resolver::passive, ec);
    if (ec || results.empty())
        throw std::runtime_error("server.listen: cannot resolve \"" + host + "\": " + ec.message());
    const tcp::endpoint endpoint = results.begin()->endpoint();
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(kListenBacklog, ec);
    if (!ec) acceptor.non_blocking(true, ec);
    if (ec) throw std::runtime_error("cannot listen on " + options.listen + ": " + ec.message());
}

Server::~Server() = default;

void Server::start() { impl_->accept(); }

void Server::drain() {
    impl_->draining.store(true);
    net::post(impl_->acceptor.get_executor(), [impl = impl_] {
        beast::error_code ignored;
        impl->acceptor.close(ignored);
        impl->accept_retry.cancel();
    });
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(impl_->sessions_mutex);
        for (auto& weak : impl_->sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->drain();
}

int Server::in_flight() const { return impl_->in_flight.load(); }
int Server::connections() const { return impl_->connections.load(); }

std::string Server::local_address() const {
    beast::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    if (ec) return {};
    std::string host = endpoint.address().to_string();
    if (endpoint.address().is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(endpoint.port());
}

}  // namespace booking::http
