#pragma once
// What several unit tests need: times written the way people read them.
#include <stdexcept>
#include <string>

#include "core/time/business_time.hpp"

namespace booking::test {

// An RFC 3339 time, e.g. utc("2026-12-01T09:00:00Z"); throws on a typo.
inline Time utc(const char* text) {
    auto t = parse_rfc3339(text);
    if (!t) throw std::runtime_error(std::string("bad test time ") + text);
    return *t;
}

}  // namespace booking::test
