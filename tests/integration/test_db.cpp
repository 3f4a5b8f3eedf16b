// bookingctl db migrate / db status (SPEC §5) against an empty database.
#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

using DbCommands = EmptyDatabaseTest;

bool has_table(BookingctlTest& t, const std::string& name) {
    return t.number(
               "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND "
               "table_name = '" +
               name + "'") == 1;
}

TEST_F(DbCommands, MigrateCreatesTheSchemaAndTheMainResource) {
    auto run = ctl({"db", "migrate"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    for (const char* table : {"users", "services", "resources", "slots", "bookings", "emails"}) {
        EXPECT_TRUE(has_table(*this, table)) << table;
    }
    EXPECT_EQ(number("SELECT count(*) FROM resources WHERE code = 'main' AND active"), 1);
    // "prints what it applied": the first migration's file is sql/0001_schema.sql.
    EXPECT_NE((run.out + run.err).find("0001"), std::string::npos) << run.out << run.err;
}

TEST_F(DbCommands, MigrateTwiceAppliesNothingTheSecondTime) {
    ASSERT_TRUE(ExitedWith(ctl({"db", "migrate"}), kOk));
    std::string before = snapshot();
    auto again = ctl({"db", "migrate"});
    ASSERT_TRUE(ExitedWith(again, kOk));
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ((again.out + again.err).find("0001_schema"), std::string::npos)
        << "the second run claims to apply 0001_schema again:\n"
        << again.out << again.err;
}

TEST_F(DbCommands, StatusCheckFailsOnAnEmptyDatabaseAndPassesAfterMigrate) {
    auto pending = ctl({"db", "status", "--check"});
    EXPECT_TRUE(ExitedWith(pending, kRuntimeFailure));
    EXPECT_FALSE(has_table(*this, "bookings")) << "db status must not migrate";

    ASSERT_TRUE(ExitedWith(ctl({"db", "migrate"}), kOk));
    EXPECT_TRUE(ExitedWith(ctl({"db", "status", "--check"}), kOk));
}

TEST_F(DbCommands, StatusListsPendingThenAppliedMigrations) {
    auto before = ctl({"db", "status"});
    ASSERT_TRUE(ExitedWith(before, kOk));
    EXPECT_NE((before.out + before.err).find("0001"), std::string::npos)
        << before.out << before.err;

    ASSERT_TRUE(ExitedWith(ctl({"db", "migrate"}), kOk));
    auto after = ctl({"db", "status"});
    ASSERT_TRUE(ExitedWith(after, kOk));
    EXPECT_NE((after.out + after.err).find("0001"), std::string::npos) << after.out << after.err;
    EXPECT_NE(before.out + before.err, after.out + after.err)
        << "status does not change after migrate";
}

TEST_F(DbCommands, StatusAsJsonParses) {
    ASSERT_TRUE(ExitedWith(ctl({"db", "migrate"}), kOk));
    auto run = ctl({"--format", "json", "db", "status"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto json = json_of(run);
    EXPECT_TRUE(json.is_object() || json.is_array()) << run.out;
}

}  // namespace
}  // namespace booking::test
