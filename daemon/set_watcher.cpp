// set_watcher.cpp — inotify hints, the periodic rescan and the quiet-period timer. See
// set_watcher.h.
#include "daemon/set_watcher.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ccm::daemon {

SetWatcher::SetWatcher(boost::asio::io_context& io, std::filesystem::path incoming,
                       std::chrono::milliseconds rescan_interval, Callback on_wake)
    : io_(io),
      incoming_(std::move(incoming)),
      rescan_interval_(rescan_interval),
      on_wake_(std::move(on_wake)),
      inotify_(io),
      rescan_timer_(io),
      check_timer_(io),
      coalesce_timer_(io) {}

bool SetWatcher::Start() {
  ArmRescan();
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    spdlog::warn("inotify unavailable ({}); relying on the periodic rescan", std::strerror(errno));
    return false;
  }
  const uint32_t mask =
      IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_DELETE | IN_MOVED_FROM;
  if (::inotify_add_watch(fd, incoming_.c_str(), mask | IN_ONLYDIR | IN_DONT_FOLLOW) < 0) {
    spdlog::warn("cannot watch {} ({}); relying on the periodic rescan", incoming_.string(),
                 std::strerror(errno));
    ::close(fd);
    return false;
  }
  inotify_.assign(fd);
  ReadEvents();
  return true;
}

void SetWatcher::Stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  inotify_.close(ignored);
  rescan_timer_.cancel();
  check_timer_.cancel();
  coalesce_timer_.cancel();
}

void SetWatcher::ReadEvents() {
  inotify_.async_read_some(boost::asio::buffer(buffer_),
                           [this](const boost::system::error_code& ec, std::size_t n) {
                             if (ec || stopped_)
                               return;
                             bool overflow = false;
                             for (std::size_t off = 0; off + sizeof(inotify_event) <= n;) {
                               inotify_event ev{};
                               std::memcpy(&ev, buffer_.data() + off, sizeof ev);
                               if (ev.mask & IN_Q_OVERFLOW)
                                 overflow = true;
                               off += sizeof(inotify_event) + ev.len;
                             }
                             Hint(overflow ? WakeReason::kOverflow : WakeReason::kHint);
                             ReadEvents();
                           });
}

void SetWatcher::Hint(WakeReason reason) {
  if (reason == WakeReason::kOverflow)
    pending_reason_ = reason;
  if (coalescing_)
    return;
  coalescing_ = true;
  coalesce_timer_.expires_after(std::chrono::milliseconds(20));
  coalesce_timer_.async_wait([this](const boost::system::error_code& ec) {
    coalescing_ = false;
    if (ec || stopped_)
      return;
    const auto why = std::exchange(pending_reason_, WakeReason::kHint);
    on_wake_(why);
  });
}

void SetWatcher::ArmRescan() {
  rescan_timer_.expires_after(rescan_interval_);
  rescan_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_)
      return;
    ArmRescan();
    on_wake_(WakeReason::kPeriodic);
  });
}

void SetWatcher::SetRescanInterval(std::chrono::milliseconds interval) {
  rescan_interval_ = interval;
  if (!stopped_)
    ArmRescan();  // re-arming cancels the old wait
}

void SetWatcher::WakeAt(std::chrono::steady_clock::time_point at) {
  if (stopped_)
    return;
  if (check_armed_ && check_timer_.expiry() <= at)
    return;
  check_armed_ = true;
  check_timer_.expires_at(at);
  check_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;  // cancelled: re-armed earlier, or stopped
    check_armed_ = false;
    if (stopped_)
      return;
    on_wake_(WakeReason::kTimer);
  });
}

}  // namespace ccm::daemon
