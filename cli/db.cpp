// bookingctl db migrate | status
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/db/migrations.hpp"
#include "core/errors.hpp"

namespace bookingctl {

void add_db_commands(Registry& r, CLI::App& app) {
    auto* db = r.noun(app, "db", "Database schema: apply and inspect migrations",
                      "bookingctl db status --check");
    Context& ctx = r.ctx;

    r.verb(db, "migrate",
           "Apply pending migrations (each in its own transaction, under an advisory lock)",
           "bookingctl db migrate", [&ctx] {
               ctx.unbounded_statements();  // a migration may rewrite a large table
               auto applied = booking::db::migrate(ctx.connection());
               for (const auto& m : applied) std::cout << "applied " << m.name << '\n';
               ctx.say(applied.empty()
                           ? "nothing to apply: the schema is at version " +
                                 std::to_string(booking::db::latest_schema_version())
                           : "applied " + std::to_string(applied.size()) + " migration(s)");
           });

    auto check = std::make_shared<bool>(false);
    auto* status =
        r.verb(db, "status", "List applied and pending migrations", "bookingctl db status --check",
               [&ctx, check] {
                   auto s = booking::db::migration_status(ctx.connection());
                   std::vector<std::vector<std::string>> rows;
                   for (const auto& [m, at] : s.applied)
                       rows.push_back({std::to_string(m.version), m.name, "applied", at});
                   for (const auto& m : s.pending)
                       rows.push_back({std::to_string(m.version), m.name, "pending", ""});
                   std::vector<std::string> headers{"version", "name", "state", "applied_at"};
                   if (ctx.format() == Format::Json) {
                       nlohmann::json out = nlohmann::json::array();
                       for (const auto& row : rows)
                           out.push_back({{"version", std::stoi(row[0])},
                                          {"name", row[1]},
                                          {"state", row[2]},
                                          {"applied_at", row[3].empty() ? nlohmann::json()
                                                                        : nlohmann::json(row[3])}});
                       std::cout << out.dump(2) << '\n';
                   } else if (ctx.format() == Format::Csv) {
                       print_csv(headers, rows);
                   } else {
                       print_table(headers, {7, 40, 8, 20}, rows);
                   }
                   if (*check && !s.pending.empty())
                       throw booking::Error(booking::ErrorKind::Unavailable,
                                            std::to_string(s.pending.size()) +
                                                " migration(s) pending: run bookingctl db migrate");
               });
    status->add_flag("--check", *check, "Exit 1 if any migration is pending");
}

}  // namespace bookingctl
