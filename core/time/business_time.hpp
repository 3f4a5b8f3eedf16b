#pragma once
// Time handling: instants are UTC seconds (Time); dates and wall-clock times
// the business and its customers see are local to business.time_zone. All
// zone arithmetic goes through the IANA database (Howard Hinnant's date/tz on
// the system's tzdata), so DST changes are handled by the library, not by us.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace booking {

using Time = std::chrono::sys_seconds;
using Minutes = std::chrono::minutes;

// A calendar date (local to the business when it is about bookings).
struct Date {
    int year = 1970;
    unsigned month = 1;
    unsigned day = 1;
    auto operator<=>(const Date&) const = default;
};

// Days since 1970-01-01, and back: for date arithmetic and weekdays.
int days_since_epoch(Date d);
Date date_from_days(int days);
inline Date add_days(Date d, int n) { return date_from_days(days_since_epoch(d) + n); }
// 0 = Monday ... 6 = Sunday.
int weekday(Date d);

// "YYYY-MM-DD"; throws Invalid(field, ...) when malformed or impossible (2026-02-30).
Date parse_date(std::string_view text, const std::string& field = "date");
// A date as people say it (the CLI's one date parser): YYYY-MM-DD, "today",
// "tomorrow", "yesterday", a weekday ("mon".."sun" or "monday".."sunday", any
// case: its next occurrence, today included), or "+N"/"-N" calendar days from
// today (at most 36600). `today` is the business's local date, so the answer
// never depends on how many hours a DST day has. Throws Invalid(field, ...)
// that quotes the text.
Date parse_user_date(std::string_view text, Date today, const std::string& field);
std::string format_date(Date d);

// "HH:MM" in 00:00..24:00 (24:00 = end of day); throws Invalid(field, ...).
Minutes parse_clock(std::string_view text, const std::string& field);

// RFC 3339 with an offset ("2026-12-01T09:00:00Z", "...+01:00"); fractions of a
// second are truncated. nullopt when malformed or without an offset.
std::optional<Time> parse_rfc3339(std::string_view text);
// RFC 3339 in UTC with Z, whole seconds: "2026-12-01T09:00:00Z".
std::string format_utc(Time t);
// Whether an instant lies in the years 0000 to 9999: those a Date holds and
// format_utc writes.
bool within_four_digit_years(Time t);

class BusinessZone {
  public:
    // Throws Invalid("time_zone", ...) for an unknown name.
    explicit BusinessZone(const std::string& name);
    static bool exists(const std::string& name);

    const std::string& name() const { return name_; }

    // The instant of a local date and wall-clock time. A time that does not
    // exist (skipped by a DST change) throws Invalid(field, ...); an ambiguous
    // one (repeated hour) is the earlier instant.
    Time at(Date date, Minutes time_of_day, const std::string& field = "time") const;

    // The instants of the local dates from..to, both inclusive:
    // [first instant of from, first instant of the day after to); either end
    // may be open. Throws Invalid(to_field, ...) when to is before from.
    struct Range {
        std::optional<Time> from;
        std::optional<Time> to;
    };
    Range dates(const std::optional<Date>& from, const std::optional<Date>& to,
                const std::string& to_field = "to") const;

    // The first instant of a local date, and the local date of an instant.
    Time start_of_day(Date date) const;
    Date date_of(Time t) const;
    // Minutes since local midnight of the instant's wall-clock time.
    Minutes time_of_day(Time t) const;

    // "2026-12-01 09:00" local, for tables and emails.
    std::string format_local(Time t) const;
    // The zone's abbreviation at that instant ("GMT", "BST").
    std::string abbreviation(Time t) const;

    // The local date of an instant, for "today" in parse_user_date.
    Date today(Time now) const { return date_of(now); }

    // A time given to the CLI: RFC 3339, or a date in any form of
    // parse_user_date followed by a space and "HH:MM" local ("2026-12-01 09:30",
    // "tomorrow 09:30", "fri 14:00"; "YYYY-MM-DDTHH:MM" too). Throws Invalid(field, ...).
    Time parse_user_time(std::string_view text, const std::string& field, Date today) const;

  private:
    std::string name_;
    const date::time_zone* zone_;
};

}  // namespace booking
