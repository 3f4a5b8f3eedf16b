// The CLI's --days ("mon-fri", "mon,wed,fri", "all"), --hours
// ("09:00-17:00") and weekly hours ("hours set ... 09:00-17:00") parsers:
// text -> a set of weekdays / a range, or Invalid.
#include "core/errors.hpp"
#include "core/hours/plan.hpp"
#include "core/slots/plan.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    const auto text = fuzz::text_of(data, size);
    try {
        fuzz::check(parse_days(text).any(), "--days names at least one day");
    } catch (const Invalid&) {
    }
    try {
        const HoursRange hours = parse_hours(text);
        fuzz::check(hours.from < hours.to, "--hours runs forwards");
        fuzz::check(hours.to <= Minutes(24 * 60), "--hours ends by 24:00");
    } catch (const Invalid&) {
    }
    try {
        const HoursRange hours = hours::parse_weekly_range(text);
        fuzz::check(hours.from < hours.to, "weekly hours run forwards");
        fuzz::check(hours.to < Minutes(24 * 60), "weekly hours end by 23:59");
    } catch (const Invalid&) {
    }
    return 0;
}
