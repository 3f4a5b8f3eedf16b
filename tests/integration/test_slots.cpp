// bookingctl slots add/generate/list/remove (SPEC §5), DST changes included.
#include <cctype>
#include <optional>
#include <set>
#include <string_view>

#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

using Slots = BookingctlTest;

// The count that the output puts next to a word: "created 10", "created: 10",
// "10 created" (case-insensitive; only spaces and punctuation in between).
std::optional<long long> count_next_to(std::string_view text, std::string_view word) {
    std::string lower(text);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto is_gap = [](char c) { return c == ' ' || c == ':' || c == '=' || c == '\t'; };
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    for (size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
        size_t after = at + word.size();
        while (after < lower.size() && is_gap(lower[after])) ++after;
        size_t digits = after;
        while (digits < lower.size() && is_digit(lower[digits])) ++digits;
        if (digits > after) return std::stoll(lower.substr(after, digits - after));
        size_t before = at;
        while (before > 0 && is_gap(lower[before - 1])) --before;
        size_t first = before;
        while (first > 0 && is_digit(lower[first - 1])) --first;
        if (first < before) return std::stoll(lower.substr(first, before - first));
    }
    return std::nullopt;
}

bool reports(const ProcessResult& run, long long count, std::string_view word) {
    return count_next_to(run.out, word) == count || count_next_to(run.err, word) == count;
}

// The local wall-clock start and end of every slot, in order.
std::vector<std::string> local_slots(BookingctlTest& t, const std::string& resource = "main") {
    std::vector<std::string> result;
    pqxx::nontransaction tx(t.db());
    for (const auto& row :
         tx.exec_params("SELECT to_char(s.starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD "
                        "HH24:MI') || '-' || "
                        "to_char(s.ends_at AT TIME ZONE 'Europe/London', 'HH24:MI') FROM slots s "
                        "JOIN resources r "
                        "ON r.id = s.resource_id WHERE r.code = $1 ORDER BY s.starts_at",
                        resource)) {
        result.push_back(row[0].as<std::string>());
    }
    return result;
}

std::vector<std::string> utc_starts(BookingctlTest& t) {
    std::vector<std::string> result;
    pqxx::nontransaction tx(t.db());
    for (const auto& row :
         tx.exec("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM slots "
                 "ORDER BY starts_at")) {
        result.push_back(row[0].as<std::string>());
    }
    return result;
}

TEST_F(Slots, AddCreatesOneSlotInBusinessTime) {
    auto run = ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 09:00", "--end",
                    "2027-01-05 17:00"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(local_slots(*this), (std::vector<std::string>{"2027-01-05 09:00-17:00"}));
    EXPECT_NE(run.out.find(text("SELECT id FROM slots")), std::string::npos)
        << "the new id is not shown:\n"
        << run.out;
}

TEST_F(Slots, AddTakesRfc3339AndPrintsTheApiSlotObject) {
    auto run = ctl({"--format", "json", "slots", "add", "--resource", "main", "--start",
                    "2027-07-01T08:00:00Z", "--end", "2027-07-01T12:00:00+01:00"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto slot = json_of(run);
    ASSERT_TRUE(slot.is_object()) << run.out;
    EXPECT_EQ(slot["id"].get<long long>(), number("SELECT id FROM slots"));
    EXPECT_EQ(slot["resource"], "main");
    EXPECT_EQ(slot["start"], "2027-07-01T08:00:00Z");
    EXPECT_EQ(slot["end"], "2027-07-01T11:00:00Z");
    EXPECT_EQ(local_slots(*this), (std::vector<std::string>{"2027-07-01 09:00-12:00"}));
}

TEST_F(Slots, AddRefusesAnOverlapWithExit4) {
    seed_slot("main", "2027-01-05 09:00", "2027-01-05 12:00");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 11:00",
                                "--end", "2027-01-05 13:00"}),
                           kConflict));
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 08:00",
                                "--end", "2027-01-05 18:00"}),
                           kConflict));
    EXPECT_EQ(snapshot(), before);
    // Touching is not overlapping, and another resource's slots do not count.
    EXPECT_TRUE(ExitedWith(ctl({"slots", "add", "--resource", "main", "--start", "2027-01-05 12:00",
                                "--end", "2027-01-05 13:00"}),
                           kOk));
    seed_resource("alice", "Alice");
    EXPECT_TRUE(ExitedWith(ctl({"slots", "add", "--resource", "alice", "--start",
                                "2027-01-05 09:00", "--end", "2027-01-05 12:00"}),
                           kOk));
}

TEST_F(Slots, AddRefusesBadTimesWithExit2) {
    auto before = snapshot();
    auto add = [&](const std::string& start, const std::string& end) {
        return ctl({"slots", "add", "--resource", "main", "--start", start, "--end", end});
    };
    EXPECT_TRUE(FailedWith(add("2027-01-05 25:00", "2027-01-05 26:00"), kUsage));
    EXPECT_TRUE(FailedWith(add("2027-01-05 09:60", "2027-01-05 12:00"), kUsage));
    EXPECT_TRUE(FailedWith(add("2027-02-30 09:00", "2027-02-30 12:00"), kUsage));
    EXPECT_TRUE(FailedWith(add("tomorrow", "2027-01-05 12:00"), kUsage));
    EXPECT_TRUE(FailedWith(add("2027-01-05T09:00:00", "2027-01-05T12:00:00"), kUsage))
        << "RFC 3339 needs an offset";
    // End before (or at) start.
    EXPECT_TRUE(FailedWith(add("2027-01-05 12:00", "2027-01-05 09:00"), kUsage));
    EXPECT_TRUE(FailedWith(add("2027-01-05 12:00", "2027-01-05 12:00"), kUsage));
    // 01:30 does not exist in London on 2027-03-28 (clocks go from 01:00 to 02:00).
    EXPECT_TRUE(FailedWith(add("2027-03-28 01:30", "2027-03-28 03:00"), kUsage));
    EXPECT_TRUE(FailedWith(add("2026-03-29 01:00", "2026-03-29 03:00"), kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Slots, AddForAnUnknownResourceIsNotFound) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"slots", "add", "--resource", "nobody", "--start",
                                "2027-01-05 09:00", "--end", "2027-01-05 12:00"}),
                           kNotFound));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Slots, GenerateCreatesOneSlotPerWeekdayAndRange) {
    // 2027-01-04 is a Monday.
    auto run = ctl({"slots", "generate", "--resource", "main", "--from", "2027-01-04", "--to",
                    "2027-01-10", "--days", "mon-fri", "--hours", "09:00-12:00", "--hours",
                    "13:00-17:00"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    std::vector<std::string> expected;
    for (const char* day : {"04", "05", "06", "07", "08"}) {
        expected.push_back(std::string("2027-01-") + day + " 09:00-12:00");
        expected.push_back(std::string("2027-01-") + day + " 13:00-17:00");
    }
    EXPECT_EQ(local_slots(*this), expected);
    EXPECT_TRUE(reports(run, 10, "created")) << run.out << run.err;
}

TEST_F(Slots, GenerateTwiceCreatesNothingNew) {
    std::vector<std::string> args = {"slots",  "generate",   "--resource", "main",
                                     "--from", "2027-01-04", "--to",       "2027-01-17",
                                     "--days", "mon-fri",    "--hours",    "09:00-17:00"};
    ASSERT_TRUE(ExitedWith(ctl(args), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 10);
    auto before = snapshot();
    auto again = ctl(args);
    ASSERT_TRUE(ExitedWith(again, kOk));
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(reports(again, 0, "created")) << again.out << again.err;
    EXPECT_TRUE(reports(again, 10, "skipped")) << again.out << again.err;
}

TEST_F(Slots, GenerateSkipsRangesAlreadyCovered) {
    seed_slot("main", "2027-01-05 09:00", "2027-01-05 12:00");
    auto run = ctl({"slots", "generate", "--resource", "main", "--from", "2027-01-04", "--to",
                    "2027-01-06", "--days", "all", "--hours", "09:00-12:00"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(local_slots(*this),
              (std::vector<std::string>{"2027-01-04 09:00-12:00", "2027-01-05 09:00-12:00",
                                        "2027-01-06 09:00-12:00"}));
    EXPECT_TRUE(reports(run, 2, "created")) << run.out << run.err;
    EXPECT_TRUE(reports(run, 1, "skipped")) << run.out << run.err;
}

TEST_F(Slots, GenerateDryRunCreatesNothingButReportsWhatItWould) {
    auto before = snapshot();
    auto run = ctl({"slots", "generate", "--resource", "main", "--from", "2027-01-04", "--to",
                    "2027-01-10", "--days", "sat-sun", "--hours", "10:00-14:00", "--dry-run"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(reports(run, 2, "created") || reports(run, 2, "create")) << run.out << run.err;
}

TEST_F(Slots, GenerateUnderstandsEveryDaysForm) {
    struct Case {
        std::string days;
        std::set<int> iso_weekdays;
    };
    for (const auto& c : std::vector<Case>{{"mon,wed,fri", {1, 3, 5}},
                                           {"sat-sun", {6, 7}},
                                           {"mon-sun", {1, 2, 3, 4, 5, 6, 7}},
                                           {"all", {1, 2, 3, 4, 5, 6, 7}},
                                           {"mon-fri", {1, 2, 3, 4, 5}}}) {
        pqxx::work clear(db());
        clear.exec0("DELETE FROM slots");
        clear.commit();
        auto run = ctl({"slots", "generate", "--resource", "main", "--from", "2027-01-04", "--to",
                        "2027-01-10", "--days", c.days, "--hours", "09:00-10:00"});
        ASSERT_TRUE(ExitedWith(run, kOk)) << c.days;
        std::set<int> days;
        {
            pqxx::nontransaction tx(db());
            for (const auto& row : tx.exec("SELECT extract(isodow FROM starts_at AT TIME ZONE "
                                           "'Europe/London')::int FROM slots")) {
                days.insert(row[0].as<int>());
            }
        }
        EXPECT_EQ(days, c.iso_weekdays) << c.days;
        EXPECT_EQ(number("SELECT count(*) FROM slots"),
                  static_cast<long long>(c.iso_weekdays.size()))
            << c.days;
    }
}

TEST_F(Slots, GenerateKeepsLocalHoursAcrossTheSpringDstChange) {
    // Europe/London moves from GMT to BST on 2026-03-29.
    ASSERT_TRUE(ExitedWith(ctl({"slots", "generate", "--resource", "main", "--from", "2026-03-27",
                                "--to", "2026-03-31", "--days", "all", "--hours", "09:00-17:00"}),
                           kOk));
    EXPECT_EQ(local_slots(*this),
              (std::vector<std::string>{"2026-03-27 09:00-17:00", "2026-03-28 09:00-17:00",
                                        "2026-03-29 09:00-17:00", "2026-03-30 09:00-17:00",
                                        "2026-03-31 09:00-17:00"}));
    EXPECT_EQ(utc_starts(*this),
              (std::vector<std::string>{"2026-03-27 09:00", "2026-03-28 09:00", "2026-03-29 08:00",
                                        "2026-03-30 08:00", "2026-03-31 08:00"}));
}

TEST_F(Slots, GenerateKeepsLocalHoursAcrossTheAutumnDstChange) {
    // Europe/London moves from BST back to GMT on 2026-10-25.
    ASSERT_TRUE(ExitedWith(ctl({"slots", "generate", "--resource", "main", "--from", "2026-10-23",
                                "--to", "2026-10-27", "--days", "all", "--hours", "09:00-17:00"}),
                           kOk));
    EXPECT_EQ(local_slots(*this),
              (std::vector<std::string>{"2026-10-23 09:00-17:00", "2026-10-24 09:00-17:00",
                                        "2026-10-25 09:00-17:00", "2026-10-26 09:00-17:00",
                                        "2026-10-27 09:00-17:00"}));
    EXPECT_EQ(utc_starts(*this),
              (std::vector<std::string>{"2026-10-23 08:00", "2026-10-24 08:00", "2026-10-25 09:00",
                                        "2026-10-26 09:00", "2026-10-27 09:00"}));
}

TEST_F(Slots, GenerateOverTheNightOfADstChangeSpansTheRealHours) {
    ASSERT_TRUE(ExitedWith(ctl({"slots", "generate", "--resource", "main", "--from", "2026-03-29",
                                "--to", "2026-03-29", "--days", "all", "--hours", "00:00-03:00"}),
                           kOk));
    ASSERT_TRUE(ExitedWith(ctl({"slots", "generate", "--resource", "main", "--from", "2026-10-25",
                                "--to", "2026-10-25", "--days", "all", "--hours", "00:00-03:00"}),
                           kOk));
    EXPECT_EQ(local_slots(*this),
              (std::vector<std::string>{"2026-03-29 00:00-03:00", "2026-10-25 00:00-03:00"}));
    // Three hours on the clock are two real hours in spring and four in autumn.
    EXPECT_EQ(text("SELECT string_agg((extract(epoch FROM ends_at - starts_at) / 3600)::int::text, "
                   "',' ORDER BY "
                   "starts_at) FROM slots"),
              "2,4");
}

TEST_F(Slots, GenerateRefusesBadArguments) {
    auto before = snapshot();
    auto generate = [&](const std::string& from, const std::string& to, const std::string& days,
                        const std::string& hours) {
        return ctl({"slots", "generate", "--resource", "main", "--from", from, "--to", to, "--days",
                    days, "--hours", hours});
    };
    EXPECT_TRUE(FailedWith(generate("2027-01-04", "2027-01-10", "funday", "09:00-12:00"), kUsage));
    EXPECT_TRUE(FailedWith(generate("2027-01-04", "2027-01-10", "mon-fri", "09:00-25:00"), kUsage));
    EXPECT_TRUE(FailedWith(generate("2027-01-04", "2027-01-10", "mon-fri", "12:00-09:00"), kUsage));
    EXPECT_TRUE(FailedWith(generate("2027-01-04", "2027-01-10", "mon-fri", "nine-five"), kUsage));
    EXPECT_TRUE(FailedWith(generate("2027-01-10", "2027-01-04", "mon-fri", "09:00-12:00"), kUsage));
    EXPECT_TRUE(FailedWith(generate("2027-13-01", "2027-13-05", "mon-fri", "09:00-12:00"), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"slots", "generate", "--resource", "nobody", "--from", "2027-01-04",
                                "--to", "2027-01-10", "--days", "all", "--hours", "09:00-12:00"}),
                           kNotFound));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Slots, ListFiltersByResourceAndDates) {
    seed_resource("alice", "Alice");
    auto a = seed_slot("main", "2027-01-04 09:00", "2027-01-04 17:00");
    auto b = seed_slot("main", "2027-01-05 09:00", "2027-01-05 17:00");
    auto c = seed_slot("alice", "2027-01-05 09:00", "2027-01-05 17:00");
    auto d = seed_slot("main", "2027-01-06 09:00", "2027-01-06 17:00");
    auto ids = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--format", "json", "slots", "list"});
        auto run = ctl(args);
        std::set<long long> result;
        EXPECT_TRUE(ExitedWith(run, kOk));
        if (run.exit_code != 0) return result;
        auto slots = json_of(run);
        EXPECT_TRUE(slots.is_array()) << run.out;
        for (const auto& slot : slots) {
            for (const char* field : {"id", "resource", "start", "end"}) {
                EXPECT_TRUE(slot.contains(field)) << field << " missing in " << slot.dump();
            }
            result.insert(slot["id"].get<long long>());
        }
        return result;
    };
    EXPECT_EQ(ids({}), (std::set<long long>{a, b, c, d}));
    EXPECT_EQ(ids({"--resource", "alice"}), (std::set<long long>{c}));
    EXPECT_EQ(ids({"--from", "2027-01-05", "--to", "2027-01-05"}), (std::set<long long>{b, c}));
    EXPECT_EQ(ids({"--resource", "main", "--from", "2027-01-05"}), (std::set<long long>{b, d}));
    EXPECT_EQ(ids({"--to", "2027-01-04"}), (std::set<long long>{a}));

    auto table = ctl({"slots", "list"});
    ASSERT_TRUE(ExitedWith(table, kOk));
    EXPECT_NE(table.out.find("2027-01-05"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("09:00"), std::string::npos) << "table output shows local times:\n"
                                                          << table.out;
    for (const auto& line : lines_of(table.out)) EXPECT_LE(display_width(line), 80u) << line;
}

class SlotRemoval : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        seed_service("consultation", "Consultation", 60);
        ann = seed_user("ann@example.com", "Ann");
        day = local_date(10);
        slot = seed_slot("main", day + " 09:00", day + " 17:00");
    }
    long long ann = 0;
    long long slot = 0;
    std::string day;
};

TEST_F(SlotRemoval, RemovesAnEmptySlot) {
    ASSERT_TRUE(ExitedWith(ctl({"slots", "remove", std::to_string(slot)}), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 0);
}

TEST_F(SlotRemoval, RefusesWithExit4WhileConfirmedBookingsLieInsideNamingThem) {
    const auto inside = seed_booking(ann, "consultation", "main", day + " 10:00");
    auto before = snapshot();
    const auto r = ctl({"slots", "remove", std::to_string(slot)});
    EXPECT_TRUE(FailedWith(r, kConflict));
    EXPECT_NE(r.err.find("lie inside slot " + std::to_string(slot)), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(std::to_string(inside) + " (main, "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--cancel-bookings"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot(), before);
}

TEST_F(SlotRemoval, CancelledBookingsDoNotBlockRemoval) {
    seed_booking(ann, "consultation", "main", day + " 10:00", "cancelled");
    ASSERT_TRUE(ExitedWith(ctl({"slots", "remove", std::to_string(slot)}), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 0);
}

TEST_F(SlotRemoval, CancelBookingsCancelsThemAndEmailsTheCustomers) {
    auto inside = seed_booking(ann, "consultation", "main", day + " 10:00");
    auto other_day = seed_booking(ann, "consultation", "main", add_days(day, 1) + " 10:00");
    ASSERT_TRUE(
        ExitedWith(ctl({"slots", "remove", std::to_string(slot), "--cancel-bookings"}), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM slots"), 0);
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(inside)),
              "cancelled");
    EXPECT_EQ(
        text("SELECT cancelled_at IS NOT NULL FROM bookings WHERE id = " + std::to_string(inside)),
        "t");
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(other_day)),
              "confirmed");
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'cancellation' AND recipient = "
                     "'ann@example.com' "
                     "AND booking_id = " +
                     std::to_string(inside)),
              1);
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE booking_id = " + std::to_string(other_day)),
              0);
}

TEST_F(SlotRemoval, UnknownOrMalformedIds) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"slots", "remove", "999999"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"slots", "remove", "abc"}), kUsage));
    EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace booking::test
