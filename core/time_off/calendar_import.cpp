// Reading time off from an iCalendar file (time-off import) with libical.
#include <libical/ical.h>

#include <memory>

#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/time_off/time_off.hpp"

namespace booking::time_off {
namespace {

struct ComponentFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;
struct IteratorFree {
    void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};
using Iterator = std::unique_ptr<icalrecur_iterator, IteratorFree>;

constexpr long long kDay = 86400;

// libical gives DATE values and floating times as if they were UTC: their
// wall clock, which is business-local time.
Time local_of_wall(const BusinessZone& zone, time_t wall, bool is_date) {
    const long long days = (static_cast<long long>(wall) >= 0 ? wall : wall - (kDay - 1)) / kDay;
    const Date day = date_from_days(static_cast<int>(days));
    if (is_date) return zone.start_of_day(day);
    const Minutes minutes((wall - days * kDay) / 60);
    try {
        return zone.at(day, minutes, "file");
    } catch (const Invalid&) {  // skipped by DST: the hour after
        return zone.at(day, minutes + Minutes(60), "file");
    }
}

struct Collect {
    const BusinessZone* zone;
    std::string uid, summary;
    bool is_date = false, floating = false;
    long long length = 0;  // days for DATE values, else seconds
    Time since{};
    std::vector<CalendarEvent>* out;
    bool too_many = false;
};

void collect(icalcomponent*, icaltime_span* span, void* data) {
    auto& c = *static_cast<Collect*>(data);
    // libical hands out what it makes of a malformed date (DTSTART:13207850,
    // month 78) as a time far outside the years a Date holds: such an event is
    // skipped, not converted (found by fuzz_calendar_import:
    // date::year_month_day overflowed an int).
    const long long end = span->start + (c.is_date ? c.length * kDay : c.length);
    if (!within_four_digit_years(Time(Seconds(span->start))) ||
        !within_four_digit_years(Time(Seconds(end))))
        return;
    Interval when;
    if (c.is_date) {
        const long long day = span->start / kDay;
        when.start = c.zone->start_of_day(date_from_days(static_cast<int>(day)));
        when.end = c.zone->start_of_day(date_from_days(static_cast<int>(day + c.length)));
    } else if (c.floating) {
        when.start = local_of_wall(*c.zone, span->start, false);
        when.end = local_of_wall(*c.zone, span->start + c.length, false);
    } else {
        when.start = Time(Seconds(span->start));
        when.end = when.start + Seconds(c.length);
    }
    if (when.end <= when.start || when.end <= c.since) return;
    if (c.out->size() == kMaxCalendarClosedTimes) {
        c.too_many = true;
        return;
    }
    c.out->push_back(CalendarEvent{c.uid, c.summary, when});
}

// Why a file's expansion is bounded (kMaxCalendarRepetitions,
// kMaxCalendarClosedTimes): libical steps through a recurrence from its DTSTART,
// and each occurrence becomes a row of time off. An event from the year 1013 to
// 2025 repeating hourly gave a million (found by fuzz_calendar_import); repeating
// every second it would keep libical busy for hours. A holiday or leave calendar
// needs a few hundred of either.
//
// How many steps an event's RRULEs take from its DTSTART to `until`, counted up
// to `limit` + 1: at least as many as icalcomponent_foreach_recurrence takes
// (it may skip ahead to the window).
long long repetitions(icalcomponent* event, icaltimetype dtstart, icaltimetype until,
                      long long limit) {
    long long n = 0;
    for (icalproperty* rule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
         rule && n <= limit; rule = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
        Iterator it(icalrecur_iterator_new(icalproperty_get_rrule(rule), dtstart));
        if (!it) continue;
        for (icaltimetype t = icalrecur_iterator_next(it.get());
             n <= limit && !icaltime_is_null_time(t) && icaltime_compare(t, until) <= 0;
             t = icalrecur_iterator_next(it.get()))
            ++n;
    }
    return n;
}

std::string cut(std::string text, std::size_t max_bytes) {
    if (!is_valid_utf8(text)) return "";
    if (text.size() <= max_bytes) return text;
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return text.substr(0, n);
}

[[noreturn]] void not_icalendar(const std::string& why) {
    throw Invalid("file", "is not an iCalendar file (" + why + ")");
}

}  // namespace

std::vector<CalendarEvent> read_calendar(std::string_view text, const BusinessZone& zone,
                                         Time since, Time until) {
    std::string_view head = trim(text.substr(0, 64));
    if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
    if (to_lower_ascii(head.substr(0, 15)) != "begin:vcalendar")
        not_icalendar("it does not begin with BEGIN:VCALENDAR");
    const std::string copy(text);
    Component calendar(icalparser_parse_string(copy.c_str()));
    if (!calendar || icalcomponent_isa(calendar.get()) != ICAL_VCALENDAR_COMPONENT)
        not_icalendar("libical cannot read it");

    std::vector<CalendarEvent> out;
    long long steps = 0;
    const icaltimezone* utc = icaltimezone_get_utc_timezone();
    // Two days' margin: floating times are read as UTC until collect() moves them.
    const icaltimetype from = icaltime_from_timet_with_zone(
        static_cast<time_t>(since.time_since_epoch().count() - 2 * kDay), 0, utc);
    const icaltimetype to = icaltime_from_timet_with_zone(
        static_cast<time_t>(until.time_since_epoch().count() + 2 * kDay), 0, utc);
    for (icalcomponent* event =
             icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
         event; event = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT)) {
        if (icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED) continue;
        const icaltimetype start = icalcomponent_get_dtstart(event);
        if (icaltime_is_null_time(start)) continue;
        const icaltimetype end = icalcomponent_get_dtend(event);
        Collect c{&zone, "", "", icaltime_is_date(start) != 0, false, 0, since, &out};
        c.floating = !c.is_date && !icaltime_is_utc(start) && !icaltime_get_timezone(start);
        if (c.is_date) {
            c.length = icaltime_is_null_time(end)
                           ? 1
                           : (icaltime_as_timet(end) - icaltime_as_timet(start)) / kDay;
            if (c.length < 1) c.length = 1;
        } else {
            if (icaltime_is_null_time(end)) continue;  // an instant closes nothing
            c.length = c.floating
                           ? icaltime_as_timet(end) - icaltime_as_timet(start)
                           : icaltime_as_timet_with_zone(end, icaltime_get_timezone(end)) -
                                 icaltime_as_timet_with_zone(start, icaltime_get_timezone(start));
            if (c.length <= 0) continue;
        }
        const char* uid = icalcomponent_get_uid(event);
        const char* summary = icalcomponent_get_summary(event);
        c.summary = cut(summary ? summary : "", 500);
        c.uid = uid && *uid ? cut(uid, 900)
                            : "no-uid:" + std::string(icaltime_as_ical_string(start)) + ":" +
                                  cut(c.summary, 200);
        if (c.uid.empty()) continue;
        steps += repetitions(event, start, to, kMaxCalendarRepetitions - steps);
        if (steps > kMaxCalendarRepetitions)
            throw Invalid("file", "has recurring events that repeat more than " +
                                      std::to_string(kMaxCalendarRepetitions) +
                                      " times from their start to the horizon");
        icalcomponent_foreach_recurrence(event, from, to, collect, &c);
        if (c.too_many)
            throw Invalid("file", "holds more than " + std::to_string(kMaxCalendarClosedTimes) +
                                      " closed times between today and the horizon");
    }
    return out;
}

}  // namespace booking::time_off
