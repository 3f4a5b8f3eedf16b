#pragma once
// A strict RFC 4180 reader, to check what bookingctl writes: fields separated
// by commas, quoted fields with doubled quotes, records ended by CRLF.
#include <string>
#include <string_view>
#include <vector>

namespace booking::test {

using CsvRecord = std::vector<std::string>;

struct CsvOptions {
    // RFC 4180 ends records with CRLF; bare LF is refused unless allowed.
    bool allow_lf = false;
};

// Throws std::runtime_error naming the offset of the first violation.
std::vector<CsvRecord> parse_csv(std::string_view text, CsvOptions options = {});

}  // namespace booking::test
