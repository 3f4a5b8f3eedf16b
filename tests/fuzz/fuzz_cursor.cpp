// The cursor decoder of GET /v1/bookings: text -> (start, id) or nothing; what
// it decodes, encoded again, decodes to the same.
#include "daemon/routes/cursor.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    const auto decoded = daemon::decode_cursor(fuzz::text_of(data, size));
    if (!decoded) return 0;
    fuzz::check(decoded->second > 0, "cursor ids are positive");
    fuzz::check(decoded->first.time_since_epoch().count() >= 0, "cursor starts are not negative");
    Booking b;
    b.start = decoded->first;
    b.id = decoded->second;
    fuzz::check(daemon::decode_cursor(daemon::encode_cursor(b)) == decoded,
                "an encoded cursor decodes to the same");
    return 0;
}
