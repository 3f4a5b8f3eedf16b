// bookingctl bookings create/list/show/cancel/reschedule (SPEC §5).
#include <set>

#include "tests/support/bookingctl_test.hpp"
#include "tests/support/csv_reader.hpp"

namespace booking::test {
namespace {

void expect_booking_object(const nlohmann::json& booking) {
    ASSERT_TRUE(booking.is_object()) << booking.dump();
    for (const char* field :
         {"id", "user_id", "service", "resource", "start", "end", "duration_minutes", "status",
          "notes", "created_at", "updated_at", "cancelled_at"}) {
        EXPECT_TRUE(booking.contains(field)) << field << " missing from " << booking.dump();
    }
}

// A customer, a one-hour service and a slot on `day` (a week ahead) 09:00-17:00 on main.
class Bookings : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        seed_service("consultation", "Consultation", 60);
        ann = seed_user("ann@example.com", "Ann Smith");
        bob = seed_user("bob@example.com", "Bob Jones");
        day = local_date(7);
        seed_slot("main", day + " 09:00", day + " 17:00");
    }

    ProcessResult create(const std::string& user, const std::string& local_time,
                         std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {
            "bookings",  "create",       "--user",  user,
            "--service", "consultation", "--start", day + " " + local_time};
        args.insert(args.end(), extra.begin(), extra.end());
        return ctl(args);
    }

    std::string booking(long long id, const std::string& expression) {
        return text("SELECT " + expression + " FROM bookings WHERE id = " + std::to_string(id));
    }
    std::string local_start(long long id) {
        return booking(id, "to_char(starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI')");
    }

    long long ann = 0;
    long long bob = 0;
    std::string day;
};

TEST_F(Bookings, CreateBooksForACustomerAndQueuesAConfirmation) {
    auto run = create("ann@example.com", "10:00", {"--notes", "Phoned in; call back first"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    ASSERT_EQ(number("SELECT count(*) FROM bookings"), 1);
    auto id = number("SELECT id FROM bookings");
    EXPECT_EQ(booking(id, "user_id"), std::to_string(ann));
    EXPECT_EQ(booking(id, "status"), "confirmed");
    EXPECT_EQ(local_start(id), day + " 10:00");
    EXPECT_EQ(booking(id, "extract(epoch FROM ends_at - starts_at)::int"), "3600");
    EXPECT_EQ(booking(id, "notes"), "Phoned in; call back first");
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'confirmation' AND recipient = "
                     "'ann@example.com' "
                     "AND booking_id = " +
                     std::to_string(id)),
              1);
    EXPECT_NE(run.out.find(std::to_string(id)), std::string::npos) << "the new id is not shown:\n"
                                                                   << run.out;
}

TEST_F(Bookings, CreateAsJsonPrintsTheApiBookingObject) {
    auto run = create(std::to_string(bob), "14:30", {"--resource", "main", "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto json = json_of(run);
    expect_booking_object(json);
    EXPECT_EQ(json["id"].get<long long>(), number("SELECT id FROM bookings"));
    EXPECT_EQ(json["user_id"].get<long long>(), bob);
    EXPECT_EQ(json["service"], "consultation");
    EXPECT_EQ(json["resource"], "main");
    EXPECT_EQ(json["start"], utc_of_local(day + " 14:30"));
    EXPECT_EQ(json["end"], utc_of_local(day + " 15:30"));
    EXPECT_EQ(json["duration_minutes"], 60);
    EXPECT_EQ(json["status"], "confirmed");
    EXPECT_TRUE(json["cancelled_at"].is_null());
}

TEST_F(Bookings, CreateTakesRfc3339) {
    ASSERT_TRUE(ExitedWith(ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                                "consultation", "--start", utc_of_local(day + " 11:00")}),
                           kOk));
    EXPECT_EQ(local_start(number("SELECT id FROM bookings")), day + " 11:00");
}

TEST_F(Bookings, CreateNeverDoubleBooks) {
    ASSERT_TRUE(ExitedWith(create("ann@example.com", "10:00"), kOk));
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(create("bob@example.com", "10:00"), kConflict));
    EXPECT_TRUE(FailedWith(create("bob@example.com", "09:30"), kConflict));
    EXPECT_TRUE(FailedWith(create("bob@example.com", "10:30"), kConflict));
    EXPECT_TRUE(FailedWith(create("bob@example.com", "10:00", {"--override-notice"}), kConflict));
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(ExitedWith(create("bob@example.com", "11:00"), kOk))
        << "back to back is not an overlap";
}

TEST_F(Bookings, CreateCountsTheServiceBuffer) {
    seed_service("colour", "Colour", 60, 15);
    ASSERT_TRUE(ExitedWith(ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                                "colour", "--start", day + " 10:00"}),
                           kOk));
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(create("bob@example.com", "11:00"), kConflict))
        << "11:00-11:15 is the buffer";
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(ExitedWith(create("bob@example.com", "11:30"), kOk));
}

TEST_F(Bookings, CreateRefusesTimesThatCannotBeBooked) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(create("ann@example.com", "10:10"), kUsage)) << "off the 30m grid";
    EXPECT_TRUE(FailedWith(create("ann@example.com", "16:30"), kUsage))
        << "the service would end after the slot";
    EXPECT_TRUE(FailedWith(create("ann@example.com", "18:00"), kUsage)) << "outside every slot";
    EXPECT_TRUE(FailedWith(create("ann@example.com", "25:00"), kUsage));
    EXPECT_TRUE(FailedWith(create("ann@example.com", "10:00", {"--notes", std::string(1001, 'x')}),
                           kUsage));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Bookings, CreateRefusesThePastEvenWithOverrideNotice) {
    auto yesterday = local_date(-1);
    seed_slot("main", yesterday + " 09:00", yesterday + " 17:00");
    auto before = snapshot();
    for (std::vector<std::string> extra : {std::vector<std::string>{}, {"--override-notice"}}) {
        std::vector<std::string> args = {
            "bookings",  "create",       "--user",  "ann@example.com",
            "--service", "consultation", "--start", yesterday + " 10:00"};
        args.insert(args.end(), extra.begin(), extra.end());
        EXPECT_TRUE(FailedWith(ctl(args), kUsage));
    }
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Bookings, OverrideNoticeLiftsMinNotice) {
    // The next half hour at least two minutes away: sooner than min_notice (1h).
    auto start = text(
        "SELECT to_char(to_timestamp(ceil(extract(epoch FROM now() + interval '2 minutes') / 1800) "
        "* "
        "1800) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    {
        pqxx::work tx(db());
        tx.exec_params0(
            "INSERT INTO slots (resource_id, starts_at, ends_at) SELECT id, $1::timestamptz - "
            "interval '1 hour', "
            "$1::timestamptz + interval '3 hours' FROM resources WHERE code = 'main'",
            start);
        tx.commit();
    }
    std::vector<std::string> args = {"bookings",  "create",       "--user",  "ann@example.com",
                                     "--service", "consultation", "--start", start};
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl(args), kUsage)) << "sooner than min_notice";
    EXPECT_EQ(snapshot(), before);
    args.push_back("--override-notice");
    EXPECT_TRUE(ExitedWith(ctl(args), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 1);
}

TEST_F(Bookings, OverrideNoticeLiftsTheHorizon) {
    auto far = local_date(70);  // horizon is 60 days
    seed_slot("main", far + " 09:00", far + " 17:00");
    std::vector<std::string> args = {"bookings",  "create",       "--user",  "ann@example.com",
                                     "--service", "consultation", "--start", far + " 10:00"};
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl(args), kUsage)) << "past the horizon";
    EXPECT_EQ(snapshot(), before);
    args.push_back("--override-notice");
    EXPECT_TRUE(ExitedWith(ctl(args), kOk));
    EXPECT_EQ(number("SELECT count(*) FROM bookings"), 1);
}

TEST_F(Bookings, CreateWithUnknownNamesIsNotFound) {
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(create("nobody@example.com", "10:00"), kNotFound));
    EXPECT_TRUE(FailedWith(create("987654", "10:00"), kNotFound));
    EXPECT_TRUE(
        FailedWith(create("ann@example.com", "10:00", {"--resource", "nowhere"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"bookings", "create", "--user", "ann@example.com", "--service",
                                "nosuch", "--start", day + " 10:00"}),
                           kNotFound));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Bookings, CreatePicksAFreeResourceWhenNoneIsNamed) {
    seed_resource("alice", "Alice");
    seed_slot("alice", day + " 09:00", day + " 17:00");
    ASSERT_TRUE(ExitedWith(create("ann@example.com", "10:00"), kOk));
    ASSERT_TRUE(ExitedWith(create("bob@example.com", "10:00"), kOk));
    EXPECT_EQ(
        text("SELECT string_agg(r.code, ',' ORDER BY r.code) FROM bookings b JOIN resources r "
             "ON r.id = b.resource_id"),
        "alice,main");
    auto carol = seed_user("carol@example.com", "Carol");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(create(std::to_string(carol), "10:00"), kConflict))
        << "every resource is busy";
    EXPECT_EQ(snapshot(), before);
}

class BookingsList : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        seed_service("consultation", "Consultation", 60);
        seed_resource("alice", "Alice");
        ann = seed_user("ann.smith@example.com", "Ann Smith");
        bob = seed_user("bob.jones@example.com", "Bob Jones");
        // 00:30 BST on 2027-07-01 is 23:30 UTC on 2027-06-30: the date is the local one.
        early = seed_booking(ann, "consultation", "main", "2027-07-01 00:30");
        morning = seed_booking(bob, "consultation", "main", "2027-07-01 10:00", "confirmed",
                               "first visit");
        cancelled = seed_booking(ann, "consultation", "main", "2027-07-01 11:00", "cancelled");
        late = seed_booking(ann, "consultation", "alice", "2027-07-01 23:30");
        next_day = seed_booking(bob, "consultation", "alice", "2027-07-02 09:00");
        far = seed_booking(ann, "consultation", "main", "2027-07-10 09:00");
    }

    std::set<long long> ids(std::vector<std::string> args) {
        args.insert(args.begin(), {"bookings", "list", "--format", "json"});
        auto run = ctl(args);
        std::set<long long> result;
        EXPECT_TRUE(ExitedWith(run, kOk));
        if (run.exit_code != 0) return result;
        auto bookings = json_of(run);
        EXPECT_TRUE(bookings.is_array()) << run.out;
        for (const auto& b : bookings) {
            expect_booking_object(b);
            result.insert(b["id"].get<long long>());
        }
        return result;
    }

    long long ann = 0, bob = 0;
    long long early = 0, morning = 0, cancelled = 0, late = 0, next_day = 0, far = 0;
};

TEST_F(BookingsList, ByLocalDate) {
    EXPECT_EQ(ids({"--date", "2027-07-01"}),
              (std::set<long long>{early, morning, cancelled, late}));
    EXPECT_EQ(ids({"--date", "2027-06-30"}), std::set<long long>{});
    EXPECT_EQ(ids({"--date", "2027-07-02"}), (std::set<long long>{next_day}));
}

TEST_F(BookingsList, FromToIsInclusive) {
    EXPECT_EQ(ids({"--from", "2027-07-01", "--to", "2027-07-02"}),
              (std::set<long long>{early, morning, cancelled, late, next_day}));
    EXPECT_EQ(ids({"--from", "2027-07-02", "--to", "2027-07-10"}),
              (std::set<long long>{next_day, far}));
}

TEST_F(BookingsList, ByStatusUserAndResource) {
    EXPECT_EQ(ids({"--from", "2027-07-01", "--to", "2027-07-31", "--status", "cancelled"}),
              (std::set<long long>{cancelled}));
    EXPECT_EQ(ids({"--from", "2027-07-01", "--to", "2027-07-31", "--status", "confirmed"}),
              (std::set<long long>{early, morning, late, next_day, far}));
    EXPECT_EQ(
        ids({"--from", "2027-07-01", "--to", "2027-07-31", "--user", "bob.jones@example.com"}),
        (std::set<long long>{morning, next_day}));
    EXPECT_EQ(ids({"--from", "2027-07-01", "--to", "2027-07-31", "--user", std::to_string(bob)}),
              (std::set<long long>{morning, next_day}));
    EXPECT_EQ(ids({"--from", "2027-07-01", "--to", "2027-07-31", "--resource", "alice"}),
              (std::set<long long>{late, next_day}));
    EXPECT_EQ(ids({"--date", "2027-07-01", "--status", "confirmed", "--user",
                   "ann.smith@example.com", "--resource", "main"}),
              (std::set<long long>{early}));
}

TEST_F(BookingsList, SortedByStart) {
    auto run =
        ctl({"bookings", "list", "--from", "2027-07-01", "--to", "2027-07-31", "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    std::vector<long long> order;
    for (const auto& b : json_of(run)) order.push_back(b["id"].get<long long>());
    EXPECT_EQ(order, (std::vector<long long>{early, morning, cancelled, late, next_day, far}));
}

TEST_F(BookingsList, RefusesBadFiltersAndUnknownNames) {
    EXPECT_TRUE(FailedWith(ctl({"bookings", "list", "--date", "2027-02-30"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"bookings", "list", "--from", "2027-07-10", "--to", "2027-07-01"}),
                           kUsage));
    EXPECT_TRUE(
        FailedWith(ctl({"bookings", "list", "--date", "2027-07-01", "--status", "maybe"}), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"bookings", "list", "--date", "2027-07-01", "--user", "nobody@example.com"}),
        kNotFound));
    EXPECT_TRUE(FailedWith(
        ctl({"bookings", "list", "--date", "2027-07-01", "--resource", "nowhere"}), kNotFound));
}

TEST_F(BookingsList, CsvHasAHeaderAndARowPerBooking) {
    auto run = ctl({"bookings", "list", "--date", "2027-07-01", "--format", "csv"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto records = parse_csv(run.out, {.allow_lf = true});
    ASSERT_EQ(records.size(), 5u) << run.out;
    auto id_column = std::find(records[0].begin(), records[0].end(), "id") - records[0].begin();
    ASSERT_LT(id_column, static_cast<long>(records[0].size())) << "no id column:\n" << run.out;
    std::set<long long> ids;
    for (size_t i = 1; i < records.size(); ++i) {
        ASSERT_EQ(records[i].size(), records[0].size()) << run.out;
        ids.insert(std::stoll(records[i][id_column]));
    }
    EXPECT_EQ(ids, (std::set<long long>{early, morning, cancelled, late}));
}

TEST_F(BookingsList, TableShowsLocalTimesWithinEightyColumns) {
    auto run = ctl({"bookings", "list", "--date", "2027-07-01"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_NE(run.out.find("00:30"), std::string::npos) << "the local start of the early booking:\n"
                                                        << run.out;
    EXPECT_NE(run.out.find("23:30"), std::string::npos) << run.out;
    EXPECT_GE(lines_of(run.out).size(), 4u) << run.out;
    for (const auto& line : lines_of(run.out)) EXPECT_LE(display_width(line), 80u) << line;
}

TEST_F(BookingsList, ShowPrintsOneBooking) {
    auto run = ctl({"bookings", "show", std::to_string(morning), "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto json = json_of(run);
    expect_booking_object(json);
    EXPECT_EQ(json["id"].get<long long>(), morning);
    EXPECT_EQ(json["user_id"].get<long long>(), bob);
    EXPECT_EQ(json["service"], "consultation");
    EXPECT_EQ(json["resource"], "main");
    EXPECT_EQ(json["start"], "2027-07-01T09:00:00Z");
    EXPECT_EQ(json["end"], "2027-07-01T10:00:00Z");
    EXPECT_EQ(json["duration_minutes"], 60);
    EXPECT_EQ(json["status"], "confirmed");
    EXPECT_EQ(json["notes"], "first visit");
    EXPECT_TRUE(json["cancelled_at"].is_null());

    auto table = ctl({"bookings", "show", std::to_string(early)});
    ASSERT_TRUE(ExitedWith(table, kOk));
    EXPECT_NE(table.out.find("2027-07-01"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("00:30"), std::string::npos) << "table output shows local times:\n"
                                                          << table.out;
    for (const auto& line : lines_of(table.out)) EXPECT_LE(display_width(line), 80u) << line;

    EXPECT_TRUE(FailedWith(ctl({"bookings", "show", "999999"}), kNotFound));
    EXPECT_TRUE(FailedWith(ctl({"bookings", "show", "12abc"}), kUsage));
}

TEST_F(Bookings, CancelCancelsAndEmailsTheCustomer) {
    auto id = seed_booking(ann, "consultation", "main", day + " 10:00");
    ASSERT_TRUE(ExitedWith(ctl({"bookings", "cancel", std::to_string(id)}), kOk));
    EXPECT_EQ(booking(id, "status"), "cancelled");
    EXPECT_EQ(booking(id, "cancelled_at IS NOT NULL"), "t");
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'cancellation' AND recipient = "
                     "'ann@example.com' "
                     "AND booking_id = " +
                     std::to_string(id)),
              1);
    EXPECT_TRUE(ExitedWith(create("bob@example.com", "10:00"), kOk)) << "the time is free again";
}

TEST_F(Bookings, CancelWithNoEmailQueuesNothing) {
    auto id = seed_booking(ann, "consultation", "main", day + " 10:00");
    ASSERT_TRUE(ExitedWith(ctl({"bookings", "cancel", std::to_string(id), "--no-email"}), kOk));
    EXPECT_EQ(booking(id, "status"), "cancelled");
    EXPECT_EQ(number("SELECT count(*) FROM emails"), 0);
}

TEST_F(Bookings, StaffMayCancelLateAndUnknownIdsAreNotFound) {
    // Starting in 30 minutes: later than cancel_notice, which binds customers only.
    auto soon = text(
        "SELECT to_char((now() + interval '30 minutes') AT TIME ZONE 'Europe/London', "
        "'YYYY-MM-DD HH24:MI')");
    auto id = seed_booking(ann, "consultation", "main", soon);
    ASSERT_TRUE(ExitedWith(ctl({"bookings", "cancel", std::to_string(id)}), kOk));
    EXPECT_EQ(booking(id, "status"), "cancelled");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(ctl({"bookings", "cancel", "999999"}), kNotFound));
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Bookings, RescheduleMovesTheBookingAndQueuesAnEmail) {
    auto id = seed_booking(ann, "consultation", "main", day + " 10:00");
    auto sequence = std::stoi(booking(id, "sequence"));
    auto run = ctl({"bookings", "reschedule", std::to_string(id), "--start", day + " 14:00",
                    "--format", "json"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(local_start(id), day + " 14:00");
    EXPECT_EQ(booking(id, "status"), "confirmed");
    EXPECT_EQ(booking(id, "extract(epoch FROM ends_at - starts_at)::int"), "3600");
    EXPECT_GT(std::stoi(booking(id, "sequence")), sequence);
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'rescheduled' AND booking_id = " +
                     std::to_string(id)),
              1);
    auto json = json_of(run);
    expect_booking_object(json);
    EXPECT_EQ(json["id"].get<long long>(), id);
    EXPECT_EQ(json["start"], utc_of_local(day + " 14:00"));
    EXPECT_EQ(number("SELECT count(*) FROM bookings"), 1) << "a reschedule is not a second booking";
    EXPECT_TRUE(ExitedWith(create("bob@example.com", "10:00"), kOk))
        << "the old time is free again";
}

TEST_F(Bookings, RescheduleToAnotherResource) {
    seed_resource("alice", "Alice");
    seed_slot("alice", day + " 09:00", day + " 17:00");
    auto id = seed_booking(ann, "consultation", "main", day + " 10:00");
    ASSERT_TRUE(ExitedWith(ctl({"bookings", "reschedule", std::to_string(id), "--start",
                                day + " 10:00", "--resource", "alice"}),
                           kOk));
    EXPECT_EQ(
        text(
            "SELECT r.code FROM bookings b JOIN resources r ON r.id = b.resource_id WHERE b.id = " +
            std::to_string(id)),
        "alice");
}

TEST_F(Bookings, RescheduleKeepsTheOldTimeWhenTheNewOneFails) {
    auto id = seed_booking(ann, "consultation", "main", day + " 10:00");
    seed_booking(bob, "consultation", "main", day + " 12:00");
    auto before = snapshot();
    EXPECT_TRUE(FailedWith(
        ctl({"bookings", "reschedule", std::to_string(id), "--start", day + " 12:30"}), kConflict));
    EXPECT_TRUE(FailedWith(
        ctl({"bookings", "reschedule", std::to_string(id), "--start", day + " 12:10"}), kUsage));
    EXPECT_TRUE(FailedWith(
        ctl({"bookings", "reschedule", std::to_string(id), "--start", day + " 19:00"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"bookings", "reschedule", "999999", "--start", day + " 14:00"}),
                           kNotFound));
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(local_start(id), day + " 10:00");
}

TEST_F(Bookings, RescheduleWithinItsOwnTimeIsNotAConflictWithItself) {
    auto id = seed_booking(ann, "consultation", "main", day + " 10:00");
    ASSERT_TRUE(ExitedWith(
        ctl({"bookings", "reschedule", std::to_string(id), "--start", day + " 10:30"}), kOk));
    EXPECT_EQ(local_start(id), day + " 10:30");
}

}  // namespace
}  // namespace booking::test
