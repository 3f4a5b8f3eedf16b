#pragma once
// Exports of bookings for cron and spreadsheets: CSV (RFC 4180), JSON Lines,
// iCalendar (RFC 5545). Each writer takes one booking at a time, so an export
// streams from a database cursor with flat memory.
#include <memory>
#include <ostream>
#include <pqxx/transaction_base>
#include <string>

#include "core/bookings/booking.hpp"
#include "core/bookings/bookings.hpp"

namespace booking {

enum class ExportFormat { Csv, Jsonl, Ics };
// "csv" | "jsonl" | "ics"; throws Invalid("format", ...).
ExportFormat parse_export_format(std::string_view text);

// What an iCalendar event needs beyond the booking.
struct CalendarContext {
    std::string uid_host = "bookingd";  // UID is booking-<id>@<uid_host>
    std::string business_name;
    std::string time_zone;  // for the description only; times are written in UTC
    // A staff calendar feed (SPEC §9): SUMMARY service and customer name,
    // DESCRIPTION with the customer's email and the notes, and DTSTAMP the
    // booking's last change, so that an unchanged feed is byte for byte the
    // same (its ETag).
    bool staff_feed = false;
};

struct Config;
// The calendar context of a business's configuration.
CalendarContext calendar_context(const Config& config);

class BookingWriter {
  public:
    virtual ~BookingWriter() = default;
    virtual void begin() = 0;
    virtual void write(const Booking& booking) = 0;
    virtual void end() = 0;
};

std::unique_ptr<BookingWriter> make_booking_writer(ExportFormat format, std::ostream& out,
                                                   const CalendarContext& calendar);

// Runs the whole export: begin, every matching booking by start, end.
void export_bookings(pqxx::transaction_base& tx, const bookings::BookingFilter& filter,
                     ExportFormat format, std::ostream& out, const CalendarContext& calendar);

}  // namespace booking
