// bookingctl reminders run [--dry-run] against a real PostgreSQL: which
// bookings get a reminder (SPEC §4), exactly one however many runs race, and a
// new one when a booking moves.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "tests/support/bookingctl_test.hpp"

namespace booking::test {
namespace {

class RemindersTest : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        ann_ = seed_user("ann@example.test", "Ann");
        seed_service("consultation", "Consultation", 60);
    }

    // Ann's booking `hours` from now (see seed_booking_in).
    long long booking_in(double hours, double made_hours_ago = 72,
                         const std::string& status = "confirmed") {
        return seed_booking_in(ann_, hours, made_hours_ago, status);
    }

    long long reminders_for(long long booking) {
        return number("SELECT count(*) FROM emails WHERE kind = 'reminder' AND booking_id = " +
                      std::to_string(booking));
    }

    long long ann_ = 0;
};

TEST_F(RemindersTest, QueuesOneReminderForEachConfirmedBookingWithinTheLeadTime) {
    const long long soon = booking_in(2);
    const long long tomorrow = booking_in(23.5);
    const long long later = booking_in(25);  // not yet within 24h
    const long long past = booking_in(-1);   // already begun
    const long long cancelled = booking_in(3, 72, "cancelled");
    const long long last_minute =
        booking_in(5, 1);  // booked 1h before: the confirmation says it all

    auto run = ctl({"--format", "json", "reminders", "run"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto queued = json_of(run);
    ASSERT_EQ(queued.size(), 2u) << run.out;
    EXPECT_EQ(queued[0]["booking_id"], soon);
    EXPECT_EQ(queued[1]["booking_id"], tomorrow);
    EXPECT_TRUE(queued[0]["email_id"].is_number());
    EXPECT_EQ(queued[0]["recipient"], "ann@example.test");
    EXPECT_NE(run.err.find("queued 2 reminders"), std::string::npos) << run.err;

    EXPECT_EQ(reminders_for(soon), 1);
    EXPECT_EQ(reminders_for(tomorrow), 1);
    for (long long none : {later, past, cancelled, last_minute})
        EXPECT_EQ(reminders_for(none), 0) << "booking " << none;
    // The reminder speaks of the booking's start and SEQUENCE, to its customer.
    EXPECT_EQ(number("SELECT count(*) FROM emails e JOIN bookings b ON b.id = e.booking_id "
                     "WHERE e.kind = 'reminder' AND e.booking_start = b.starts_at AND "
                     "e.sequence = b.sequence AND e.status = 'pending' AND e.recipient = "
                     "'ann@example.test'"),
              2);

    // Running again (the next tick) queues nothing new.
    auto again = ctl({"reminders", "run"});
    ASSERT_TRUE(ExitedWith(again, kOk));
    EXPECT_NE(again.err.find("queued 0 reminders"), std::string::npos) << again.err;
    EXPECT_EQ(number("SELECT count(*) FROM emails WHERE kind = 'reminder'"), 2);
}

TEST_F(RemindersTest, DryRunListsWithoutQueueing) {
    const long long soon = booking_in(2);
    auto run = ctl({"reminders", "run", "--dry-run"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_NE(run.out.find(std::to_string(soon)), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("ann@example.test"), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("1 reminder due (dry run: nothing queued)"), std::string::npos)
        << run.err;
    EXPECT_EQ(number("SELECT count(*) FROM emails"), 0);

    auto csv = ctl({"--format", "csv", "reminders", "run", "--dry-run"});
    ASSERT_TRUE(ExitedWith(csv, kOk));
    EXPECT_EQ(lines_of(csv.out).at(0), "booking_id,start,service,customer_name,recipient,email_id");
    EXPECT_EQ(lines_of(csv.out).size(), 2u);
}

TEST_F(RemindersTest, ARescheduledBookingIsRemindedOfItsNewTime) {
    const long long id = booking_in(3);
    ASSERT_TRUE(ExitedWith(ctl({"reminders", "run"}), kOk));
    ASSERT_EQ(reminders_for(id), 1);
    {
        pqxx::work tx(db());
        tx.exec_params0(
            "UPDATE bookings SET starts_at = starts_at + interval '2 hours', ends_at = ends_at + "
            "interval '2 hours', blocked_until = blocked_until + interval '2 hours', sequence = "
            "sequence + 1 WHERE id = $1",
            id);
        tx.commit();
    }
    ASSERT_TRUE(ExitedWith(ctl({"reminders", "run"}), kOk));
    EXPECT_EQ(reminders_for(id), 2);
    EXPECT_EQ(number("SELECT count(DISTINCT booking_start) FROM emails WHERE kind = 'reminder' "
                     "AND booking_id = " +
                     std::to_string(id)),
              2);
    EXPECT_EQ(number("SELECT max(sequence) FROM emails WHERE kind = 'reminder' AND booking_id = " +
                     std::to_string(id)),
              1);
}

TEST_F(RemindersTest, FiveParallelRunsQueueExactlyOneReminderPerBooking) {
    std::vector<long long> bookings;
    for (int i = 0; i < 20; ++i) bookings.push_back(booking_in(1 + i));
    std::vector<std::future<ProcessResult>> runs;
    for (int i = 0; i < 5; ++i)
        runs.push_back(std::async(std::launch::async, [this] {
            return ctl({"--format", "json", "reminders", "run"});
        }));
    std::size_t reported = 0;
    for (auto& r : runs) {
        auto run = r.get();
        ASSERT_TRUE(ExitedWith(run, kOk));
        reported += json_of(run).size();
    }
    EXPECT_EQ(reported, bookings.size()) << "the runs together claim each reminder once";
    for (long long id : bookings) EXPECT_EQ(reminders_for(id), 1) << "booking " << id;
}

TEST_F(RemindersTest, UsageErrorsAndHelp) {
    EXPECT_TRUE(FailedWith(ctl({"reminders", "run", "--now"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"reminders"}), kUsage));
    auto help = ctl({"reminders", "run", "--help"});
    ASSERT_TRUE(ExitedWith(help, kOk));
    EXPECT_NE(help.out.find("bookingctl reminders run --dry-run"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace booking::test
