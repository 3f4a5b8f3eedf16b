// bookingctl agenda [DATE] [--resource R]: the day at a glance, the first
// command a receptionist runs each morning.
#include "core/agenda/agenda.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"
#include "core/export/csv.hpp"

namespace bookingctl {
namespace {

constexpr std::size_t kWidth = 80;
constexpr std::size_t kTimeColumn = 2 + 11 + 2;  // "  09:00-10:00  "
constexpr std::size_t kServiceWidth = 20;

std::string long_date(booking::Date d) {
    static const char* const days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
    static const char* const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    return std::string(days[booking::weekday(d)]) + " " + std::to_string(d.day) + " " +
           months[d.month - 1] + " " + std::to_string(d.year);
}

// "3h30m", "45m", "8h".
std::string span(std::chrono::seconds s) {
    long long minutes = s.count() / 60;
    std::string out;
    if (minutes >= 60) out += std::to_string(minutes / 60) + "h";
    if (minutes % 60 || minutes == 0) out += std::to_string(minutes % 60) + "m";
    return out;
}

class TablePrinter {
  public:
    TablePrinter(Context& ctx, booking::Date date)
        : zone_(ctx.zone()), day_end_(zone_.start_of_day(booking::add_days(date, 1))) {}

    // "HH:MM" local; the end of the day is 24:00, and a time on another day shows its date.
    std::string clock(booking::Time t, booking::Date date) const {
        if (t == day_end_) return "24:00";
        std::string local = zone_.format_local(t);
        return zone_.date_of(t) == date ? local.substr(11) : local.substr(5);
    }

    void print(const booking::agenda::Day& day) const {
        std::cout << paint("Agenda for " + long_date(day.date), Style::Bold) << " (" << zone_.name()
                  << ")\n";
        if (day.resources.empty()) {
            std::cout << "\nNo open slots and no bookings.\n";
            return;
        }
        for (const auto& r : day.resources) print_resource(day.date, r);
    }

  private:
    void print_resource(booking::Date date, const booking::agenda::ResourceDay& r) const {
        std::chrono::seconds free{0};
        for (const auto& gap : r.free) free += gap.end - gap.start;
        std::string counts = std::to_string(r.bookings.size()) +
                             (r.bookings.size() == 1 ? " booking" : " bookings") + ", " +
                             span(free) + " free";
        std::string title = r.name + " (" + r.resource + ")";
        std::size_t room = kWidth - display_width(counts) - 2;
        title = cut_to_width(title, room);
        std::cout << '\n'
                  << paint(title, Style::Bold) << std::string(room - display_width(title) + 2, ' ')
                  << counts << '\n';
        if (r.bookings.empty() && r.free.empty()) {
            std::cout << "  " << paint("closed: no open slots", Style::Dim) << '\n';
            return;
        }
        // Bookings and gaps in one time line.
        std::size_t b = 0, g = 0;
        while (b < r.bookings.size() || g < r.free.size()) {
            if (g == r.free.size() ||
                (b < r.bookings.size() && r.bookings[b].start <= r.free[g].start))
                print_booking(date, r.bookings[b++]);
            else
                print_gap(date, r.free[g++]);
        }
    }

    std::string times(booking::Date date, booking::Time from, booking::Time to) const {
        std::string text = clock(from, date) + "-" + clock(to, date);
        return text + std::string(text.size() < 11 ? 11 - text.size() : 0, ' ');
    }

    void print_booking(booking::Date date, const booking::Booking& b) const {
        std::string service = cut_to_width(b.service_name, kServiceWidth);
        std::string who = b.customer_name + " <" + b.customer_email + ">";
        who = cut_to_width(who, kWidth - kTimeColumn - kServiceWidth - 2);
        std::cout << "  " << times(date, b.start, b.end) << "  " << service
                  << std::string(kServiceWidth - display_width(service) + 2, ' ') << who << '\n';
        std::string notes = b.notes.substr(0, b.notes.find('\n'));
        if (!notes.empty() && notes.back() == '\r') notes.pop_back();
        if (!notes.empty())
            std::cout << std::string(kTimeColumn, ' ')
                      << paint(cut_to_width(notes, kWidth - kTimeColumn), Style::Dim) << '\n';
    }

    void print_gap(booking::Date date, const booking::Interval& gap) const {
        std::cout << "  " << times(date, gap.start, gap.end) << "  "
                  << paint("free " + span(gap.end - gap.start), Style::Green) << '\n';
    }

    const booking::BusinessZone& zone_;
    booking::Time day_end_;
};

// One row per booking and per gap, in time order per resource.
void print_agenda_csv(const booking::agenda::Day& day) {
    booking::CsvWriter csv(std::cout);
    csv.row({"resource", "kind", "start", "end", "booking_id", "service", "customer_name",
             "customer_email", "notes"});
    for (const auto& r : day.resources) {
        for (const auto& b : r.bookings)
            csv.row({r.resource, "booking", booking::format_utc(b.start),
                     booking::format_utc(b.end), std::to_string(b.id), b.service, b.customer_name,
                     b.customer_email, b.notes});
        for (const auto& gap : r.free)
            csv.row({r.resource, "free", booking::format_utc(gap.start),
                     booking::format_utc(gap.end), "", "", "", "", ""});
    }
}

struct AgendaOptions {
    std::optional<std::string> date, resource;
};

}  // namespace

void add_agenda_commands(Registry& r, CLI::App& app) {
    Context& ctx = r.ctx;
    auto o = std::make_shared<AgendaOptions>();
    auto* agenda = app.add_subcommand(
        "agenda",
        "The day at a glance: per resource, its bookings in time order and its free gaps");
    agenda->footer(
        "DATE: YYYY-MM-DD, today (default), tomorrow, yesterday, mon...sun (the next one, today "
        "included), +N or -N days.\n"
        "Global flags: --config FILE, --database-url URL, --format table|json|csv, -q (bookingctl "
        "--help).\n"
        "Examples:\n  bookingctl agenda\n  bookingctl agenda tomorrow --resource main\n"
        "  bookingctl --format json agenda today");
    agenda->add_option("date", o->date, "The local date (default: today)")->type_name("DATE");
    agenda->add_option("--resource", o->resource, "Only this resource")->type_name("CODE");
    r.handlers[agenda] = [&ctx, o] {
        const booking::Date date = o->date ? option_date(ctx, *o->date, "date") : ctx.today();
        auto day = ctx.transaction(
            [&](auto& tx) { return booking::agenda::day(tx, ctx.zone(), date, o->resource); });
        switch (ctx.format()) {
            case Format::Json:
                std::cout << nlohmann::json(day).dump(2) << '\n';
                break;
            case Format::Csv:
                print_agenda_csv(day);
                break;
            case Format::Table:
                TablePrinter(ctx, date).print(day);
                break;
        }
    };
}

}  // namespace bookingctl
