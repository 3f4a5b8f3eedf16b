// bookingctl resources add/list/disable/enable (SPEC §5).
#include <set>

#include "tests/support/bookingctl_test.hpp"
#include "tests/support/csv_reader.hpp"

namespace booking::test {
namespace {

using Resources = BookingctlTest;

TEST_F(Resources, MainExistsAfterTheFirstMigration) {
    auto run = ctl({"resources", "list", "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto resources = json_of(run);
    ASSERT_TRUE(resources.is_array()) << run.out;
    ASSERT_EQ(resources.size(), 1u) << run.out;
    EXPECT_EQ(resources[0]["code"], "main");
    EXPECT_EQ(resources[0]["name"], "Main");
    EXPECT_EQ(resources[0]["active"], true);
}

TEST_F(Resources, AddCreatesAnActiveResource) {
    auto run = ctl({"resources", "add", "alice", "--name", "Alice Smith"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(text("SELECT concat_ws('|', name, active) FROM resources WHERE code = 'alice'"),
              "Alice Smith|t");
    EXPECT_NE(run.out.find("alice"), std::string::npos) << run.out;

    auto json = ctl({"resources", "add", "room-2", "--name", "Room 2", "--format", "json"});
    ASSERT_TRUE(ExitedWith(json, kOk));
    auto resource = json_of(json);
    ASSERT_TRUE(resource.is_object()) << json.out;
    EXPECT_EQ(resource["code"], "room-2");
    EXPECT_EQ(resource["name"], "Room 2");
    EXPECT_EQ(resource["active"], true);
}

TEST_F(Resources, AddRefusesTakenCodesAndBadValues) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"resources", "add", "main", "--name", "Another main"}), kConflict));
    EXPECT_TRUE(FailedWith(ctl({"resources", "add", "Room 1", "--name", "Room"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"resources", "add", "room"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"resources", "add", "room", "--name", ""}), kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Resources, ListShowsEveryResource) {
    seed_resource("alice", "Alice");
    seed_resource("chair-1", "Chair 1");
    auto run = ctl({"--format", "json", "resources", "list"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    std::set<std::string> codes;
    for (const auto& r : json_of(run)) codes.insert(r["code"].get<std::string>());
    EXPECT_EQ(codes, (std::set<std::string>{"alice", "chair-1", "main"}));

    auto csv = ctl({"resources", "list", "--format", "csv"});
    ASSERT_TRUE(ExitedWith(csv, kOk));
    auto records = parse_csv(csv.out, {.allow_lf = true});
    ASSERT_EQ(records.size(), 4u) << csv.out;
    EXPECT_NE(std::find(records[0].begin(), records[0].end(), "code"), records[0].end()) << csv.out;

    auto table = ctl({"resources", "list"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    EXPECT_NE(table.out.find("chair-1"), std::string::npos) << table.out;
    for (const auto& line : lines_of(table.out)) EXPECT_LE(display_width(line), 80u) << line;
}

TEST_F(Resources, DisableAndEnable) {
    seed_resource("alice", "Alice");
    ASSERT_TRUE(ExitedWith(ctl({"resources", "disable", "alice"}), kOk));
    EXPECT_EQ(text("SELECT active FROM resources WHERE code = 'alice'"), "f");
    ASSERT_TRUE(ExitedWith(ctl({"resources", "enable", "alice"}), kOk));
    EXPECT_EQ(text("SELECT active FROM resources WHERE code = 'alice'"), "t");

    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"resources", "disable", "bob"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"resources", "enable", "bob"}), kNotFound));
    EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace booking::test
