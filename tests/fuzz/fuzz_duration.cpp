// Durations ("1h30m"): text -> seconds or Invalid; a duration formatted and
// parsed again is the same.
#include "core/config/duration.hpp"
#include "core/errors.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    Seconds value;
    try {
        value = parse_duration(fuzz::text_of(data, size));
    } catch (const Invalid&) {
        return 0;
    }
    fuzz::check(value.count() >= 0, "durations are not negative");
    fuzz::check(parse_duration(format_duration(value)) == value, "format_duration reads back");
    return 0;
}
