#include "tests/support/csv_reader.hpp"

#include <stdexcept>

namespace booking::test {
namespace {

class Reader {
  public:
    Reader(std::string_view text, CsvOptions options) : text_(text), options_(options) {}

    std::vector<CsvRecord> records() {
        std::vector<CsvRecord> result;
        while (pos_ < text_.size()) result.push_back(record());
        return result;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("invalid RFC 4180 CSV at byte " + std::to_string(pos_) + ": " +
                                 what);
    }

    bool at_end() const { return pos_ >= text_.size(); }

    // Consumes a record terminator if one is here.
    bool end_of_record() {
        if (text_.substr(pos_, 2) == "\r\n") {
            pos_ += 2;
            return true;
        }
        if (pos_ < text_.size() && text_[pos_] == '\n') {
            if (!options_.allow_lf) fail("record ended by LF, not CRLF");
            ++pos_;
            return true;
        }
        if (pos_ < text_.size() && text_[pos_] == '\r') fail("CR not followed by LF");
        return false;
    }

    CsvRecord record() {
        CsvRecord fields;
        for (;;) {
            fields.push_back(field());
            if (at_end() || end_of_record()) return fields;
            if (text_[pos_] != ',') fail("expected a comma or the end of the record");
            ++pos_;
        }
    }

    std::string field() {
        std::string value;
        if (!at_end() && text_[pos_] == '"') {
            ++pos_;
            for (;;) {
                if (at_end()) fail("unterminated quoted field");
                char c = text_[pos_++];
                if (c != '"') {
                    value += c;
                } else if (!at_end() && text_[pos_] == '"') {
                    value += '"';
                    ++pos_;
                } else {
                    break;
                }
            }
            if (!at_end() && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n') {
                fail("text after the closing quote of a field");
            }
            return value;
        }
        while (!at_end() && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n') {
            if (text_[pos_] == '"') fail("quote inside an unquoted field");
            value += text_[pos_++];
        }
        return value;
    }

    std::string_view text_;
    CsvOptions options_;
    size_t pos_ = 0;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, CsvOptions options) {
    return Reader(text, options).records();
}

}  // namespace booking::test
