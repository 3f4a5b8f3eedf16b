// bookingctl's date and time parsers (every --date, --from, --to, --start and
// --end, and the agenda's DATE): parse_user_date (YYYY-MM-DD, today, tomorrow,
// weekdays, +N/-N) and parse_user_time (such a date and HH:MM local, or
// RFC 3339) -> a date or an instant, or Invalid; in a zone with DST changes,
// with "today" the Friday before the spring change.
#include <cstdlib>

#include "core/errors.hpp"
#include "core/time/business_time.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    static const BusinessZone zone("Europe/London");
    static const Date today{2026, 3, 27};
    const auto text = fuzz::text_of(data, size);
    try {
        const Date d = parse_user_date(text, today, "--date");
        const int offset = days_since_epoch(d) - days_since_epoch(today);
        // +N/-N and the names are at most 36600 days away; only YYYY-MM-DD goes further.
        if (std::abs(offset) > 36600)
            fuzz::check(text.size() == 10 && text[4] == '-', "only a full date is that far away");
        fuzz::check(parse_user_date(format_date(d), today, "--date") == d,
                    "format_date reads back");
    } catch (const Invalid&) {
    }
    try {
        const Time t = zone.parse_user_time(text, "--start", today);
        (void)zone.format_local(t);
        (void)zone.date_of(t);
    } catch (const Invalid&) {
    }
    return 0;
}
