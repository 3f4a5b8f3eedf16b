#pragma once
// What every bookingctl command shares: the global flags, the configuration,
// one database connection, and the rule that a command is one transaction.
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/bookings/rules.hpp"
#include "core/config/config.hpp"
#include "core/time/business_time.hpp"

namespace bookingctl {

enum class Format { Table, Json, Csv };

struct GlobalOptions {
    std::optional<std::string> config_path;
    std::optional<std::string> database_url;
    std::string format = "table";
    bool quiet = false;
    bool no_pager = false;  // --no-pager
    bool yes = false;       // --yes: no confirmation prompts
};

class Context {
  public:
    GlobalOptions options;

    // Loaded on first use; ConfigError (exit 78) names the file, line and key.
    const booking::Config& config();
    const booking::BusinessZone& zone();
    booking::BookingPolicy policy();
    Format format() const;
    // The clock. BOOKINGCTL_TEST_NOW (RFC 3339) replaces it: for tests only,
    // so that "today", DST days and weekdays can be tried on any day.
    booking::Time now() const;
    // The business's local date now: what "today" means on the command line.
    booking::Date today();

    // Every statement has database.statement_timeout, unless lifted for this
    // run by unbounded_statements() (exports, migrations).
    pqxx::connection& connection();
    void unbounded_statements();

    // Runs fn(tx) in one transaction and commits; on any error nothing is written.
    template <class F>
    auto transaction(F&& fn) {
        pqxx::work tx(connection());
        if constexpr (std::is_void_v<decltype(fn(tx))>) {
            fn(tx);
            tx.commit();
        } else {
            auto result = fn(tx);
            tx.commit();
            return result;
        }
    }

    // A message for the person at the terminal (stderr), unless --quiet.
    void say(const std::string& text) const;
    // A message said after the command's data (and its pager) is out: a
    // footnote such as "25 more bookings not shown" stays below the table.
    void say_after(const std::string& text) { after_.push_back(text); }
    void say_deferred() {
        for (const auto& text : after_) say(text);
        after_.clear();
    }

  private:
    std::optional<booking::Config> config_;
    std::unique_ptr<booking::BusinessZone> zone_;
    std::unique_ptr<pqxx::connection> connection_;
    std::vector<std::string> after_;
};

// Reads one line from standard input, without its newline (for --password-stdin).
std::string read_password_stdin();

}  // namespace bookingctl
