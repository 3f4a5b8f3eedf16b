// The CLI's time parser (--start, --end): "YYYY-MM-DD HH:MM" local to the
// business or RFC 3339 -> an instant or Invalid, in a zone with DST changes.
#include "core/errors.hpp"
#include "core/time/business_time.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    static const BusinessZone zone("Europe/London");
    try {
        const Time t = zone.parse_user_time(fuzz::text_of(data, size), "--start");
        (void)zone.format_local(t);
        (void)zone.date_of(t);
    } catch (const Invalid&) {
    }
    return 0;
}
