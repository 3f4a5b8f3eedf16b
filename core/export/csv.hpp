#pragma once
// RFC 4180 CSV: fields separated by commas, records ended by CRLF, a field
// quoted (with quotes doubled) when it holds a comma, quote, CR or LF. A field
// beginning with =, +, -, @, TAB or CR gets a ' before it (SPEC §5), so that a
// spreadsheet shows it as text and never runs it as a formula.
#include <initializer_list>
#include <ostream>
#include <string_view>
#include <vector>

namespace booking {

class CsvWriter {
  public:
    explicit CsvWriter(std::ostream& out) : out_(out) {}
    void row(const std::vector<std::string_view>& fields);
    void row(std::initializer_list<std::string_view> fields);

  private:
    void field(std::string_view value);
    std::ostream& out_;
};

}  // namespace booking
