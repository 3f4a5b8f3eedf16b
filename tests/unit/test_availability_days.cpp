// The availability rules around the pure computation (core/availability/days):
// which dates can offer anything, the whole day that the cache keeps, and the
// set of services that lets unknown ones be refused without the database.
#include <gtest/gtest.h>

#include "core/availability/days.hpp"
#include "tests/unit/support.hpp"

namespace booking::availability {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using test::utc;

TEST(OfferedDates, RunFromTodayToTheDateOfNowPlusTheHorizonInTheBusinessZone) {
    const BusinessZone london("Europe/London");
    const OfferRules rules{Seconds(1800), Seconds(3600), Seconds(60 * 86400)};
    // 23:30 UTC on 31 May is already 1 June in London (BST).
    const auto dates = offered_dates(london, rules, utc("2026-05-31T23:30:00Z"));
    EXPECT_EQ(dates.first, (Date{2026, 6, 1}));
    EXPECT_EQ(dates.last, (Date{2026, 7, 31}));
    EXPECT_FALSE(dates.contains(Date{2026, 5, 31}));
    EXPECT_TRUE(dates.contains(Date{2026, 7, 31}));
    EXPECT_FALSE(dates.contains(Date{2026, 8, 1}));
    EXPECT_FALSE(dates.contains(Date{1, 1, 1}));
    EXPECT_FALSE(dates.contains(Date{9999, 12, 31}));
}

TEST(OfferedTimes, AreMinNoticeToHorizonFromNow) {
    const OfferRules rules{Seconds(1800), Seconds(3600), Seconds(86400)};
    const auto now = utc("2026-12-01T10:00:00Z");
    EXPECT_EQ(offered_times(rules, now), (Interval{now + hours(1), now + hours(24)}));
}

TEST(ComputeDay, SlicesOneDayOutOfAReadThatCoversMore) {
    const BusinessZone london("Europe/London");
    DayCalendars month;
    month.duration = minutes(60);
    month.calendars = {
        ResourceCalendar{"main",
                         {{utc("2026-12-01T09:00:00Z"), utc("2026-12-01T11:00:00Z")},
                          {utc("2026-12-02T09:00:00Z"), utc("2026-12-02T12:00:00Z")}},
                         {{utc("2026-12-02T10:00:00Z"), utc("2026-12-02T11:00:00Z")}}}};
    const auto first = compute_day(month, local_day(london, {2026, 12, 1}), minutes(30));
    const auto second = compute_day(month, local_day(london, {2026, 12, 2}), minutes(30));
    const Interval all{Time(Seconds::min()), Time(Seconds::max())};
    EXPECT_EQ(first->count(all.start, all.end), 3u);   // 09:00, 09:30, 10:00
    EXPECT_EQ(second->count(all.start, all.end), 2u);  // 09:00 and 11:00 around the booking
    EXPECT_EQ(second->count(utc("2026-12-02T10:00:00Z"), all.end), 1u);
    EXPECT_EQ(first->relevant(),
              (Interval{utc("2026-12-01T00:00:00Z"), utc("2026-12-02T01:00:00Z")}));
}

TEST(CacheCapacity, GrowsWithTheHorizonOnly) {
    EXPECT_LT(cache_capacity(OfferRules{Seconds(1800), Seconds(0), Seconds(7 * 86400)}),
              cache_capacity(OfferRules{Seconds(1800), Seconds(0), Seconds(60 * 86400)}));
}

TEST(DayKey, SeparatesServiceResourceAndDate) {
    EXPECT_NE(day_key("a", std::nullopt, {2026, 12, 1}), day_key("a", "main", {2026, 12, 1}));
    EXPECT_NE(day_key("a", std::nullopt, {2026, 12, 1}), day_key("a", std::nullopt, {2026, 12, 2}));
    EXPECT_EQ(day_key("a", std::string(""), {2026, 12, 1}),
              day_key("a", std::nullopt, {2026, 12, 1}));
}

TEST(KnownServices, AreForgottenByAChangeToEverythingAndKeptOtherwise) {
    DayCache cache;
    EXPECT_FALSE(cache.has_service("consultation").has_value());  // off: nothing vouches
    cache.set_enabled(true);
    EXPECT_FALSE(cache.has_service("consultation").has_value());
    cache.offer_services({"consultation"}, cache.services_ticket());
    EXPECT_EQ(cache.has_service("consultation"), true);
    EXPECT_EQ(cache.has_service("nope"), false);
    cache.invalidate(utc("2026-12-01T09:00:00Z"), utc("2026-12-01T10:00:00Z"));  // a booking
    EXPECT_EQ(cache.has_service("nope"), false);
    // A read that began before a change to services is not kept.
    const auto ticket = cache.services_ticket();
    cache.invalidate_all();
    cache.offer_services({"consultation", "nope"}, ticket);
    EXPECT_FALSE(cache.has_service("nope").has_value());
    cache.set_enabled(false);
    EXPECT_FALSE(cache.has_service("consultation").has_value());
}

// bookingd's LISTEN connection switches the cache on with the services it read:
// there is no moment when the cache is on and an unknown service needs a query.
TEST(KnownServices, AreKnownTheMomentTheCacheComesOnWithThem) {
    DayCache cache;
    cache.enable({"consultation"}, cache.services_ticket());
    EXPECT_TRUE(cache.stats().enabled);
    EXPECT_EQ(cache.has_service("consultation"), true);
    EXPECT_EQ(cache.has_service("nope"), false);
    cache.invalidate_all();  // a change to services: read them again
    EXPECT_FALSE(cache.has_service("nope").has_value());
    cache.set_enabled(false);
    cache.enable({}, cache.services_ticket());
    EXPECT_EQ(cache.has_service("consultation"), false);
}

// A change to services reported while they were being read: what was read may
// be stale, so the cache comes on without them and they are read again.
TEST(KnownServices, ReadBeforeAChangeAreNotTrusted) {
    DayCache cache;
    const auto ticket = cache.services_ticket();
    cache.invalidate_all();  // NOTIFY of a change to everything, after the read began
    cache.enable({"consultation"}, ticket);
    EXPECT_TRUE(cache.stats().enabled);
    EXPECT_FALSE(cache.has_service("consultation").has_value());
}

}  // namespace
}  // namespace booking::availability
