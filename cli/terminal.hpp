#pragma once
// Terminal manners, in one place for every command (SPEC §5): colour only on a
// terminal and never with NO_COLOR; long table output through $PAGER only when
// stdout is a terminal; a [y/N] question before anything that cancels bookings
// or disables a user, only when stdin is a terminal. Scripts and cron (pipes,
// files, no stdin) see none of these.
#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>

#include "cli/context.hpp"

namespace bookingctl {

// True when standard output is a terminal, NO_COLOR is unset or empty and TERM is not "dumb".
bool colour_enabled();

enum class Style { Bold, Green, Red, Yellow, Dim };
// The text wrapped in the style's ANSI escapes when colour_enabled(), else the text.
std::string paint(const std::string& text, Style style);
// A status (booking confirmed/cancelled, email sent/pending/failed/skipped) painted by its meaning.
std::string paint_status(const std::string& status);

// Collects standard output while a table command runs on a terminal, then
// shows it through $PAGER (default "less -FRX"; empty or "cat": none) when it
// is longer than the screen. Does nothing for --no-pager, JSON/CSV or a
// stdout that is not a terminal.
class Pager {
  public:
    explicit Pager(const Context& ctx);
    ~Pager();
    // Writes what was collected, through the pager when it is long. Call once, after the command.
    void finish();

    Pager(const Pager&) = delete;
    Pager& operator=(const Pager&) = delete;

  private:
    struct Impl;
    Impl* impl_ = nullptr;
};

// The person at the terminal answered no: nothing was changed (exit 1).
class NotConfirmed : public std::runtime_error {
  public:
    NotConfirmed() : std::runtime_error("not confirmed: nothing was changed") {}
};

// Adds -y/--yes ("do not ask") to a command that asks before it acts.
void add_yes_flag(CLI::App* command, Context& ctx);

// Asks `question` with " [y/N] " on stderr and reads the answer from stdin when
// stdin is a terminal and --yes was not given; throws NotConfirmed unless the
// answer is y or yes. Without a terminal (scripts, cron) it does not ask.
void confirm(const Context& ctx, const std::string& question);

}  // namespace bookingctl
