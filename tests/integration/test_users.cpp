// bookingctl users add/list/show/set-role/disable/enable/passwd (SPEC §5).
#include <set>

#include "core/users/password.hpp"
#include "tests/support/bookingctl_test.hpp"
#include "tests/support/csv_reader.hpp"

namespace booking::test {
namespace {

using Users = BookingctlTest;

const char* const kPassword = "correct horse battery";

std::optional<std::string> password_hash(BookingctlTest& t, long long id) {
    return t.value("SELECT password_hash FROM users WHERE id = " + std::to_string(id));
}

void expect_user_object(const nlohmann::json& user) {
    ASSERT_TRUE(user.is_object()) << user.dump();
    for (const char* field : {"id", "email", "name", "role", "created_at"}) {
        EXPECT_TRUE(user.contains(field)) << field << " missing from " << user.dump();
    }
    EXPECT_TRUE(user["id"].is_number_integer()) << user.dump();
}

TEST_F(Users, AddCreatesACustomerAndPrintsIt) {
    auto run = ctl({"users", "add", "--email", "ann@example.com", "--name", "Ann Smith"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(
        number("SELECT count(*) FROM users WHERE email = 'ann@example.com' AND name = 'Ann Smith' "
               "AND role = 'customer' AND disabled_at IS NULL"),
        1);
    auto id = text("SELECT id FROM users WHERE email = 'ann@example.com'");
    EXPECT_NE(run.out.find("ann@example.com"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find(id), std::string::npos) << "the new id " << id << " is not shown:\n"
                                                   << run.out;
    EXPECT_FALSE(password_hash(*this, std::stoll(id))) << "no password was given";
}

TEST_F(Users, AddAsJsonPrintsTheApiUserObject) {
    auto run = ctl({"--format", "json", "users", "add", "--email", "bob@example.com", "--name",
                    "Bob", "--role", "staff"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto user = json_of(run);
    expect_user_object(user);
    EXPECT_EQ(user["id"].get<long long>(),
              number("SELECT id FROM users WHERE email = 'bob@example.com'"));
    EXPECT_EQ(user["email"], "bob@example.com");
    EXPECT_EQ(user["name"], "Bob");
    EXPECT_EQ(user["role"], "staff");
    EXPECT_FALSE(user.contains("password_hash")) << user.dump();
}

TEST_F(Users, AddNormalisesTheEmailAddress) {
    ASSERT_TRUE(
        ExitedWith(ctl({"users", "add", "--email", "  Ann@Example.COM ", "--name", "Ann"}), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM users WHERE email = 'ann@example.com'"), 1);
}

TEST_F(Users, AddWithPasswordFromStdinStoresAHashOfTheLineWithoutItsNewline) {
    auto run = ctl({"--format", "json", "users", "add", "--email", "carol@example.com", "--name",
                    "Carol", "--password-stdin"},
                   std::string(kPassword) + "\n");
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto hash =
        password_hash(*this, number("SELECT id FROM users WHERE email = 'carol@example.com'"));
    ASSERT_TRUE(hash);
    EXPECT_EQ(hash->find(kPassword), std::string::npos) << "the password is stored in clear";
    EXPECT_TRUE(verify_password(*hash, kPassword));
    EXPECT_FALSE(verify_password(*hash, std::string(kPassword) + "\n"));
    EXPECT_EQ(run.out.find(kPassword), std::string::npos);
    EXPECT_EQ(run.err.find(kPassword), std::string::npos);
}

TEST_F(Users, AddRefusesATakenEmail) {
    seed_user("ann@example.com", "Ann");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(
        ctl({"users", "add", "--email", "ann@example.com", "--name", "Other Ann"}), kConflict));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Users, AddRefusesInvalidValues) {
    auto before = snapshot();
    EXPECT_TRUE(
        FailedWith(ctl({"users", "add", "--email", "not-an-address", "--name", "X"}), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"users", "add", "--email", "x@example.com", "--name", "X", "--role", "wizard"}),
        kUsage));
    EXPECT_TRUE(
        FailedWith(ctl({"users", "add", "--email", "x@example.com", "--name", ""}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"users", "add", "--name", "No Email"}), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"users", "add", "--email", "x@example.com", "--name", "X", "--password-stdin"},
            "short\n"),
        kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Users, ListAsJsonIsAnArrayOfEveryUser) {
    auto ann = seed_user("ann@example.com", "Ann");
    auto bob = seed_user("bob@example.com", "Bob", "staff");
    auto run = ctl({"users", "list", "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto users = json_of(run);
    ASSERT_TRUE(users.is_array()) << run.out;
    std::set<long long> ids;
    for (const auto& user : users) {
        expect_user_object(user);
        ids.insert(user["id"].get<long long>());
    }
    EXPECT_EQ(ids, (std::set<long long>{ann, bob}));
}

TEST_F(Users, ListFiltersByRole) {
    seed_user("ann@example.com", "Ann");
    auto bob = seed_user("bob@example.com", "Bob", "staff");
    auto run = ctl({"--format", "json", "users", "list", "--role", "staff"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto users = json_of(run);
    ASSERT_TRUE(users.is_array());
    ASSERT_EQ(users.size(), 1u) << run.out;
    EXPECT_EQ(users[0]["id"].get<long long>(), bob);

    EXPECT_TRUE(FailedWith(ctl({"users", "list", "--role", "wizard"}), kUsage));
}

TEST_F(Users, ListAsCsvHasAHeaderAndARowPerUser) {
    seed_user("ann@example.com", "Smith, Ann");
    seed_user("bob@example.com", "Bob \"the builder\"");
    auto run = ctl({"users", "list", "--format", "csv"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto records = parse_csv(run.out, {.allow_lf = true});
    ASSERT_EQ(records.size(), 3u) << run.out;
    const auto& header = records[0];
    auto email_column = std::find(header.begin(), header.end(), "email") - header.begin();
    auto name_column = std::find(header.begin(), header.end(), "name") - header.begin();
    ASSERT_LT(email_column, static_cast<long>(header.size())) << run.out;
    ASSERT_LT(name_column, static_cast<long>(header.size())) << run.out;
    std::set<std::string> names;
    for (size_t i = 1; i < records.size(); ++i) {
        ASSERT_EQ(records[i].size(), header.size()) << run.out;
        names.insert(records[i][name_column]);
    }
    EXPECT_EQ(names, (std::set<std::string>{"Smith, Ann", "Bob \"the builder\""}));
}

TEST_F(Users, ListAsTableFitsEightyColumns) {
    seed_user("ann.smith@example.com", "Ann Smith");
    seed_user("robert.jones@example.co.uk", "Robert Jones", "staff");
    seed_user("admin@example.com", "Administrator", "admin");
    auto run = ctl({"users", "list"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_NE(run.out.find("robert.jones@example.co.uk"), std::string::npos) << run.out;
    for (const auto& line : lines_of(run.out)) EXPECT_LE(display_width(line), 80u) << line;
}

TEST_F(Users, ShowByIdOrEmail) {
    auto ann = seed_user("ann@example.com", "Ann", "staff");
    for (const std::string& name : {std::to_string(ann), std::string("ann@example.com")}) {
        auto run = ctl({"users", "show", name, "--format", "json"});
        ASSERT_TRUE(ExitedWith(run, kOk));
        auto user = json_of(run);
        expect_user_object(user);
        EXPECT_EQ(user["id"].get<long long>(), ann);
        EXPECT_EQ(user["email"], "ann@example.com");
        EXPECT_EQ(user["name"], "Ann");
        EXPECT_EQ(user["role"], "staff");
    }
    auto table = ctl({"users", "show", "ann@example.com"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    EXPECT_NE(table.out.find("ann@example.com"), std::string::npos) << table.out;
}

TEST_F(Users, ShowUnknownUserIsNotFound) {
    seed_user("ann@example.com", "Ann");
    EXPECT_TRUE(FailedWith(ctl({"users", "show", "nobody@example.com"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"users", "show", "999999"}), kNotFound));
}

TEST_F(Users, SetRoleChangesTheRole) {
    auto ann = seed_user("ann@example.com", "Ann");
    ASSERT_TRUE(ExitedWith(ctl({"users", "set-role", "ann@example.com", "admin"}), kOk));
    EXPECT_EQ(text("SELECT role FROM users WHERE id = " + std::to_string(ann)), "admin");
    ASSERT_TRUE(ExitedWith(ctl({"users", "set-role", std::to_string(ann), "staff"}), kOk));
    EXPECT_EQ(text("SELECT role FROM users WHERE id = " + std::to_string(ann)), "staff");

    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"users", "set-role", "ann@example.com", "owner"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"users", "set-role", "nobody@example.com", "staff"}), kNotFound));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Users, DisableAndEnable) {
    auto ann = seed_user("ann@example.com", "Ann");
    auto disabled = "SELECT disabled_at IS NOT NULL FROM users WHERE id = " + std::to_string(ann);
    ASSERT_TRUE(ExitedWith(ctl({"users", "disable", "ann@example.com"}), kOk));
    EXPECT_EQ(text(disabled), "t");
    ASSERT_TRUE(ExitedWith(ctl({"users", "enable", std::to_string(ann)}), kOk));
    EXPECT_EQ(text(disabled), "f");

    EXPECT_TRUE(FailedWith(ctl({"users", "disable", "nobody@example.com"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"users", "enable", "424242"}), kNotFound));
}

TEST_F(Users, PasswdSetsANewPasswordFromStdin) {
    auto ann = seed_user("ann@example.com", "Ann");
    ASSERT_TRUE(ExitedWith(
        ctl({"users", "passwd", "ann@example.com", "--password-stdin"}, "first password\n"), kOk));
    auto first = password_hash(*this, ann);
    ASSERT_TRUE(first);
    EXPECT_TRUE(verify_password(*first, "first password"));

    // The last line may come without a newline (printf '%s' "$PW" | bookingctl ...).
    ASSERT_TRUE(ExitedWith(
        ctl({"users", "passwd", std::to_string(ann), "--password-stdin"}, kPassword), kOk));
    auto second = password_hash(*this, ann);
    ASSERT_TRUE(second);
    EXPECT_TRUE(verify_password(*second, kPassword));
    EXPECT_FALSE(verify_password(*second, "first password"));
}

TEST_F(Users, PasswdRefusesATooShortPasswordAndAnUnknownUser) {
    auto ann = seed_user("ann@example.com", "Ann");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(
        ctl({"users", "passwd", "ann@example.com", "--password-stdin"}, "short\n"), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"users", "passwd", "nobody@example.com", "--password-stdin"}, "long enough pw\n"),
        kNotFound));
    EXPECT_EQ(snapshot(), before);
    EXPECT_FALSE(password_hash(*this, ann));
}

}  // namespace
}  // namespace booking::test
