#include "tests/support/bookingctl_test.hpp"

#include <sstream>

namespace booking::test {
namespace {

std::string describe(const ProcessResult& run) {
    std::ostringstream out;
    out << "\n  command: " << run.command << "\n  exit code: " << run.exit_code
        << (run.timed_out ? " (killed: timed out)" : "") << "\n  stdout:\n"
        << run.out << "\n  stderr:\n"
        << run.err;
    return out.str();
}

size_t count_lines(std::string_view text) {
    size_t n = 0;
    for (char c : text) n += c == '\n';
    if (!text.empty() && text.back() != '\n') ++n;
    return n;
}

}  // namespace

::testing::AssertionResult ExitedWith(const ProcessResult& run, int code) {
    if (run.exit_code == code && !run.timed_out) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected exit code " << code << describe(run);
}

::testing::AssertionResult FailedWith(const ProcessResult& run, int code) {
    if (run.exit_code != code || run.timed_out) {
        return ::testing::AssertionFailure() << "expected exit code " << code << describe(run);
    }
    if (count_lines(run.err) != 1) {
        return ::testing::AssertionFailure() << "expected exactly one line on stderr, got "
                                             << count_lines(run.err) << describe(run);
    }
    if (!run.out.empty()) {
        return ::testing::AssertionFailure()
               << "expected nothing on stdout after a failure" << describe(run);
    }
    return ::testing::AssertionSuccess();
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> result;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        result.emplace_back(line);
        start = end + 1;
    }
    return result;
}

size_t display_width(std::string_view line) {
    size_t width = 0;
    for (unsigned char c : line) width += (c & 0xC0) != 0x80;  // count lead bytes only
    return width;
}

nlohmann::json json_of(const ProcessResult& run) {
    try {
        return nlohmann::json::parse(run.out);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("stdout is not JSON (") + e.what() + ")" +
                                 describe(run));
    }
}

void BookingctlTest::SetUp() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    database_name_ =
        create_database(std::string(info->test_suite_name()) + "_" + info->name(), migrated_);
    database_url_ = cluster().url(database_name_);
    work_dir_ = make_temp_dir("booking-test");
    config_path_ = write_config(work_dir_, database_url_);
    db_ = std::make_unique<pqxx::connection>(database_url_);
}

void BookingctlTest::TearDown() {
    db_.reset();
    if (database_name_.empty()) return;  // SetUp failed before creating anything
    // Keep what a failed test leaves behind, for a look with psql.
    if (HasFailure()) {
        std::cerr << "kept database " << database_name_ << " (" << database_url_ << ") and "
                  << work_dir_ << "\n";
        return;
    }
    remove_tree(work_dir_);
    drop_database(database_name_);
}

ProcessResult BookingctlTest::ctl(const std::vector<std::string>& args,
                                  std::optional<std::string> stdin_text) {
    std::vector<std::string> argv = {bookingctl_path(), "--config", config_path_};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.stdin_text = std::move(stdin_text);
    options.env = {{"BOOKING_CONFIG", std::nullopt},
                   {"BOOKING_DATABASE_URL", std::nullopt},
                   {"BOOKING_LISTEN", std::nullopt},
                   {"BOOKING_JWT_SECRET", std::nullopt}};
    return run_process(argv, options);
}

ProcessResult BookingctlTest::ctl_raw(const std::vector<std::string>& args,
                                      ProcessOptions options) {
    std::vector<std::string> argv = {bookingctl_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* name :
         {"BOOKING_CONFIG", "BOOKING_DATABASE_URL", "BOOKING_LISTEN", "BOOKING_JWT_SECRET"}) {
        options.env.try_emplace(name, std::nullopt);
    }
    return run_process(argv, options);
}

pqxx::connection& BookingctlTest::db() { return *db_; }

std::optional<std::string> BookingctlTest::value(const std::string& sql) {
    pqxx::nontransaction tx(*db_);
    auto row = tx.exec1(sql);
    if (row[0].is_null()) return std::nullopt;
    return row[0].as<std::string>();
}

std::string BookingctlTest::text(const std::string& sql) {
    auto v = value(sql);
    if (!v) throw std::runtime_error("NULL from " + sql);
    return *v;
}

long long BookingctlTest::number(const std::string& sql) { return std::stoll(text(sql)); }

std::string BookingctlTest::snapshot() {
    pqxx::nontransaction tx(*db_);
    std::string result;
    auto tables = tx.exec(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name");
    for (const auto& table : tables) {
        std::string name = table[0].as<std::string>();
        result += "== " + name + "\n";
        result +=
            tx.exec1("SELECT coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '') FROM " +
                     tx.quote_name(name) + " x")[0]
                .as<std::string>();
        result += "\n";
    }
    return result;
}

std::string BookingctlTest::local_date(int days_from_today) {
    pqxx::nontransaction tx(*db_);
    return tx
        .exec_params1(
            "SELECT to_char((now() AT TIME ZONE 'Europe/London')::date + $1::int, 'YYYY-MM-DD')",
            days_from_today)[0]
        .as<std::string>();
}

std::string BookingctlTest::add_days(const std::string& date, int days) {
    pqxx::nontransaction tx(*db_);
    return tx.exec_params1("SELECT to_char($1::date + $2::int, 'YYYY-MM-DD')", date, days)[0]
        .as<std::string>();
}

std::string BookingctlTest::utc_of_local(const std::string& local_minute) {
    pqxx::nontransaction tx(*db_);
    return tx
        .exec_params1(
            "SELECT to_char(($1::timestamp AT TIME ZONE 'Europe/London') AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
            local_minute)[0]
        .as<std::string>();
}

long long BookingctlTest::seed_user(const std::string& email, const std::string& name,
                                    const std::string& role) {
    pqxx::work tx(*db_);
    auto id =
        tx.exec_params1("INSERT INTO users (email, name, role) VALUES ($1, $2, $3) RETURNING id",
                        email, name, role)[0]
            .as<long long>();
    tx.commit();
    return id;
}

void BookingctlTest::seed_service(const std::string& code, const std::string& name,
                                  int duration_minutes, int buffer_minutes) {
    pqxx::work tx(*db_);
    tx.exec_params0(
        "INSERT INTO services (code, name, duration_minutes, buffer_minutes) VALUES ($1, $2, $3, "
        "$4)",
        code, name, duration_minutes, buffer_minutes);
    tx.commit();
}

void BookingctlTest::seed_resource(const std::string& code, const std::string& name) {
    pqxx::work tx(*db_);
    tx.exec_params0("INSERT INTO resources (code, name) VALUES ($1, $2)", code, name);
    tx.commit();
}

long long BookingctlTest::seed_slot(const std::string& resource, const std::string& local_start,
                                    const std::string& local_end) {
    pqxx::work tx(*db_);
    auto id =
        tx.exec_params1(
              "INSERT INTO slots (resource_id, starts_at, ends_at) "
              "SELECT id, $2::timestamp AT TIME ZONE 'Europe/London', $3::timestamp AT TIME ZONE "
              "'Europe/London' FROM resources WHERE code = $1 RETURNING id",
              resource, local_start, local_end)[0]
            .as<long long>();
    tx.commit();
    return id;
}

long long BookingctlTest::seed_booking(long long user_id, const std::string& service,
                                       const std::string& resource, const std::string& local_start,
                                       const std::string& status, const std::string& notes) {
    pqxx::work tx(*db_);
    auto id = tx.exec_params1(
                    "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
                    "blocked_until, "
                    "status, notes, cancelled_at) "
                    "SELECT $1, s.id, r.id, t.at, t.at + s.duration_minutes * interval '1 minute', "
                    "t.at + (s.duration_minutes + s.buffer_minutes) * interval '1 minute', $5, $6, "
                    "CASE WHEN $5 = 'cancelled' THEN now() END "
                    "FROM services s, resources r, (SELECT $4::timestamp AT TIME ZONE "
                    "'Europe/London' AS at) t "
                    "WHERE s.code = $2 AND r.code = $3 RETURNING id",
                    user_id, service, resource, local_start, status, notes)[0]
                  .as<long long>();
    tx.commit();
    return id;
}

long long BookingctlTest::seed_booking_in(long long user_id, double hours, double made_hours_ago,
                                          const std::string& status) {
    const std::string resource = "r" + std::to_string(++own_resources_);
    seed_resource(resource, "Room " + std::to_string(own_resources_));
    pqxx::work tx(*db_);
    const auto id =
        tx.exec_params1(
              "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
              "blocked_until, status, cancelled_at, created_at) "
              "SELECT $1, s.id, r.id, t.at, t.at + interval '1 hour', t.at + interval '1 hour', "
              "$4, CASE WHEN $4 = 'cancelled' THEN now() END, "
              "now() - make_interval(secs => $5) "
              "FROM services s, resources r, "
              "(SELECT date_trunc('minute', now() + make_interval(secs => $3)) AS at) t "
              "WHERE s.code = 'consultation' AND r.code = $2 RETURNING id",
              user_id, resource, hours * 3600, status, made_hours_ago * 3600)[0]
            .as<long long>();
    tx.commit();
    return id;
}

}  // namespace booking::test
