#include "tests/support/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

extern char** environ;

namespace booking::test {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int fds[2];
        // O_CLOEXEC: children spawned concurrently by other threads must not
        // inherit our ends (a stray write end would keep a reader from seeing EOF).
        if (pipe2(fds, O_CLOEXEC) != 0) fail("pipe2");
        read_end = fds[0];
        write_end = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (read_end >= 0) ::close(read_end);
        read_end = -1;
    }
    void close_write() {
        if (write_end >= 0) ::close(write_end);
        write_end = -1;
    }
};

std::vector<std::string> build_environment(const ProcessOptions& options) {
    std::vector<std::string> result;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string item(*entry);
        std::string name = item.substr(0, item.find('='));
        if (options.env.contains(name)) continue;
        result.push_back(std::move(item));
    }
    for (const auto& [name, value] : options.env) {
        if (value) result.push_back(name + "=" + *value);
    }
    return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

std::string shell_quote(const std::vector<std::string>& argv) {
    std::string result;
    for (const auto& arg : argv) {
        if (!result.empty()) result += ' ';
        bool plain = !arg.empty() && arg.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:@,+%") == std::string::npos;
        if (plain) {
            result += arg;
            continue;
        }
        result += '\'';
        for (char c : arg) {
            if (c == '\'')
                result += "'\\''";
            else
                result += c;
        }
        result += '\'';
    }
    return result;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    static std::once_flag ignore_sigpipe;
    // A child that exits without reading its stdin must not kill the test.
    std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });

    ProcessResult result;
    result.command = shell_quote(argv);
    if (argv.empty()) throw std::invalid_argument("run_process: empty argv");

    Pipe in, out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (options.stdin_text) {
        posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);

    std::vector<std::string> args = argv;
    std::vector<std::string> env = build_environment(options);
    auto arg_ptrs = pointers(args);
    auto env_ptrs = pointers(env);
    pid_t pid = -1;
    int rc =
        ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        errno = rc;
        fail("posix_spawn " + argv[0]);
    }
    in.close_read();
    out.close_write();
    err.close_write();

    const std::string stdin_text = options.stdin_text.value_or("");
    size_t written = 0;
    if (!options.stdin_text || stdin_text.empty()) in.close_write();
    if (in.write_end >= 0) set_nonblocking(in.write_end);

    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    while (out.read_end >= 0 || err.read_end >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[3];
        nfds_t n = 0;
        auto watch = [&](int fd, short events) {
            if (fd >= 0) fds[n++] = pollfd{fd, events, 0};
        };
        watch(out.read_end, POLLIN);
        watch(err.read_end, POLLIN);
        watch(in.write_end, POLLOUT);
        int ready = ::poll(fds, n, static_cast<int>(left.count()));
        if (ready < 0) {
            if (errno == EINTR) continue;
            fail("poll");
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (fds[i].revents == 0) continue;
            if (fds[i].fd == in.write_end) {
                ssize_t w =
                    ::write(in.write_end, stdin_text.data() + written, stdin_text.size() - written);
                if (w > 0) written += static_cast<size_t>(w);
                if (w < 0 && errno != EAGAIN && errno != EINTR)
                    in.close_write();  // EPIPE: child closed stdin
                if (written == stdin_text.size()) in.close_write();
                continue;
            }
            Pipe& source = fds[i].fd == out.read_end ? out : err;
            std::string& sink = fds[i].fd == out.read_end ? result.out : result.err;
            char buffer[65536];
            ssize_t r = ::read(source.read_end, buffer, sizeof buffer);
            if (r > 0) {
                sink.append(buffer, static_cast<size_t>(r));
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                source.close_read();
            }
        }
    }
    in.close_write();

    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) fail("wait4");
    }
    result.max_rss_kib = usage.ru_maxrss;
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exit_code = 128 + WTERMSIG(status);
    return result;
}

int unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

}  // namespace booking::test
