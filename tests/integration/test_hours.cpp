// bookingctl hours, time-off and slots sync (SPEC §5, §10), and business.assign
// = least_busy, against a real PostgreSQL with the real binary.
#include <filesystem>
#include <fstream>
#include <future>
#include <pqxx/pqxx>

#include "tests/support/bookingctl_test.hpp"
#include "tests/support/wait.hpp"

namespace booking::test {
namespace {

using Hours = BookingctlTest;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

long long synced_slots(BookingctlTest& t) {
    return t.number("SELECT count(*) FROM slots WHERE synced");
}

// Weekdays 09:00-17:00 for `resource` from today.
void weekdays_nine_to_five(BookingctlTest& t, const std::string& resource = "main") {
    ASSERT_TRUE(ExitedWith(t.ctl({"hours", "set", "--resource", resource, "--days", "all",
                                  "--hours", "09:00-12:00", "--hours", "13:00-17:00"}),
                           kOk));
}

TEST_F(Hours, SetShowAndSyncFillTheCalendarToTheHorizonOnce) {
    weekdays_nine_to_five(*this);
    auto shown = json_of(ctl({"--format", "json", "hours", "show", "--resource", "main"}));
    ASSERT_EQ(shown.size(), 14u);  // 7 days x 2 ranges
    EXPECT_EQ(shown[0]["day"], "mon");
    EXPECT_EQ(shown[0]["start"], "09:00");
    EXPECT_EQ(shown[0]["end"], "12:00");
    EXPECT_EQ(shown[0]["from"], local_date(0));

    auto first = ctl({"slots", "sync"});
    ASSERT_TRUE(ExitedWith(first, kOk));
    // Today to today + 60 days (the default horizon): 61 days of two slots;
    // today's may already be over, but the sync makes them all.
    EXPECT_EQ(synced_slots(*this), 61 * 2);
    EXPECT_TRUE(contains(first.out, "created 122")) << first.out;
    EXPECT_EQ(number("SELECT count(*) FROM slots WHERE (starts_at AT TIME ZONE 'Europe/London')"
                     "::time <> '09:00' AND (starts_at AT TIME ZONE 'Europe/London')::time <> "
                     "'13:00'"),
              0);  // local hours on both sides of any DST change

    auto second = ctl({"--format", "json", "slots", "sync"});
    ASSERT_TRUE(ExitedWith(second, kOk));
    auto report = json_of(second);
    EXPECT_EQ(report["created"], 0);
    EXPECT_EQ(report["removed"], 0);
    EXPECT_EQ(report["unchanged"], 122);
}

TEST_F(Hours, DryRunChangesNothing) {
    weekdays_nine_to_five(*this);
    auto before = snapshot();
    auto run = ctl({"slots", "sync", "--dry-run"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_TRUE(contains(run.out, "would create 122")) << run.out;
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Hours, BadInputChangesNothing) {
    auto before = snapshot();
    auto set = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"hours", "set", "--resource", "main"};
        args.insert(args.end(), extra.begin(), extra.end());
        return ctl(args);
    };
    EXPECT_TRUE(FailedWith(
        set({"--days", "mon", "--hours", "09:00-12:00", "--hours", "11:00-13:00"}), kUsage));
    EXPECT_TRUE(FailedWith(set({"--days", "mon", "--hours", "17:00-09:00"}), kUsage));
    EXPECT_TRUE(FailedWith(set({"--days", "mon", "--hours", "09:00-24:00"}), kUsage));
    EXPECT_TRUE(FailedWith(set({"--days", "mon", "--hours", "09:00-25:00"}), kUsage));
    EXPECT_TRUE(FailedWith(set({"--days", "mon-fry", "--hours", "09:00-17:00"}), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"hours", "set", "--resource", "nobody", "--days", "mon", "--hours", "09:00-17:00"}),
        kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"hours", "show", "--resource", "nobody"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"time-off", "add", "--all", "--from", local_date(3) + " 12:00",
                                "--to", local_date(3) + " 11:00"}),
                           kUsage));
    EXPECT_TRUE(FailedWith(ctl({"time-off", "add", "--resource", "nobody", "--from",
                                local_date(3) + " 11:00", "--to", local_date(3) + " 12:00"}),
                           kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"time-off", "add", "--from", local_date(3) + " 11:00", "--to",
                                local_date(3) + " 12:00"}),
                           kUsage));  // neither --resource nor --all
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Hours, ChangingHoursFromADateChangesOnlyTheSlotsFromThatDate) {
    weekdays_nine_to_five(*this);
    ASSERT_TRUE(ExitedWith(ctl({"slots", "sync"}), kOk));
    const std::string from = local_date(10);
    ASSERT_TRUE(ExitedWith(ctl({"hours", "set", "--resource", "main", "--days", "all", "--hours",
                                "10:00-16:00", "--from", from}),
                           kOk));
    auto run = ctl({"--format", "json", "slots", "sync"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto report = json_of(run);
    EXPECT_EQ(report["removed"], 51 * 2);  // day 10 .. day 60
    EXPECT_EQ(report["created"], 51);
    EXPECT_EQ(number("SELECT count(*) FROM slots WHERE starts_at < '" + from +
                     "'::timestamp AT TIME ZONE 'Europe/London' AND (starts_at AT TIME ZONE "
                     "'Europe/London')::time = '09:00'"),
              10);
    EXPECT_EQ(number("SELECT count(*) FROM slots WHERE (starts_at AT TIME ZONE "
                     "'Europe/London')::time = '10:00'"),
              51);
    // hours clear from a date closes every day from then on.
    ASSERT_TRUE(ExitedWith(ctl({"hours", "clear", "--resource", "main", "--from", from}), kOk));
    ASSERT_TRUE(ExitedWith(ctl({"slots", "sync"}), kOk));
    EXPECT_EQ(synced_slots(*this), 10 * 2);
}

TEST_F(Hours, SyncKeepsAndNamesASlotHoldingABookingAndNeverTouchesHandMadeOnes) {
    seed_service("consultation", "Consultation", 60);
    long long ann = seed_user("ann@example.com", "Ann");
    weekdays_nine_to_five(*this);
    ASSERT_TRUE(ExitedWith(ctl({"slots", "sync"}), kOk));
    const std::string day = local_date(5);
    auto booking = seed_booking(ann, "consultation", "main", day + " 10:00");
    seed_resource("room", "Room");
    auto hand_made = seed_slot("room", day + " 08:00", day + " 20:00");
    ASSERT_TRUE(ExitedWith(ctl({"hours", "clear", "--resource", "main"}), kOk));
    auto run = ctl({"slots", "sync"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_TRUE(contains(run.out, "kept 1")) << run.out;
    EXPECT_TRUE(contains(run.err, "kept slot")) << run.err;
    EXPECT_TRUE(contains(run.err, day + " 09:00")) << run.err;
    EXPECT_EQ(synced_slots(*this), 1);
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(booking)),
              "confirmed");
    EXPECT_EQ(number("SELECT count(*) FROM slots WHERE id = " + std::to_string(hand_made)), 1);
}

TEST_F(Hours, TwoSyncsAtOnceCreateEachSlotOnce) {
    seed_resource("alice", "Alice");
    seed_resource("bob", "Bob");
    weekdays_nine_to_five(*this, "alice");
    weekdays_nine_to_five(*this, "bob");
    auto a = std::async(std::launch::async, [&] { return ctl({"slots", "sync"}); });
    auto b = std::async(std::launch::async, [&] { return ctl({"slots", "sync"}); });
    EXPECT_TRUE(ExitedWith(a.get(), kOk));
    EXPECT_TRUE(ExitedWith(b.get(), kOk));
    EXPECT_EQ(synced_slots(*this), 2 * 61 * 2);
}

using TimeOff = BookingctlTest;

TEST_F(TimeOff, AddListRemove) {
    const std::string day = local_date(4);
    auto added = ctl({"--format", "json", "time-off", "add", "--resource", "main", "--from",
                      day + " 13:00", "--to", day + " 17:00", "--reason", "dentist"});
    ASSERT_TRUE(ExitedWith(added, kOk));
    auto t = json_of(added);
    EXPECT_EQ(t["resource"], "main");
    EXPECT_EQ(t["start"], utc_of_local(day + " 13:00"));
    EXPECT_EQ(t["reason"], "dentist");
    EXPECT_EQ(t["source"], "manual");
    // A date alone is the whole day; --all is the whole business.
    ASSERT_TRUE(ExitedWith(ctl({"time-off", "add", "--all", "--from", local_date(6), "--to",
                                local_date(7), "--reason", "closed"}),
                           kOk));
    EXPECT_EQ(text("SELECT ends_at - starts_at FROM time_off WHERE resource_id IS NULL"), "2 days");
    auto listed = json_of(ctl({"--format", "json", "time-off", "list", "--resource", "main"}));
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_TRUE(listed[1]["resource"].is_null());
    auto csv = ctl({"--format", "csv", "time-off", "list"});
    ASSERT_TRUE(ExitedWith(csv, kOk));
    EXPECT_EQ(lines_of(csv.out).at(0), "id,resource,start,end,reason,source");
    ASSERT_TRUE(
        ExitedWith(ctl({"time-off", "remove", std::to_string(t["id"].get<long long>())}), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM time_off"), 1);
    EXPECT_TRUE(FailedWith(ctl({"time-off", "remove", "999999"}), kNotFound));
}

TEST_F(TimeOff, OverAConfirmedBookingIsRefusedUnlessItsCancelledWithAnEmail) {
    seed_service("consultation", "Consultation", 60);
    long long ann = seed_user("ann@example.com", "Ann");
    const std::string day = local_date(4);
    auto booking = seed_booking(ann, "consultation", "main", day + " 14:00");
    auto before = snapshot();
    std::vector<std::string> args{"time-off", "add",          "--resource", "main",
                                  "--from",   day + " 13:00", "--to",       day + " 17:00"};
    auto refused = ctl(args);
    EXPECT_TRUE(FailedWith(refused, kConflict));
    EXPECT_TRUE(contains(refused.err, std::to_string(booking))) << refused.err;
    EXPECT_EQ(snapshot(), before);

    args.push_back("--cancel-bookings");
    ASSERT_TRUE(ExitedWith(ctl(args), kOk));
    EXPECT_EQ(text("SELECT status FROM bookings WHERE id = " + std::to_string(booking)),
              "cancelled");
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'cancellation' AND booking_id = " +
                     std::to_string(booking)),
              1);
    EXPECT_EQ(number("SELECT count(*) FROM time_off"), 1);
}

TEST_F(TimeOff, ClosesHandMadeSlotsToNewBookingsAndTheSyncCutsAroundIt) {
    seed_service("consultation", "Consultation", 60);
    seed_user("ann@example.com", "Ann");
    const std::string day = local_date(4);
    seed_slot("main", day + " 09:00", day + " 17:00");
    ASSERT_TRUE(ExitedWith(
        ctl({"time-off", "add", "--all", "--from", day + " 12:00", "--to", day + " 14:00"}), kOk));
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                                "consultation", "--start", day + " 12:30"}),
                           kUsage));
    EXPECT_TRUE(FailedWith(ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                                "consultation", "--start", day + " 11:30"}),
                           kUsage));  // it would run into the time off
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(ExitedWith(ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                                "consultation", "--start", day + " 14:00"}),
                           kOk));

    // Weekly hours on another resource: the sync leaves the time off out.
    seed_resource("alice", "Alice");
    weekdays_nine_to_five(*this, "alice");
    ASSERT_TRUE(ExitedWith(ctl({"slots", "sync"}), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM slots s JOIN resources r ON r.id = s.resource_id "
                     "WHERE r.code = 'alice' AND tstzrange(s.starts_at, s.ends_at) && "
                     "tstzrange('" +
                     day + " 12:00'::timestamp AT TIME ZONE 'Europe/London', '" + day +
                     " 14:00'::timestamp AT TIME ZONE 'Europe/London')"),
              0);
}

// A transaction of the test's own, on a connection of its own, that stays
// open until commit(): the other side of a race, made to lose or win on cue.
struct OpenTransaction {
    explicit OpenTransaction(const std::string& url) : conn(url), tx(conn) {}
    pqxx::connection conn;
    pqxx::work tx;
};

// Someone waits for the advisory lock that time off and bookings share (sql/0012).
bool someone_waits_for_the_time_off_lock(BookingctlTest& t) {
    return t.number(
               "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 12 "
               "AND objid = 0 AND NOT granted") > 0;
}

TEST_F(TimeOff, ABookingMadeWhileTimeOffIsBeingAddedIsRefusedOnceItCommits) {
    seed_service("consultation", "Consultation", 60);
    seed_user("ann@example.com", "Ann");
    const std::string day = local_date(4);
    seed_slot("main", day + " 09:00", day + " 17:00");
    // Time off being added: it holds the lock and its row is not committed yet,
    // so the booking's plan still sees the time free.
    OpenTransaction adding(database_url());
    adding.tx.exec("SELECT pg_advisory_xact_lock(12, 0)");
    adding.tx.exec0(
        "INSERT INTO time_off (resource_id, starts_at, ends_at, reason) SELECT id, "
        "'" +
        day + " 12:00'::timestamp AT TIME ZONE 'Europe/London', '" + day +
        " 14:00'::timestamp AT TIME ZONE 'Europe/London', 'dentist' FROM resources "
        "WHERE code = 'main'");
    auto booking = std::async(std::launch::async, [&] {
        return ctl({"bookings", "create", "--user", "ann@example.com", "--service", "consultation",
                    "--start", day + " 12:30"});
    });
    ASSERT_TRUE(poll_until([&] { return someone_waits_for_the_time_off_lock(*this); },
                           std::chrono::seconds(30)));
    adding.tx.commit();
    auto refused = booking.get();
    EXPECT_TRUE(FailedWith(refused, kConflict)) << refused.out << refused.err;
    EXPECT_TRUE(contains(refused.err, "time off")) << refused.err;
    EXPECT_EQ(number("SELECT count(*) FROM bookings"), 0);
    EXPECT_EQ(number("SELECT count(*) FROM emails"), 0);
}

TEST_F(TimeOff, TimeOffAddedWhileABookingIsBeingMadeSeesItOnceItCommits) {
    seed_service("consultation", "Consultation", 60);
    long long ann = seed_user("ann@example.com", "Ann");
    const std::string day = local_date(4);
    // A booking being made: inserted, not committed yet.
    OpenTransaction booking(database_url());
    const long long id =
        booking.tx
            .exec_params1(
                "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
                "blocked_until) SELECT $1, s.id, r.id, t.at, t.at + interval '1 hour', "
                "t.at + interval '1 hour' FROM services s, resources r, (SELECT $2::timestamp "
                "AT TIME ZONE 'Europe/London' AS at) t WHERE s.code = 'consultation' AND "
                "r.code = 'main' RETURNING id",
                ann, day + " 14:00")[0]
            .as<long long>();
    auto adding = std::async(std::launch::async, [&] {
        return ctl({"time-off", "add", "--resource", "main", "--from", day + " 13:00", "--to",
                    day + " 17:00"});
    });
    ASSERT_TRUE(poll_until([&] { return someone_waits_for_the_time_off_lock(*this); },
                           std::chrono::seconds(30)));
    booking.tx.commit();
    auto refused = adding.get();
    EXPECT_TRUE(FailedWith(refused, kConflict)) << refused.out << refused.err;
    EXPECT_TRUE(contains(refused.err, std::to_string(id))) << refused.err;
    EXPECT_EQ(number("SELECT count(*) FROM time_off"), 0);
}

class Import : public BookingctlTest {
  public:
    std::string write(const std::string& name, const std::string& body) {
        std::string path = work_dir() + "/" + name;
        std::ofstream(path, std::ios::binary) << body;
        return path;
    }
};

TEST_F(Import, TwiceAddsNothingAndAllDayEventsAreLocalDays) {
    const std::string day = local_date(20);
    std::string compact = day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
    const std::string ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:holiday-1@example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:" +
        compact +
        "\r\nSUMMARY:Holiday\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:weekly@example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:" +
        compact +
        "\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "SUMMARY:Training day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    auto path = write("holidays.ics", ics);
    auto first = ctl({"--format", "json", "time-off", "import", path, "--all"});
    ASSERT_TRUE(ExitedWith(first, kOk));
    EXPECT_EQ(json_of(first)["imported"], 4);
    EXPECT_EQ(text("SELECT to_char(starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') "
                   "FROM time_off WHERE source_uid = 'holiday-1@example'"),
              day + " 00:00");
    auto again = ctl({"time-off", "import", path, "--all"});
    ASSERT_TRUE(ExitedWith(again, kOk));
    EXPECT_TRUE(contains(again.out, "imported 0")) << again.out;
    EXPECT_EQ(number("SELECT count(*) FROM time_off"), 4);
}

TEST_F(Import, RefusesWhatIsNotICalendarOrTooLarge) {
    auto before = snapshot();
    auto text_file = write("notes.ics", "this is not a calendar\n");
    EXPECT_TRUE(FailedWith(ctl({"time-off", "import", text_file, "--all"}), kUsage));
    auto huge = work_dir() + "/huge.ics";
    { std::ofstream(huge) << "BEGIN:VCALENDAR\r\n"; }
    std::filesystem::resize_file(huge, 50u * 1024 * 1024);
    auto run = ctl({"time-off", "import", huge, "--all"});
    EXPECT_TRUE(FailedWith(run, kUsage));
    EXPECT_TRUE(contains(run.err, "bytes")) << run.err;
    EXPECT_TRUE(
        FailedWith(ctl({"time-off", "import", work_dir() + "/missing.ics", "--all"}), kUsage));
    EXPECT_EQ(snapshot(), before);
}

// Found by fuzz_calendar_import: an event from the year 1013 that repeats every
// second kept libical busy for hours; one that repeats every five minutes fills
// the table. Both are refused with the limit named, nothing written.
TEST_F(Import, RefusesFilesThatExpandPastTheLimits) {
    auto before = snapshot();
    const auto calendar = [](const std::string& lines) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
               "UID:often@example\r\n" +
               lines + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    };
    auto every_second = ctl(
        {"time-off", "import",
         write("every-second.ics", calendar("DTSTART:10130603T090000\r\nDTEND:20251227T000000\r\n"
                                            "RRULE:FREQ=SECONDLY\r\n")),
         "--all"});
    EXPECT_TRUE(FailedWith(every_second, kUsage));
    EXPECT_TRUE(contains(every_second.err, "repeat more than 100000 times")) << every_second.err;
    const std::string day = local_date(1);
    const std::string compact = day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
    auto every_five_minutes =
        ctl({"time-off", "import",
             write("every-five-minutes.ics",
                   calendar("DTSTART:" + compact + "T090000Z\r\nDTEND:" + compact +
                            "T090100Z\r\nRRULE:FREQ=MINUTELY;INTERVAL=5;COUNT=10001\r\n")),
             "--all"});
    EXPECT_TRUE(FailedWith(every_five_minutes, kUsage));
    EXPECT_TRUE(contains(every_five_minutes.err, "more than 10000 closed times"))
        << every_five_minutes.err;
    EXPECT_EQ(snapshot(), before);
}

using Assign = BookingctlTest;

// Two resources free all day: four bookings that name none go two and two.
void two_free_resources(BookingctlTest& t, const std::string& day) {
    t.seed_service("consultation", "Consultation", 60);
    t.seed_user("ann@example.com", "Ann");
    t.seed_resource("alice", "Alice");
    t.seed_resource("bob", "Bob");
    t.seed_slot("alice", day + " 09:00", day + " 17:00");
    t.seed_slot("bob", day + " 09:00", day + " 17:00");
}

std::vector<std::string> book_args(const std::string& day, int hour) {
    return {"bookings",  "create",       "--user",  "ann@example.com",
            "--service", "consultation", "--start", day + " " + std::to_string(hour) + ":00"};
}

long long bookings_of(BookingctlTest& t, const std::string& code) {
    return t.number(
        "SELECT count(*) FROM bookings b JOIN resources r ON r.id = b.resource_id "
        "WHERE r.code = '" +
        code + "' AND b.status = 'confirmed'");
}

TEST_F(Assign, LeastBusySpreadsBookingsTwoAndTwo) {
    const std::string day = local_date(3);
    two_free_resources(*this, day);
    for (int hour : {10, 11, 12, 13}) ASSERT_TRUE(ExitedWith(ctl(book_args(day, hour)), kOk));
    EXPECT_EQ(bookings_of(*this, "alice"), 2);
    EXPECT_EQ(bookings_of(*this, "bob"), 2);
}

TEST_F(Assign, LeastBusySpreadsBookingsThatArriveAtOnce) {
    const std::string day = local_date(3);
    two_free_resources(*this, day);
    std::vector<std::future<ProcessResult>> runs;
    for (int hour : {10, 11, 12, 13})
        runs.push_back(
            std::async(std::launch::async, [&, hour] { return ctl(book_args(day, hour)); }));
    for (auto& r : runs) EXPECT_TRUE(ExitedWith(r.get(), kOk));
    EXPECT_EQ(bookings_of(*this, "alice"), 2);
    EXPECT_EQ(bookings_of(*this, "bob"), 2);
}

TEST_F(Assign, FirstKeepsBookingTheFirstByCode) {
    {
        std::ofstream(config_path(), std::ios::app) << "assign = \"first\"\n";  // under [business]
    }
    const std::string day = local_date(3);
    two_free_resources(*this, day);
    for (int hour : {10, 11, 12, 13}) ASSERT_TRUE(ExitedWith(ctl(book_args(day, hour)), kOk));
    EXPECT_EQ(bookings_of(*this, "alice"), 4);
}

}  // namespace
}  // namespace booking::test
