// service_notifier.cpp — sd_notify calls. See service_notifier.h.
#include "daemon/service_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace ccm::daemon {

bool ServiceNotifier::Enabled() const {
  return std::getenv("NOTIFY_SOCKET") != nullptr;
}

void ServiceNotifier::Ready() const {
  sd_notify(0, "READY=1");
}

void ServiceNotifier::Reloading() const {
  sd_notify(0, "RELOADING=1");
}

void ServiceNotifier::Stopping() const {
  sd_notify(0, "STOPPING=1");
}

void ServiceNotifier::Status(const std::string& text) const {
  std::string line = "STATUS=";
  for (char c : text)
    line += (c == '\n' ? ' ' : c);  // one line, one assignment
  sd_notify(0, line.c_str());
}

void ServiceNotifier::WatchdogPing() const {
  sd_notify(0, "WATCHDOG=1");
}

std::optional<std::chrono::microseconds> ServiceNotifier::WatchdogInterval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    return std::chrono::microseconds(static_cast<std::int64_t>(usec / 2));
  }
  return std::nullopt;
}

}  // namespace ccm::daemon
