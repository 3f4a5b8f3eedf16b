// bench_db_path: what one database request costs bookingd's own CPU on each
// way of reaching PostgreSQL from an Asio I/O thread (issue 16, "the database
// path"). A closed loop keeps --in-flight requests outstanding over
// --connections connections for --seconds, after a one-second warm-up, and
// prints the queries per second and this process's CPU (user + system) per
// query. The statement returns --rows rows of two columns, prepared once per
// connection; every field of the answer is read.
//
//   pool      the daemon's DbPool (daemon/pools.cpp, pqxx, one worker thread
//             per connection, a pqxx::nontransaction and core's db::exec, as
//             the routes run): the I/O thread hands each request to a worker,
//             which sleeps in poll() on libpq until PostgreSQL answers and
//             hands the answer back to the I/O thread (asio::post);
//   async     libpq in non-blocking mode driven by the I/O thread itself
//             (PQsendQueryPrepared, the connection's socket waited on by Asio):
//             no thread hand-off, one statement per connection at a time;
//   pipeline  the same in libpq's pipeline mode (PostgreSQL 14+): up to
//             in-flight / connections statements queued on each connection,
//             each followed by its own sync point (its own implicit
//             transaction, so one failure does not abort the others).
//
// bench/db-path builds and runs it; see bench/README.md.
#include <libpq-fe.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/db/statements.hpp"
#include "daemon/pools.hpp"

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kName = "bench_db_path";
constexpr const char* kSql = "SELECT g, repeat('x', 40) AS s FROM generate_series(1, $1::int) AS g";
const booking::db::Statement kQuery{kName, kSql};

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

struct Load {
    std::string url;
    int in_flight = 64;
    int connections = 8;
    int rows = 20;
    double seconds = 10;
};

// A request's completion: true when PostgreSQL answered with the rows.
using Done = std::function<void(bool ok)>;
// Sends one request; calls done on the I/O thread.
using Send = std::function<void(Done done)>;

struct Figures {
    long long queries = 0;
    long long failed = 0;
    double wall = 0;
    double cpu = 0;
};

// Keeps in_flight requests outstanding until `seconds` have passed, then lets
// them finish; runs io until then.
Figures drive(asio::io_context& io, const Load& load, double seconds, const Send& send) {
    Figures f;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(seconds));
    auto guard = asio::make_work_guard(io);
    int outstanding = load.in_flight;
    std::function<void()> issue = [&] {
        if (Clock::now() >= end) {
            if (--outstanding == 0) guard.reset();
            return;
        }
        send([&](bool ok) {
            ++(ok ? f.queries : f.failed);
            issue();
        });
    };
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    asio::post(io, [&] {
        for (int i = 0; i < load.in_flight; ++i) issue();
    });
    io.restart();
    io.run();
    f.wall = std::chrono::duration<double>(Clock::now() - t0).count();
    f.cpu = cpu_seconds() - cpu0;
    return f;
}

long long read_fields(const pqxx::result& rows) {
    long long bytes = 0;
    for (const auto& row : rows)
        for (const auto& field : row) bytes += static_cast<long long>(field.size());
    return bytes;
}

long long read_fields(const PGresult* res) {
    long long bytes = 0;
    for (int r = 0; r < PQntuples(res); ++r)
        for (int c = 0; c < PQnfields(res); ++c) bytes += PQgetlength(res, r, c);
    return bytes;
}

// --- pool: the daemon's DbPool --------------------------------------------------

Figures run_pool(const Load& load) {
    asio::io_context io(1);
    // The pool's own defaults for its queue and timeouts, as bookingd has them.
    booking::daemon::DbPool pool(
        booking::daemon::DbPool::Options{.url = load.url, .size = load.connections});
    const int rows = load.rows;
    Send send = [&io, &pool, rows](Done done) {
        pool.submit(
            [&io, done, rows](pqxx::connection& conn, bool&) {
                pqxx::nontransaction tx(conn);
                const auto result = booking::db::exec(tx, kQuery, rows);
                const bool ok = read_fields(result) > 0;
                asio::post(io, [done, ok] { done(ok); });
            },
            [&io, done](std::string_view) { asio::post(io, [done] { done(false); }); });
    };
    drive(io, load, 1.0, send);  // connects and prepares every connection
    Figures f = drive(io, load, load.seconds, send);
    pool.stop();
    return f;
}

// --- async and pipeline: libpq on the I/O thread -----------------------------------

class AsyncConnection {
  public:
    AsyncConnection(asio::io_context& io, const Load& load, bool pipeline)
        : pg_(PQconnectdb(load.url.c_str())),
          socket_(io),
          pipeline_(pipeline),
          rows_(std::to_string(load.rows)) {
        if (PQstatus(pg_) != CONNECTION_OK)
            throw std::runtime_error(std::string("cannot connect: ") + PQerrorMessage(pg_));
        PGresult* prepared = PQprepare(pg_, kName, kSql, 1, nullptr);
        const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
        PQclear(prepared);
        if (!ok) throw std::runtime_error(std::string("cannot prepare: ") + PQerrorMessage(pg_));
        if (PQsetnonblocking(pg_, 1) != 0 || (pipeline_ && PQenterPipelineMode(pg_) != 1))
            throw std::runtime_error(std::string("cannot set the mode: ") + PQerrorMessage(pg_));
        socket_.assign(dup(PQsocket(pg_)));
    }
    ~AsyncConnection() {
        boost::system::error_code ignored;
        socket_.close(ignored);
        PQfinish(pg_);
    }
    AsyncConnection(const AsyncConnection&) = delete;
    AsyncConnection& operator=(const AsyncConnection&) = delete;

    std::size_t queued() const { return waiting_.size(); }

    void send(Done done) {
        const char* values[] = {rows_.c_str()};
        if (PQsendQueryPrepared(pg_, kName, 1, values, nullptr, nullptr, 0) != 1 ||
            (pipeline_ && PQpipelineSync(pg_) != 1)) {
            std::fprintf(stderr, "bench_db_path: cannot send: %s", PQerrorMessage(pg_));
            done(false);
            return;
        }
        waiting_.push_back({std::move(done), false});
        flush();
        if (!reading_) wait_read();
    }

  private:
    struct Waiting {
        Done done;
        bool ok;
    };

    void flush() {
        const int status = PQflush(pg_);
        if (status == 1 && !writing_) {
            writing_ = true;
            socket_.async_wait(asio::posix::stream_descriptor::wait_write,
                               [this](const boost::system::error_code& ec) {
                                   writing_ = false;
                                   if (!ec) flush();
                               });
        }
    }

    // One wait at a time: reading_ stays set while the answers are handled,
    // so that a statement sent from a completion does not start a second.
    void wait_read() {
        reading_ = true;
        socket_.async_wait(asio::posix::stream_descriptor::wait_read,
                           [this](const boost::system::error_code& ec) {
                               if (ec) {
                                   reading_ = false;
                                   return fail_all();
                               }
                               on_readable();
                           });
    }

    void on_readable() {
        if (PQconsumeInput(pg_) != 1) {
            reading_ = false;
            return fail_all();
        }
        while (!waiting_.empty() && !PQisBusy(pg_)) {
            PGresult* res = PQgetResult(pg_);
            if (res == nullptr) {
                // The end of one statement's results. Outside a pipeline it is
                // the statement's end; in one, its sync point's result follows.
                if (!pipeline_) complete();
                continue;
            }
            const auto status = PQresultStatus(res);
            if (status == PGRES_TUPLES_OK) waiting_.front().ok = read_fields(res) > 0;
            PQclear(res);
            if (status == PGRES_PIPELINE_SYNC) complete();
        }
        if (waiting_.empty())
            reading_ = false;
        else
            wait_read();
    }

    void complete() {
        Waiting w = std::move(waiting_.front());
        waiting_.pop_front();
        w.done(w.ok);
    }

    void fail_all() {
        std::fprintf(stderr, "bench_db_path: connection failed: %s", PQerrorMessage(pg_));
        while (!waiting_.empty()) {
            waiting_.front().ok = false;
            complete();
        }
    }

    PGconn* pg_;
    asio::posix::stream_descriptor socket_;
    bool pipeline_;
    std::string rows_;
    std::deque<Waiting> waiting_;
    bool reading_ = false;
    bool writing_ = false;
};

Figures run_libpq(const Load& load, bool pipeline) {
    asio::io_context io(1);
    std::vector<std::unique_ptr<AsyncConnection>> conns;
    for (int i = 0; i < load.connections; ++i)
        conns.push_back(std::make_unique<AsyncConnection>(io, load, pipeline));
    // Without a pipeline, a connection takes one statement at a time and the
    // rest wait here, as the pool's queue holds them; with one, each
    // connection takes up to its share of what is in flight.
    const std::size_t depth =
        pipeline
            ? static_cast<std::size_t>((load.in_flight + load.connections - 1) / load.connections)
            : 1;
    std::deque<Done> queue;
    std::function<void(AsyncConnection&, Done)> start;
    start = [&](AsyncConnection& c, Done done) {
        c.send([&start, &queue, &c, depth, done](bool ok) {
            done(ok);
            if (!queue.empty() && c.queued() < depth) {
                Done next = std::move(queue.front());
                queue.pop_front();
                start(c, std::move(next));
            }
        });
    };
    Send send = [&](Done done) {
        AsyncConnection* best = nullptr;
        for (auto& c : conns)
            if (c->queued() < depth && (!best || c->queued() < best->queued())) best = c.get();
        if (best)
            start(*best, std::move(done));
        else
            queue.push_back(std::move(done));
    };
    drive(io, load, 1.0, send);
    return drive(io, load, load.seconds, send);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "What one database request costs this process's CPU on each way of reaching "
        "PostgreSQL from an Asio I/O thread: the daemon's DbPool, libpq's "
        "non-blocking API on the I/O thread, and the same in pipeline mode.",
        "bench_db_path"};
    Load load;
    std::vector<std::string> modes{"pool", "async", "pipeline"};
    app.add_option("url", load.url, "PostgreSQL connection URL")->required();
    app.add_option("--in-flight", load.in_flight, "requests kept outstanding")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app.add_option("--connections", load.connections, "database connections")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--rows", load.rows, "rows the statement returns")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app.add_option("--seconds", load.seconds, "measured seconds of each mode")
        ->check(CLI::Range(0.1, 3600.0))
        ->capture_default_str();
    app.add_option("--modes", modes, "pool, async, pipeline, in this order")
        ->check(CLI::IsMember({"pool", "async", "pipeline"}))
        ->delimiter(',')
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    std::printf("| mode | queries/s | CPU µs per query | failed |\n|---|---|---|---|\n");
    for (const auto& mode : modes) {
        Figures f;
        try {
            f = mode == "pool" ? run_pool(load) : run_libpq(load, mode == "pipeline");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_db_path: %s: %s\n", mode.c_str(), e.what());
            return 1;
        }
        std::printf("| %s | %.0f | %.1f | %lld |\n", mode.c_str(), f.queries / f.wall,
                    f.queries ? f.cpu * 1e6 / static_cast<double>(f.queries) : 0.0, f.failed);
        std::fflush(stdout);
        if (f.failed > 0) return 1;
    }
    return 0;
}
