// Plans that cannot regress (issue 16): on a database of about 200,000
// bookings (bench/seed-large.sql, the data bench/seed-large writes at full
// size), EXPLAIN every named statement core defines (core/db/statements.hpp
// registers each one) with realistic parameters, and fail on a sequential scan
// of bookings, slots or users: a query whose cost grows with the history.
//
// A new statement must get a row in kCases (its name and its parameters, as
// SQL expressions evaluated on the seeded data), or this test fails and says
// so. Each statement is planned as PostgreSQL would for bookingd's prepared
// statements: the custom plan for these parameters, and the generic plan when
// the plan cache could choose it (its cost at most 1.1 times the custom one:
// plancache.c's choose_custom_plan, roughly).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/db/statements.hpp"
#include "tests/support/database.hpp"

namespace booking::test {
namespace {

constexpr int kBookings = 200000;
constexpr int kUsers = 200000;  // as many as SPEC §5 promises users find stays fast at

// Parameters, as SQL expressions on the seeded data.
const std::string kCustomer = "(SELECT id FROM users WHERE email = 'customer1@seed.example')";
const std::string kCustomerEmail = "'customer1@seed.example'";
const std::string kBooking =
    "(SELECT id FROM bookings WHERE status = 'confirmed' AND starts_at > now() + interval '2 "
    "days' ORDER BY starts_at LIMIT 1)";
const std::string kSlot =
    "(SELECT id FROM slots WHERE starts_at > now() + interval '2 days' ORDER BY starts_at LIMIT "
    "1)";
const std::string kResource = "(SELECT id FROM resources WHERE code = 'r03')";
const std::string kEmail = "(SELECT max(id) FROM emails)";
const std::string kStart =
    "extract(epoch FROM date_trunc('day', now()) + interval '3 days 10 hours')::bigint";
const std::string kEnd =
    "extract(epoch FROM date_trunc('day', now()) + interval '3 days 10 hours 30 minutes')::bigint";
const std::string kDayFrom =
    "extract(epoch FROM date_trunc('day', now()) + interval '3 days')::bigint";
const std::string kDayTo =
    "extract(epoch FROM date_trunc('day', now()) + interval '4 days')::bigint";
const std::string kNow = "extract(epoch FROM now())::bigint";
const std::string kHorizon = "extract(epoch FROM now() + interval '90 days')::bigint";
const std::string kSelector = "'AAAAAAAAAAAAAAAA'";
const std::string kDaySlots =
    "(SELECT array_agg(id) FROM slots WHERE starts_at >= date_trunc('day', now()) + interval '3 "
    "days' AND starts_at < date_trunc('day', now()) + interval '4 days')";
const std::string kLongAgo = "extract(epoch FROM now() - interval '15 minutes')::bigint";
// The 300th of the customer's bookings: a cursor half-way through paging.
const std::string kCursorStart =
    "(SELECT extract(epoch FROM starts_at)::bigint FROM bookings WHERE user_id = " + kCustomer +
    " ORDER BY starts_at, id OFFSET 300 LIMIT 1)";
const std::string kCursorId = "(SELECT id FROM bookings WHERE user_id = " + kCustomer +
                              " ORDER BY starts_at, id OFFSET 300 LIMIT 1)";

struct Case {
    std::string statement;            // its name in core
    std::vector<std::string> params;  // SQL expressions, $1, $2, ...
    // Why a sequential scan is right here (the statement reads a whole table
    // by design); empty: none is allowed.
    std::string scans_everything = "";
    // Why only the custom plan matters: the statement runs once a connection
    // (a bookingctl command), and PostgreSQL considers a generic plan only
    // from the sixth execution of a prepared statement on.
    std::string never_generic = "";
};

const std::string kOncePerCommand = "bookingctl users find: one execution a process";

// One row per way the API or bookingctl runs a statement; add yours here.
const std::vector<Case> kCases = {
    // GET /v1/availability on a miss; POST /v1/bookings; GET /v1/bookings.
    {"availability_load_day", {"'consultation'", "NULL", kDayFrom, kDayTo}},
    {"availability_load_day", {"'consultation'", "'r03'", kDayFrom, kDayTo}},
    {"bookings_plan", {kCustomer, "'consultation'", "NULL", kStart, "NULL", "0"}},
    {"bookings_plan", {kCustomer, "'consultation'", "'r03'", kStart, "NULL", "0"}},
    // A move (PATCH /v1/bookings/ID): its resource first, its own booking not in the way.
    {"bookings_plan_locked", {kCustomer, "'consultation'", "'r03'", kStart, "'r03'", kBooking}},
    {"bookings_insert",
     {kCustomer, "(SELECT id FROM services WHERE code = 'consultation')", kResource, kStart, kEnd,
      kEnd, "''", kSlot}},
    {"bookings_get", {kBooking}},
    {"bookings_get_for_update", {kBooking}},
    {"bookings_cancel", {kBooking}},
    {"bookings_move", {kBooking, kResource, kStart, kEnd, kEnd}},
    {"bookings_list_user", {kCustomer, "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "21"}},
    {"bookings_list_user",
     {kCustomer, "NULL", "NULL", "NULL", "NULL", kCursorStart, kCursorId, "21"}},
    // Staff: one day, one day of one resource, one customer's.
    {"bookings_list_all", {"NULL", kDayFrom, kDayTo, "NULL", "NULL", "NULL", "NULL", "101"}},
    {"bookings_list_all",
     {"NULL", kDayFrom, kDayTo, "'confirmed'", "'r03'", "NULL", "NULL", "101"}},
    {"bookings_list_all", {kCustomer, "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "101"}},
    {"idem_claim", {kCustomer, "'key-1'", "'hash'", "86400"}},
    {"idem_find", {kCustomer, "'key-1'"}},
    {"idem_store", {kCustomer, "'key-1'", "201", "'{}'"}},
    // Accounts.
    {"users_insert", {"'new@seed.example'", "'New'", "'customer'", "NULL"}},
    {"users_by_id", {kCustomer}},
    {"users_by_email", {kCustomerEmail}},
    {"users_list", {"NULL", "101"}},
    {"users_set_role", {kCustomer, "'staff'"}},
    {"users_set_disabled", {kCustomer, "true"}},
    {"users_set_password", {kCustomer, "'hash'"}},
    {"auth_recent_failures", {kCustomerEmail, kLongAgo, "5"}},
    {"auth_record_failure", {kCustomerEmail, kLongAgo}},
    {"auth_forget_old_failures", {kCustomerEmail, kLongAgo, "5"}},
    {"auth_clear_failures", {kCustomerEmail}},
    // Catalogue.
    {"services_insert", {"'new'", "'New'", "30", "0", "''"}},
    {"services_update", {"'consultation'", "NULL", "45", "NULL", "NULL"}},
    {"services_set_active", {"'consultation'", "false"}},
    {"services_find", {"'consultation'"}},
    {"services_list", {"false"}},
    {"resources_insert", {"'new'", "'New'"}},
    {"resources_set_active", {"'r03'", "false"}},
    {"resources_find", {"'r03'"}},
    {"resources_list", {"false"}},
    {"slots_insert", {kResource, kStart, kEnd}},
    {"slots_overlapping", {kResource, kStart, kEnd}},
    {"slots_lock_resource", {kResource}},
    {"slots_list", {"'r03'", kDayFrom, kDayTo}},
    {"slots_list", {"NULL", kDayFrom, kDayTo}},
    {"slots_list", {"NULL", "NULL", "NULL"}, "lists every slot (bookingctl slots list, no range)"},
    {"slots_find", {kSlot}},
    {"slots_bookings_inside", {kSlot}},
    {"slots_delete", {kSlot}},
    // Mail and reminders (jobs of bookingd, bookingctl emails).
    {"reminders_due", {"86400"}},
    {"reminders_queue", {"86400"}},
    {"emails_queue_booking", {kBooking, "'confirmation'"}},
    {"emails_claim_due", {"20"}},
    {"emails_sent", {kEmail}},
    {"emails_failed_attempt", {kEmail, "'refused'", "'pending'", "60"}},
    {"emails_skipped", {kEmail, "'cancelled'"}},
    {"emails_list", {"'failed'", "NULL", "100"}},
    {"emails_list", {"NULL", kBooking, "100"}},
    {"emails_get", {kEmail}},
    {"emails_retry", {kEmail}},
    {"emails_retry_all", {}},
    {"emails_queue_account", {"1", "'password_reset'"}},
    // Self-service links (SPEC §8) and the login lockout.
    {"auth_lock_email", {kCustomerEmail}},
    {"auth_tokens_account_by_email", {kCustomerEmail, "'password_reset'", kNow}},
    {"auth_tokens_account_by_id", {kCustomer}},
    {"auth_tokens_insert", {kCustomer, "'password_reset'", kSelector, kNow, "3600.0"}},
    {"auth_tokens_retire", {kCustomer}},
    {"auth_tokens_selector", {"1"}},
    {"auth_tokens_use", {kSelector, "'password_reset'", kNow}},
    {"users_reset_password", {kCustomer, "'hash'", kNow}},
    {"manage_links_create", {kBooking, kSelector}},
    {"manage_links_selector", {kBooking}},
    {"manage_links_lookup", {kSelector, kNow}},
    {"manage_links_lookup_for_change", {kSelector, kNow}},
    // The receptionist's day (bookingctl agenda, bookings list, users find).
    {"agenda_slots", {kDayFrom, kDayTo, "NULL"}},
    {"agenda_slots", {kDayFrom, kDayTo, "'r03'"}},
    {"bookings_held", {kDayFrom, kDayTo, "NULL"}},
    {"bookings_held", {kDayFrom, kDayTo, "'r03'"}},
    {"bookings_count", {"NULL", kDayFrom, "NULL", "NULL", "NULL"}},
    {"bookings_count", {kCustomer, "NULL", "NULL", "NULL", "NULL"}},
    {"bookings_count",
     {"NULL", "NULL", "NULL", "NULL", "NULL"},
     "counts every booking (bookings list --all: how many more rows)"},
    {"users_count", {"NULL"}, "counts every user (users list: how many more rows)"},
    {"users_search", {"'%ann%'", "'ann'", "20"}, "", kOncePerCommand},
    {"users_search_email",
     {"'%customer1@seed.example%'", "'customer1@seed.example'", "20", "'1remotsuc%'"},
     "",
     kOncePerCommand},
    {"users_closest",
     {"'customr1'", "5"},
     "ranks by similarity to every name and email (users show of an unknown user: did you mean?); "
     "the planner may read the trigram indexes or the table, and an error path may"},
    // least_busy assignment.
    {"bookings_lock_day", {kStart, "'Europe/London'"}},
    {"bookings_day_counts", {"(SELECT array_agg(id) FROM resources)", kStart, "'Europe/London'"}},
    // Weekly hours, the sync, and time off (SPEC §10).
    {"hours_insert", {kResource, "1", "current_date", "'09:00'", "'17:00'"}},
    {"hours_delete_days", {kResource, "'{1,2}'", "current_date"}},
    {"hours_delete_from", {kResource, "current_date"}},
    {"hours_close_from", {kResource, "current_date"}},
    {"hours_show", {"NULL", "current_date"}},
    {"hours_show", {"'r03'", "current_date"}},
    {"hours_sync_lock", {}},
    {"hours_sync_try_lock", {}},
    {"hours_sync_lock_resource", {kResource}},
    {"hours_sync_load_hours", {"current_date"}},
    {"hours_sync_load_time_off", {kNow, kHorizon}},
    {"hours_sync_load_slots", {kNow, kHorizon}},
    {"hours_sync_lock_slots", {kDaySlots}},
    {"hours_sync_delete_slots", {kDaySlots}},
    {"hours_sync_insert_slots", {kResource, "ARRAY[" + kStart + "]", "ARRAY[" + kEnd + "]"}},
    {"time_off_lock_closing", {}},
    {"time_off_insert", {kResource, kDayFrom, kDayTo, "'dentist'", "NULL"}},
    {"time_off_bookings_inside", {kResource, kDayFrom, kDayTo}},
    {"time_off_bookings_inside", {"NULL", kDayFrom, kDayTo}},
    {"time_off_list", {"NULL", "NULL", "NULL"}},
    {"time_off_delete", {"1"}},
    // Webhooks and calendar feeds (SPEC §9). Their tables stay small (a
    // business has a few endpoints; deliveries are of bookings' changes), but
    // none of these may read bookings, slots or users whole.
    {"webhooks_enqueue", {"'booking.created'", kBooking, "'{}'"}},
    {"webhooks_claim_due", {"20"}},
    {"webhook_deliveries_sent", {"1"}},
    {"webhook_deliveries_failed_attempt", {"1", "'refused'", "'pending'", "60"}},
    {"webhooks_last_status", {"1", "200"}},
    {"webhooks_gone", {"1", "'410 Gone'"}},
    {"webhooks_add", {"'https://hooks.example/x'", "'whsec_AAAA'", "'booking.created'"}},
    {"webhooks_list", {}},
    {"webhooks_get", {"1"}},
    {"webhooks_remove", {"1"}},
    {"webhooks_fail_pending", {"1", "'removed'"}},
    {"webhooks_set_enabled", {"1", "false", "'by hand'"}},
    {"webhooks_ping", {"1", "'{}'"}},
    {"webhooks_deliveries", {"NULL", "NULL", "100"}},
    {"webhooks_deliveries", {"1", "'failed'", "100"}},
    {"webhooks_get_delivery", {"1"}},
    {"webhooks_retry", {"1"}},
    {"webhooks_retry", {"NULL"}},
    {"feeds_resource", {"'r03'"}},
    {"feeds_add", {"'Front desk'", kResource, "sha256('feed')"}},
    {"feeds_list", {}},
    {"feeds_get", {"1"}},
    {"feeds_revoke", {"1"}},
    {"feeds_find", {"sha256('feed')"}},
    // Housekeeping (bookingd's scheduler).
    {"prune_login_failures", {kLongAgo, "1000"}},
    {"prune_idempotency_keys", {kLongAgo, "1000"}},
};

const std::set<std::string> kWatchedTables = {"bookings", "slots", "users"};

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every sequential scan of a watched table in a plan (EXPLAIN FORMAT JSON).
void find_scans(const nlohmann::json& node, std::vector<std::string>& out) {
    const std::string type = node.value("Node Type", "");
    if ((type == "Seq Scan" || type == "Parallel Seq Scan") &&
        kWatchedTables.count(node.value("Relation Name", ""))) {
        out.push_back(node.value("Relation Name", ""));
    }
    if (node.contains("Plans")) {
        for (const auto& child : node["Plans"]) find_scans(child, out);
    }
}

struct Explained {
    double cost = 0;
    std::vector<std::string> scans;
    std::string text;
};

Explained explain(pqxx::connection& conn, const std::string& mode, const std::string& execute) {
    pqxx::work tx(conn);
    tx.exec0("SET LOCAL plan_cache_mode = " + mode);
    const auto plan =
        nlohmann::json::parse(tx.exec1("EXPLAIN (FORMAT JSON) " + execute)[0].c_str());
    tx.abort();
    Explained out;
    out.cost = plan.at(0).at("Plan").at("Total Cost").get<double>();
    find_scans(plan.at(0).at("Plan"), out.scans);
    out.text = plan.dump(1);
    return out;
}

class Plans : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = create_database("plans", true);
        conn_ = std::make_unique<pqxx::connection>(cluster().url(database_));
        const auto started = std::chrono::steady_clock::now();
        pqxx::nontransaction tx(*conn_);
        tx.exec0("SET seed.bookings = " + std::to_string(kBookings));
        tx.exec0("SET seed.users = " + std::to_string(kUsers));
        tx.exec0("SET client_min_messages = warning");
        tx.exec(read_file(BOOKING_SOURCE_DIR "/bench/seed-large.sql"));
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
        std::cout << "seeded " << kBookings << " bookings in " << seconds << " s\n";
    }
    void TearDown() override {
        conn_.reset();
        drop_database(database_);
    }

    std::string database_;
    std::unique_ptr<pqxx::connection> conn_;
};

TEST_F(Plans, NoStatementScansBookingsSlotsOrUsers) {
    {
        pqxx::nontransaction tx(*conn_);
        ASSERT_EQ(tx.exec1("SELECT count(*) FROM bookings")[0].as<int>(), kBookings);
    }

    std::map<std::string, const char*> statements;
    for (const auto& s : db::registered_statements()) statements[s.name] = s.sql;
    std::set<std::string> covered;
    for (const auto& c : kCases) covered.insert(c.statement);
    for (const auto& [name, sql] : statements) {
        EXPECT_TRUE(covered.count(name))
            << "statement " << name
            << " has no row in kCases (tests/integration/test_plans.cpp): add one with "
               "realistic parameters";
    }

    for (const auto& c : kCases) {
        auto found = statements.find(c.statement);
        if (found == statements.end()) {
            ADD_FAILURE() << "kCases names " << c.statement
                          << ", which core does not define (renamed or removed?)";
            continue;
        }
        const std::string name = conn_->quote_name(c.statement);
        std::string execute = "EXECUTE " + name;
        Explained custom, generic;
        try {
            pqxx::nontransaction(*conn_).exec0("PREPARE " + name + " AS " + found->second);
            if (!c.params.empty()) {
                std::string select = "SELECT ";
                for (std::size_t i = 0; i < c.params.size(); ++i) {
                    select += (i ? ", (" : "(") + c.params[i] + ")::text";
                }
                pqxx::nontransaction tx(*conn_);
                const auto values = tx.exec1(select);
                execute += "(";
                for (pqxx::row::size_type i = 0; i < values.size(); ++i) {
                    execute +=
                        (i ? ", " : "") +
                        (values[i].is_null() ? std::string("NULL") : tx.quote(values[i].c_str()));
                }
                execute += ")";
            }
            custom = explain(*conn_, "force_custom_plan", execute);
            generic = explain(*conn_, "force_generic_plan", execute);
            pqxx::nontransaction(*conn_).exec0("DEALLOCATE " + name);
        } catch (const std::exception& e) {
            // One broken row must not hide the others' results.
            ADD_FAILURE() << c.statement << " (" << execute << "): " << e.what();
            pqxx::nontransaction(*conn_).exec0("DEALLOCATE ALL");
            continue;
        }
        if (!c.scans_everything.empty()) continue;
        EXPECT_TRUE(custom.scans.empty())
            << c.statement << " (" << execute << "): sequential scan of " << custom.scans.front()
            << " in its plan:\n"
            << custom.text;
        if (c.never_generic.empty() && generic.cost <= custom.cost * 1.1) {
            EXPECT_TRUE(generic.scans.empty())
                << c.statement << " (" << execute << "): sequential scan of "
                << generic.scans.front() << " in its generic plan (cost " << generic.cost
                << " against " << custom.cost << " for these parameters):\n"
                << generic.text;
        }
    }
}

}  // namespace
}  // namespace booking::test
