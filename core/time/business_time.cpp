#include "core/time/business_time.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <charconv>
#include <cstdio>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace booking {
namespace {

// Reads exactly `width` digits at text[pos]; false if they are not all digits.
bool digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

bool parse_date_part(std::string_view text, Date& out) {
    int y, m, d;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    if (!digits(text, 0, 4, y) || !digits(text, 5, 2, m) || !digits(text, 8, 2, d)) return false;
    auto ymd =
        date::year{y} / date::month{static_cast<unsigned>(m)} / date::day{static_cast<unsigned>(d)};
    if (!ymd.ok()) return false;
    out = Date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
    return true;
}

date::sys_days to_sys_days(Date d) {
    return date::sys_days{date::year{d.year} / date::month{d.month} / date::day{d.day}};
}

Date from_sys_days(date::sys_days days) {
    date::year_month_day ymd{days};
    return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day())};
}

}  // namespace

int days_since_epoch(Date d) { return static_cast<int>(to_sys_days(d).time_since_epoch().count()); }

Date date_from_days(int days) { return from_sys_days(date::sys_days{date::days{days}}); }

int weekday(Date d) { return static_cast<int>(date::weekday{to_sys_days(d)}.iso_encoding()) - 1; }

Date parse_date(std::string_view text, const std::string& field) {
    Date out;
    if (!parse_date_part(text, out))
        throw Invalid(field,
                      "\"" + std::string(text) + "\" is not a valid date (expected YYYY-MM-DD)");
    return out;
}

namespace {

constexpr int kMaxRelativeDays = 36600;  // a hundred years either way

// 0 = Monday ... 6 = Sunday for "mon".."sun" and "monday".."sunday"; -1 otherwise.
int weekday_named(const std::string& word) {
    static const char* const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    for (int i = 0; i < 7; ++i) {
        std::string_view name = names[i];
        if (word == name || word == name.substr(0, 3)) return i;
    }
    return -1;
}

// "+N" / "-N" with 1-5 digits; nullopt otherwise.
std::optional<int> relative_days(std::string_view text) {
    if (text.size() < 2 || text.size() > 6 || (text[0] != '+' && text[0] != '-'))
        return std::nullopt;
    int n = 0;
    for (char c : text.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return text[0] == '-' ? -n : n;
}

}  // namespace

Date parse_user_date(std::string_view text, Date today, const std::string& field) {
    Date out;
    if (parse_date_part(text, out)) return out;
    const std::string word = to_lower_ascii(text);
    if (word == "today") return today;
    if (word == "tomorrow") return add_days(today, 1);
    if (word == "yesterday") return add_days(today, -1);
    if (int wd = weekday_named(word); wd >= 0)
        return add_days(today, (wd - weekday(today) + 7) % 7);
    if (auto n = relative_days(text)) {
        if (*n > kMaxRelativeDays || *n < -kMaxRelativeDays)
            throw Invalid(field, "\"" + printable(text) + "\" is more than " +
                                     std::to_string(kMaxRelativeDays) + " days from today");
        return add_days(today, *n);
    }
    throw Invalid(field, "\"" + printable(text) +
                             "\" is not a date (YYYY-MM-DD, today, tomorrow, yesterday, "
                             "mon...sun, +N or -N days)");
}

// Written directly, not with date::format: its stream and locale cost more than
// the rest of an availability answer from memory.
std::string format_date(Date d) {
    char out[48];
    const int n = std::snprintf(out, sizeof out, "%04d-%02u-%02u", d.year, d.month, d.day);
    return std::string(out, static_cast<std::size_t>(n));
}

Minutes parse_clock(std::string_view text, const std::string& field) {
    int h, m;
    if (text.size() == 5 && text[2] == ':' && digits(text, 0, 2, h) && digits(text, 3, 2, m) &&
        m < 60 && (h < 24 || (h == 24 && m == 0)))
        return Minutes(h * 60 + m);
    throw Invalid(field, "\"" + std::string(text) +
                             "\" is not a valid time of day (expected HH:MM, 00:00-24:00)");
}

std::optional<Time> parse_rfc3339(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
    Date d;
    int h, mi, s;
    if (text.size() < 20 || !parse_date_part(text.substr(0, 10), d)) return std::nullopt;
    if ((text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    if (!digits(text, 11, 2, h) || !digits(text, 14, 2, mi) || !digits(text, 17, 2, s))
        return std::nullopt;
    if (h > 23 || mi > 59 || s > 59) return std::nullopt;
    std::size_t pos = 19;
    if (text[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }
    int offset_minutes = 0;
    std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
        offset_minutes = 0;
    } else {
        int oh, om;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':')
            return std::nullopt;
        if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_minutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
    }
    Time local = to_sys_days(d) + std::chrono::hours(h) + Minutes(mi) + std::chrono::seconds(s);
    const Time t = local - Minutes(offset_minutes);
    // An offset can carry the instant past a four-digit year
    // ("9999-12-31T23:59:59-23:59"), which format_utc cannot write back.
    if (!within_four_digit_years(t)) return std::nullopt;
    return t;
}

bool within_four_digit_years(Time t) {
    static const Time first = to_sys_days(Date{0, 1, 1});
    static const Time last = to_sys_days(Date{9999, 12, 31}) + std::chrono::seconds(86399);
    return t >= first && t <= last;
}

std::string format_utc(Time t) {
    // Hot in exports and responses: formatted by hand rather than through iostreams.
    auto days = date::floor<date::days>(t);
    date::year_month_day ymd{days};
    long long secs = (t - days).count();
    char buf[24];
    auto put = [&buf](int pos, long long value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            buf[pos + i] = static_cast<char>('0' + value % 10);
    };
    put(0, static_cast<int>(ymd.year()), 4);
    buf[4] = '-';
    put(5, static_cast<unsigned>(ymd.month()), 2);
    buf[7] = '-';
    put(8, static_cast<unsigned>(ymd.day()), 2);
    buf[10] = 'T';
    put(11, secs / 3600, 2);
    buf[13] = ':';
    put(14, secs / 60 % 60, 2);
    buf[16] = ':';
    put(17, secs % 60, 2);
    buf[19] = 'Z';
    return std::string(buf, 20);
}

BusinessZone::BusinessZone(const std::string& name) : name_(name), zone_(nullptr) {
    try {
        zone_ = date::locate_zone(name);
    } catch (const std::exception&) {
        throw Invalid("time_zone", "unknown time zone \"" + name + "\"");
    }
}

bool BusinessZone::exists(const std::string& name) {
    try {
        date::locate_zone(name);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

Time BusinessZone::at(Date d, Minutes time_of_day, const std::string& field) const {
    auto local = date::local_days{to_sys_days(d).time_since_epoch()} + time_of_day;
    auto info = zone_->get_info(date::local_seconds{local});
    switch (info.result) {
        case date::local_info::unique:
            return Time{local.time_since_epoch() - info.first.offset};
        case date::local_info::ambiguous:
            return Time{local.time_since_epoch() - info.first.offset};
        default:
            break;
    }
    throw Invalid(field, format_date(d) + " " + date::format("%H:%M", time_of_day) +
                             " does not exist in " + name_ + " (the clocks change then)");
}

Time BusinessZone::start_of_day(Date d) const {
    auto local = date::local_seconds{to_sys_days(d).time_since_epoch()};
    auto info = zone_->get_info(local);
    if (info.result == date::local_info::nonexistent) return info.second.begin;  // midnight skipped
    return Time{local.time_since_epoch() - info.first.offset};
}

BusinessZone::Range BusinessZone::dates(const std::optional<Date>& from,
                                        const std::optional<Date>& to,
                                        const std::string& to_field) const {
    if (from && to && *to < *from) throw Invalid(to_field, "must not be before the start date");
    Range range;
    if (from) range.from = start_of_day(*from);
    if (to) range.to = start_of_day(add_days(*to, 1));
    return range;
}

Date BusinessZone::date_of(Time t) const {
    auto local = zone_->to_local(t);
    return from_sys_days(date::sys_days{date::floor<date::days>(local).time_since_epoch()});
}

Minutes BusinessZone::time_of_day(Time t) const {
    auto local = zone_->to_local(t);
    return date::floor<Minutes>(local - date::floor<date::days>(local));
}

std::string BusinessZone::format_local(Time t) const {
    return date::format("%F %H:%M", date::make_zoned(zone_, t));
}

std::string BusinessZone::abbreviation(Time t) const { return zone_->get_info(t).abbrev; }

Time BusinessZone::parse_user_time(std::string_view text, const std::string& field,
                                   Date today) const {
    if (auto t = parse_rfc3339(text)) return *t;
    auto bad = [&] {
        return Invalid(field, "\"" + printable(text) +
                                  "\" is not a time (expected \"DATE HH:MM\" in business time, "
                                  "e.g. \"2026-12-01 09:30\" or \"tomorrow 09:30\", or RFC 3339)");
    };
    // The clock is the last five characters, after a space (or the T of "YYYY-MM-DDTHH:MM").
    if (text.size() < 7) throw bad();
    const std::size_t split = text.size() - 6;
    const bool iso = split == 10 && text[split] == 'T';
    if (text[split] != ' ' && !iso) throw bad();
    std::string_view date_text = text.substr(0, split);
    while (!date_text.empty() && date_text.back() == ' ') date_text.remove_suffix(1);
    Date d;
    try {
        d = parse_user_date(date_text, today, field);
    } catch (const Invalid&) {
        throw bad();
    }
    Minutes clock = parse_clock(text.substr(split + 1), field);
    if (clock.count() == 24 * 60)
        throw Invalid(field, "\"" + printable(text) + "\": use 00:00 of the next day");
    return at(d, clock, field);
}

}  // namespace booking
