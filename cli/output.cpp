#include "cli/output.hpp"

#include <algorithm>
#include <cctype>

#include "core/export/csv.hpp"

namespace bookingctl {
namespace {

// Display width in code points (good enough for the names and codes we show).
std::size_t width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string cut(const std::string& s, std::size_t max) {
    if (width(s) <= max) return s;
    std::string out;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && ++n > max - 1) break;
        out += s[i];
    }
    return out + "~";
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return s;
}

}  // namespace

void print_table(const std::vector<std::string>& headers,
                 const std::vector<std::size_t>& max_widths,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        std::size_t w = width(headers[i]);
        for (const auto& row : rows)
            w = std::max(w, std::min(width(one_line(row[i])), max_widths[i]));
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
        auto widest = std::max_element(widths.begin(), widths.end());
        if (*widest <= kNarrowest) break;
        --*widest;
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            std::string cell = cut(one_line(cells[i]), widths[i]);
            out += cell;
            if (i + 1 < cells.size()) out += std::string(widths[i] - width(cell) + 2, ' ');
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
    line(upper);
    for (const auto& row : rows) line(row);
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
    for (const auto& h : headers) w = std::max(w, width(h));
    for (std::size_t i = 0; i < headers.size(); ++i)
        std::cout << headers[i] << ':' << std::string(w - width(headers[i]) + 1, ' ')
                  << one_line(values[i]) << '\n';
}

std::string show_time(Context& ctx, booking::Time t, bool local) {
    return local ? ctx.zone().format_local(t) : booking::format_utc(t);
}

}  // namespace bookingctl
