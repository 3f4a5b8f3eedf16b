// The daemon's cache of each day's free times: what it serves, and that no
// change can leave an old calendar in it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/availability/day_cache.hpp"
#include "tests/unit/support.hpp"

namespace booking::availability {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using test::utc;

const Time kDay = utc("2026-12-01T00:00:00Z");

FreeStart at(int hour, int minute = 0) {
    const Time s = kDay + hours(hour) + minutes(minute);
    return FreeStart{s, s + minutes(30), {"main"}};
}

// 09:00, 09:30 and 10:00 free on 2026-12-01, decided by [day, day + 1 day + 30 min).
std::shared_ptr<const DayAnswer> three_starts() {
    return std::make_shared<const DayAnswer>(std::vector{at(9), at(9, 30), at(10)},
                                             Interval{kDay, kDay + hours(24) + minutes(30)});
}

std::string all_of(const DayAnswer& day) {
    return std::string(day.slots_json(Time(Seconds::min()), Time(Seconds::max())));
}

TEST(DayAnswer, WritesEachStartAsTheApiObject) {
    const auto day = three_starts();
    EXPECT_EQ(
        all_of(*day),
        R"({"start":"2026-12-01T09:00:00Z","end":"2026-12-01T09:30:00Z","resources":["main"]},)"
        R"({"start":"2026-12-01T09:30:00Z","end":"2026-12-01T10:00:00Z","resources":["main"]},)"
        R"({"start":"2026-12-01T10:00:00Z","end":"2026-12-01T10:30:00Z","resources":["main"]})");
}

TEST(DayAnswer, AppliesNoticeAndHorizonPerAnswer) {
    const auto day = three_starts();
    // Not before earliest, not after latest; both ends inclusive.
    EXPECT_EQ(
        day->slots_json(kDay + hours(9) + minutes(1), kDay + hours(10)),
        R"({"start":"2026-12-01T09:30:00Z","end":"2026-12-01T10:00:00Z","resources":["main"]},)"
        R"({"start":"2026-12-01T10:00:00Z","end":"2026-12-01T10:30:00Z","resources":["main"]})");
    EXPECT_EQ(
        day->slots_json(kDay + hours(9), kDay + hours(9)),
        R"({"start":"2026-12-01T09:00:00Z","end":"2026-12-01T09:30:00Z","resources":["main"]})");
    EXPECT_EQ(day->slots_json(kDay + hours(11), kDay + hours(20)), "");
    EXPECT_EQ(day->slots_json(kDay, kDay + hours(8)), "");
}

TEST(DayAnswer, NoStartsIsAnEmptyList) {
    const DayAnswer day({}, Interval{kDay, kDay + hours(24)});
    EXPECT_EQ(all_of(day), "");
    EXPECT_EQ(day.size(), 0u);
}

TEST(DayAnswer, ResourceCodesAreEscaped) {
    FreeStart odd = at(9);
    odd.resources = {"a\"b", "c\\d", "e\x01"};
    const DayAnswer day({odd}, Interval{kDay, kDay + hours(24)});
    EXPECT_NE(all_of(day).find(R"("resources":["a\"b","c\\d","e\u0001"])"), std::string::npos)
        << all_of(day);
}

const Interval kBound{kDay, kDay + hours(72)};

// What a request that found nothing in the cache does: read (here: the given
// answer) and hand it to the cache.
void read_and_keep(DayCache& cache, const std::string& key,
                   std::shared_ptr<const DayAnswer> day = three_starts()) {
    auto load = cache.join_or_load(key, kBound, [](auto) { FAIL() << "nothing was in flight"; });
    ASSERT_NE(load, nullptr);
    load->finish(std::move(day));
}

class DayCacheTest : public ::testing::Test {
  protected:
    DayCacheTest() { cache.set_enabled(true); }
    DayCache cache{100};
};

TEST_F(DayCacheTest, ServesWhatWasRead) {
    EXPECT_EQ(cache.find("consultation"), nullptr);
    read_and_keep(cache, "consultation");
    ASSERT_NE(cache.find("consultation"), nullptr);
    EXPECT_EQ(cache.find("consultation")->size(), 3u);
    EXPECT_EQ(cache.find("checkup"), nullptr);
}

TEST_F(DayCacheTest, AChangeInTheDaysRangeDropsIt) {
    read_and_keep(cache, "d");
    cache.invalidate(kDay + hours(9), kDay + hours(10));  // a booking at 09:00
    EXPECT_EQ(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, AChangeJustOutsideLeavesIt) {
    read_and_keep(cache, "d");
    cache.invalidate(kDay - hours(2), kDay);                             // ends as the day begins
    cache.invalidate(kDay + hours(24) + minutes(30), kDay + hours(30));  // after its range
    EXPECT_NE(cache.find("d"), nullptr);
    // A booking late the day before whose buffer runs past midnight matters.
    cache.invalidate(kDay - hours(1), kDay + minutes(10));
    EXPECT_EQ(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, AReadOverlappingAChangeMadeMeanwhileIsNotKept) {
    // A request reads the calendar; a booking commits and is reported before
    // the request hands over what it read: the old calendar must not be kept.
    auto load = cache.join_or_load("d", kBound, [](auto) {});
    ASSERT_NE(load, nullptr);
    cache.invalidate(kDay + hours(9), kDay + hours(10));
    load->finish(three_starts());
    EXPECT_EQ(cache.find("d"), nullptr);
    read_and_keep(cache, "d");  // read again after the change: kept
    EXPECT_NE(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, AReadIsKeptWhenOnlyOtherDaysChangedMeanwhile) {
    auto load = cache.join_or_load("d", kBound, [](auto) {});
    cache.invalidate(kDay + hours(96), kDay + hours(97));
    load->finish(three_starts());
    EXPECT_NE(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, AReadOlderThanTheChangesItCanCheckIsNotKept) {
    auto load = cache.join_or_load("d", kBound, [](auto) {});
    for (int i = 0; i < 5000; ++i) cache.invalidate(kDay + hours(100), kDay + hours(101));
    load->finish(three_starts());
    EXPECT_EQ(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, ConcurrentRequestsForADayShareOneRead) {
    auto load = cache.join_or_load("d", kBound, [](auto) {});
    ASSERT_NE(load, nullptr);
    std::vector<std::size_t> answered;
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(
            cache.join_or_load("d", kBound, [&](auto day) { answered.push_back(day->size()); }),
            nullptr);
    EXPECT_TRUE(answered.empty());
    load->finish(three_starts());
    EXPECT_EQ(answered, (std::vector<std::size_t>{3, 3, 3}));
    EXPECT_NE(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, ARequestAfterAChangeDoesNotJoinAReadBegunBefore) {
    // The customer who just booked 09:00 must not get a read that began
    // before the booking: it reads again, and the old read is not kept.
    bool old_read_answered = false;
    auto before = cache.join_or_load("d", kBound, [](auto) {});
    EXPECT_EQ(cache.join_or_load("d", kBound, [&](auto) { old_read_answered = true; }), nullptr);
    cache.invalidate(kDay + hours(9), kDay + hours(10));
    auto after = cache.join_or_load("d", kBound, [](auto) { FAIL() << "joined a stale read"; });
    ASSERT_NE(after, nullptr);
    before->finish(three_starts());
    EXPECT_TRUE(old_read_answered);  // asked before the change: the old read is its answer
    EXPECT_EQ(cache.find("d"), nullptr);
    after->finish(
        std::make_shared<const DayAnswer>(std::vector{at(9, 30)}, three_starts()->relevant()));
    ASSERT_NE(cache.find("d"), nullptr);
    EXPECT_EQ(cache.find("d")->size(), 1u);
}

TEST_F(DayCacheTest, AFailedReadSendsTheJoinedToReadForThemselves) {
    int told_to_read = 0;
    {
        auto load = cache.join_or_load("d", kBound, [](auto) {});
        cache.join_or_load("d", kBound, [&](auto day) { told_to_read += day == nullptr; });
        // dropped without finish: the database was unreachable, say
    }
    EXPECT_EQ(told_to_read, 1);
    EXPECT_EQ(cache.find("d"), nullptr);
    // Nothing is left in flight to join.
    EXPECT_NE(cache.join_or_load("d", kBound, [](auto) {}), nullptr);
}

TEST_F(DayCacheTest, InvalidateAllDropsEverything) {
    read_and_keep(cache, "a");
    read_and_keep(cache, "b");
    cache.invalidate_all();
    EXPECT_EQ(cache.size(), 0u);
}

TEST_F(DayCacheTest, DisabledServesAndKeepsNothing) {
    read_and_keep(cache, "d");
    auto load = cache.join_or_load("e", kBound, [](auto) {});
    cache.set_enabled(false);
    EXPECT_EQ(cache.find("d"), nullptr);
    read_and_keep(cache, "d");
    EXPECT_EQ(cache.find("d"), nullptr);
    // Enabled again, it starts empty, and reads begun before are not kept.
    cache.set_enabled(true);
    EXPECT_EQ(cache.find("d"), nullptr);
    load->finish(three_starts());
    EXPECT_EQ(cache.find("e"), nullptr);
}

TEST(DayCache, StartsDisabled) {
    DayCache cache;
    read_and_keep(cache, "d");
    EXPECT_EQ(cache.find("d"), nullptr);
}

TEST_F(DayCacheTest, StaysWithinItsSize) {
    for (int i = 0; i < 1000; ++i) read_and_keep(cache, std::to_string(i));
    EXPECT_LE(cache.size(), 100u);
    EXPECT_NE(cache.find("999"), nullptr);
}

}  // namespace
}  // namespace booking::availability
