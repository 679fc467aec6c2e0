// service_notifier_test.cpp — sd_notify messages reach a NOTIFY_SOCKET (a datagram socket of
// our own standing in for systemd), the watchdog interval follows WATCHDOG_USEC, and without
// NOTIFY_SOCKET every call is a harmless no-op.
#include "daemon/service_notifier.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>

#include "spool_fixture.h"

namespace ccm::daemon {
namespace {

using namespace ccm::daemon::testing;

class NotifySocket {
 public:
  explicit NotifySocket(const fs::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  std::string Receive() {
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_ = -1;
};

TEST(ServiceNotifier, SendsReadyStatusStoppingAndWatchdog) {
  TempDir tmp;
  NotifySocket socket(tmp.path() / "notify");
  ServiceNotifier n;
  EXPECT_TRUE(n.Enabled());
  n.Ready();
  EXPECT_EQ(socket.Receive(), "READY=1");
  n.Status("1 set(s) in flight;\nlast: HQPO.001 done");
  EXPECT_EQ(socket.Receive(), "STATUS=1 set(s) in flight; last: HQPO.001 done");
  n.WatchdogPing();
  EXPECT_EQ(socket.Receive(), "WATCHDOG=1");
  n.Reloading();
  EXPECT_EQ(socket.Receive(), "RELOADING=1");
  n.Stopping();
  EXPECT_EQ(socket.Receive(), "STOPPING=1");
}

TEST(ServiceNotifier, WatchdogIntervalIsHalfOfWatchdogUsecForThisProcess) {
  ::setenv("WATCHDOG_USEC", "10000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ServiceNotifier n;
  auto interval = n.WatchdogInterval();
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  ASSERT_TRUE(interval.has_value());
  EXPECT_EQ(*interval, std::chrono::seconds(5));
  EXPECT_FALSE(n.WatchdogInterval().has_value());
}

TEST(ServiceNotifier, IsANoOpOutsideSystemd) {
  ::unsetenv("NOTIFY_SOCKET");
  ServiceNotifier n;
  EXPECT_FALSE(n.Enabled());
  n.Ready();
  n.Status("x");
  n.WatchdogPing();
  EXPECT_FALSE(n.WatchdogInterval().has_value());
}

}  // namespace
}  // namespace ccm::daemon
