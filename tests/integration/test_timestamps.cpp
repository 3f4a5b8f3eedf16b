// Times shown are the database's, truncated to whole seconds (RFC 3339): a
// booking's created_at is never after its updated_at or cancelled_at.
#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

class Timestamps : public BookingctlTest {};

TEST_F(Timestamps, AreTruncatedToTheSecondAsTheDatabaseHoldsThem) {
    seed_service("consultation", "Consultation", 60);
    long long ann = seed_user("ann@example.com", "Ann Smith");
    std::string day = local_date(7);
    seed_slot("main", day + " 09:00", day + " 17:00");
    long long id = seed_booking(ann, "consultation", "main", day + " 10:00");
    // Fractions that round up but must not: .9 of a second.
    db().prepare("set_times",
                 "UPDATE bookings SET created_at = '2026-11-01 10:00:00.900Z', "
                 "updated_at = '2026-11-01 10:00:01.100Z' WHERE id = $1");
    {
        pqxx::work tx(db());
        tx.exec_prepared("set_times", id);
        tx.commit();
    }
    auto run = ctl({"--format", "json", "bookings", "show", std::to_string(id)});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto booking = json_of(run);
    EXPECT_EQ(booking["created_at"], "2026-11-01T10:00:00Z");
    EXPECT_EQ(booking["updated_at"], "2026-11-01T10:00:01Z");

    run = ctl({"--format", "json", "bookings", "cancel", std::to_string(id)});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    booking = json_of(run);
    EXPECT_LE(booking["created_at"].get<std::string>(), booking["updated_at"].get<std::string>());
    EXPECT_EQ(booking["cancelled_at"], booking["updated_at"]);
    EXPECT_EQ(booking["updated_at"].get<std::string>(),
              text("SELECT to_char(updated_at AT TIME ZONE 'UTC', "
                   "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM bookings WHERE id = " +
                   std::to_string(id)));
}

}  // namespace
}  // namespace booking::test
