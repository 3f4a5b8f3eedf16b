// core/text: the small text helpers every input path shares.
#include <gtest/gtest.h>

#include "core/text.hpp"

namespace {

using booking::utf8_reversed;

TEST(Utf8Reversed, ReversesCodePointsNotBytesAsPostgresReverseDoes) {
    EXPECT_EQ(utf8_reversed(""), "");
    EXPECT_EQ(utf8_reversed("ann"), "nna");
    EXPECT_EQ(utf8_reversed("jos\xC3\xA9"), "\xC3\xA9soj");  // josé
    EXPECT_EQ(utf8_reversed("a\xE2\x82\xAC"
                            "b"),
              "b\xE2\x82\xAC"
              "a");  // a€b
    EXPECT_EQ(utf8_reversed("\xF0\x9F\x98\x80!"), "!\xF0\x9F\x98\x80");
    EXPECT_TRUE(booking::is_valid_utf8(utf8_reversed("z\xC3\xBC\xC3\xA9")));
}

}  // namespace
