// bookingd.toml as an operator writes it: values land where they should, and
// every mistake is reported with the file, the line and the key.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/config/config.hpp"
#include "core/errors.hpp"

namespace booking {
namespace {

using std::chrono::seconds;

// The error message parse_config throws for `text`, or a failure if it accepts it.
std::string config_error(const std::string& text) {
    try {
        parse_config(text, "/etc/bookingd/studio.toml");
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config);
        return e.what();
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return "";
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST(Config, EmptyFileGivesTheDocumentedDefaults) {
    Config c = parse_config("", "empty.toml");
    EXPECT_EQ(c.source, "empty.toml");
    EXPECT_EQ(c.database.url, "postgresql:///booking");
    EXPECT_EQ(c.database.pool_size, 8);
    EXPECT_EQ(c.server.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.server.request_timeout, seconds(30));
    EXPECT_EQ(c.business.time_zone, "Europe/London");
    EXPECT_EQ(c.business.slot_step, seconds(1800));
    EXPECT_EQ(c.business.min_notice, seconds(3600));
    EXPECT_EQ(c.business.horizon, seconds(60 * 86400));
    EXPECT_EQ(c.business.cancel_notice, seconds(7200));
    EXPECT_EQ(c.business.reschedule_notice, seconds(7200));
    EXPECT_EQ(c.mail.retry_base, seconds(60));
    EXPECT_EQ(c.reminders.lead_time, seconds(86400));
    EXPECT_TRUE(c.reminders.enabled);
}

TEST(Config, ReadsEverySectionOfTheDocumentedExample) {
    Config c = parse_config(R"(
[database]
url = "postgresql://booking@db.internal/booking"
pool_size = 16

[server]
listen = "[::1]:9090"
threads = 4
max_body_bytes = 131072
request_timeout = "45s"
trusted_proxies = ["10.0.0.1", "10.0.0.2"]

[auth]
jwt_secret_file = "/run/secrets/jwt"
token_ttl = "2h"
login_max_failures = 3
login_lockout = "30m"

[business]
name = "Hair by Ann"
time_zone = "America/New_York"
slot_step = "15m"
min_notice = "3h"
horizon = "90d"
cancel_notice = "1d"
reschedule_notice = "12h"

[mail]
transport = "smtp"
from = "Ann <ann@example.com>"
max_attempts = 4
retry_base = "2m"
[mail.smtp]
host = "smtp.example.com"
port = 587
tls = "starttls"
timeout = "20s"

[reminders]
enabled = false
lead_time = "1d"
interval = "5m"

[log]
level = "debug"
format = "json"
)",
                            "example.toml");
    EXPECT_EQ(c.database.url, "postgresql://booking@db.internal/booking");
    EXPECT_EQ(c.database.pool_size, 16);
    EXPECT_EQ(c.server.listen, "[::1]:9090");
    EXPECT_EQ(c.server.threads, 4);
    EXPECT_EQ(c.server.max_body_bytes, 131072);
    EXPECT_EQ(c.server.request_timeout, seconds(45));
    EXPECT_EQ(c.server.trusted_proxies, (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
    EXPECT_EQ(c.auth.jwt_secret_file, "/run/secrets/jwt");
    EXPECT_EQ(c.auth.token_ttl, seconds(7200));
    EXPECT_EQ(c.auth.login_max_failures, 3);
    EXPECT_EQ(c.auth.login_lockout, seconds(1800));
    EXPECT_EQ(c.business.name, "Hair by Ann");
    EXPECT_EQ(c.business.time_zone, "America/New_York");
    EXPECT_EQ(c.business.slot_step, seconds(900));
    EXPECT_EQ(c.business.min_notice, seconds(3 * 3600));
    EXPECT_EQ(c.business.horizon, seconds(90 * 86400));
    EXPECT_EQ(c.business.cancel_notice, seconds(86400));
    EXPECT_EQ(c.business.reschedule_notice, seconds(12 * 3600));
    EXPECT_EQ(c.mail.transport, "smtp");
    EXPECT_EQ(c.mail.max_attempts, 4);
    EXPECT_EQ(c.mail.retry_base, seconds(120));
    EXPECT_EQ(c.mail.smtp.host, "smtp.example.com");
    EXPECT_EQ(c.mail.smtp.port, 587);
    EXPECT_EQ(c.mail.smtp.tls, "starttls");
    EXPECT_EQ(c.mail.smtp.timeout, seconds(20));
    EXPECT_FALSE(c.reminders.enabled);
    EXPECT_EQ(c.reminders.interval, seconds(300));
    EXPECT_EQ(c.log.level, "debug");
    EXPECT_EQ(c.log.format, "json");
}

TEST(Config, RescheduleNoticeDefaultsToCancelNotice) {
    Config c = parse_config("[business]\ncancel_notice = \"1d\"\n", "a.toml");
    EXPECT_EQ(c.business.cancel_notice, seconds(86400));
    EXPECT_EQ(c.business.reschedule_notice, seconds(86400));

    Config d =
        parse_config("[business]\ncancel_notice = \"1d\"\nreschedule_notice = \"3h\"\n", "b.toml");
    EXPECT_EQ(d.business.reschedule_notice, seconds(3 * 3600));
}

TEST(Config, UnknownKeyNamesFileLineAndKey) {
    std::string e = config_error("[business]\nname = \"Studio\"\ncolour = \"red\"\n");
    EXPECT_CONTAINS(e, "/etc/bookingd/studio.toml:3");
    EXPECT_CONTAINS(e, "business.colour");
    EXPECT_CONTAINS(e, "unknown key");
}

TEST(Config, UnknownSectionIsAnError) {
    std::string e = config_error("[busines]\nname = \"Studio\"\n");
    EXPECT_CONTAINS(e, "studio.toml:2");
    EXPECT_CONTAINS(e, "busines.name");
}

TEST(Config, WrongTypeNamesFileLineKeyAndExpectedType) {
    std::string e = config_error("[database]\n\npool_size = \"eight\"\n");
    EXPECT_CONTAINS(e, "studio.toml:3");
    EXPECT_CONTAINS(e, "database.pool_size");
    EXPECT_CONTAINS(e, "integer");

    e = config_error("[business]\nslot_step = 30\n");
    EXPECT_CONTAINS(e, "studio.toml:2");
    EXPECT_CONTAINS(e, "business.slot_step");
    EXPECT_CONTAINS(e, "duration");

    e = config_error("[server]\ntrusted_proxies = [\"10.0.0.1\", 7]\n");
    EXPECT_CONTAINS(e, "studio.toml:2");
    EXPECT_CONTAINS(e, "server.trusted_proxies");

    e = config_error("[reminders]\nenabled = \"yes\"\n");
    EXPECT_CONTAINS(e, "reminders.enabled");
    EXPECT_CONTAINS(e, "boolean");
}

TEST(Config, BadDurationNamesFileLineKeyAndQuotesTheValue) {
    std::string e = config_error("[auth]\ntoken_ttl = \"1h\"\nlogin_lockout = \"15 minutes\"\n");
    EXPECT_CONTAINS(e, "studio.toml:3");
    EXPECT_CONTAINS(e, "auth.login_lockout");
    EXPECT_CONTAINS(e, "\"15 minutes\"");
}

TEST(Config, UnknownTimeZoneNamesFileLineAndKey) {
    std::string e = config_error("[business]\nname = \"Studio\"\ntime_zone = \"Europe/Londn\"\n");
    EXPECT_CONTAINS(e, "studio.toml:3");
    EXPECT_CONTAINS(e, "business.time_zone");
    EXPECT_CONTAINS(e, "Europe/Londn");
}

TEST(Config, OutOfRangeAndUnknownChoicesAreRefused) {
    EXPECT_CONTAINS(config_error("[database]\npool_size = 0\n"), "database.pool_size");
    EXPECT_CONTAINS(config_error("[mail.smtp]\nport = 70000\n"), "mail.smtp.port");
    EXPECT_CONTAINS(config_error("[mail]\ntransport = \"pigeon\"\n"), "mail.transport");
    EXPECT_CONTAINS(config_error("[log]\nlevel = \"loud\"\n"), "log.level");
    EXPECT_CONTAINS(config_error("[business]\nslot_step = \"90s\"\n"), "business.slot_step");
    EXPECT_CONTAINS(config_error("[database]\npool_size = 99999999999\n"), "database.pool_size");
}

TEST(Config, SyntaxErrorNamesFileAndLine) {
    std::string e = config_error("[business]\nname = \"Studio\"\nslot_step = \n");
    EXPECT_CONTAINS(e, "/etc/bookingd/studio.toml:3");
}

TEST(Config, RedactsDatabasePasswords) {
    std::string uri = redact_database_url("postgresql://ann:s3cret@db/booking");
    EXPECT_EQ(uri.find("s3cret"), std::string::npos) << uri;
    EXPECT_CONTAINS(uri, "ann");
    EXPECT_CONTAINS(uri, "db/booking");

    std::string kv = redact_database_url("host=db user=ann password=s3cret dbname=booking");
    EXPECT_EQ(kv.find("s3cret"), std::string::npos) << kv;
    EXPECT_CONTAINS(kv, "dbname=booking");

    EXPECT_EQ(redact_database_url("postgresql:///booking"), "postgresql:///booking");
}

TEST(Config, DescriptionShowsSettingsButNoSecrets) {
    Config c = parse_config(R"(
[database]
url = "postgresql://ann:s3cret@db/booking"
[auth]
jwt_secret = "0123456789abcdef0123456789abcdef-topsecret"
[business]
slot_step = "15m"
)",
                            "studio.toml");
    std::string text = describe_config(c);
    EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
    EXPECT_EQ(text.find("topsecret"), std::string::npos) << text;
    EXPECT_CONTAINS(text, "slot_step = \"15m\"");
    EXPECT_CONTAINS(text, "studio.toml");
}

TEST(Config, KeyTableListsEveryDocumentedKeyAndMarksSecrets) {
    auto keys = config_keys();
    auto find = [&](const std::string& name) {
        return std::find_if(keys.begin(), keys.end(),
                            [&](const auto& k) { return k.name == name; });
    };
    for (const char* name :
         {"database.url", "server.trusted_proxies", "auth.jwt_secret_file",
          "business.reschedule_notice", "mail.smtp.timeout", "reminders.interval", "log.format"})
        EXPECT_NE(find(name), keys.end()) << name;
    ASSERT_NE(find("auth.jwt_secret"), keys.end());
    EXPECT_TRUE(find("auth.jwt_secret")->secret);
    EXPECT_TRUE(find("database.url")->secret);
    EXPECT_FALSE(find("business.name")->secret);
    EXPECT_EQ(find("business.horizon")->type, "duration");
    EXPECT_TRUE(find("log.level")->reloadable);
}

}  // namespace
}  // namespace booking
