#include "cli/output.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "cli/terminal.hpp"
#include "core/export/csv.hpp"

namespace bookingctl {

std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

namespace {

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return s;
}

}  // namespace

std::string cut_to_width(const std::string& s, std::size_t max) {
    std::string line = one_line(s);
    if (display_width(line) <= max || max == 0) return line;
    std::string out;
    std::size_t n = 0;
    for (char c : line) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++n > max - 1) break;
        out += c;
    }
    return out + "~";
}

void print_table(const std::vector<std::string>& headers,
                 const std::vector<std::size_t>& max_widths,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        std::size_t w = display_width(headers[i]);
        for (const auto& row : rows)
            w = std::max(w, std::min(display_width(one_line(row[i])), max_widths[i]));
        widths.push_back(w);
    }
    // Fit the terminal: take from the widest column until the line fits.
    constexpr std::size_t kTerminal = 80, kGap = 2, kNarrowest = 6;
    auto total = [&] {
        std::size_t sum = kGap * (widths.size() - 1);
        for (auto w : widths) sum += w;
        return sum;
    };
    while (total() > kTerminal) {
        // Of equally wide columns the rightmost gives: names and notes, not times and ids.
        auto widest = std::max_element(widths.rbegin(), widths.rend());
        if (*widest <= kNarrowest) break;
        --*widest;
    }
    // Colour (on a terminal only) is added after the padding is measured.
    auto line = [&](const std::vector<std::string>& cells, bool header) {
        std::string out;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            std::string cell = cut_to_width(cells[i], widths[i]);
            std::string pad =
                i + 1 < cells.size() ? std::string(widths[i] - display_width(cell) + 2, ' ') : "";
            if (header)
                cell = paint(cell, Style::Bold);
            else if (headers[i] == "status")
                cell = paint_status(cell);
            out += cell + pad;
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        std::cout << out << '\n';
    };
    std::vector<std::string> upper;
    for (auto h : headers) {
        for (char& c : h)
            c = (c == '_') ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        upper.push_back(h);
    }
    line(upper, true);
    for (const auto& row : rows) line(row, false);
}

void print_csv(const std::vector<std::string>& headers,
               const std::vector<std::vector<std::string>>& rows) {
    booking::CsvWriter csv(std::cout);
    std::vector<std::string_view> fields(headers.begin(), headers.end());
    csv.row(fields);
    for (const auto& row : rows) {
        fields.assign(row.begin(), row.end());
        csv.row(fields);
    }
}

void print_record(const std::vector<std::string>& headers, const std::vector<std::string>& values) {
    std::size_t w = 0;
    for (const auto& h : headers) w = std::max(w, display_width(h));
    for (std::size_t i = 0; i < headers.size(); ++i)
        std::cout << paint(headers[i] + ':', Style::Bold)
                  << std::string(w - display_width(headers[i]) + 1, ' ')
                  << (headers[i] == "status" ? paint_status(values[i]) : one_line(values[i]))
                  << '\n';
}

void say_more(Context& ctx, long long more, const std::string& what) {
    if (more <= 0) return;
    std::string noun = what;
    // "delivery" -> "deliveries", "booking" -> "bookings".
    const bool consonant_y =
        noun.size() > 1 && noun.back() == 'y' &&
        std::string_view("aeiou").find(noun[noun.size() - 2]) == std::string_view::npos;
    if (more != 1) noun = consonant_y ? noun.substr(0, noun.size() - 1) + "ies" : noun + "s";
    ctx.say_after(std::to_string(more) + " more " + noun +
                  " not shown (--limit N shows more, --limit 0 all)");
}

std::string show_time(Context& ctx, booking::Time t, bool local) {
    return local ? ctx.zone().format_local(t) : booking::format_utc(t);
}

}  // namespace bookingctl
