#include "tests/support/database.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.hpp"

namespace booking::test {
namespace {

constexpr const char* kTemplate = "booking_template";
// pg_advisory_lock key serialising template builds and copies across the
// parallel test processes ("bktm" in ASCII).
constexpr long long kTemplateLockKey = 0x626b746d;

std::string read_state_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error(
            "no test PostgreSQL cluster: " + path +
            " does not exist. Run the tests with ctest (the `postgres` fixture starts one), "
            "or start one by hand: tests/support/pg_cluster.sh start " BOOKING_TEST_STATE);
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string value_of(const std::string& env_text, const std::string& key) {
    std::istringstream lines(env_text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
    }
    throw std::runtime_error("the cluster state file " BOOKING_TEST_STATE "/env has no " + key);
}

// Identifies this build of bookingctl: a rebuilt binary may carry new migrations.
std::string bookingctl_stamp() {
    struct stat st {};
    if (::stat(bookingctl_path().c_str(), &st) != 0) {
        throw std::runtime_error("bookingctl not found at " + bookingctl_path() + ": " +
                                 std::strerror(errno));
    }
    return bookingctl_path() + " " + std::to_string(st.st_size) + " " +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

std::string toml_string(const std::string& value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::unique_ptr<pqxx::connection> connect_admin() {
    return std::make_unique<pqxx::connection>(cluster().url("postgres"));
}

void migrate_template(pqxx::connection& admin) {
    pqxx::nontransaction tx(admin);
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(kTemplate) + " WITH (FORCE)");
    tx.exec0("CREATE DATABASE " + tx.quote_name(kTemplate));

    std::string dir = make_temp_dir("booking-template");
    std::string config = write_config(dir, cluster().url(kTemplate));
    ProcessOptions options;
    options.env = {{"BOOKING_CONFIG", std::nullopt}, {"BOOKING_DATABASE_URL", std::nullopt}};
    ProcessResult result =
        run_process({bookingctl_path(), "--config", config, "db", "migrate"}, options);
    remove_tree(dir);
    if (result.exit_code != 0) {
        throw std::runtime_error("building the template database: `" + result.command +
                                 "` exited " + std::to_string(result.exit_code) +
                                 "; stderr: " + result.err);
    }
    {
        pqxx::connection conn(cluster().url(kTemplate));
        pqxx::nontransaction check(conn);
        auto tables =
            check
                .exec1(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                    "AND table_name IN ('users', 'services', 'resources', 'slots', 'bookings', "
                    "'emails')")[0]
                .as<int>();
        if (tables != 6) {
            throw std::runtime_error(
                "building the template database: `" + result.command +
                "` exited 0 but did not create the schema (users, services, resources, "
                "slots, bookings, emails)");
        }
    }
    tx.exec0("COMMENT ON DATABASE " + tx.quote_name(kTemplate) + " IS " +
             tx.quote(bookingctl_stamp()));
}

bool template_is_current(pqxx::connection& admin) {
    pqxx::nontransaction tx(admin);
    auto rows = tx.exec_params(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
        kTemplate);
    return !rows.empty() && !rows[0][0].is_null() &&
           rows[0][0].as<std::string>() == bookingctl_stamp();
}

std::string database_name(const std::string& hint) {
    static std::atomic<int> counter{0};
    std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_";
    for (char c : hint) {
        if (name.size() >= 60) break;
        name +=
            std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    }
    return name;
}

}  // namespace

std::string Cluster::url(const std::string& database) const {
    return "postgresql://" + user + "@/" + database + "?host=" + host + "&port=" + port;
}

const Cluster& cluster() {
    static const Cluster instance = [] {
        std::string env = read_state_file(BOOKING_TEST_STATE "/env");
        return Cluster{value_of(env, "PGHOST"), value_of(env, "PGPORT"), value_of(env, "PGUSER")};
    }();
    return instance;
}

std::string bookingctl_path() { return BOOKINGCTL_PATH; }

std::string create_database(const std::string& hint, bool migrated) {
    std::string name = database_name(hint);
    auto admin = connect_admin();
    if (!migrated) {
        pqxx::nontransaction tx(*admin);
        tx.exec0("CREATE DATABASE " + tx.quote_name(name));
        return name;
    }
    // Session-level lock, released when `admin` closes (also if we throw).
    admin->prepare("lock", "SELECT pg_advisory_lock($1)");
    {
        pqxx::nontransaction tx(*admin);
        tx.exec_prepared("lock", kTemplateLockKey);
    }
    if (!template_is_current(*admin)) migrate_template(*admin);
    pqxx::nontransaction tx(*admin);
    tx.exec0("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE " + tx.quote_name(kTemplate));
    return name;
}

void drop_database(const std::string& name) {
    auto admin = connect_admin();
    pqxx::nontransaction tx(*admin);
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
}

std::string write_config(const std::string& directory, const std::string& database_url) {
    std::string path = directory + "/bookingd.toml";
    std::ofstream out(path);
    out << "# written by the integration tests\n"
        << "[database]\n"
        << "url = " << toml_string(database_url) << "\n"
        << "\n"
        << "[business]\n"
        << "time_zone = \"Europe/London\"\n";
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
    return path;
}

std::string make_temp_dir(const std::string& prefix) {
    std::string pattern = "/tmp/" + prefix + ".XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    return pattern;
}

void remove_tree(const std::string& path) {
    std::error_code ignored;
    if (path.rfind("/tmp/", 0) == 0) std::filesystem::remove_all(path, ignored);
}

}  // namespace booking::test
