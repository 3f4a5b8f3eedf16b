#pragma once
// What every bookingctl command shares: the global flags, the configuration,
// one database connection, and the rule that a command is one transaction.
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>

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
};

class Context {
  public:
    GlobalOptions options;

    // Loaded on first use; ConfigError (exit 78) names the file, line and key.
    const booking::Config& config();
    const booking::BusinessZone& zone();
    booking::BookingPolicy policy();
    Format format() const;
    booking::Time now() const;

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

  private:
    std::optional<booking::Config> config_;
    std::unique_ptr<booking::BusinessZone> zone_;
    std::unique_ptr<pqxx::connection> connection_;
};

// Reads one line from standard input, without its newline (for --password-stdin).
std::string read_password_stdin();

}  // namespace bookingctl
