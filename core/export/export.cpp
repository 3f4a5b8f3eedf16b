#include "core/export/export.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/errors.hpp"
#include "core/export/csv.hpp"
#include "core/export/ics.hpp"
#include "core/time/business_time.hpp"

namespace booking {

// Defined in ics.cpp next to the calendar they belong to.
namespace ics_detail {
std::string calendar_head(CalendarMethod method);
std::string calendar_tail();
}  // namespace ics_detail

ExportFormat parse_export_format(std::string_view text) {
    if (text == "csv") return ExportFormat::Csv;
    if (text == "jsonl") return ExportFormat::Jsonl;
    if (text == "ics") return ExportFormat::Ics;
    throw Invalid("format", "must be csv, jsonl or ics, not \"" + std::string(text) + "\"");
}

namespace {

// Digits of an integer in a caller's buffer: no allocation per field.
class Digits {
  public:
    explicit Digits(long long value) {
        end_ = std::to_chars(buffer_, buffer_ + sizeof buffer_, value).ptr;
    }
    std::string_view view() const { return {buffer_, static_cast<std::size_t>(end_ - buffer_)}; }

  private:
    char buffer_[24];
    char* end_;
};

class CsvBookingWriter : public BookingWriter {
  public:
    explicit CsvBookingWriter(std::ostream& out) : csv_(out) {}

    void begin() override {
        csv_.row({"id", "status", "start", "end", "duration_minutes", "service", "resource",
                  "customer_name", "customer_email", "notes", "created_at", "cancelled_at"});
    }

    void write(const Booking& b) override {
        const Digits id(b.id);
        const Digits duration(b.duration_minutes);
        const std::string start = format_utc(b.start);
        const std::string end = format_utc(b.end);
        const std::string created_at = format_utc(b.created_at);
        const std::string cancelled_at =
            b.cancelled_at ? format_utc(*b.cancelled_at) : std::string();
        csv_.row({id.view(), b.status, start, end, duration.view(), b.service, b.resource,
                  b.customer_name, b.customer_email, b.notes, created_at, cancelled_at});
    }

    void end() override {}

  private:
    CsvWriter csv_;
};

class JsonlBookingWriter : public BookingWriter {
  public:
    explicit JsonlBookingWriter(std::ostream& out) : out_(out) {}

    void begin() override {}

    void write(const Booking& b) override {
        nlohmann::json object = b;
        object["customer_name"] = b.customer_name;
        object["customer_email"] = b.customer_email;
        // One broken byte in a name must not stop the nightly export: it
        // becomes U+FFFD instead of an exception.
        out_ << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }

    void end() override {}

  private:
    std::ostream& out_;
};

class IcsBookingWriter : public BookingWriter {
  public:
    IcsBookingWriter(std::ostream& out, const CalendarContext& calendar)
        : out_(out), calendar_(calendar) {}

    void begin() override { out_ << ics_detail::calendar_head(CalendarMethod::Publish); }
    void write(const Booking& b) override { out_ << booking_event(b, calendar_); }
    void end() override { out_ << ics_detail::calendar_tail(); }

  private:
    std::ostream& out_;
    CalendarContext calendar_;
};

}  // namespace

std::unique_ptr<BookingWriter> make_booking_writer(ExportFormat format, std::ostream& out,
                                                   const CalendarContext& calendar) {
    switch (format) {
        case ExportFormat::Csv:
            return std::make_unique<CsvBookingWriter>(out);
        case ExportFormat::Jsonl:
            return std::make_unique<JsonlBookingWriter>(out);
        case ExportFormat::Ics:
            return std::make_unique<IcsBookingWriter>(out, calendar);
    }
    throw Invalid("format", "unknown export format");
}

void export_bookings(pqxx::transaction_base& tx, const bookings::BookingFilter& filter,
                     ExportFormat format, std::ostream& out, const CalendarContext& calendar) {
    const std::unique_ptr<BookingWriter> writer = make_booking_writer(format, out, calendar);
    writer->begin();
    bookings::for_each(tx, filter, [&writer](const Booking& b) { writer->write(b); });
    writer->end();
}

}  // namespace booking
