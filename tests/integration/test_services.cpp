// bookingctl services add/list/update/disable/enable (SPEC §5).
#include <set>

#include "tests/support/bookingctl_test.hpp"
#include "tests/support/csv_reader.hpp"

namespace booking::test {
namespace {

using Services = BookingctlTest;

std::string service_row(BookingctlTest& t, const std::string& code) {
    return t.text(
        "SELECT concat_ws('|', name, duration_minutes, buffer_minutes, description, active) "
        "FROM services WHERE code = '" +
        code + "'");
}

TEST_F(Services, AddStoresDurationBufferAndDescription) {
    auto run = ctl({"services", "add", "consultation", "--name", "Consultation", "--duration",
                    "1h30m", "--buffer", "15m", "--description", "A first talk"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(service_row(*this, "consultation"), "Consultation|90|15|A first talk|t");
    EXPECT_NE(run.out.find("consultation"), std::string::npos) << run.out;
}

TEST_F(Services, AddDefaultsToNoBufferAndActive) {
    ASSERT_TRUE(
        ExitedWith(ctl({"services", "add", "trim", "--name", "Trim", "--duration", "45m"}), kOk));
    EXPECT_EQ(service_row(*this, "trim"), "Trim|45|0||t");
}

TEST_F(Services, AddAsJsonPrintsTheApiServiceObject) {
    auto run = ctl({"--format", "json", "services", "add", "massage", "--name", "Massage",
                    "--duration", "1h"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto service = json_of(run);
    ASSERT_TRUE(service.is_object()) << run.out;
    EXPECT_EQ(service["code"], "massage");
    EXPECT_EQ(service["name"], "Massage");
    EXPECT_EQ(service["duration_minutes"], 60);
    EXPECT_EQ(service["buffer_minutes"], 0);
    EXPECT_EQ(service["description"], "");
    EXPECT_EQ(service["active"], true);
}

TEST_F(Services, AddRefusesATakenCode) {
    seed_service("consultation", "Consultation", 60);
    auto before = snapshot();
    EXPECT_TRUE(
        FailedWith(ctl({"services", "add", "consultation", "--name", "Again", "--duration", "30m"}),
                   kConflict));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Services, AddRefusesInvalidValues) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"services", "add", "cut", "--name", "Cut", "--duration", "banana"}),
                           kUsage));
    EXPECT_TRUE(
        FailedWith(ctl({"services", "add", "cut", "--name", "Cut", "--duration", "0m"}), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"services", "add", "cut", "--name", "Cut", "--duration", "30m", "--buffer", "-5m"}),
        kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"services", "add", "Bad Code!", "--name", "Cut", "--duration", "30m"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"services", "add", "cut", "--duration", "30m"}), kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Services, ListShowsEveryService) {
    seed_service("consultation", "Consultation", 60);
    seed_service("trim", "Trim", 30, 10);
    auto run = ctl({"services", "list", "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto services = json_of(run);
    ASSERT_TRUE(services.is_array()) << run.out;
    std::set<std::string> codes;
    for (const auto& s : services) {
        for (const char* field :
             {"code", "name", "duration_minutes", "buffer_minutes", "description", "active"}) {
            EXPECT_TRUE(s.contains(field)) << field << " missing in " << s.dump();
        }
        codes.insert(s["code"].get<std::string>());
        if (s["code"] == "trim") {
            EXPECT_EQ(s["duration_minutes"], 30);
            EXPECT_EQ(s["buffer_minutes"], 10);
        }
    }
    EXPECT_EQ(codes, (std::set<std::string>{"consultation", "trim"}));

    auto csv = ctl({"services", "list", "--format", "csv"});
    ASSERT_TRUE(ExitedWith(csv, kOk));
    auto records = parse_csv(csv.out, {.allow_lf = true});
    ASSERT_EQ(records.size(), 3u) << csv.out;
    EXPECT_NE(std::find(records[0].begin(), records[0].end(), "code"), records[0].end()) << csv.out;

    auto table = ctl({"services", "list"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    EXPECT_NE(table.out.find("consultation"), std::string::npos) << table.out;
    for (const auto& line : lines_of(table.out)) EXPECT_LE(display_width(line), 80u) << line;
}

TEST_F(Services, UpdateChangesOnlyWhatIsGiven) {
    seed_service("consultation", "Consultation", 60, 5);
    ASSERT_TRUE(ExitedWith(
        ctl({"services", "update", "consultation", "--name", "First consultation"}), kOk));
    EXPECT_EQ(service_row(*this, "consultation"), "First consultation|60|5||t");
    ASSERT_TRUE(ExitedWith(ctl({"services", "update", "consultation", "--duration", "2h",
                                "--buffer", "0m", "--description", "Longer"}),
                           kOk));
    EXPECT_EQ(service_row(*this, "consultation"), "First consultation|120|0|Longer|t");
}

TEST_F(Services, UpdateRefusesUnknownCodesAndBadValues) {
    seed_service("consultation", "Consultation", 60);
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"services", "update", "nosuch", "--name", "X"}), kNotFound));
    EXPECT_TRUE(
        FailedWith(ctl({"services", "update", "consultation", "--duration", "soon"}), kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Services, DisableAndEnable) {
    seed_service("consultation", "Consultation", 60);
    ASSERT_TRUE(ExitedWith(ctl({"services", "disable", "consultation"}), kOk));
    EXPECT_EQ(text("SELECT active FROM services WHERE code = 'consultation'"), "f");
    ASSERT_TRUE(ExitedWith(ctl({"services", "enable", "consultation"}), kOk));
    EXPECT_EQ(text("SELECT active FROM services WHERE code = 'consultation'"), "t");
    EXPECT_TRUE(FailedWith(ctl({"services", "disable", "nosuch"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"services", "enable", "nosuch"}), kNotFound));
}

}  // namespace
}  // namespace booking::test
