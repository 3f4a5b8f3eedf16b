// Dates ("YYYY-MM-DD") and clock times ("HH:MM"): text -> a value or
// Invalid; a date formatted and parsed again is the same, and so is its day
// number.
#include "core/errors.hpp"
#include "core/time/business_time.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    const auto text = fuzz::text_of(data, size);
    try {
        const Date d = parse_date(text);
        fuzz::check(parse_date(format_date(d)) == d, "format_date reads back");
        fuzz::check(date_from_days(days_since_epoch(d)) == d, "day numbers read back");
        fuzz::check(weekday(d) >= 0 && weekday(d) <= 6, "a weekday is 0-6");
    } catch (const Invalid&) {
    }
    try {
        const Minutes m = parse_clock(text, "time");
        fuzz::check(m.count() >= 0 && m.count() <= 24 * 60, "a clock time is within the day");
    } catch (const Invalid&) {
    }
    return 0;
}
