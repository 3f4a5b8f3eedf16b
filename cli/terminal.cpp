#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace bookingctl {
namespace {

bool env_set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
}

// The terminal's height; 24 when it does not say.
long screen_rows() {
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0) return size.ws_row;
    return 24;
}

// Writes all of text to fd; false when the reader went away (EPIPE) or on another error.
bool write_all(int fd, const std::string& text) {
    const char* at = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, at, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        at += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

// Runs `command` with sh -c, feeding it text on stdin, as git does with its
// pager (LESS=FRX when LESS is unset, so a plain PAGER=less keeps colours).
// False when the pager could not be run at all (the caller prints the text).
bool run_pager(const std::string& command, const std::string& text) {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return false;
    }
    if (child == 0) {
        ::dup2(fds[0], STDIN_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::setenv("LESS", "FRX", 0);
        ::setenv("LV", "-c", 0);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[0]);
    // The reader may quit before reading everything (q in less): that is not an error.
    auto* previous = std::signal(SIGPIPE, SIG_IGN);
    write_all(fds[1], text);
    ::close(fds[1]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    std::signal(SIGPIPE, previous);
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
}

}  // namespace

bool colour_enabled() {
    static const bool enabled = [] {
        if (env_set("NO_COLOR") || !::isatty(STDOUT_FILENO)) return false;
        const char* term = std::getenv("TERM");
        return !(term && std::string(term) == "dumb");
    }();
    return enabled;
}

std::string paint(const std::string& text, Style style) {
    if (!colour_enabled() || text.empty()) return text;
    const char* code = "1";
    switch (style) {
        case Style::Bold:
            code = "1";
            break;
        case Style::Green:
            code = "32";
            break;
        case Style::Red:
            code = "31";
            break;
        case Style::Yellow:
            code = "33";
            break;
        case Style::Dim:
            code = "2";
            break;
    }
    return std::string("\x1b[") + code + "m" + text + "\x1b[0m";
}

std::string paint_status(const std::string& status) {
    if (status == "confirmed" || status == "sent") return paint(status, Style::Green);
    if (status == "cancelled" || status == "failed") return paint(status, Style::Red);
    if (status == "pending") return paint(status, Style::Yellow);
    if (status == "skipped") return paint(status, Style::Dim);
    return status;
}

struct Pager::Impl {
    std::ostringstream collected;
    std::streambuf* original = nullptr;
    bool finished = false;
};

Pager::Pager(const Context& ctx) {
    if (ctx.options.no_pager || ctx.format() != Format::Table || !::isatty(STDOUT_FILENO)) return;
    impl_ = new Impl;
    impl_->original = std::cout.rdbuf(impl_->collected.rdbuf());
}

Pager::~Pager() {
    if (!impl_) return;
    if (!impl_->finished) {
        // The command failed: show what it printed before its error, unpaged.
        std::cout.rdbuf(impl_->original);
        std::cout << impl_->collected.str();
    }
    delete impl_;
}

void Pager::finish() {
    if (!impl_ || impl_->finished) return;
    impl_->finished = true;
    std::cout.rdbuf(impl_->original);
    const std::string text = impl_->collected.str();
    long lines = 0;
    for (char c : text) lines += c == '\n';
    const char* pager = std::getenv("PAGER");
    std::string command = pager ? pager : "less -FRX";
    // One line stays free for the shell's prompt, as less -F would leave it.
    if (lines >= screen_rows() && !command.empty() && command != "cat") {
        std::cout.flush();
        if (run_pager(command, text)) return;
    }
    std::cout << text;
}

void add_yes_flag(CLI::App* command, Context& ctx) {
    command->add_flag("-y,--yes", ctx.options.yes, "Do not ask for confirmation");
}

void confirm(const Context& ctx, const std::string& question) {
    if (ctx.options.yes || !::isatty(STDIN_FILENO)) return;
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        std::cerr << '\n';
        throw NotConfirmed();
    }
    for (char& c : answer)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    while (!answer.empty() && (answer.back() == ' ' || answer.back() == '\r')) answer.pop_back();
    if (answer != "y" && answer != "yes") throw NotConfirmed();
}

}  // namespace bookingctl
