// Terminal manners of bookingctl (SPEC §5) in a real terminal: tmux runs a
// shell, the test types commands and reads the screen. On a terminal: long
// tables go through the pager, cancelling asks [y/N], statuses and headers have
// colour (not with NO_COLOR). Piped: none of these.
#include <chrono>
#include <functional>
#include <thread>

#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

constexpr const char* kTmux = "/usr/bin/tmux";

// One tmux server (its own socket) with one 80x24 window running bash.
class Terminal {
  public:
    explicit Terminal(const std::string& dir) : socket_(dir + "/tmux.sock") {
        auto run = tmux({"-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-s", "t",
                         "bash --norc --noprofile"});
        if (run.exit_code != 0) throw std::runtime_error("tmux new-session: " + run.err);
        // A plain prompt, and nothing from the test's own environment that bookingctl reads.
        type("PS1='$ '; unset NO_COLOR PAGER LESS BOOKING_CONFIG BOOKING_DATABASE_URL; clear");
        wait_for([](const std::string& s) { return s.rfind("$ ") == 0; });
    }
    ~Terminal() { tmux({"kill-server"}); }

    // Types a line and presses Enter.
    void type(const std::string& line) {
        tmux({"send-keys", "-t", "t", "-l", line});
        tmux({"send-keys", "-t", "t", "Enter"});
    }
    void key(const std::string& name) { tmux({"send-keys", "-t", "t", name}); }
    // Runs a command line and leaves "[exit N]" on the screen when it ends.
    // The screen is cleared first, and seen cleared, so that no "[exit N]" of the
    // command before can be taken for this one's.
    void run(const std::string& command) {
        type("clear");
        wait_for([](const std::string& s) {
            return s.rfind("$ ", 0) == 0 && s.find("[exit") == std::string::npos;
        });
        type(command + "; echo \"[exit $?]\"");
    }

    // The visible screen; with `escapes`, with its colours and attributes as escape sequences.
    std::string screen(bool escapes = false) {
        // -J: a line the terminal wrapped comes back as one.
        std::vector<std::string> args = {"capture-pane", "-p", "-J", "-t", "t"};
        if (escapes) args.push_back("-e");
        return tmux(args).out;
    }

    // Waits (up to 30 s) until the screen satisfies `ready`; returns the screen.
    std::string wait_for(const std::function<bool(const std::string&)>& ready,
                         bool escapes = false) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        std::string now = screen(escapes);
        while (!ready(now)) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("the terminal never showed what was expected:\n" + now);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            now = screen(escapes);
        }
        return now;
    }
    std::string wait_for_text(const std::string& text, bool escapes = false) {
        return wait_for([&](const std::string& s) { return s.find(text) != std::string::npos; },
                        escapes);
    }

  private:
    ProcessResult tmux(std::vector<std::string> args) {
        args.insert(args.begin(), {kTmux, "-S", socket_});
        ProcessOptions options;
        options.env["TMUX"] = std::nullopt;
        options.env["TERM"] = "xterm-256color";
        options.timeout = std::chrono::seconds(20);
        return run_process(args, options);
    }

    std::string socket_;
};

std::string last_nonblank_line(const std::string& screen) {
    auto lines = lines_of(screen);
    while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string::npos)
        lines.pop_back();
    return lines.empty() ? "" : lines.back();
}

class TerminalManners : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        seed_service("consultation", "Consultation", 60);
        ann = seed_user("ann@example.com", "Ann Smith");
        terminal = std::make_unique<Terminal>(work_dir());
    }
    void TearDown() override {
        terminal.reset();
        BookingctlTest::TearDown();
    }

    // The command line of bookingctl with this test's config.
    std::string bookingctl(const std::string& args) {
        return shell_quote({bookingctl_path(), "--config", config_path()}) + " " + args;
    }

    void seed_many_bookings(int n) {
        pqxx::work tx(db());
        tx.exec_params0(
            "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
            "blocked_until) SELECT $1, s.id, r.id, t, t + interval '1 hour', t + interval '1 hour' "
            "FROM services s, resources r, generate_series(date_trunc('day', now()) + interval "
            "'1 day', date_trunc('day', now()) + interval '1 day' + ($2 - 1) * interval '1 hour', "
            "interval '1 hour') t WHERE r.code = 'main'",
            ann, n);
        tx.commit();
    }

    long long ann = 0;
    std::unique_ptr<Terminal> terminal;
};

TEST_F(TerminalManners, ALongListGoesThroughThePagerOnlyOnATerminal) {
    seed_many_bookings(60);
    terminal->run(bookingctl("bookings list"));
    // less -FRX waits at its ":" prompt with the first screenful shown.
    auto paged =
        terminal->wait_for([](const std::string& s) { return last_nonblank_line(s) == ":"; });
    EXPECT_NE(paged.find("START"), std::string::npos) << paged;
    EXPECT_EQ(paged.find("[exit 0]"), std::string::npos) << "exited without a pager:\n" << paged;
    terminal->key("q");
    terminal->wait_for_text("[exit 0]");

    // Piped, or with --no-pager: straight through, nothing waits.
    terminal->run(bookingctl("bookings list | tail -n 3"));
    auto piped = terminal->wait_for_text("[exit 0]");
    EXPECT_NE(last_nonblank_line(piped), ":") << piped;
    terminal->run(bookingctl("--no-pager bookings list"));
    auto unpaged = terminal->wait_for_text("[exit 0]");
    EXPECT_NE(unpaged.find("confirmed"), std::string::npos) << unpaged;

    // Output that fits the screen is printed, not paged.
    terminal->run(bookingctl("bookings list --limit 5"));
    auto short_list = terminal->wait_for_text("[exit 0]");
    EXPECT_NE(short_list.find("55 more bookings not shown"), std::string::npos) << short_list;
}

TEST_F(TerminalManners, StatusesAndHeadersHaveColourOnlyOnATerminalWithoutNoColor) {
    seed_booking(ann, "consultation", "main", local_date(1) + " 10:00");
    terminal->run(bookingctl("bookings list"));
    auto coloured = terminal->wait_for_text("[exit 0]", true);
    EXPECT_NE(coloured.find("\x1b[1m"), std::string::npos) << "no bold header:\n" << coloured;
    EXPECT_NE(coloured.find("\x1b[32mconfirmed"), std::string::npos) << coloured;

    terminal->run("NO_COLOR=1 " + bookingctl("bookings list"));
    auto no_color = terminal->wait_for_text("[exit 0]", true);
    EXPECT_NE(no_color.find("confirmed"), std::string::npos) << no_color;
    EXPECT_EQ(no_color.find("\x1b["), std::string::npos) << no_color;

    terminal->run(bookingctl("bookings list | cat"));
    auto piped = terminal->wait_for_text("[exit 0]", true);
    EXPECT_NE(piped.find("confirmed"), std::string::npos) << piped;
    EXPECT_EQ(piped.find("\x1b["), std::string::npos) << piped;
}

TEST_F(TerminalManners, CancellingAsksFirstAndNoChangesNothing) {
    long long id = seed_booking(ann, "consultation", "main", local_date(2) + " 10:00");
    const std::string before = snapshot();
    terminal->run(bookingctl("bookings cancel " + std::to_string(id)));
    auto asked = terminal->wait_for_text("[y/N]");
    EXPECT_NE(asked.find("Cancel booking " + std::to_string(id)), std::string::npos) << asked;
    EXPECT_NE(asked.find("Ann Smith <ann@example.com>"), std::string::npos) << asked;
    terminal->type("n");
    auto declined = terminal->wait_for_text("[exit 1]");
    EXPECT_NE(declined.find("nothing was changed"), std::string::npos) << declined;
    EXPECT_EQ(snapshot(), before);

    terminal->run(bookingctl("bookings cancel " + std::to_string(id)));
    terminal->wait_for_text("[y/N]");
    terminal->type("y");
    terminal->wait_for_text("[exit 0]");
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(id)), "cancelled");
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'cancellation' AND booking_id = " +
                     std::to_string(id)),
              1);

    // --yes, and stdin that is not a terminal, do not ask.
    long long other = seed_booking(ann, "consultation", "main", local_date(3) + " 10:00");
    terminal->run(bookingctl("bookings cancel --yes " + std::to_string(other)));
    auto yes = terminal->wait_for_text("[exit 0]");
    EXPECT_EQ(yes.find("[y/N]"), std::string::npos) << yes;
    long long third = seed_booking(ann, "consultation", "main", local_date(4) + " 10:00");
    terminal->run("echo n | " + bookingctl("bookings cancel " + std::to_string(third)));
    auto piped = terminal->wait_for_text("[exit 0]");
    EXPECT_EQ(piped.find("[y/N]"), std::string::npos) << piped;
    EXPECT_EQ(number("SELECT count(*) FROM bookings WHERE status = 'cancelled'"), 3);
}

TEST_F(TerminalManners, RemovingASlotWithItsBookingsAndDisablingAUserAsk) {
    const std::string day = local_date(2);
    long long slot = seed_slot("main", day + " 09:00", day + " 17:00");
    long long id = seed_booking(ann, "consultation", "main", day + " 10:00");
    terminal->run(bookingctl("slots remove --cancel-bookings " + std::to_string(slot)));
    terminal->wait_for_text("[y/N]");
    terminal->type("");  // Enter alone is no
    terminal->wait_for_text("[exit 1]");
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 1);
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(id)), "confirmed");

    terminal->run(bookingctl("slots remove --cancel-bookings " + std::to_string(slot)));
    terminal->wait_for_text("[y/N]");
    terminal->type("yes");
    terminal->wait_for_text("[exit 0]");
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 0);
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(id)), "cancelled");

    terminal->run(bookingctl("users disable ann@example.com"));
    auto asked = terminal->wait_for_text("[y/N]");
    EXPECT_NE(asked.find("Disable Ann Smith <ann@example.com>?"), std::string::npos) << asked;
    terminal->type("N");
    terminal->wait_for_text("[exit 1]");
    EXPECT_EQ(text("SELECT disabled_at IS NULL FROM users WHERE id = " + std::to_string(ann)), "t");
}

}  // namespace
}  // namespace booking::test
