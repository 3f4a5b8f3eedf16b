// export_writer FORMAT < bookings.json: writes the bookings (a JSON object
// {"context": {...}, "bookings": [{...}]}) with the export writer of FORMAT
// (csv, jsonl, ics) to stdout, for test_export_roundtrip.py to read back with
// Python's csv and icalendar modules.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/export/export.hpp"

using namespace booking;

namespace {

Time at(const nlohmann::json& value) { return Time(std::chrono::seconds(value.get<long long>())); }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: export_writer csv|jsonl|ics < bookings.json\n";
        return 2;
    }
    const auto input = nlohmann::json::parse(std::cin);
    CalendarContext context;
    context.uid_host = input["context"].value("uid_host", context.uid_host);
    context.business_name = input["context"].value("business_name", "");
    context.time_zone = input["context"].value("time_zone", "");
    auto writer = make_booking_writer(parse_export_format(argv[1]), std::cout, context);
    writer->begin();
    for (const auto& j : input["bookings"]) {
        Booking b;
        b.id = j.at("id").get<long long>();
        b.status = j.at("status").get<std::string>();
        b.start = at(j.at("start"));
        b.end = at(j.at("end"));
        b.created_at = at(j.at("created_at"));
        if (j.contains("cancelled_at")) b.cancelled_at = at(j.at("cancelled_at"));
        b.duration_minutes = j.at("duration_minutes").get<int>();
        b.sequence = j.at("sequence").get<int>();
        for (auto [field, name] : {std::pair{&b.service, "service"},
                                   {&b.resource, "resource"},
                                   {&b.customer_name, "customer_name"},
                                   {&b.customer_email, "customer_email"},
                                   {&b.notes, "notes"},
                                   {&b.service_name, "service_name"},
                                   {&b.resource_name, "resource_name"}})
            *field = j.at(name).get<std::string>();
        writer->write(b);
    }
    writer->end();
    return std::cout.good() ? 0 : 1;
}
