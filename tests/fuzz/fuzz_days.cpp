// The CLI's --days ("mon-fri", "mon,wed,fri", "all") and --hours
// ("09:00-17:00") parsers: text -> a set of weekdays / a range, or Invalid.
#include "core/errors.hpp"
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
    } catch (const Invalid&) {
    }
    return 0;
}
