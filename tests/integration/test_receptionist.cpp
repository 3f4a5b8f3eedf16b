// bookingctl for a receptionist's day (SPEC §5): dates as people say them,
// agenda, bookings list defaults and --limit, users find. The terminal manners
// (pager, prompt, colour) are in test_terminal.cpp.
#include <map>
#include <set>

#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

class Receptionist : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        seed_service("consultation", "Consultation", 60);
        ann = seed_user("ann@example.com", "Ann Smith");
    }

    // bookingctl as if the clock said `now` (BOOKINGCTL_TEST_NOW, for tests only).
    ProcessResult ctl_at(const std::string& now, std::vector<std::string> args) {
        args.insert(args.begin(), {"--config", config_path()});
        ProcessOptions options;
        options.env["BOOKINGCTL_TEST_NOW"] = now;
        return ctl_raw(args, options);
    }

    std::set<long long> listed(const std::string& now, std::vector<std::string> args) {
        args.insert(args.begin(), {"--format", "json", "bookings", "list"});
        auto run = ctl_at(now, args);
        std::set<long long> ids;
        EXPECT_TRUE(ExitedWith(run, kOk));
        if (run.exit_code != kOk) return ids;
        for (const auto& b : json_of(run)) ids.insert(b["id"].get<long long>());
        return ids;
    }

    long long ann = 0;
};

// Saturday 2026-03-28, noon in London; the clocks go forward on Sunday 29 at 01:00.
constexpr const char* kSaturdayBeforeSpringForward = "2026-03-28T12:00:00Z";

TEST_F(Receptionist, EveryRelativeDateFormListsThatLocalDay) {
    // One booking each local day around the change, at 12:00.
    std::map<std::string, long long> on;
    for (const char* day : {"2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30", "2026-04-03",
                            "2026-04-04", "2026-03-21"})
        on[day] = seed_booking(ann, "consultation", "main", std::string(day) + " 12:00");
    const std::string now = kSaturdayBeforeSpringForward;
    const std::map<std::string, std::string> forms = {
        {"today", "2026-03-28"},     {"TODAY", "2026-03-28"}, {"tomorrow", "2026-03-29"},
        {"yesterday", "2026-03-27"}, {"sat", "2026-03-28"},  // a weekday that is today
        {"saturday", "2026-03-28"},  {"sun", "2026-03-29"},   {"mon", "2026-03-30"},
        {"fri", "2026-04-03"},       {"+0", "2026-03-28"},    {"+1", "2026-03-29"},
        {"+7", "2026-04-04"},        {"-1", "2026-03-27"},    {"-7", "2026-03-21"},
        {"2026-03-30", "2026-03-30"}};
    for (const auto& [form, day] : forms)
        EXPECT_EQ(listed(now, {"--date", form}), (std::set<long long>{on[day]})) << form;
    EXPECT_EQ(listed(now, {"--from", "yesterday", "--to", "tomorrow"}),
              (std::set<long long>{on["2026-03-27"], on["2026-03-28"], on["2026-03-29"]}));
}

TEST_F(Receptionist, TomorrowOnADstDayIsTheWholeLocalDay) {
    // 23 hours in spring, 25 in autumn: the first and last minutes are in, the next day's not.
    long long spring_first = seed_booking(ann, "consultation", "main", "2026-03-29 00:00");
    long long spring_last = seed_booking(ann, "consultation", "main", "2026-03-29 23:00");
    seed_booking(ann, "consultation", "main", "2026-03-30 00:00");
    seed_booking(ann, "consultation", "main", "2026-03-28 23:00");
    EXPECT_EQ(listed(kSaturdayBeforeSpringForward, {"--date", "tomorrow"}),
              (std::set<long long>{spring_first, spring_last}));

    long long autumn_first = seed_booking(ann, "consultation", "main", "2026-10-25 00:00");
    long long autumn_last = seed_booking(ann, "consultation", "main", "2026-10-25 23:00");
    seed_booking(ann, "consultation", "main", "2026-10-26 00:00");
    EXPECT_EQ(listed("2026-10-24T12:00:00Z", {"--date", "tomorrow"}),
              (std::set<long long>{autumn_first, autumn_last}));
    EXPECT_EQ(listed("2026-10-24T12:00:00Z", {"--date", "sun"}),
              (std::set<long long>{autumn_first, autumn_last}));
}

TEST_F(Receptionist, TimesTakeARelativeDateAndAClockTimeAcrossTheChange) {
    auto run = ctl_at(kSaturdayBeforeSpringForward,
                      {"--format", "json", "slots", "add", "--resource", "main", "--start",
                       "tomorrow 09:00", "--end", "tomorrow 17:30"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(json_of(run)["start"], "2026-03-29T08:00:00Z");  // 09:00 BST
    EXPECT_EQ(json_of(run)["end"], "2026-03-29T16:30:00Z");
    // 01:30 does not exist that night.
    auto skipped = ctl_at(
        kSaturdayBeforeSpringForward,
        {"slots", "add", "--resource", "main", "--start", "sun 01:30", "--end", "sun 03:00"});
    EXPECT_TRUE(FailedWith(skipped, kUsage));
    EXPECT_CONTAINS(skipped.err, "--start");
}

TEST_F(Receptionist, TodayIsTheBusinessDateOfTheRealClock) {
    long long today = seed_booking(ann, "consultation", "main", local_date(0) + " 12:00");
    long long tomorrow = seed_booking(ann, "consultation", "main", local_date(1) + " 12:00");
    auto ids = [&](const std::string& date) {
        auto run = ctl({"--format", "json", "bookings", "list", "--date", date});
        std::set<long long> out;
        EXPECT_TRUE(ExitedWith(run, kOk));
        for (const auto& b : json_of(run)) out.insert(b["id"].get<long long>());
        return out;
    };
    EXPECT_EQ(ids("today"), (std::set<long long>{today}));
    EXPECT_EQ(ids("tomorrow"), (std::set<long long>{tomorrow}));
    EXPECT_EQ(ids("+1"), (std::set<long long>{tomorrow}));
}

TEST_F(Receptionist, ABadDateNamesTheFlagAsTyped) {
    const std::string before = snapshot();
    auto list = ctl({"bookings", "list", "--date", "tomorow"});
    EXPECT_TRUE(FailedWith(list, kUsage));
    EXPECT_CONTAINS(list.err, "--date: \"tomorow\" is not a date");
    auto from = ctl({"slots", "list", "--from", "yesterdy"});
    EXPECT_TRUE(FailedWith(from, kUsage));
    EXPECT_CONTAINS(from.err, "--from: \"yesterdy\"");
    auto start = ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                      "consultation", "--start", "tomorow 09:30"});
    EXPECT_TRUE(FailedWith(start, kUsage));
    EXPECT_CONTAINS(start.err, "--start: \"tomorow 09:30\"");
    auto agenda = ctl({"agenda", "someday"});
    EXPECT_TRUE(FailedWith(agenda, kUsage));
    EXPECT_CONTAINS(agenda.err, "\"someday\"");
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Receptionist, AgendaShowsEachResourcesBookingsAndFreeGapsToTheMinute) {
    // Tuesday 2026-12-01 (GMT = UTC). main: 09:00-13:00 with bookings at 09:00
    // (Ann) and 11:00 (45 min + 10 min buffer). alice: 10:00-12:00 with one at 10:30.
    seed_service("massage", "Deep Tissue Massage", 45, 10);
    seed_resource("alice", "Alice Jones");
    long long bob = seed_user("bob@example.com", "Bob Brown");
    seed_slot("main", "2026-12-01 09:00", "2026-12-01 13:00");
    seed_slot("alice", "2026-12-01 10:00", "2026-12-01 12:00");
    seed_slot("main", "2026-12-02 09:00", "2026-12-02 17:00");  // another day
    long long first = seed_booking(ann, "consultation", "main", "2026-12-01 09:00", "confirmed",
                                   "Ring the bell twice\nSecond line of notes");
    long long second = seed_booking(bob, "massage", "main", "2026-12-01 11:00");
    seed_booking(bob, "consultation", "main", "2026-12-01 12:00", "cancelled");
    long long third = seed_booking(bob, "consultation", "alice", "2026-12-01 10:30");

    auto run = ctl_at("2026-12-01T08:00:00Z", {"--format", "json", "agenda", "today"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto day = json_of(run);
    EXPECT_EQ(day["date"], "2026-12-01");
    ASSERT_EQ(day["resources"].size(), 2u) << day.dump(2);
    const auto& alice = day["resources"][0];
    const auto& main = day["resources"][1];
    EXPECT_EQ(alice["resource"], "alice");
    EXPECT_EQ(main["resource"], "main");
    ASSERT_EQ(main["bookings"].size(), 2u) << day.dump(2);  // not the cancelled one
    EXPECT_EQ(main["bookings"][0]["id"], first);
    EXPECT_EQ(main["bookings"][0]["customer_email"], "ann@example.com");
    EXPECT_EQ(main["bookings"][0]["customer_name"], "Ann Smith");
    EXPECT_EQ(main["bookings"][0]["start"], "2026-12-01T09:00:00Z");
    EXPECT_EQ(main["bookings"][1]["id"], second);
    EXPECT_EQ(main["free"], nlohmann::json::parse(R"([
        {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T11:00:00Z"},
        {"start": "2026-12-01T11:55:00Z", "end": "2026-12-01T13:00:00Z"}])"));
    ASSERT_EQ(alice["bookings"].size(), 1u);
    EXPECT_EQ(alice["bookings"][0]["id"], third);
    EXPECT_EQ(alice["free"], nlohmann::json::parse(R"([
        {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:30:00Z"},
        {"start": "2026-12-01T11:30:00Z", "end": "2026-12-01T12:00:00Z"}])"));

    // --resource, and the same day named by its date.
    auto one = ctl({"--format", "json", "agenda", "2026-12-01", "--resource", "alice"});
    ASSERT_TRUE(ExitedWith(one, kOk));
    ASSERT_EQ(json_of(one)["resources"].size(), 1u);
    EXPECT_EQ(json_of(one)["resources"][0], alice);

    // The table: local times, names, emails, the first line of notes, gaps; 80 columns.
    auto table = ctl_at("2026-12-01T08:00:00Z", {"agenda"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    for (const char* text :
         {"Tuesday 1 December 2026", "Alice Jones (alice)", "Main (main)", "09:00-10:00",
          "Consultation", "Ann Smith <ann@example.com>", "Ring the bell twice", "11:00-11:45",
          "Deep Tissue Massage", "11:55-13:00", "free 1h5m", "10:00-10:30", "free 30m"})
        EXPECT_CONTAINS(table.out, text);
    EXPECT_EQ(table.out.find("Second line"), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find("\x1b["), std::string::npos) << "colour without a terminal";
    for (const auto& line : lines_of(table.out)) EXPECT_LE(display_width(line), 80u) << line;
}

TEST_F(Receptionist, AgendaOfADayWithNothingAndOfAnUnknownResource) {
    auto empty = ctl({"--format", "json", "agenda", "2030-01-01"});
    ASSERT_TRUE(ExitedWith(empty, kOk));
    EXPECT_EQ(json_of(empty), nlohmann::json::parse(R"({"date": "2030-01-01", "resources": []})"));
    EXPECT_TRUE(FailedWith(ctl({"agenda", "--resource", "nowhere"}), kNotFound));
}

class ListDefaults : public Receptionist {
  protected:
    void SetUp() override {
        Receptionist::SetUp();
        past = seed_booking(ann, "consultation", "main", local_date(-3) + " 10:00");
        for (int day = 0; day < 5; ++day)
            future.push_back(
                seed_booking(ann, "consultation", "main", local_date(day + 1) + " 10:00"));
    }
    long long past = 0;
    std::vector<long long> future;
};

TEST_F(ListDefaults, WithoutDatesFromTodayOnAndAllWithAll) {
    std::set<long long> upcoming(future.begin(), future.end());
    auto ids = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--format", "json", "bookings", "list"});
        auto run = ctl(args);
        std::set<long long> out;
        EXPECT_TRUE(ExitedWith(run, kOk));
        for (const auto& b : json_of(run)) out.insert(b["id"].get<long long>());
        return out;
    };
    EXPECT_EQ(ids({}), upcoming);
    auto everything = upcoming;
    everything.insert(past);
    EXPECT_EQ(ids({"--all"}), everything);
    EXPECT_TRUE(FailedWith(ctl({"bookings", "list", "--all", "--date", "today"}), kUsage));
}

TEST_F(ListDefaults, LimitSaysHowManyMoreThereAre) {
    auto run = ctl({"bookings", "list", "--limit", "2"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(lines_of(run.out).size(), 3u) << run.out;  // header and two rows
    EXPECT_CONTAINS(run.err, "3 more bookings not shown");
    auto json = ctl({"--format", "json", "bookings", "list", "--all", "--limit", "4"});
    ASSERT_TRUE(ExitedWith(json, kOk));
    EXPECT_EQ(json_of(json).size(), 4u);
    EXPECT_CONTAINS(json.err, "2 more bookings");
    auto all = ctl({"bookings", "list", "--limit", "0"});
    ASSERT_TRUE(ExitedWith(all, kOk));
    EXPECT_EQ(lines_of(all.out).size(), 6u) << all.out;
    EXPECT_TRUE(all.err.empty()) << all.err;
    EXPECT_TRUE(FailedWith(ctl({"bookings", "list", "--limit", "many"}), kUsage));
    // Other lists take it too.
    auto users = ctl({"users", "list", "--limit", "0"});
    ASSERT_TRUE(ExitedWith(users, kOk));
    seed_user("bob@example.com", "Bob");
    auto one_user = ctl({"users", "list", "--limit", "1"});
    ASSERT_TRUE(ExitedWith(one_user, kOk));
    EXPECT_CONTAINS(one_user.err, "1 more user not shown");
    for (const char* noun : {"services", "resources", "slots", "mail"})
        EXPECT_TRUE(ExitedWith(ctl({noun, "list", "--limit", "1"}), kOk)) << noun;
}

TEST_F(ListDefaults, TablesStopAtAHundredRowsUnlessToldOtherwise) {
    {
        pqxx::work tx(db());
        // 120 more, on a resource of their own, an hour apart from tomorrow on.
        tx.exec0("INSERT INTO resources (code, name) VALUES ('room', 'Room')");
        tx.exec0(
            "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
            "blocked_until) SELECT " +
            std::to_string(ann) +
            ", s.id, r.id, t, t + interval '1 hour', t + interval '1 hour' FROM services s, "
            "resources r, generate_series(date_trunc('day', now()) + interval '2 days', "
            "date_trunc('day', now()) + interval '2 days' + interval '119 hours', interval '1 "
            "hour') t WHERE r.code = 'room'");
        tx.commit();
    }
    auto table = ctl({"bookings", "list"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    EXPECT_EQ(lines_of(table.out).size(), 101u);
    EXPECT_CONTAINS(table.err, "25 more bookings not shown");
    auto json = ctl({"--format", "json", "bookings", "list"});
    ASSERT_TRUE(ExitedWith(json, kOk));
    EXPECT_EQ(json_of(json).size(), 125u);
    EXPECT_TRUE(json.err.empty()) << json.err;
}

TEST_F(Receptionist, UsersFindRanksAnExactEmailFirst) {
    seed_user("joanna@example.com", "Joanna Ann Lee");
    seed_user("annabel@example.com", "Annabel Price");
    seed_user("dan@example.com", "Dan Hannigan");
    seed_user("zed@example.com", "Zed");
    auto run = ctl({"--format", "json", "users", "find", "ann@example.com"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    ASSERT_EQ(json_of(run).size(), 1u) << run.out;  // joanna@ does not contain it
    EXPECT_EQ(json_of(run)[0]["email"], "ann@example.com");

    auto by_name = ctl({"--format", "json", "users", "find", "ANN"});
    ASSERT_TRUE(ExitedWith(by_name, kOk));
    std::vector<std::string> emails;
    for (const auto& u : json_of(by_name)) emails.push_back(u["email"]);
    ASSERT_EQ(emails.size(), 4u) << by_name.out;  // case-insensitive, name or email
    EXPECT_EQ(emails[0], "ann@example.com");      // starts with it
    EXPECT_EQ(std::set<std::string>(emails.begin(), emails.end()),
              (std::set<std::string>{"ann@example.com", "joanna@example.com", "annabel@example.com",
                                     "dan@example.com"}));

    // Wildcards are text, not patterns.
    auto percent = ctl({"--format", "json", "users", "find", "%"});
    ASSERT_TRUE(ExitedWith(percent, kOk));
    EXPECT_TRUE(json_of(percent).empty()) << percent.out;
    EXPECT_TRUE(FailedWith(ctl({"users", "find", " "}), kUsage));
}

TEST_F(Receptionist, UsersFindOfPartOfAnAddressFindsEveryAddressContainingIt) {
    seed_user("joanna@example.com", "Joanna Lee");
    seed_user("joann@example.org", "Jo Ann");
    seed_user("ann@other.example", "Ann Other");
    seed_user("team@example.com", "ann@example.com's team");  // a name with an '@'
    auto emails_of = [&](const char* text) {
        auto run = ctl({"--format", "json", "users", "find", text});
        EXPECT_TRUE(ExitedWith(run, kOk));
        std::set<std::string> out;
        for (const auto& u : json_of(run)) out.insert(u["email"]);
        return out;
    };
    // The local part ends with what is before the '@', the domain starts with the rest.
    EXPECT_EQ(emails_of("ann@example"),
              (std::set<std::string>{"ann@example.com", "joann@example.org", "team@example.com"}));
    EXPECT_EQ(emails_of("nn@EXAMPLE.c"),
              (std::set<std::string>{"ann@example.com", "team@example.com"}));
    EXPECT_EQ(emails_of("ann@example.com"),
              (std::set<std::string>{"ann@example.com", "team@example.com"}));
    EXPECT_EQ(emails_of("a_n@example.com"), std::set<std::string>{});  // '_' is text
    EXPECT_EQ(emails_of("@other"), std::set<std::string>{"ann@other.example"});
}

TEST_F(Receptionist, UsersFindGivesAtMostTwenty) {
    pqxx::work tx(db());
    tx.exec0(
        "INSERT INTO users (email, name) SELECT 'client' || i || '@example.com', 'Client ' || i "
        "FROM generate_series(1, 30) i");
    tx.commit();
    auto run = ctl({"--format", "json", "users", "find", "client"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(json_of(run).size(), 20u);
}

TEST_F(Receptionist, UsersShowOfAnUnknownUserSuggestsTheClosest) {
    seed_user("annabel@example.com", "Annabel Price");
    auto ann_run = ctl({"users", "show", "ann"});
    EXPECT_TRUE(FailedWith(ann_run, kNotFound));
    EXPECT_CONTAINS(ann_run.err, "did you mean ann@example.com (Ann Smith)");
    EXPECT_CONTAINS(ann_run.err, "annabel@example.com");
    auto typo = ctl({"users", "show", "ann@exmaple.com"});
    EXPECT_TRUE(FailedWith(typo, kNotFound));
    EXPECT_CONTAINS(typo.err, "did you mean ann@example.com");
    auto nothing_alike = ctl({"users", "show", "qqqqqq@zzzz.org"});
    EXPECT_TRUE(FailedWith(nothing_alike, kNotFound));
    EXPECT_EQ(nothing_alike.err.find("did you mean"), std::string::npos) << nothing_alike.err;
}

TEST_F(Receptionist, WithoutATerminalDestructiveCommandsDoNotAsk) {
    // Scripts and cron: stdin is not a terminal, so no prompt and no waiting.
    long long id = seed_booking(ann, "consultation", "main", local_date(2) + " 10:00");
    auto run = ctl({"bookings", "cancel", std::to_string(id)});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(run.err.find("[y/N]"), std::string::npos) << run.err;
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(id)), "cancelled");
    auto disable = ctl({"users", "disable", "ann@example.com"}, std::string("n\n"));
    ASSERT_TRUE(ExitedWith(disable, kOk));
    EXPECT_EQ(text("SELECT disabled_at IS NOT NULL FROM users WHERE id = " + std::to_string(ann)),
              "t");
}

}  // namespace
}  // namespace booking::test
