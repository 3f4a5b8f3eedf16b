// Database URLs in messages and --check-config never show the password.
#include <gtest/gtest.h>

#include "core/config/config.hpp"

namespace booking {
namespace {

TEST(RedactDatabaseUrl, HidesPasswordsInEveryForm) {
    EXPECT_EQ(redact_database_url("postgresql://app:s3cret@db.example.com:5432/booking"),
              "postgresql://app:***@db.example.com:5432/booking");
    EXPECT_EQ(redact_database_url("postgresql://app@db/booking"), "postgresql://app@db/booking");
    EXPECT_EQ(redact_database_url("postgresql:///booking?host=/run&password=s3cret&user=app"),
              "postgresql:///booking?host=/run&password=***&user=app");
    EXPECT_EQ(redact_database_url("host=db user=app password=s3cret dbname=booking"),
              "host=db user=app password=*** dbname=booking");
    EXPECT_EQ(redact_database_url("host=db password = 'two words\\' here' dbname=booking"),
              "host=db password = *** dbname=booking");
    EXPECT_EQ(redact_database_url("postgresql:///booking"), "postgresql:///booking");
}

}  // namespace
}  // namespace booking
