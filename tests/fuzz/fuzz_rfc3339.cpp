// RFC 3339 times: text -> an instant or nothing; an instant formatted in UTC
// and parsed again is the same.
#include "core/time/business_time.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    const auto t = parse_rfc3339(fuzz::text_of(data, size));
    if (!t) return 0;
    const std::string text = format_utc(*t);
    fuzz::check(parse_rfc3339(text) == t, "format_utc reads back");
    return 0;
}
