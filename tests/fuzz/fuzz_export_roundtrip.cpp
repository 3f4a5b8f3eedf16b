// The CSV and iCalendar writers of exports: random booking fields -> a CSV
// that a strict RFC 4180 reader reads back to the same fields (a field a
// spreadsheet would run as a formula may come back with a leading '), and an
// iCalendar that libical parses back to the same UID, location and summary.
#include <fuzzer/FuzzedDataProvider.h>
#include <libical/ical.h>

#include <memory>
#include <sstream>

#include "core/export/export.hpp"
#include "core/text.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/support/csv_reader.hpp"

using namespace booking;

namespace {

constexpr long long kYear9999 = 253402300799;  // 9999-12-31T23:59:59Z

Time some_time(FuzzedDataProvider& in) {
    return Time(std::chrono::seconds(in.ConsumeIntegralInRange<long long>(0, kYear9999)));
}

bool same_field(const std::string& written, const std::string& read) {
    if (read == written) return true;
    // Formula injection guard: "=..." may be written as "'=...".
    static constexpr std::string_view kFormula = "=+-@\t\r";
    return !written.empty() && kFormula.find(written.front()) != std::string_view::npos &&
           read == "'" + written;
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

std::string property_text(icalcomponent* event, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(event, kind);
    if (!p) return "<absent>";
    const char* value = icalvalue_get_text(icalproperty_get_value(p));
    return value ? value : "";
}

void trim_blanks(std::string& text) {
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t") + 1);
}

}  // namespace

FUZZ_ENTRY {
    FuzzedDataProvider in(data, size);
    Booking b;
    b.id = in.ConsumeIntegralInRange<long long>(1, 999999999999999999);
    b.user_id = in.ConsumeIntegral<long long>();
    b.sequence = in.ConsumeIntegralInRange<int>(0, 1000000);
    b.duration_minutes = in.ConsumeIntegralInRange<int>(0, 24 * 60);
    b.status = in.ConsumeBool() ? "confirmed" : "cancelled";
    b.start = some_time(in);
    b.end = some_time(in);
    b.created_at = some_time(in);
    if (in.ConsumeBool()) b.cancelled_at = some_time(in);
    b.service = in.ConsumeRandomLengthString(64);
    b.resource = in.ConsumeRandomLengthString(64);
    b.service_name = in.ConsumeRandomLengthString(200);
    b.resource_name = in.ConsumeRandomLengthString(200);
    b.customer_name = in.ConsumeRandomLengthString(200);
    b.customer_email = in.ConsumeRandomLengthString(100);
    CalendarContext context;
    context.business_name = in.ConsumeRandomLengthString(100);
    context.time_zone = in.ConsumeBool() ? "Europe/London" : in.ConsumeRandomLengthString(40);
    b.notes = in.ConsumeRemainingBytesAsString();

    std::ostringstream csv;
    auto writer = make_booking_writer(ExportFormat::Csv, csv, context);
    writer->begin();
    writer->write(b);
    writer->end();
    const auto records = test::parse_csv(csv.str());
    fuzz::check(records.size() == 2, "a header and one record");
    const auto& row = records[1];
    fuzz::check(row.size() == records[0].size(), "as many fields as the header");
    fuzz::check(row[0] == std::to_string(b.id), "id");
    const std::string texts[] = {b.status,        b.service,        b.resource,
                                 b.customer_name, b.customer_email, b.notes};
    const std::size_t columns[] = {1, 5, 6, 7, 8, 9};
    for (std::size_t i = 0; i < 6; ++i)
        fuzz::check(same_field(texts[i], row[columns[i]]), "a CSV field reads back the same");
    fuzz::check(row[2] == format_utc(b.start) && row[3] == format_utc(b.end), "start and end");

    std::ostringstream ics;
    writer = make_booking_writer(ExportFormat::Ics, ics, context);
    writer->begin();
    writer->write(b);
    writer->end();
    std::unique_ptr<icalcomponent, ComponentFree> calendar(
        icalparser_parse_string(ics.str().c_str()));
    fuzz::check(calendar != nullptr, "libical parses the calendar");
    icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    fuzz::check(event != nullptr, "the calendar holds the event");
    fuzz::check(property_text(event, ICAL_UID_PROPERTY) ==
                    "booking-" + std::to_string(b.id) + "@" + context.uid_host,
                "UID");
    // The writer passes valid UTF-8 with only line breaks and TAB among the
    // control characters. libical's parser drops blanks at the start and end
    // of a value (its writer keeps them), so those are not compared.
    std::string location = multiline_text(b.resource_name);
    trim_blanks(location);
    if (!location.empty() && is_valid_utf8(location)) {
        std::string read = property_text(event, ICAL_LOCATION_PROPERTY);
        trim_blanks(read);
        if (read != location)
            std::fprintf(stderr, "LOCATION written [%s]\nLOCATION read    [%s]\n", location.c_str(),
                         read.c_str());
        fuzz::check(read == location, "LOCATION");
    }
    return 0;
}
