// set_watcher.h — wakes the drop service when incoming/ may have changed. inotify (through an
// asio stream descriptor) is only a hint: every wake-up leads to a scan of the folders, never to
// acting on an event's content. A full rescan also happens periodically (`rescan_seconds`) and
// on inotify queue overflow; one steady_timer wakes the service at the earliest moment a
// waiting set's quiet period can have passed (or a deferred set falls due).
//
// If inotify is unavailable (limits reached, exotic file system) the watcher logs it once and
// relies on the periodic rescan. Events are coalesced for 20 ms so a burst of writes costs one
// scan.
//
// Thread safety: all calls on the io_context's thread.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <functional>

namespace ccm::daemon {

/// Why the watcher woke the service.
enum class WakeReason { kHint, kOverflow, kPeriodic, kTimer };

class SetWatcher {
 public:
  using Callback = std::function<void(WakeReason)>;

  SetWatcher(boost::asio::io_context& io, std::filesystem::path incoming,
             std::chrono::milliseconds rescan_interval, Callback on_wake);
  /// Starts inotify (when possible) and the periodic rescan. Returns false when inotify could
  /// not be set up (the periodic rescan still runs).
  bool Start();
  /// Cancels everything; no callback runs after this.
  void Stop();
  /// Arms the check timer for `at` unless an earlier wake-up is already due.
  void WakeAt(std::chrono::steady_clock::time_point at);
  /// Changes the periodic rescan interval (configuration reload).
  void SetRescanInterval(std::chrono::milliseconds interval);

 private:
  void ReadEvents();
  void ArmRescan();
  void Hint(WakeReason reason);

  boost::asio::io_context& io_;
  std::filesystem::path incoming_;
  std::chrono::milliseconds rescan_interval_;
  Callback on_wake_;
  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer rescan_timer_, check_timer_, coalesce_timer_;
  bool check_armed_ = false, coalescing_ = false, stopped_ = false;
  WakeReason pending_reason_ = WakeReason::kHint;
  alignas(8) std::array<char, 8192> buffer_{};
};

}  // namespace ccm::daemon
