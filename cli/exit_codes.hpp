#pragma once
#include <exception>

namespace bookingctl {

// SPEC §5 exit codes.
enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2, kNotFound = 3, kConflict = 4, kConfig = 78 };

// Inside a catch block: prints one line "bookingctl: what and why" on stderr
// and returns the exit code for the current exception.
int report_current_exception();

}  // namespace bookingctl
