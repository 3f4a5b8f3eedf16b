// Local date ranges (--from/--to, ?from=&to=) as instants, across DST.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/time/business_time.hpp"

namespace booking {
namespace {

TEST(DateRange, CoversWholeLocalDaysInclusive) {
    BusinessZone london("Europe/London");
    // 2026-10-25 has 25 hours in London (BST ends).
    auto range = london.dates(Date{2026, 10, 24}, Date{2026, 10, 25});
    EXPECT_EQ(format_utc(*range.from), "2026-10-23T23:00:00Z");
    EXPECT_EQ(format_utc(*range.to), "2026-10-26T00:00:00Z");
}

TEST(DateRange, EitherEndMayBeOpen) {
    BusinessZone utc_zone("UTC");
    auto from_only = utc_zone.dates(Date{2026, 12, 1}, std::nullopt);
    EXPECT_EQ(format_utc(*from_only.from), "2026-12-01T00:00:00Z");
    EXPECT_FALSE(from_only.to);
    auto to_only = utc_zone.dates(std::nullopt, Date{2026, 12, 1});
    EXPECT_FALSE(to_only.from);
    EXPECT_EQ(format_utc(*to_only.to), "2026-12-02T00:00:00Z");
    auto one_day = utc_zone.dates(Date{2026, 12, 1}, Date{2026, 12, 1});
    EXPECT_EQ(*one_day.to - *one_day.from, std::chrono::hours(24));
}

TEST(DateRange, ToBeforeFromIsRefusedNamingTheField) {
    BusinessZone london("Europe/London");
    try {
        london.dates(Date{2026, 12, 2}, Date{2026, 12, 1}, "--to");
        FAIL() << "expected Invalid";
    } catch (const Invalid& e) {
        EXPECT_EQ(e.field(), "--to");
    }
}

}  // namespace
}  // namespace booking
