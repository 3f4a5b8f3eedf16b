#pragma once
// Waiting on a condition, never on the clock: a test polls what it waits for
// until a deadline, so it holds under ASan or TSan on a loaded machine (the
// deadline is generous; a passing run ends as soon as the condition holds).
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <thread>

namespace booking::test {

// True as soon as condition() holds, false when it still does not after
// `timeout`. The condition is checked once more at the deadline.
template <class Condition>
bool poll_until(Condition&& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = std::chrono::milliseconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

// How often `what` occurs in `text` (e.g. a daemon's log lines of one kind):
// "two more ticks" is then a condition to wait on.
inline std::size_t occurrences(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace booking::test
