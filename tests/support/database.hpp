#pragma once
// The test cluster started by pg_cluster.sh (the CTest fixture `postgres`) and
// throwaway databases in it: one per test, copied from a template database that
// the real `bookingctl db migrate` migrated once per build of bookingctl.
#include <string>

namespace booking::test {

struct Cluster {
    std::string host;  // the unix socket directory
    std::string port;
    std::string user;
    // A libpq URI for a database of this cluster.
    std::string url(const std::string& database) const;
};

// Reads BOOKING_TEST_STATE/env; throws with a clear message when no cluster runs.
const Cluster& cluster();

// The bookingctl binary under test.
std::string bookingctl_path();

// Creates a database with a fresh name (readable prefix `hint`): a copy of the
// migrated template when `migrated`, else an empty database. Returns its name.
std::string create_database(const std::string& hint, bool migrated);
void drop_database(const std::string& name);

// Writes a bookingctl config file for a database URL (business.time_zone =
// Europe/London, the rest default) into `directory`; returns its path.
std::string write_config(const std::string& directory, const std::string& database_url);

// A fresh private directory under /tmp; removed by remove_tree.
std::string make_temp_dir(const std::string& prefix);
void remove_tree(const std::string& path);

}  // namespace booking::test
