// The query decoder (Poco::URI's percent decoding behind http::Query): a raw
// query string -> decoded parameters (valid UTF-8, no NUL) or invalid; and the
// one id reader (core/text) the routes use on path segments.
#include "core/text.hpp"
#include "daemon/http/input.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace booking;

FUZZ_ENTRY {
    const auto text = fuzz::text_of(data, size);
    http::Query query(text);
    if (query.valid()) {
        for (const char* name : {"from", "to", "status", "limit", "cursor", "service", ""}) {
            if (auto value = query.get(name)) {
                fuzz::check(is_valid_utf8(*value), "decoded values are UTF-8");
                fuzz::check(value->find('\0') == std::string::npos, "decoded values hold no NUL");
            }
        }
    }
    if (auto id = parse_id(text)) {
        fuzz::check(*id > 0, "ids are positive");
        fuzz::check(std::to_string(*id).size() <= text.size(),
                    "an id has no more digits than its text");
    }
    return 0;
}
