#pragma once
// Each e2e test: a fresh migrated database with two services and a week of
// slots for resource main (09:00-17:00 local, from tomorrow), and a bookingd
// started on it with the test's settings.
#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "tests/e2e/harness.hpp"

namespace booking::e2e {

struct Account {
    long long id = 0;
    std::string email;
    std::string token;
    Headers auth() const { return {{"Authorization", "Bearer " + token}}; }
};

class E2eTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Starts bookingd (once) with these settings on top of the defaults.
    Daemon& start(const std::map<std::string, std::string>& settings = {});
    Daemon& daemon();
    HttpClient& http();
    // Another bookingd on the same database (a second daemon, or one started
    // after the first was killed), in its own directory work_dir_/name.
    std::unique_ptr<Daemon> another_daemon(const std::string& name,
                                           const std::map<std::string, std::string>& settings = {});

    pqxx::connection& db();
    long long count(const std::string& sql);

    // Registers through the API; other roles are then set in the database.
    Account account(const std::string& email, const std::string& role = "customer");
    // RFC 3339 UTC of a local (Europe/London) wall-clock time, days from today.
    std::string at(int days, const std::string& hhmm);
    std::string local_date(int days);
    nlohmann::json book(const Account& who, const std::string& start,
                        const std::string& service = "consultation", int expect_status = 201);

    std::string database_url_;
    std::string work_dir_;

  private:
    std::string database_name_;
    std::unique_ptr<pqxx::connection> db_;
    std::unique_ptr<Daemon> daemon_;
    std::unique_ptr<HttpClient> http_;
};

}  // namespace booking::e2e
