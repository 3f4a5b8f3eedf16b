#pragma once
// The configuration of bookingd and bookingctl (SPEC §2): one struct, filled
// from built-in defaults, then the TOML file, then environment overrides.
// Every key lives once, in the table of config_keys() in config.cpp, which
// drives parsing, --check-config and the man page test.
#include <optional>
#include <string>
#include <vector>

#include "core/config/duration.hpp"

namespace booking {

struct Config {
    struct Database {
        std::string url = "postgresql:///booking";
        int pool_size = 8;
        Seconds statement_timeout{5};
    } database;
    struct Server {
        std::string listen = "127.0.0.1:8080";
        int threads = 0;
        long long max_body_bytes = 65536;
        Seconds request_timeout{30};
        std::vector<std::string> trusted_proxies;
        std::vector<std::string> cors_origins;
    } server;
    struct Auth {
        std::string jwt_secret;
        std::string jwt_secret_file;
        Seconds token_ttl{3600};
        int login_max_failures = 5;
        Seconds login_lockout{900};
        Seconds reset_ttl{3600};
        Seconds sign_in_link_ttl{900};
    } auth;
    struct Business {
        std::string name = "Example Studio";
        std::string time_zone = "Europe/London";
        Seconds slot_step{1800};
        Seconds min_notice{3600};
        Seconds horizon{60 * 86400};
        Seconds cancel_notice{7200};
        Seconds reschedule_notice{7200};    // defaults to cancel_notice
        std::string assign = "least_busy";  // or "first"
    } business;
    struct Mail {
        std::string transport = "file";
        std::string from = "Example Studio <bookings@example.com>";
        std::string spool_dir = "/var/lib/bookingd/mail";
        int max_attempts = 8;
        Seconds retry_base{60};
        std::string templates_dir;
        struct Smtp {
            std::string host = "localhost";
            int port = 25;
            std::string tls = "none";
            std::string username;
            std::string password_file;
            Seconds timeout{10};
        } smtp;
    } mail;
    struct Reminders {
        bool enabled = true;
        Seconds lead_time{86400};
        Seconds interval{60};
    } reminders;
    struct Site {
        bool enabled = true;
        std::string public_url;  // links in emails and feed URLs start with it; none while empty
        std::string dir;         // files here override the built-in site files
        std::vector<std::string> embed_origins;
    } site;
    struct Webhooks {
        Seconds timeout{15};
        bool allow_private = false;
    } webhooks;
    struct Log {
        std::string level = "info";
        std::string format = "text";
    } log;

    // Where the settings came from: a file path, or "built-in defaults".
    std::string source = "built-in defaults";
};

// One documented key of the file, e.g. "business.time_zone".
struct ConfigKeyInfo {
    std::string name;
    std::string type;  // string, integer, boolean, duration, array of strings
    bool secret;
    bool reloadable;  // applied on SIGHUP without a restart
};
std::vector<ConfigKeyInfo> config_keys();

// The default path, and the environment variables read (SPEC §2).
inline constexpr const char* kDefaultConfigPath = "/etc/bookingd/bookingd.toml";

// Loads the configuration: explicit_path if given, else $BOOKING_CONFIG, else
// kDefaultConfigPath if it exists, else the defaults; then the environment
// overrides. Throws ConfigError naming the file, line and key.
Config load_config(const std::optional<std::string>& explicit_path);

// Parses TOML text as if read from `source_name` (no environment overrides).
Config parse_config(std::string_view toml_text, const std::string& source_name);

// The database URL with any password replaced by ***, for messages and logs.
std::string redact_database_url(std::string_view url);

// The effective settings as TOML, with secrets replaced by a note that they are set.
std::string describe_config(const Config& config);

}  // namespace booking
