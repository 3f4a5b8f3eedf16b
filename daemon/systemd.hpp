#pragma once
// sd_notify for Type=notify units: READY=1, STOPPING=1, WATCHDOG=1. Without
// systemd ($NOTIFY_SOCKET unset) every call does nothing.
#include <chrono>
#include <optional>

namespace booking::daemon::systemd {

void notify_ready();
void notify_stopping();
void notify_watchdog();
void notify_status(const char* status);
// Half of WatchdogSec when the unit sets it: how often to send WATCHDOG=1.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace booking::daemon::systemd
