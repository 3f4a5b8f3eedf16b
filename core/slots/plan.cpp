#include "core/slots/plan.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "core/errors.hpp"

namespace booking {
namespace {

constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};
constexpr Minutes kEndOfDay{24 * 60};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<int> day_index(std::string_view name) {
    for (std::size_t i = 0; i < kDayNames.size(); ++i)
        if (kDayNames[i] == name) return static_cast<int>(i);
    return std::nullopt;
}

[[noreturn]] void bad_days(std::string_view text, const std::string& why) {
    throw Invalid("days", "\"" + std::string(text) + "\": " + why +
                              " (use e.g. mon-fri, mon,wed,fri, sat-sun, mon-sun or all)");
}

// One comma-separated part: "all", "wed" or "mon-fri" (which may wrap: "fri-mon").
std::bitset<7> parse_day_part(std::string_view text, std::string_view part) {
    std::bitset<7> out;
    if (part == "all") return out.set();
    auto dash = part.find('-');
    std::string_view first = trim(part.substr(0, dash));
    std::string_view last = dash == std::string_view::npos ? first : trim(part.substr(dash + 1));
    if (first.empty() || last.empty()) bad_days(text, "a day is missing");
    auto from = day_index(first);
    if (!from) bad_days(text, "unknown day \"" + std::string(first) + "\"");
    auto to = day_index(last);
    if (!to) bad_days(text, "unknown day \"" + std::string(last) + "\"");
    for (int d = *from;; d = (d + 1) % 7) {
        out.set(static_cast<std::size_t>(d));
        if (d == *to) break;
    }
    return out;
}

[[noreturn]] void bad_hours(std::string_view text) {
    throw Invalid("hours",
                  "\"" + std::string(text) +
                      "\" is not a range of hours (expected HH:MM-HH:MM, e.g. 09:00-12:00)");
}

std::string format_clock(Minutes m) {
    auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return two(m.count() / 60) + ":" + two(m.count() % 60);
}

std::string format_range(const HoursRange& r) {
    return format_clock(r.from) + "-" + format_clock(r.to);
}

// The instant a wall-clock time of a day begins. 00:00 and 24:00 are the
// day's boundaries even in a zone whose clocks skip midnight.
Time instant_of(const BusinessZone& zone, Date day, Minutes time_of_day) {
    if (time_of_day == Minutes(0)) return zone.start_of_day(day);
    if (time_of_day == kEndOfDay) return zone.start_of_day(add_days(day, 1));
    return zone.at(day, time_of_day, "hours");
}

}  // namespace

std::bitset<7> parse_days(std::string_view text) {
    const std::string lowered = lower(text);
    std::string_view rest = lowered;
    if (trim(rest).empty()) bad_days(text, "no days given");
    std::bitset<7> out;
    while (true) {
        auto comma = rest.find(',');
        std::string_view part = trim(rest.substr(0, comma));
        if (part.empty()) bad_days(text, "empty entry in the list");
        out |= parse_day_part(text, part);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

HoursRange parse_hours(std::string_view text) {
    auto dash = text.find('-');
    if (dash == std::string_view::npos || text.find('-', dash + 1) != std::string_view::npos)
        bad_hours(text);
    HoursRange range{};
    try {
        range.from = parse_clock(trim(text.substr(0, dash)), "hours");
        range.to = parse_clock(trim(text.substr(dash + 1)), "hours");
    } catch (const Invalid&) {
        bad_hours(text);
    }
    if (range.to <= range.from)
        throw Invalid("hours", "\"" + std::string(text) +
                                   "\": the end must be after the start (ranges cannot "
                                   "run past midnight; 24:00 is the end of the day)");
    return range;
}

std::vector<Interval> plan_slots(const BusinessZone& zone, Date from, Date to, std::bitset<7> days,
                                 const std::vector<HoursRange>& hours) {
    if (to < from)
        throw Invalid("to", format_date(to) + " is before the first day " + format_date(from));
    if (hours.empty()) throw Invalid("hours", "at least one range of hours is needed");

    std::vector<HoursRange> ranges(hours);
    std::sort(ranges.begin(), ranges.end(),
              [](const HoursRange& a, const HoursRange& b) { return a.from < b.from; });
    for (const auto& r : ranges)
        if (r.from < Minutes(0) || r.to > kEndOfDay || r.to <= r.from)
            throw Invalid("hours", format_range(r) + " is not a range within one day");
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].from < ranges[i - 1].to)
            throw Invalid("hours", format_range(ranges[i - 1]) + " and " + format_range(ranges[i]) +
                                       " overlap");

    std::vector<Interval> out;
    const int first = days_since_epoch(from);
    const int last = days_since_epoch(to);
    for (int n = first; n <= last; ++n) {
        const Date day = date_from_days(n);
        if (!days.test(static_cast<std::size_t>(weekday(day)))) continue;
        for (const auto& r : ranges)
            out.push_back(Interval{instant_of(zone, day, r.from), instant_of(zone, day, r.to)});
    }
    return out;
}

}  // namespace booking
