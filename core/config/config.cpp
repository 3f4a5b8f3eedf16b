#include "core/config/config.hpp"

#include <toml++/toml.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <variant>

#include "core/errors.hpp"
#include "core/time/business_time.hpp"

namespace booking {
namespace {

using Strings = std::vector<std::string>;
template <class T>
using Field = T* (*)(Config&);
using AnyField = std::variant<Field<std::string>, Field<int>, Field<long long>, Field<bool>,
                              Field<Seconds>, Field<Strings>>;

struct Key {
    const char* name;
    AnyField field;
    bool secret = false;
    bool reloadable = false;
};

// Every key of the file, in the order of SPEC §2.
const std::vector<Key>& keys() {
    static const std::vector<Key> table = {
        {"database.url", Field<std::string>([](Config& c) { return &c.database.url; }), true},
        {"database.pool_size", Field<int>([](Config& c) { return &c.database.pool_size; })},
        {"database.statement_timeout",
         Field<Seconds>([](Config& c) { return &c.database.statement_timeout; })},
        {"server.listen", Field<std::string>([](Config& c) { return &c.server.listen; })},
        {"server.threads", Field<int>([](Config& c) { return &c.server.threads; })},
        {"server.max_body_bytes",
         Field<long long>([](Config& c) { return &c.server.max_body_bytes; })},
        {"server.request_timeout",
         Field<Seconds>([](Config& c) { return &c.server.request_timeout; })},
        {"server.trusted_proxies",
         Field<Strings>([](Config& c) { return &c.server.trusted_proxies; })},
        {"server.cors_origins", Field<Strings>([](Config& c) { return &c.server.cors_origins; })},
        {"auth.jwt_secret", Field<std::string>([](Config& c) { return &c.auth.jwt_secret; }), true},
        {"auth.jwt_secret_file",
         Field<std::string>([](Config& c) { return &c.auth.jwt_secret_file; })},
        {"auth.token_ttl", Field<Seconds>([](Config& c) { return &c.auth.token_ttl; })},
        {"auth.login_max_failures",
         Field<int>([](Config& c) { return &c.auth.login_max_failures; })},
        {"auth.login_lockout", Field<Seconds>([](Config& c) { return &c.auth.login_lockout; })},
        {"auth.reset_ttl", Field<Seconds>([](Config& c) { return &c.auth.reset_ttl; })},
        {"auth.sign_in_link_ttl",
         Field<Seconds>([](Config& c) { return &c.auth.sign_in_link_ttl; })},
        {"business.name", Field<std::string>([](Config& c) { return &c.business.name; })},
        {"business.time_zone", Field<std::string>([](Config& c) { return &c.business.time_zone; })},
        {"business.slot_step", Field<Seconds>([](Config& c) { return &c.business.slot_step; })},
        {"business.min_notice", Field<Seconds>([](Config& c) { return &c.business.min_notice; })},
        {"business.horizon", Field<Seconds>([](Config& c) { return &c.business.horizon; })},
        {"business.cancel_notice",
         Field<Seconds>([](Config& c) { return &c.business.cancel_notice; })},
        {"business.reschedule_notice",
         Field<Seconds>([](Config& c) { return &c.business.reschedule_notice; })},
        {"business.assign", Field<std::string>([](Config& c) { return &c.business.assign; })},
        {"mail.transport", Field<std::string>([](Config& c) { return &c.mail.transport; })},
        {"mail.from", Field<std::string>([](Config& c) { return &c.mail.from; })},
        {"mail.spool_dir", Field<std::string>([](Config& c) { return &c.mail.spool_dir; })},
        {"mail.max_attempts", Field<int>([](Config& c) { return &c.mail.max_attempts; })},
        {"mail.retry_base", Field<Seconds>([](Config& c) { return &c.mail.retry_base; })},
        {"mail.templates_dir", Field<std::string>([](Config& c) { return &c.mail.templates_dir; })},
        {"mail.smtp.host", Field<std::string>([](Config& c) { return &c.mail.smtp.host; })},
        {"mail.smtp.port", Field<int>([](Config& c) { return &c.mail.smtp.port; })},
        {"mail.smtp.tls", Field<std::string>([](Config& c) { return &c.mail.smtp.tls; })},
        {"mail.smtp.username", Field<std::string>([](Config& c) { return &c.mail.smtp.username; })},
        {"mail.smtp.password_file",
         Field<std::string>([](Config& c) { return &c.mail.smtp.password_file; })},
        {"mail.smtp.timeout", Field<Seconds>([](Config& c) { return &c.mail.smtp.timeout; })},
        {"reminders.enabled", Field<bool>([](Config& c) { return &c.reminders.enabled; })},
        {"reminders.lead_time", Field<Seconds>([](Config& c) { return &c.reminders.lead_time; })},
        {"reminders.interval", Field<Seconds>([](Config& c) { return &c.reminders.interval; })},
        {"site.enabled", Field<bool>([](Config& c) { return &c.site.enabled; })},
        {"site.public_url", Field<std::string>([](Config& c) { return &c.site.public_url; })},
        {"site.dir", Field<std::string>([](Config& c) { return &c.site.dir; })},
        {"site.embed_origins", Field<Strings>([](Config& c) { return &c.site.embed_origins; })},
        {"webhooks.timeout", Field<Seconds>([](Config& c) { return &c.webhooks.timeout; })},
        {"webhooks.allow_private",
         Field<bool>([](Config& c) { return &c.webhooks.allow_private; })},
        {"log.level", Field<std::string>([](Config& c) { return &c.log.level; }), false, true},
        {"log.format", Field<std::string>([](Config& c) { return &c.log.format; })},
    };
    return table;
}

const Key* find_key(std::string_view name) {
    for (const auto& key : keys())
        if (name == key.name) return &key;
    return nullptr;
}

// "mail", "mail.smtp": a prefix of some key.
bool is_section(const std::string& name) {
    for (const auto& key : keys())
        if (std::string_view(key.name).rfind(name + ".", 0) == 0) return true;
    return false;
}

const char* type_name(const AnyField& field) {
    return std::visit(
        [](auto f) -> const char* {
            using T = std::remove_pointer_t<std::invoke_result_t<decltype(f), Config&>>;
            if constexpr (std::is_same_v<T, std::string>)
                return "string";
            else if constexpr (std::is_same_v<T, bool>)
                return "boolean";
            else if constexpr (std::is_same_v<T, Seconds>)
                return "duration";
            else if constexpr (std::is_same_v<T, Strings>)
                return "array of strings";
            else
                return "integer";
        },
        field);
}

// Where a setting came from, for error messages.
struct Origin {
    std::string source;
    std::map<std::string, int> lines;  // key -> line in the file

    [[noreturn]] void fail(const std::string& key, const std::string& why) const {
        // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on "a" + std::string.
        std::string message = source;
        if (auto it = lines.find(key); it != lines.end())
            message.append(":").append(std::to_string(it->second));
        message.append(": ").append(key).append(": ").append(why);
        throw ConfigError(message);
    }
};

void assign(Config& config, const Key& key, const toml::node& node, const Origin& origin) {
    auto wrong_type = [&] {
        origin.fail(key.name, std::string("expected ") + type_name(key.field));
    };
    std::visit(
        [&](auto f) {
            auto* target = f(config);
            using T = std::remove_pointer_t<decltype(target)>;
            if constexpr (std::is_same_v<T, std::string>) {
                if (!node.is_string()) wrong_type();
                *target = *node.value<std::string>();
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!node.is_boolean()) wrong_type();
                *target = *node.value<bool>();
            } else if constexpr (std::is_same_v<T, Seconds>) {
                if (!node.is_string()) wrong_type();
                try {
                    *target = parse_duration(*node.value<std::string>());
                } catch (const Invalid& e) {
                    origin.fail(key.name, e.message());
                }
            } else if constexpr (std::is_same_v<T, Strings>) {
                const auto* array = node.as_array();
                if (!array) wrong_type();
                target->clear();
                for (const auto& item : *array) {
                    if (!item.is_string()) wrong_type();
                    target->push_back(*item.value<std::string>());
                }
            } else {
                if (!node.is_integer()) wrong_type();
                auto value = *node.value<long long>();
                if (value < std::numeric_limits<T>::min() || value > std::numeric_limits<T>::max())
                    origin.fail(key.name, "out of range");
                *target = static_cast<T>(value);
            }
        },
        key.field);
}

void walk(const toml::table& table, const std::string& prefix, Config& config, Origin& origin,
          std::set<std::string>& seen) {
    for (const auto& [name, node] : table) {
        std::string full =
            prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
        origin.lines[full] = static_cast<int>(node.source().begin.line);
        if (const auto* sub = node.as_table(); sub && !find_key(full)) {
            if (!is_section(full) && sub->empty()) origin.fail(full, "unknown section");
            walk(*sub, full, config, origin, seen);
            continue;
        }
        const Key* key = find_key(full);
        if (!key) origin.fail(full, "unknown key");
        assign(config, *key, node, origin);
        seen.insert(full);
    }
}

void require(bool ok, const Origin& origin, const std::string& key, const std::string& why) {
    if (!ok) origin.fail(key, why);
}

void validate(const Config& c, const Origin& o) {
    require(c.database.pool_size >= 1 && c.database.pool_size <= 1000, o, "database.pool_size",
            "must be between 1 and 1000");
    require(c.server.threads >= 0 && c.server.threads <= 256, o, "server.threads",
            "must be between 0 and 256");
    require(c.server.max_body_bytes >= 1024 && c.server.max_body_bytes <= 64 * 1024 * 1024, o,
            "server.max_body_bytes", "must be between 1024 and 67108864");
    require(c.database.statement_timeout.count() > 0, o, "database.statement_timeout",
            "must be positive");
    require(c.server.request_timeout.count() > 0, o, "server.request_timeout", "must be positive");
    require(c.auth.token_ttl.count() > 0, o, "auth.token_ttl", "must be positive");
    require(c.auth.login_max_failures >= 1, o, "auth.login_max_failures", "must be at least 1");
    require(c.auth.reset_ttl.count() > 0, o, "auth.reset_ttl", "must be positive");
    require(c.auth.sign_in_link_ttl.count() > 0, o, "auth.sign_in_link_ttl", "must be positive");
    require(BusinessZone::exists(c.business.time_zone), o, "business.time_zone",
            "unknown time zone \"" + c.business.time_zone +
                "\" (use an IANA name such as Europe/London)");
    require(c.business.slot_step.count() >= 60 && c.business.slot_step.count() % 60 == 0, o,
            "business.slot_step", "must be whole minutes, at least 1m");
    require(c.business.min_notice.count() >= 0, o, "business.min_notice", "must not be negative");
    require(c.business.horizon.count() > 0, o, "business.horizon", "must be positive");
    require(c.business.horizon > c.business.min_notice, o, "business.horizon",
            "must be longer than business.min_notice, or nothing can be booked");
    require(c.business.assign == "least_busy" || c.business.assign == "first", o, "business.assign",
            "must be \"least_busy\" or \"first\"");
    const std::set<std::string> transports{"smtp", "file", "log"};
    require(transports.count(c.mail.transport), o, "mail.transport",
            "must be \"smtp\", \"file\" or \"log\"");
    require(c.mail.max_attempts >= 1, o, "mail.max_attempts", "must be at least 1");
    require(c.mail.retry_base.count() > 0, o, "mail.retry_base", "must be positive");
    require(c.mail.smtp.port >= 1 && c.mail.smtp.port <= 65535, o, "mail.smtp.port",
            "must be 1-65535");
    const std::set<std::string> tls{"none", "starttls", "tls"};
    require(tls.count(c.mail.smtp.tls), o, "mail.smtp.tls",
            "must be \"none\", \"starttls\" or \"tls\"");
    require(c.mail.smtp.timeout.count() > 0, o, "mail.smtp.timeout", "must be positive");
    require(c.reminders.lead_time.count() > 0, o, "reminders.lead_time", "must be positive");
    require(c.reminders.interval.count() > 0, o, "reminders.interval", "must be positive");
    require(c.site.public_url.empty() || c.site.public_url.rfind("https://", 0) == 0 ||
                c.site.public_url.rfind("http://", 0) == 0,
            o, "site.public_url", "must start with https:// (or http:// for a local test)");
    require(c.site.public_url.empty() || c.site.public_url.back() != '/', o, "site.public_url",
            "must not end with /");
    require(c.webhooks.timeout.count() > 0, o, "webhooks.timeout", "must be positive");
    const std::set<std::string> levels{"trace", "debug", "info", "warn", "error"};
    require(levels.count(c.log.level), o, "log.level",
            "must be one of trace, debug, info, warn, error");
    require(c.log.format == "text" || c.log.format == "json", o, "log.format",
            "must be \"text\" or \"json\"");
}

Config parse_into(std::string_view text, const std::string& source, Origin& origin) {
    Config config;
    config.source = source;
    origin.source = source;
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        throw ConfigError(source + ":" + std::to_string(e.source().begin.line) + ": " +
                          std::string(e.description()));
    }
    std::set<std::string> seen;
    walk(table, "", config, origin, seen);
    if (!seen.count("business.reschedule_notice"))
        config.business.reschedule_notice = config.business.cancel_notice;
    return config;
}

void apply_environment(Config& config, Origin& origin) {
    struct Override {
        const char* variable;
        std::string* target;
        const char* key;
    };
    const Override overrides[] = {
        {"BOOKING_DATABASE_URL", &config.database.url, "database.url"},
        {"BOOKING_LISTEN", &config.server.listen, "server.listen"},
        {"BOOKING_JWT_SECRET", &config.auth.jwt_secret, "auth.jwt_secret"},
    };
    for (const auto& o : overrides) {
        if (const char* value = std::getenv(o.variable); value && *value) {
            *o.target = value;
            origin.lines.erase(o.key);
        }
    }
}

std::string read_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw ConfigError(path + ": no such file");
    if (std::filesystem::is_directory(path, ec))
        throw ConfigError(path + ": is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": cannot be read (" + std::strerror(errno) + ")");
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

std::string redact_database_url(std::string_view url) {
    std::string out(url);
    // URI form: scheme://user:secret@host/db
    if (auto scheme = out.find("://"); scheme != std::string::npos) {
        std::size_t begin = scheme + 3;
        std::size_t end = out.find_first_of("/?", begin);
        std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
        if (at != std::string::npos && at > begin) {
            std::size_t colon = out.find(':', begin);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    // password=secret, as a URI parameter or a key=value pair ('quoted' or bare).
    for (std::size_t pos = out.find("password"); pos != std::string::npos;
         pos = out.find("password", pos + 1)) {
        std::size_t eq = out.find_first_not_of(' ', pos + 8);
        if (eq == std::string::npos || out[eq] != '=') continue;
        std::size_t begin = out.find_first_not_of(' ', eq + 1);
        if (begin == std::string::npos) break;
        std::size_t end;
        if (out[begin] == '\'') {
            end = begin + 1;
            while (end < out.size() && out[end] != '\'') end += (out[end] == '\\') ? 2 : 1;
            end = std::min(end + 1, out.size());
        } else {
            end = out.find_first_of(" &", begin);
            if (end == std::string::npos) end = out.size();
        }
        out.replace(begin, end - begin, "***");
    }
    return out;
}

std::vector<ConfigKeyInfo> config_keys() {
    std::vector<ConfigKeyInfo> out;
    for (const auto& key : keys())
        out.push_back({key.name, type_name(key.field), key.secret, key.reloadable});
    return out;
}

Config parse_config(std::string_view toml_text, const std::string& source_name) {
    Origin origin;
    Config config = parse_into(toml_text, source_name, origin);
    validate(config, origin);
    return config;
}

Config load_config(const std::optional<std::string>& explicit_path) {
    std::optional<std::string> path = explicit_path;
    if (!path) {
        if (const char* env = std::getenv("BOOKING_CONFIG"); env && *env) path = env;
    }
    if (!path) {
        std::error_code ec;
        if (std::filesystem::exists(kDefaultConfigPath, ec)) path = kDefaultConfigPath;
    }
    Origin origin;
    Config config;
    if (path) {
        config = parse_into(read_file(*path), *path, origin);
    } else {
        origin.source = config.source;
    }
    apply_environment(config, origin);
    validate(config, origin);
    return config;
}

std::string describe_config(const Config& const_config) {
    Config config = const_config;  // fields are reached through non-const accessors
    std::ostringstream out;
    out << "# effective settings (from " << config.source << ")\n";
    std::string section;
    for (const auto& key : keys()) {
        std::string name = key.name;
        auto dot = name.rfind('.');
        std::string table = name.substr(0, dot);
        if (table != section) {
            out << (section.empty() ? "" : "\n") << "[" << table << "]\n";
            section = table;
        }
        out << name.substr(dot + 1) << " = ";
        std::visit(
            [&](auto f) {
                const auto& value = *f(config);
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    if (key.secret && name == "database.url")
                        out << toml::value<std::string>(redact_database_url(value));
                    else if (key.secret)
                        out << (value.empty()
                                    ? "\"\""
                                    : "\"(set, " + std::to_string(value.size()) + " bytes)\"");
                    else
                        out << toml::value<std::string>(value);
                } else if constexpr (std::is_same_v<T, bool>) {
                    out << (value ? "true" : "false");
                } else if constexpr (std::is_same_v<T, Seconds>) {
                    out << '"' << format_duration(value) << '"';
                } else if constexpr (std::is_same_v<T, Strings>) {
                    toml::array array;
                    for (const auto& s : value) array.push_back(s);
                    out << array;
                } else {
                    out << value;
                }
            },
            key.field);
        out << "\n";
    }
    return out.str();
}

}  // namespace booking
