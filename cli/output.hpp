#pragma once
// Printing objects as a table (local times, fits 80 columns), JSON (the API's
// objects) or CSV (a header row; times RFC 3339 UTC). Data to stdout only.
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace bookingctl {

// How a value is shown: `local` is true for tables (business-time clock times).
template <class T>
struct Column {
    std::string header;
    std::size_t max_width;  // in the table; longer values are cut with "~"
    std::function<std::string(const T&, bool local)> value;
    bool in_list_table = true;  // shown in list tables (always in records, JSON and CSV)
};

void print_table(const std::vector<std::string>& headers,
                 const std::vector<std::size_t>& max_widths,
                 const std::vector<std::vector<std::string>>& rows);
void print_csv(const std::vector<std::string>& headers,
               const std::vector<std::vector<std::string>>& rows);
void print_record(const std::vector<std::string>& headers, const std::vector<std::string>& values);

template <class T>
void print_list(Context& ctx, const std::vector<T>& items, const std::vector<Column<T>>& columns) {
    if (ctx.format() == Format::Json) {
        std::cout << nlohmann::json(items).dump(2) << '\n';
        return;
    }
    bool local = ctx.format() == Format::Table;
    std::vector<std::string> headers;
    std::vector<std::size_t> widths;
    auto shown = [local](const Column<T>& c) { return !local || c.in_list_table; };
    for (const auto& c : columns)
        if (shown(c)) headers.push_back(c.header), widths.push_back(c.max_width);
    std::vector<std::vector<std::string>> rows;
    for (const auto& item : items) {
        std::vector<std::string> row;
        for (const auto& c : columns)
            if (shown(c)) row.push_back(c.value(item, local));
        rows.push_back(std::move(row));
    }
    if (local)
        print_table(headers, widths, rows);
    else
        print_csv(headers, rows);
}

template <class T>
void print_one(Context& ctx, const T& item, const std::vector<Column<T>>& columns) {
    if (ctx.format() == Format::Table) {
        std::vector<std::string> headers, values;
        for (const auto& c : columns)
            headers.push_back(c.header), values.push_back(c.value(item, true));
        print_record(headers, values);
    } else if (ctx.format() == Format::Json) {
        std::cout << nlohmann::json(item).dump(2) << '\n';
    } else {
        print_list(ctx, std::vector<T>{item}, columns);
    }
}

// Keeps the first `limit` items (nullopt: all); returns how many it dropped.
template <class T>
long long keep_first(std::vector<T>& items, std::optional<long long> limit) {
    if (!limit || static_cast<long long>(items.size()) <= *limit) return 0;
    long long dropped = static_cast<long long>(items.size()) - *limit;
    items.resize(static_cast<std::size_t>(*limit));
    return dropped;
}
// After a list cut short by --limit, on stderr: "N more <what>s not shown ..."
// (`what` singular: "booking").
void say_more(Context& ctx, long long more, const std::string& what);

// print_list of the first `limit` items, then say_more for the rest.
template <class T>
void print_first(Context& ctx, std::vector<T> items, const std::vector<Column<T>>& columns,
                 std::optional<long long> limit, const std::string& what) {
    long long more = keep_first(items, limit);
    print_list(ctx, items, columns);
    say_more(ctx, more, what);
}

// Columns a text takes in a terminal (code points), and the text made one line
// and cut to at most `max` columns ("~" marks a cut).
std::size_t display_width(const std::string& s);
std::string cut_to_width(const std::string& s, std::size_t max);

// A time as shown: local "YYYY-MM-DD HH:MM" in tables, RFC 3339 UTC otherwise.
std::string show_time(Context& ctx, booking::Time t, bool local);

}  // namespace bookingctl
