#pragma once
// Runs a program (the real bookingctl) the way a user's shell would: argv as a
// vector, optional stdin text, stdout and stderr captured separately, and a
// deadline after which the process is killed.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace booking::test {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal number when killed by a signal
    std::string out;
    std::string err;
    bool timed_out = false;
    long max_rss_kib = 0;  // the child's peak resident memory
    std::string command;   // for messages: the argv, shell-quoted
};

struct ProcessOptions {
    std::optional<std::string> stdin_text;  // nullopt: stdin is /dev/null
    std::chrono::milliseconds timeout{60000};
    // Variables to set (or, with nullopt, to remove) on top of the inherited environment.
    std::map<std::string, std::optional<std::string>> env;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// "a 'b c' d": argv as one could paste it into a shell.
std::string shell_quote(const std::vector<std::string>& argv);

// A TCP port on 127.0.0.1 that nothing listens on right now: for a server a
// test is about to start (or for one that must not be there).
int unused_port();

}  // namespace booking::test
