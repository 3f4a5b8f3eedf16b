#pragma once
// The fixture of the integration tests: each test gets its own database (a copy
// of the migrated template), a config file naming it, a libpqxx connection for
// assertions and a runner for the real bookingctl binary.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/database.hpp"
#include "tests/support/process.hpp"

namespace booking::test {

// The exit codes of SPEC §5.
inline constexpr int kOk = 0;
inline constexpr int kRuntimeFailure = 1;
inline constexpr int kUsage = 2;
inline constexpr int kNotFound = 3;
inline constexpr int kConflict = 4;
inline constexpr int kConfigError = 78;

// Passes when the run exited with `code`; the message shows the command and its output.
::testing::AssertionResult ExitedWith(const ProcessResult& run, int code);
// A failure as SPEC §5 wants it: exit `code`, exactly one line on stderr, no data on stdout.
::testing::AssertionResult FailedWith(const ProcessResult& run, int code);

// The lines of a text, without their terminators ("\n" or "\r\n").
std::vector<std::string> lines_of(std::string_view text);
// Columns a line takes in a terminal (UTF-8 code points; no wide characters in our data).
size_t display_width(std::string_view line);
// Parses stdout as JSON; throws with the command and output when it is not.
nlohmann::json json_of(const ProcessResult& run);

class BookingctlTest : public ::testing::Test {
  protected:
    explicit BookingctlTest(bool migrated = true) : migrated_(migrated) {}
    void SetUp() override;
    void TearDown() override;

  public:
    // Runs bookingctl --config <this test's file> args... (BOOKING_* variables removed
    // from the environment so that only the file decides).
    ProcessResult ctl(const std::vector<std::string>& args,
                      std::optional<std::string> stdin_text = std::nullopt);
    // Runs bookingctl with exactly these args and options (no --config added).
    ProcessResult ctl_raw(const std::vector<std::string>& args, ProcessOptions options = {});

    pqxx::connection& db();
    // The first column of the single row of a query; nullopt for NULL.
    std::optional<std::string> value(const std::string& sql);
    std::string text(const std::string& sql);  // value(), failing on NULL
    long long number(const std::string& sql);
    // Every row of every table of the schema, as text: equal before and after
    // a failed command means the command changed nothing.
    std::string snapshot();

    // Business-local time (Europe/London) helpers.
    std::string local_date(int days_from_today);  // "YYYY-MM-DD"
    std::string utc_of_local(
        const std::string& local_minute);  // "YYYY-MM-DD HH:MM" -> RFC 3339 UTC
    std::string add_days(const std::string& date, int days);

    // Test data written straight into the database (the commands under test
    // are run through bookingctl; their preconditions need not be).
    long long seed_user(const std::string& email, const std::string& name,
                        const std::string& role = "customer");
    void seed_service(const std::string& code, const std::string& name, int duration_minutes,
                      int buffer_minutes = 0);
    void seed_resource(const std::string& code, const std::string& name);
    long long seed_slot(const std::string& resource, const std::string& local_start,
                        const std::string& local_end);
    long long seed_booking(long long user_id, const std::string& service,
                           const std::string& resource, const std::string& local_start,
                           const std::string& status = "confirmed", const std::string& notes = "");
    // A one-hour booking of the service "consultation" starting `hours` from
    // now (whole minutes), made `made_hours_ago` hours ago, on a resource of its
    // own (r1, r2, ... created here) so that none overlap.
    long long seed_booking_in(long long user_id, double hours, double made_hours_ago = 72,
                              const std::string& status = "confirmed");

    const std::string& database_name() const { return database_name_; }
    const std::string& database_url() const { return database_url_; }
    const std::string& config_path() const { return config_path_; }
    const std::string& work_dir() const { return work_dir_; }

  private:
    bool migrated_;
    std::string database_name_;
    std::string database_url_;
    std::string work_dir_;
    std::string config_path_;
    std::unique_ptr<pqxx::connection> db_;
    int own_resources_ = 0;  // seed_booking_in's
};

// For the tests that need a database without the schema (db migrate, db status).
class EmptyDatabaseTest : public BookingctlTest {
  protected:
    EmptyDatabaseTest() : BookingctlTest(false) {}
};

}  // namespace booking::test
