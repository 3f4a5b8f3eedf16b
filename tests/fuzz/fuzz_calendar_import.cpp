// bookingctl time-off import: an iCalendar file (a holiday calendar from
// anywhere) -> closed ranges of the year after "now", or Invalid("file").
// libical parses it and expands its recurrences; every range read runs
// forwards and ends after "since".
#include "core/errors.hpp"
#include "core/time_off/time_off.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    static const BusinessZone zone("Europe/London");
    static const Time since = Time(Seconds(1'796'083'200));  // 2026-12-01T00:00:00Z
    static const Time until = since + Seconds(366LL * 86400);
    try {
        const auto events = time_off::read_calendar(fuzz::text_of(data, size), zone, since, until);
        for (const auto& e : events) {
            fuzz::check(e.when.start < e.when.end, "a closed range runs forwards");
            fuzz::check(e.when.end > since, "no range that ended before since");
            fuzz::check(!e.uid.empty(), "every range has a UID");
        }
    } catch (const Invalid&) {
    }
    return 0;
}
