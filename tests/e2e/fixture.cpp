#include "tests/e2e/fixture.hpp"

#include <filesystem>

#include "tests/support/database.hpp"

namespace booking::e2e {

void E2eTest::SetUp() {
    database_name_ = test::create_database("e2e", true);
    database_url_ = test::cluster().url(database_name_);
    work_dir_ = test::make_temp_dir("bookingd-e2e");
    pqxx::work tx(db());
    tx.exec0(
        "INSERT INTO services (code, name, duration_minutes, buffer_minutes) VALUES "
        "('consultation', 'Consultation', 60, 0), ('checkup', 'Checkup', 30, 15)");
    tx.exec0(
        "INSERT INTO slots (resource_id, starts_at, ends_at) "
        "SELECT r.id, (d::date + time '09:00') AT TIME ZONE 'Europe/London', "
        "       (d::date + time '17:00') AT TIME ZONE 'Europe/London' "
        "FROM resources r, generate_series((now() AT TIME ZONE 'Europe/London')::date + 1, "
        "     (now() AT TIME ZONE 'Europe/London')::date + 7, interval '1 day') d WHERE r.code = "
        "'main'");
    tx.commit();
}

void E2eTest::TearDown() {
    if (HasFailure() && daemon_)
        std::cerr << "--- bookingd log ---\n" << daemon_->log().substr(0, 20000) << "\n";
    http_.reset();
    daemon_.reset();
    db_.reset();
    try {
        test::drop_database(database_name_);
    } catch (const std::exception&) {
    }
    test::remove_tree(work_dir_);
}

Daemon& E2eTest::start(const std::map<std::string, std::string>& settings) {
    if (!daemon_) {
        DaemonOptions options;
        options.settings = settings;
        options.database_url = database_url_;
        daemon_ = std::make_unique<Daemon>(work_dir_, options);
        http_ = std::make_unique<HttpClient>(daemon_->port());
    }
    return *daemon_;
}

Daemon& E2eTest::daemon() { return start(); }

std::unique_ptr<Daemon> E2eTest::another_daemon(
    const std::string& name, const std::map<std::string, std::string>& settings) {
    const std::string dir = work_dir_ + "/" + name;
    std::filesystem::create_directories(dir);
    return std::make_unique<Daemon>(dir, DaemonOptions{settings, database_url_});
}

HttpClient& E2eTest::http() {
    start();
    return *http_;
}

pqxx::connection& E2eTest::db() {
    if (!db_) db_ = std::make_unique<pqxx::connection>(database_url_);
    return *db_;
}

long long E2eTest::count(const std::string& sql) {
    pqxx::nontransaction tx(db());
    return tx.exec1(sql)[0].as<long long>();
}

Account E2eTest::account(const std::string& email, const std::string& role) {
    auto r = http().post_json("/v1/auth/register",
                              {{"email", email}, {"password", "correct horse"}, {"name", "Test"}});
    if (r.status != 201)
        throw std::runtime_error("register " + email + ": " + std::to_string(r.status) + " " +
                                 r.body);
    Account a{r.json()["user"]["id"].get<long long>(), email, r.json()["token"].get<std::string>()};
    if (role != "customer") {
        pqxx::work tx(db());
        tx.exec0("UPDATE users SET role = " + tx.quote(role) +
                 " WHERE id = " + std::to_string(a.id));
        tx.commit();
    }
    return a;
}

std::string E2eTest::at(int days, const std::string& hhmm) {
    pqxx::nontransaction tx(db());
    return tx
        .exec1(
            "SELECT to_char((((now() AT TIME ZONE 'Europe/London')::date + " +
            std::to_string(days) + ") + time " + tx.quote(hhmm) +
            ") AT TIME ZONE 'Europe/London' AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
            [0]
        .as<std::string>();
}

std::string E2eTest::local_date(int days) {
    pqxx::nontransaction tx(db());
    return tx
        .exec1("SELECT ((now() AT TIME ZONE 'Europe/London')::date + " + std::to_string(days) +
               ")::text")[0]
        .as<std::string>();
}

nlohmann::json E2eTest::book(const Account& who, const std::string& start,
                             const std::string& service, int expect_status) {
    auto r = http().post_json("/v1/bookings", {{"service", service}, {"start", start}}, who.auth());
    EXPECT_EQ(r.status, expect_status) << r.body;
    return r.json();
}

}  // namespace booking::e2e
