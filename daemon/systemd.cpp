#include "daemon/systemd.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace booking::daemon::systemd {

void notify_ready() { sd_notify(0, "READY=1\nSTATUS=serving"); }
void notify_stopping() { sd_notify(0, "STOPPING=1\nSTATUS=draining requests"); }
void notify_watchdog() { sd_notify(0, "WATCHDOG=1"); }
void notify_status(const char* status) { sd_notify(0, (std::string("STATUS=") + status).c_str()); }

std::optional<std::chrono::microseconds> watchdog_interval() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::microseconds(usec / 2);
}

}  // namespace booking::daemon::systemd
