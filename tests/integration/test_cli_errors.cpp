// bookingctl's global flags, configuration and exit codes (SPEC §2, §5): every
// failure is one line on stderr, exits with its code and changes nothing.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string_view>

#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

using Cli = BookingctlTest;

// A URL of this cluster's kind whose socket directory has no server in it.
std::string dead_url(const std::string& empty_dir) {
    return "postgresql://postgres@/booking?host=" + empty_dir + "&port=" + cluster().port;
}

std::string write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    return path;
}

// Whether a number stands on its own in a text (not as part of a longer one).
// (No std::regex: GCC 12 at -O1 with ASan warns inside <regex>, and we build with -Werror.)
bool mentions_number(std::string_view text, int number) {
    std::string n = std::to_string(number);
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    for (size_t at = text.find(n); at != std::string::npos; at = text.find(n, at + 1)) {
        bool starts = at == 0 || !is_digit(text[at - 1]);
        bool ends = at + n.size() == text.size() || !is_digit(text[at + n.size()]);
        if (starts && ends) return true;
    }
    return false;
}

// stderr names the file, the line and the key.
void expect_names_file_line_key(const ProcessResult& run, const std::string& file, int line,
                                const std::string& key) {
    EXPECT_NE(run.err.find(file), std::string::npos) << "the file is not named: " << run.err;
    std::string without_path = run.err;
    for (size_t pos; (pos = without_path.find(file)) != std::string::npos;)
        without_path.erase(pos, file.size());
    EXPECT_TRUE(mentions_number(without_path, line))
        << "line " << line << " is not named: " << run.err;
    EXPECT_NE(run.err.find(key), std::string::npos)
        << "the key " << key << " is not named: " << run.err;
}

TEST_F(Cli, VersionAndHelp) {
    auto version = ctl({"--version"});
    ASSERT_TRUE(ExitedWith(version, kOk));
    EXPECT_NE(version.out.find(BOOKING_VERSION), std::string::npos) << version.out;

    // --help works on every command, and needs no database.
    auto dir = make_temp_dir("booking-dead");
    const std::vector<std::vector<std::string>> commands = {
        {},
        {"db", "migrate"},
        {"db", "status"},
        {"users", "add"},
        {"users", "list"},
        {"users", "show"},
        {"users", "find"},
        {"users", "set-role"},
        {"users", "disable"},
        {"users", "enable"},
        {"users", "passwd"},
        {"services", "add"},
        {"services", "list"},
        {"services", "update"},
        {"services", "disable"},
        {"services", "enable"},
        {"resources", "add"},
        {"resources", "list"},
        {"resources", "disable"},
        {"resources", "enable"},
        {"slots", "add"},
        {"slots", "generate"},
        {"slots", "list"},
        {"slots", "remove"},
        {"bookings", "list"},
        {"bookings", "show"},
        {"bookings", "create"},
        {"bookings", "cancel"},
        {"bookings", "reschedule"},
        {"export", "bookings"},
        {"mail", "list"},
        {"mail", "retry"},
        {"reminders", "run"},
        {"agenda"},
    };
    for (auto args : commands) {
        args.insert(args.begin(), {"--database-url", dead_url(dir)});
        args.push_back("--help");
        auto run = ctl(args);
        EXPECT_TRUE(ExitedWith(run, kOk));
        EXPECT_FALSE(run.out.empty()) << run.command;
    }
    remove_tree(dir);
}

TEST_F(Cli, UnreachableDatabaseIsExit1) {
    auto dir = make_temp_dir("booking-dead");
    EXPECT_TRUE(
        FailedWith(ctl({"--database-url", dead_url(dir), "users", "list"}), kRuntimeFailure));
    EXPECT_TRUE(FailedWith(ctl({"users", "add", "--email", "ann@example.com", "--name", "Ann",
                                "--database-url", dead_url(dir)}),
                           kRuntimeFailure));
    auto config = write_config(dir, dead_url(dir));
    EXPECT_TRUE(FailedWith(ctl_raw({"--config", config, "db", "status"}), kRuntimeFailure));
    EXPECT_TRUE(FailedWith(ctl_raw({"--config", config, "export", "bookings"}), kRuntimeFailure));
    remove_tree(dir);
}

TEST_F(Cli, ADatabaseThatNeverAnswersIsGivenUpAfterTenSeconds) {
    // A socket that accepts connections and then says nothing, like a hung
    // server or a host that drops packets: libpq would wait forever.
    auto dir = make_temp_dir("booking-mute");
    const std::string path = dir + "/.s.PGSQL." + cluster().port;
    const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    ASSERT_LT(path.size(), sizeof(address.sun_path));
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(::listen(listener, 8), 0);

    const auto t0 = std::chrono::steady_clock::now();
    auto run = ctl({"--database-url", dead_url(dir), "users", "list"});
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(FailedWith(run, kRuntimeFailure));
    EXPECT_NE(run.err.find("timeout"), std::string::npos) << run.err;
    EXPECT_GE(waited, std::chrono::seconds(9));
    EXPECT_LT(waited, std::chrono::seconds(30));
    ::close(listener);
    remove_tree(dir);
}

TEST_F(Cli, UsageErrorsAreExit2) {
    seed_user("ann@example.com", "Ann");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"users", "list", "--bogus"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"--bogus", "users", "list"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"frobnicate"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"users", "frobnicate"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"--format", "xml", "users", "list"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"users", "show"}), kUsage)) << "missing argument";
    EXPECT_TRUE(FailedWith(ctl({"users", "show", "ann@example.com", "extra"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"users", "add", "--email", "bob@example.com"}), kUsage))
        << "missing --name";
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 09:00",
                                "--end", "2027-01-05 25:00"}),
                           kUsage));
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 12:00",
                                "--end", "2027-01-05 11:00"}),
                           kUsage))
        << "end before start";
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-03-28 01:00",
                                "--end", "2027-03-28 03:00"}),
                           kUsage))
        << "01:00 does not exist in London on 2027-03-28";
    EXPECT_TRUE(
        FailedWith(ctl({"slots", "generate", "--resource", "main", "--from", "2027-01-04", "--to",
                        "2027-01-10", "--days", "mon-fri", "--hours", "09:00-25:00"}),
                   kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Cli, NotFoundIsExit3) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"users", "show", "nobody@example.com"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"services", "update", "nosuch", "--name", "X"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"resources", "disable", "nosuch"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"bookings", "show", "4242"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"slots", "remove", "4242"}), kNotFound));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Cli, ConflictsAreExit4) {
    seed_user("ann@example.com", "Ann");
    seed_service("consultation", "Consultation", 60);
    seed_slot("main", "2027-01-05 09:00", "2027-01-05 17:00");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"users", "add", "--email", "ann@example.com", "--name", "Ann"}),
                           kConflict));
    EXPECT_TRUE(FailedWith(
        ctl({"services", "add", "consultation", "--name", "C", "--duration", "1h"}), kConflict));
    EXPECT_TRUE(FailedWith(ctl({"resources", "add", "main", "--name", "Main"}), kConflict));
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 16:00",
                                "--end", "2027-01-05 18:00"}),
                           kConflict));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Cli, MissingExplicitConfigFileIsExit78AndNamesIt) {
    auto dir = make_temp_dir("booking-config");
    std::string missing = dir + "/missing.toml";
    auto run = ctl_raw({"--config", missing, "users", "list"});
    EXPECT_TRUE(FailedWith(run, kConfigError));
    EXPECT_NE(run.err.find(missing), std::string::npos) << run.err;

    ProcessOptions via_env;
    via_env.env["BOOKING_CONFIG"] = missing;
    auto env_run = ctl_raw({"users", "list"}, via_env);
    EXPECT_TRUE(FailedWith(env_run, kConfigError));
    EXPECT_NE(env_run.err.find(missing), std::string::npos) << env_run.err;
    remove_tree(dir);
}

TEST_F(Cli, InvalidConfigValueIsExit78NamingFileLineAndKey) {
    auto before = snapshot();
    auto dir = make_temp_dir("booking-config");
    auto path =
        write_file(dir + "/bookingd.toml", "# test\n[database]\nurl = \"" + database_url() +
                                               "\"\n\n[business]\ntime_zone = \"Europe/London\"\n"
                                               "slot_step = \"banana\"\n");
    auto run =
        ctl_raw({"--config", path, "users", "add", "--email", "x@example.com", "--name", "X"});
    EXPECT_TRUE(FailedWith(run, kConfigError));
    expect_names_file_line_key(run, path, 7, "slot_step");
    EXPECT_EQ(snapshot(), before);
    remove_tree(dir);
}

TEST_F(Cli, WrongTypeInConfigIsExit78NamingFileLineAndKey) {
    auto dir = make_temp_dir("booking-config");
    auto path = write_file(dir + "/bookingd.toml",
                           "[database]\nurl = \"" + database_url() + "\"\npool_size = \"eight\"\n");
    auto run = ctl_raw({"--config", path, "users", "list"});
    EXPECT_TRUE(FailedWith(run, kConfigError));
    expect_names_file_line_key(run, path, 3, "pool_size");
    remove_tree(dir);
}

TEST_F(Cli, UnknownTimeZoneIsExit78) {
    auto dir = make_temp_dir("booking-config");
    auto path =
        write_file(dir + "/bookingd.toml", "[database]\nurl = \"" + database_url() +
                                               "\"\n[business]\ntime_zone = \"Mars/Olympus\"\n");
    auto run = ctl_raw({"--config", path, "users", "list"});
    EXPECT_TRUE(FailedWith(run, kConfigError));
    expect_names_file_line_key(run, path, 4, "time_zone");
    remove_tree(dir);
}

TEST_F(Cli, BrokenTomlIsExit78NamingFileAndLine) {
    auto dir = make_temp_dir("booking-config");
    auto path =
        write_file(dir + "/bookingd.toml", "[database]\nurl = \"" + database_url() +
                                               "\"\n\n[business\ntime_zone = \"Europe/London\"\n");
    auto run = ctl_raw({"--config", path, "users", "list"});
    EXPECT_TRUE(FailedWith(run, kConfigError));
    EXPECT_NE(run.err.find(path), std::string::npos) << run.err;
    std::string without_path = run.err;
    for (size_t pos; (pos = without_path.find(path)) != std::string::npos;)
        without_path.erase(pos, path.size());
    EXPECT_TRUE(mentions_number(without_path, 4)) << "line 4 is not named: " << run.err;
    remove_tree(dir);
}

TEST_F(Cli, DatabaseUrlFlagAndEnvironmentOverrideTheFile) {
    seed_user("ann@example.com", "Ann");
    auto dir = make_temp_dir("booking-config");
    auto dead_config = write_config(dir, dead_url(dir));

    auto flag = ctl_raw({"--config", dead_config, "--format", "json", "users", "list",
                         "--database-url", database_url()});
    ASSERT_TRUE(ExitedWith(flag, kOk));
    EXPECT_EQ(json_of(flag).size(), 1u);

    ProcessOptions env;
    env.env["BOOKING_DATABASE_URL"] = database_url();
    auto from_env = ctl_raw({"--config", dead_config, "--format", "json", "users", "list"}, env);
    ASSERT_TRUE(ExitedWith(from_env, kOk));
    EXPECT_EQ(json_of(from_env).size(), 1u);

    // The environment wins over a good file too.
    env.env["BOOKING_DATABASE_URL"] = dead_url(dir);
    EXPECT_TRUE(
        FailedWith(ctl_raw({"--config", config_path(), "users", "list"}, env), kRuntimeFailure));
    remove_tree(dir);
}

TEST_F(Cli, ConfigFileFromTheEnvironment) {
    seed_user("ann@example.com", "Ann");
    ProcessOptions env;
    env.env["BOOKING_CONFIG"] = config_path();
    auto run = ctl_raw({"--format", "json", "users", "list"}, env);
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(json_of(run).size(), 1u);
}

TEST_F(Cli, EmptyListsAreEmptyJsonArrays) {
    for (std::vector<std::string> args : {std::vector<std::string>{"users", "list"},
                                          {"services", "list"},
                                          {"slots", "list"},
                                          {"bookings", "list", "--date", "2030-01-01"}}) {
        args.insert(args.begin(), {"--format", "json"});
        auto run = ctl(args);
        ASSERT_TRUE(ExitedWith(run, kOk));
        EXPECT_EQ(json_of(run), nlohmann::json::array()) << run.command;
    }
}

TEST_F(Cli, GlobalFlagsWorkBeforeAndAfterTheCommand) {
    seed_resource("alice", "Alice");
    auto before = ctl({"--format", "json", "resources", "list"});
    auto after = ctl({"resources", "list", "--format", "json"});
    ASSERT_TRUE(ExitedWith(before, kOk));
    ASSERT_TRUE(ExitedWith(after, kOk));
    EXPECT_EQ(json_of(before), json_of(after));
    auto config_last =
        ctl_raw({"resources", "list", "--format", "json", "--config", config_path()});
    ASSERT_TRUE(ExitedWith(config_last, kOk));
    EXPECT_EQ(json_of(config_last), json_of(before));
}

TEST_F(Cli, QuietSilencesMessages) {
    auto run = ctl({"-q", "resources", "add", "alice", "--name", "Alice"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(run.err, "");
    auto again = ctl({"resources", "add", "bob", "--name", "Bob", "--quiet"});
    ASSERT_TRUE(ExitedWith(again, kOk));
    EXPECT_EQ(again.err, "");
    EXPECT_EQ(number("SELECT count(*) FROM resources"), 3);
    // Quiet does not hide failures.
    EXPECT_TRUE(FailedWith(ctl({"-q", "resources", "add", "alice", "--name", "Alice"}), kConflict));
}

TEST_F(Cli, FailuresNeverShowSqlOrSecrets) {
    auto dir = make_temp_dir("booking-dead");
    auto url =
        "postgresql://postgres:hunter2secret@/booking?host=" + dir + "&port=" + cluster().port;
    auto run = ctl({"--database-url", url, "users", "list"});
    EXPECT_TRUE(FailedWith(run, kRuntimeFailure));
    EXPECT_EQ(run.err.find("hunter2secret"), std::string::npos) << run.err;
    remove_tree(dir);

    seed_user("ann@example.com", "Ann");
    auto taken = ctl({"users", "add", "--email", "ann@example.com", "--name", "Ann"});
    EXPECT_TRUE(FailedWith(taken, kConflict));
    for (const char* leak : {"INSERT", "SQLSTATE", "duplicate key", "users_email_key"}) {
        EXPECT_EQ(taken.err.find(leak), std::string::npos) << taken.err;
    }
}

}  // namespace
}  // namespace booking::test
