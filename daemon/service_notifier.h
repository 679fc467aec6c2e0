// service_notifier.h — tells systemd how the service is doing (sd_notify): READY=1 once the
// spool is open and the watcher runs, STATUS= lines (sets in flight, last outcome), STOPPING=1,
// RELOADING=1 around a configuration reload, and WATCHDOG=1 pings when the unit sets
// WatchdogSec= (WATCHDOG_USEC in the environment).
//
// Outside systemd (no NOTIFY_SOCKET) every call is a cheap no-op, so the daemon runs the same
// anywhere. Diagnostics: none (sd_notify failures are not actionable). No secret is ever sent.
//
// Thread safety: the functions are safe to call from any thread (sd_notify is reentrant).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace ccm::daemon {

class ServiceNotifier {
 public:
  /// True when NOTIFY_SOCKET is set (started by systemd with Type=notify).
  bool Enabled() const;
  void Ready() const;
  void Reloading() const;
  void Stopping() const;
  void Status(const std::string& text) const;
  void WatchdogPing() const;
  /// The interval at which to ping (half of WatchdogSec), when the watchdog is enabled for us.
  std::optional<std::chrono::microseconds> WatchdogInterval() const;
};

}  // namespace ccm::daemon
