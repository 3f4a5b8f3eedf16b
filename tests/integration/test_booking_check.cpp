// The booking check (core/bookings/bookings.cpp, bookings_plan and its locked
// form for a move) against the exclusion constraint it stands in for. The
// check answers "taken" with two probes of bookings_resource_start_idx instead
// of asking for an overlap; a wrong "taken" refuses a free time (a customer
// sees 409 for a time the site offered), a wrong "free" costs an INSERT the
// constraint then refuses. Neither shows in a test that books a few times, so
// this one asks both questions of many random times on a calendar of random
// bookings (several services, with and without buffers, some cancelled):
//
// - for every resource the check returns, its "taken" equals an overlap of the
//   constraint's own range, tstzrange(starts_at, blocked_until), with the
//   confirmed bookings of that resource (other than the one being moved);
// - for a new booking, that overlap is what the constraint itself says: an
//   INSERT of the booking (rolled back) is refused exactly when it is taken;
// - bookings::prepare offers exactly the resources that are free, or refuses
//   the time as taken (Conflict) when none is.
//
// The random choices come from a fixed seed, printed, so a failure reproduces.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/bookings/bookings.hpp"
#include "core/db/statements.hpp"
#include "core/errors.hpp"
#include "tests/support/database.hpp"

namespace booking::test {
namespace {

constexpr unsigned kSeed = 20261203;
constexpr int kDays = 3;
constexpr int kOpenHour = 8;  // slots are 08:00-20:00 UTC on each day
constexpr int kCloseHour = 20;
constexpr int kBookingTries = 150;  // about half of the open time ends up booked
constexpr int kRandomChecks = 1500;

struct Service {
    std::string code;
    int duration = 0;  // minutes
    int buffer = 0;
    long long id = 0;
};

// A booking written without any of core's checks: the exclusion constraint
// alone decides (no row when it refuses).
const std::string kInsert =
    "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, blocked_until) "
    "VALUES ($1, $2, $3, to_timestamp($4), to_timestamp($4) + make_interval(mins => $5), "
    "to_timestamp($4) + make_interval(mins => $5::int + $6::int)) ON CONFLICT DO NOTHING "
    "RETURNING id";

const std::string kOverlap =
    "SELECT EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = $1 AND b.status = 'confirmed' "
    "AND b.id <> $2 AND tstzrange(b.starts_at, b.blocked_until) && "
    "tstzrange(to_timestamp($3), to_timestamp($3) + make_interval(mins => $4)))";

class BookingCheck : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = create_database("booking_check", true);
        conn_ = std::make_unique<pqxx::connection>(cluster().url(database_));
        for (const auto& s : db::registered_statements()) statements_[s.name] = s.sql;
        ASSERT_TRUE(statements_.count("bookings_plan") && statements_.count("bookings_plan_locked"))
            << "core no longer defines bookings_plan and bookings_plan_locked";
        conn_->prepare("plan", statements_["bookings_plan"]);
        conn_->prepare("plan_locked", statements_["bookings_plan_locked"]);
        conn_->prepare("overlap", kOverlap);
        conn_->prepare("insert", kInsert);
        seed();
    }
    void TearDown() override {
        conn_.reset();
        drop_database(database_);
    }

    // Three resources open 08:00-20:00 on three days, three services, and
    // random bookings (the constraint keeps the ones that fit), 1 in 6 then
    // cancelled: they must not count.
    void seed() {
        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        first_day_ = std::chrono::duration_cast<std::chrono::seconds>(
                         (today + std::chrono::days(2)).time_since_epoch())
                         .count();
        pqxx::work tx(*conn_);
        user_ = tx.exec1(
                      "INSERT INTO users (email, name) VALUES ('check@example.com', 'Check') "
                      "RETURNING id")[0]
                    .as<long long>();
        tx.exec0("INSERT INTO resources (code, name) VALUES ('r2', 'R2'), ('r3', 'R3')");
        services_ = {{"short", 30, 0}, {"long", 60, 15}, {"odd", 45, 10}};
        for (auto& s : services_)
            s.id = tx.exec_params1(
                         "INSERT INTO services (code, name, duration_minutes, "
                         "buffer_minutes) VALUES ($1, $1, $2, $3) RETURNING id",
                         s.code, s.duration, s.buffer)[0]
                       .as<long long>();
        for (const auto& row : tx.exec("SELECT id FROM resources ORDER BY code"))
            resources_.push_back(row[0].as<long long>());
        for (long long r : resources_)
            for (int d = 0; d < kDays; ++d)
                tx.exec_params0(
                    "INSERT INTO slots (resource_id, starts_at, ends_at) VALUES ($1, "
                    "to_timestamp($2), to_timestamp($3))",
                    r, day_at(d, kOpenHour * 60), day_at(d, kCloseHour * 60));
        for (int i = 0; i < kBookingTries; ++i) {
            const auto& s = pick(services_);
            const long long start = random_open_time();
            tx.exec_prepared("insert", user_, s.id, pick(resources_), start, s.duration, s.buffer);
        }
        tx.exec0("UPDATE bookings SET status = 'cancelled', cancelled_at = now() WHERE id % 6 = 0");
        for (const auto& row :
             tx.exec("SELECT id, floor(extract(epoch FROM starts_at))::bigint, "
                     "floor(extract(epoch FROM blocked_until))::bigint FROM bookings ORDER BY id"))
            bookings_.push_back(
                {row[0].as<long long>(), row[1].as<long long>(), row[2].as<long long>()});
        tx.commit();
        pqxx::nontransaction(*conn_).exec0("ANALYZE");
        std::cout << "seed " << kSeed << ": " << bookings_.size() << " bookings, "
                  << confirmed_count() << " confirmed\n";
    }

    long long day_at(int day, int minutes) const {
        return first_day_ + day * 86400LL + minutes * 60LL;
    }
    // A time on a 5-minute grid within (or just around) the open hours.
    long long random_open_time() {
        std::uniform_int_distribution<int> day(0, kDays - 1);
        std::uniform_int_distribution<int> step((kOpenHour * 60 - 30) / 5, (kCloseHour * 60) / 5);
        return day_at(day(random_), step(random_) * 5);
    }
    template <class T>
    const T& pick(const std::vector<T>& values) {
        std::uniform_int_distribution<std::size_t> i(0, values.size() - 1);
        return values[i(random_)];
    }
    std::size_t confirmed_count() {
        return pqxx::nontransaction(*conn_)
            .exec1("SELECT count(*) FROM bookings WHERE status = 'confirmed'")[0]
            .as<std::size_t>();
    }

    struct Held {
        long long id, start, blocked_until;
    };

    // The check for `service` at `start` (as the move of booking `moving`, or
    // new when 0) against the overlap query; for a new booking also against an
    // INSERT and against bookings::prepare. Returns the number of rows compared.
    int compare(const Service& service, long long start, long long moving) {
        pqxx::work tx(*conn_);
        const auto rows =
            tx.exec_prepared(moving ? "plan_locked" : "plan", user_, service.code,
                             std::optional<std::string>{}, start, std::string(), moving);
        const std::string what = "service " + service.code + " at " + std::to_string(start) +
                                 (moving ? " moving booking " + std::to_string(moving) : "");
        std::set<long long> free;
        int compared = 0;
        for (const auto& row : rows) {
            if (row[5].is_null()) continue;  // no resource has a slot holding it
            const long long resource = row[5].as<long long>();
            const bool taken = row[10].as<bool>();
            const bool overlaps = tx.exec_prepared1("overlap", resource, moving, start,
                                                    service.duration + service.buffer)[0]
                                      .as<bool>();
            EXPECT_EQ(taken, overlaps) << what << ", resource " << resource;
            if (!moving) {
                tx.exec0("SAVEPOINT probe");
                const bool inserted = !tx.exec_prepared("insert", user_, service.id, resource,
                                                        start, service.duration, service.buffer)
                                           .empty();
                tx.exec0("ROLLBACK TO SAVEPOINT probe");
                EXPECT_EQ(taken, !inserted) << what << ", resource " << resource
                                            << ": the check and the exclusion constraint disagree";
                if (!taken) free.insert(resource);
            }
            ++compared;
        }
        if (!moving && compared > 0) expect_prepare_offers(tx, service, start, free, what);
        tx.abort();
        return compared;
    }

    // What a customer's POST meets: the resources offered, or 409.
    void expect_prepare_offers(pqxx::work& tx, const Service& service, long long start,
                               const std::set<long long>& free, const std::string& what) {
        BookingPolicy policy;
        policy.slot_step = Seconds(300);  // every 5-minute time of a slot is a start time
        policy.min_notice = Seconds(0);
        bookings::NewBooking request;
        request.user_id = user_;
        request.service = service.code;
        request.start = Time{std::chrono::seconds{start}};
        const Time now{std::chrono::seconds{first_day_ - 86400}};
        tx.exec0("SAVEPOINT prepare");
        try {
            const auto prepared = bookings::prepare(tx, policy, request, now);
            std::set<long long> offered;
            for (const auto& [resource, slot] : prepared.free) offered.insert(resource);
            EXPECT_EQ(offered, free) << what;
        } catch (const Conflict&) {
            EXPECT_TRUE(free.empty()) << what << ": refused as taken with resources free";
        } catch (const Invalid& e) {
            ADD_FAILURE() << what << ": " << e.what();
        }
        tx.exec0("ROLLBACK TO SAVEPOINT prepare");
    }

    std::string database_;
    std::unique_ptr<pqxx::connection> conn_;
    std::map<std::string, std::string> statements_;
    std::mt19937 random_{kSeed};
    long long first_day_ = 0;
    long long user_ = 0;
    std::vector<Service> services_;
    std::vector<long long> resources_;
    std::vector<Held> bookings_;
};

TEST_F(BookingCheck, TakenIsExactlyAnOverlapWithAConfirmedBooking) {
    int compared = 0;
    int moves = 0;
    // The edges first: at, just before and just after each booking's start and
    // its end with buffer, and the latest start that ends where it starts.
    for (const auto& b : bookings_) {
        if (HasFailure()) break;  // the first disagreements say enough
        for (const auto& s : services_) {
            const long long reach = 60LL * (s.duration + s.buffer);
            for (long long t :
                 {b.start, b.start - 300, b.start + 300, b.blocked_until, b.blocked_until - 300,
                  b.blocked_until + 300, b.start - reach, b.start - reach + 300})
                compared += compare(s, t, 0);
        }
    }
    // Then random times, a third of them as the move of a confirmed booking.
    std::vector<long long> confirmed;
    {
        pqxx::nontransaction tx(*conn_);
        for (const auto& row : tx.exec("SELECT id FROM bookings WHERE status = 'confirmed'"))
            confirmed.push_back(row[0].as<long long>());
    }
    ASSERT_GT(confirmed.size(), 40u) << "the seed made too few bookings to check against";
    std::uniform_int_distribution<int> third(0, 2);
    for (int i = 0; i < kRandomChecks && !HasFailure(); ++i) {
        const long long moving = third(random_) == 0 ? pick(confirmed) : 0;
        const int n = compare(pick(services_), random_open_time(), moving);
        compared += n;
        if (moving) moves += n;
    }
    std::cout << compared << " answers of the check compared, " << moves << " of them moves\n";
    EXPECT_GT(moves, 100) << "too few moves were checked to mean anything";
}

}  // namespace
}  // namespace booking::test
