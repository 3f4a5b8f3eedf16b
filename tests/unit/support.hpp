#pragma once
// What several unit tests need: times written the way people read them.
#include <chrono>
#include <stdexcept>
#include <string>

#include "core/bookings/booking.hpp"
#include "core/time/business_time.hpp"

namespace booking::test {

// An RFC 3339 time, e.g. utc("2026-12-01T09:00:00Z"); throws on a typo.
inline Time utc(const char* text) {
    auto t = parse_rfc3339(text);
    if (!t) throw std::runtime_error(std::string("bad test time ") + text);
    return *t;
}

// A UTC time on a day: at(2026, 12, 1, 9h).
inline Time at(int year, unsigned month, unsigned day, std::chrono::seconds time_of_day) {
    return Time{std::chrono::sys_days{std::chrono::year{year} / month / day}} + time_of_day;
}

// Booking 42: Ann's confirmed one-hour consultation in "main" at 09:00 UTC on
// 2026-12-01, made 2026-11-01 08:30:05, never changed. Tests change what they need.
inline Booking ann_booking() {
    using namespace std::chrono_literals;
    Booking b;
    b.id = 42;
    b.user_id = 7;
    b.service = "consultation";
    b.service_name = "Consultation";
    b.resource = "main";
    b.resource_name = "Main";
    b.start = at(2026, 12, 1, 9h);
    b.end = at(2026, 12, 1, 10h);
    b.duration_minutes = 60;
    b.status = "confirmed";
    b.created_at = at(2026, 11, 1, 8h + 30min + 5s);
    b.updated_at = b.created_at;
    b.customer_name = "Ann";
    b.customer_email = "ann@example.com";
    return b;
}

}  // namespace booking::test
