// drop_service_test.cpp — the service loop with a test SetProcessor of our own (this is our
// interface, not an LDAP mock): sets flow incoming -> active -> done/deferred/failed, slow drops
// wait for their quiet period, the number of sets in flight is bounded, deferred sets come back,
// sets left in active/ are resumed, hostile sets are refused without reaching the processor,
// SIGTERM during work exits cleanly, SIGHUP with a bad configuration keeps the service running,
// and --once returns the import exit codes.
#include "daemon/drop_service.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/steady_timer.hpp>
#include <initializer_list>
#include <thread>

#include "daemon/blocking_set_processor.h"
#include "spool_fixture.h"

namespace ccm::daemon {
namespace {

using namespace ccm::daemon::testing;
using namespace std::chrono_literals;
namespace asio = boost::asio;

/// Decides each set's outcome by its id, after `delay`, asynchronously on the io_context.
class ScriptedProcessor : public SetProcessor {
 public:
  using Script = std::function<SetOutcome(const ClaimedSet&, int call)>;
  ScriptedProcessor(asio::io_context& io, Script script, std::chrono::milliseconds delay = 0ms)
      : io_(io), script_(std::move(script)), delay_(delay) {}

  void Process(const ClaimedSet& set, std::function<void(SetOutcome)> done) override {
    const int call = ++calls_[set.id()];
    seen.push_back(set.id());
    origins.push_back(set.origin());
    in_flight++;
    max_in_flight = std::max(max_in_flight, in_flight);
    claim_times[set.id()] = std::chrono::steady_clock::now();
    EXPECT_TRUE(fs::exists(set.dir())) << set.dir();
    auto outcome = script_(set, call);
    auto timer = std::make_shared<asio::steady_timer>(io_, delay_);
    timer->async_wait([this, timer, outcome, done](const boost::system::error_code&) {
      in_flight--;
      done(outcome);
    });
  }

  std::vector<std::string> seen;
  std::vector<ClaimOrigin> origins;
  std::map<std::string, std::chrono::steady_clock::time_point> claim_times;
  int in_flight = 0, max_in_flight = 0;

 private:
  asio::io_context& io_;
  Script script_;
  std::chrono::milliseconds delay_;
  std::map<std::string, int> calls_;
};

DropSettings FastSettings(const fs::path& dir) {
  DropSettings s;
  s.dir = dir;
  s.quiet_period = 300ms;
  s.rescan_interval = 200ms;
  s.retry.initial = 100ms;
  s.retry.max = 400ms;
  s.retry.jitter = 0;
  s.max_set_bytes = 1 << 20;
  s.incomplete_timeout = 5s;
  s.stop_grace = 5s;
  return s;
}

/// Runs `io` until `done()` holds (then stops the services) or `timeout` passes (a failure).
void RunUntil(asio::io_context& io, std::initializer_list<DropService*> services,
              std::function<bool()> done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto stop = [&] {
    for (DropService* service : services)
      service->Stop();
  };
  asio::steady_timer poll(io);
  std::function<void()> check = [&] {
    if (done()) {
      stop();
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "condition not reached in time";
      stop();
      return;
    }
    poll.expires_after(20ms);
    poll.async_wait([&](const boost::system::error_code& ec) {
      if (!ec)
        check();
    });
  };
  check();
  io.run();
}

void RunUntil(asio::io_context& io, DropService& service, std::function<bool()> done,
              std::chrono::milliseconds timeout = 10s) {
  RunUntil(io, {&service}, std::move(done), timeout);
}

SetOutcome ByName(const ClaimedSet& set, int) {
  if (set.id().rfind("ok", 0) == 0)
    return SetOutcome::Done("{\"report\": \"" + set.id() + "\"}\n");
  if (set.id().rfind("warn", 0) == 0)
    return SetOutcome::Done("", true, "1 user not found");
  if (set.id().rfind("later", 0) == 0)
    return SetOutcome::Deferred("directory unreachable");
  return SetOutcome::Rejected("conflict: two entries match");
}

bool In(const fs::path& spool, const char* place, const std::string& id) {
  return fs::exists(spool / place / id);
}

TEST(DropService, SetsFlowToDoneDeferredAndFailed) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName, 10ms);
  auto settings = FastSettings(tmp.path());
  settings.retry.initial = 1h;  // the deferred set stays deferred during this test
  settings.retry.max = 1h;
  DropService service(io, settings, proc);
  ASSERT_TRUE(service.Start().ok());
  DropSet(tmp.path(), "ok1");
  DropSet(tmp.path(), "later1");
  DropSet(tmp.path(), "bad1");
  RunUntil(io, service, [&] {
    return In(tmp.path(), "done", "ok1") && In(tmp.path(), "deferred", "later1") &&
           In(tmp.path(), "failed", "bad1");
  });
  EXPECT_EQ(ReadFile(tmp.path() / "done" / "ok1" / "report.json"), "{\"report\": \"ok1\"}\n");
  EXPECT_TRUE(fs::exists(tmp.path() / "done" / "ok1" / "HQPO.PKL"));
  EXPECT_TRUE(fs::exists(tmp.path() / "deferred" / "later1" / "retry.json"));
  EXPECT_EQ(ReadFile(tmp.path() / "failed" / "bad1" / "reason.txt"),
            "conflict: two entries match\n");
  // The service's own report when the processor wrote none: one member per line.
  const std::string fallback = ReadFile(tmp.path() / "failed" / "bad1" / "report.json");
  EXPECT_EQ(
      fallback.rfind("{\n  \"set\": \"bad1\",\n  \"outcome\": \"rejected\",\n"
                     "  \"warnings\": false,\n  \"reason\": \"conflict: two entries match\",\n"
                     "  \"finished_at\": \"",
                     0),
      0u)
      << fallback;
  EXPECT_EQ(fallback.substr(fallback.size() - 5), "Z\"\n}\n") << fallback;
  EXPECT_TRUE(fs::is_empty(tmp.path() / "active"));
  EXPECT_TRUE(fs::is_empty(tmp.path() / "incoming"));
  EXPECT_EQ(proc.seen.size(), 3u);
  EXPECT_EQ(service.Verdict(), RunVerdict::kClean);  // the daemon exits 0 on SIGTERM/Stop
  const auto status = ReadFile(tmp.path() / "status.json");
  EXPECT_NE(status.find("\"state\": \"stopped\""), std::string::npos) << status;
  EXPECT_NE(status.find("\"done\": 1, \"deferred\": 1, \"failed\": 1"), std::string::npos)
      << status;
}

TEST(DropService, ASlowlyGrowingSetIsNotClaimedBeforeItsQuietPeriod) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  auto settings = FastSettings(tmp.path());
  settings.quiet_period = 1s;  // far above the 100 ms between writes, even on a loaded machine
  DropService service(io, settings, proc);
  ASSERT_TRUE(service.Start().ok());
  const auto set = tmp.path() / "incoming" / "ok-slow";
  fs::create_directories(set);
  WriteFile(set / "HQPO.PKL", PackingList({"00000001.PRI"}));
  std::chrono::steady_clock::time_point last_write;
  int writes = 0;
  asio::steady_timer writer(io);
  std::function<void()> grow = [&] {
    // Appends to the listed file every 100 ms for 1.2 s: always within the quiet period.
    std::ofstream(set / "00000001.PRI", std::ios::app) << "more data\r\n";
    last_write = std::chrono::steady_clock::now();
    if (++writes < 12) {
      writer.expires_after(100ms);
      writer.async_wait([&](const boost::system::error_code& ec) {
        if (!ec)
          grow();
      });
    }
  };
  grow();
  RunUntil(io, service, [&] { return In(tmp.path(), "done", "ok-slow"); });
  ASSERT_EQ(writes, 12);
  ASSERT_EQ(proc.claim_times.count("ok-slow"), 1u);
  EXPECT_GE(proc.claim_times["ok-slow"] - last_write, 1s);
  EXPECT_EQ(ReadFile(tmp.path() / "done" / "ok-slow" / "00000001.PRI").size(), 12 * 11u);
}

TEST(DropService, ASlowSetDoesNotBlockTheWatcherOrOtherSets) {
  TempDir tmp;
  asio::io_context io;
  std::atomic<bool> fast_done{false}, slow_saw_fast{false};
  BlockingSetProcessor proc(
      [&](const ClaimedSet& set, const std::atomic<bool>& stop) {
        if (set.id() == "ok-slow") {
          // Holds its worker until the fast set, dropped later, has finished.
          for (int i = 0; i < 500 && !fast_done.load() && !stop.load(); ++i) {
            std::this_thread::sleep_for(10ms);
          }
          slow_saw_fast = fast_done.load();
          return SetOutcome::Done("{}");
        }
        fast_done = true;
        return SetOutcome::Done("{}");
      },
      2);
  auto settings = FastSettings(tmp.path());
  settings.max_sets_in_flight = 2;
  DropService service(io, settings, proc);
  DropSet(tmp.path(), "ok-slow");
  ASSERT_TRUE(service.Start().ok());
  asio::steady_timer later(io, 200ms);
  later.async_wait([&](const boost::system::error_code&) { DropSet(tmp.path(), "ok-fast"); });
  RunUntil(io, service,
           [&] { return In(tmp.path(), "done", "ok-slow") && In(tmp.path(), "done", "ok-fast"); });
  EXPECT_TRUE(slow_saw_fast.load());
}

TEST(DropService, InotifyWakesTheServiceLongBeforeTheNextRescan) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  auto settings = FastSettings(tmp.path());
  settings.rescan_interval = std::chrono::hours(1);  // only the inotify hint can wake it
  DropService service(io, settings, proc);
  ASSERT_TRUE(service.Start().ok());
  std::chrono::steady_clock::time_point dropped;
  asio::steady_timer later(io, 100ms);
  later.async_wait([&](const boost::system::error_code&) {
    DropSet(tmp.path(), "ok-hinted");
    dropped = std::chrono::steady_clock::now();
  });
  RunUntil(
      io, service, [&] { return In(tmp.path(), "done", "ok-hinted"); }, 5s);
  ASSERT_EQ(proc.claim_times.count("ok-hinted"), 1u);
  EXPECT_LT(proc.claim_times["ok-hinted"] - dropped, 2s);
}

TEST(DropService, TwoServicesOnOneSpoolNeverWorkOnTheSameSet) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor first(io, ByName, 20ms), second(io, ByName, 20ms);
  DropServiceHooks quiet_hooks;
  quiet_hooks.handle_signals = false;
  DropService a(io, FastSettings(tmp.path()), first, quiet_hooks);
  DropService b(io, FastSettings(tmp.path()), second, quiet_hooks);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  for (int i = 0; i < 12; ++i)
    DropSet(tmp.path(), "ok" + std::to_string(i));
  RunUntil(io, {&a, &b},
           [&] { return std::distance(fs::directory_iterator(tmp.path() / "done"), {}) == 12; });
  std::map<std::string, int> times;
  for (const auto& id : first.seen)
    ++times[id];
  for (const auto& id : second.seen)
    ++times[id];
  EXPECT_EQ(times.size(), 12u);
  for (const auto& [id, n] : times)
    EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path() / "done"), {}), 12);
}

TEST(DropService, AFolderFilledAfterItAppearedIsTakenWithoutWaitingForARescan) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  auto settings = FastSettings(tmp.path());
  settings.rescan_interval = std::chrono::hours(1);
  DropService service(io, settings, proc);
  ASSERT_TRUE(service.Start().ok());
  const auto set = tmp.path() / "incoming" / "ok-filled";
  fs::create_directories(set);  // against the convention: the folder first, then its files
  WriteFile(set / "HQPO.PKL", PackingList({"00000001.PRI"}, {"00000001.SEC"}));
  asio::steady_timer later(io, 500ms);
  later.async_wait([&](const boost::system::error_code&) {
    WriteFile(set / "00000001.PRI", "p");
    WriteFile(set / "00000001.SEC", "s");
  });
  RunUntil(
      io, service, [&] { return In(tmp.path(), "done", "ok-filled"); }, 5s);
}

TEST(DropService, SetsInFlightAreBounded) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName, 150ms);
  auto settings = FastSettings(tmp.path());
  settings.max_sets_in_flight = 2;
  DropService service(io, settings, proc);
  for (int i = 0; i < 5; ++i)
    DropSet(tmp.path(), "ok" + std::to_string(i));
  ASSERT_TRUE(service.Start().ok());
  RunUntil(io, service,
           [&] { return std::distance(fs::directory_iterator(tmp.path() / "done"), {}) == 5; });
  EXPECT_EQ(proc.max_in_flight, 2);
}

TEST(DropService, DeferredSetsAreRetriedWithBackoffUntilDone) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, [](const ClaimedSet&, int call) {
    return call < 3 ? SetOutcome::Deferred("directory unreachable") : SetOutcome::Done("{}");
  });
  DropService service(io, FastSettings(tmp.path()), proc);
  DropSet(tmp.path(), "flaky");
  ASSERT_TRUE(service.Start().ok());
  RunUntil(io, service, [&] { return In(tmp.path(), "done", "flaky"); });
  ASSERT_EQ(proc.origins.size(), 3u);
  EXPECT_EQ(proc.origins[0], ClaimOrigin::kIncoming);
  EXPECT_EQ(proc.origins[1], ClaimOrigin::kDeferred);
  EXPECT_EQ(proc.origins[2], ClaimOrigin::kDeferred);
  // Back-off: 100 ms after the first deferral, 200 ms after the second.
  EXPECT_FALSE(fs::exists(tmp.path() / "done" / "flaky" / "retry.json"));
}

// A store that stays full or unwritable (a persistent cause) defers the set, but only until it
// has been deferred longer than max_deferral_age: then it goes to failed/ with why and since
// when. A transient cause is retried past that age.
TEST(DropService, APersistentDeferralIsRefusedOnceOlderThanTheMaximumAge) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, [](const ClaimedSet& set, int) {
    if (set.id() == "busy")
      return SetOutcome::Deferred("out of descriptors");
    return SetOutcome::Deferred("cannot create /m/a: Permission denied", "{}",
                                SetOutcome::Cause::kPersistent);
  });
  DropSettings settings = FastSettings(tmp.path());
  settings.max_deferral_age = 500ms;
  DropService service(io, settings, proc);
  DropSet(tmp.path(), "full");
  DropSet(tmp.path(), "busy");
  ASSERT_TRUE(service.Start().ok());
  const auto start = std::chrono::steady_clock::now();
  RunUntil(io, service, [&] {
    return In(tmp.path(), "failed", "full") && std::chrono::steady_clock::now() - start > 1500ms;
  });
  ASSERT_TRUE(In(tmp.path(), "failed", "full"));
  const std::string reason = ReadFile(tmp.path() / "failed" / "full" / "reason.txt");
  EXPECT_EQ(reason.rfind("deferred since 20", 0), 0u) << reason;
  EXPECT_NE(reason.find("for: cannot create /m/a: Permission denied; [drop] "
                        "max_deferral_age_seconds (0) reached"),
            std::string::npos)
      << reason;
  EXPECT_NE(ReadFile(tmp.path() / "failed" / "full" / "report.json").find("\"rejected\""),
            std::string::npos);
  EXPECT_FALSE(fs::exists(tmp.path() / "failed" / "full" / "retry.json"));
  // The transient one is still waiting, its first deferral on record.
  EXPECT_FALSE(In(tmp.path(), "failed", "busy"));
  EXPECT_TRUE(In(tmp.path(), "deferred", "busy") || In(tmp.path(), "active", "busy"));
}

TEST(DropService, SetsLeftInActiveAreResumedAtStart) {
  TempDir tmp;
  { auto d = DropDirectory::Open(tmp.path()); }
  WriteSet(tmp.path() / "active" / "ok-crashed");
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  DropService service(io, FastSettings(tmp.path()), proc);
  ASSERT_TRUE(service.Start().ok());
  RunUntil(io, service, [&] { return In(tmp.path(), "done", "ok-crashed"); });
  ASSERT_EQ(proc.origins.size(), 1u);
  EXPECT_EQ(proc.origins[0], ClaimOrigin::kResumed);
}

TEST(DropService, HostileSetsAreRefusedWithoutReachingTheProcessor) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  auto settings = FastSettings(tmp.path());
  settings.max_set_bytes = 4u << 20;
  DropService service(io, settings, proc);
  const auto in = tmp.path() / "incoming";
  const auto link_set = DropSet(tmp.path(), "ok-link");
  fs::remove(link_set / "00000001.SEC");
  fs::create_symlink("/etc/passwd", link_set / "00000001.SEC");
  const auto fifo_set = DropSet(tmp.path(), "ok-fifo");
  fs::remove(fifo_set / "00000001.PRI");
  ASSERT_EQ(::mkfifo((fifo_set / "00000001.PRI").c_str(), 0600), 0);
  fs::create_directories(in / "ok-dotdot");
  WriteFile(in / "ok-dotdot" / "X.PKL", PackingList({"../../../etc/passwd"}));
  fs::create_directories(in / "ok-huge-line");
  WriteFile(in / "ok-huge-line" / "X.PKL",
            "1252\r\n\r\n" + std::string((1u << 20) + 1, 'A') + ",Primary\r\n");
  MakeOld(in / "ok-huge-line" / "X.PKL");
  const auto big = DropSet(tmp.path(), "ok-big");
  WriteFile(big / "00000001.SEC", std::string((4u << 20) + 1, 'x'));
  MakeOld(big / "00000001.SEC");
  fs::create_directory_symlink("/etc", in / "ok-etc");  // not a set folder: ignored, left alone
  const auto link_before = Snapshot(link_set);

  ASSERT_TRUE(service.Start().ok());
  const std::vector<std::string> hostile = {"ok-link", "ok-fifo", "ok-dotdot", "ok-huge-line",
                                            "ok-big"};
  RunUntil(io, service, [&] {
    return std::all_of(hostile.begin(), hostile.end(),
                       [&](const auto& id) { return In(tmp.path(), "failed", id); });
  });
  EXPECT_TRUE(proc.seen.empty());
  const std::map<std::string, std::string> why = {
      {"ok-link", "symbolic link"},
      {"ok-fifo", "FIFO"},
      {"ok-dotdot", "not a bare file name"},
      {"ok-huge-line", "X.PKL:3: error: field longer than 65536 bytes"},
      {"ok-big", "max_set_bytes"}};
  for (const auto& [id, text] : why) {
    EXPECT_NE(ReadFile(tmp.path() / "failed" / id / "reason.txt").find(text), std::string::npos)
        << id;
  }
  auto link_after = Snapshot(tmp.path() / "failed" / "ok-link");
  link_after.erase("reason.txt");
  link_after.erase("report.json");
  EXPECT_EQ(link_after, link_before);
  EXPECT_TRUE(fs::is_symlink(in / "ok-etc"));
  EXPECT_TRUE(fs::exists("/etc/passwd"));
}

TEST(DropService, LooseFilesWithThePackingListLastAreGatheredAndProcessed) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  DropService service(io, FastSettings(tmp.path()), proc);
  ASSERT_TRUE(service.Start().ok());
  const auto in = tmp.path() / "incoming";
  WriteFile(in / "00000001.PRI", "p");
  WriteFile(in / "00000001.SEC", "s");
  WriteFile(in / "okloose.PKL", PackingList({"00000001.PRI"}, {"00000001.SEC"}));
  RunUntil(io, service, [&] { return In(tmp.path(), "done", "okloose"); });
  EXPECT_TRUE(fs::exists(tmp.path() / "done" / "okloose" / "okloose.PKL"));
  EXPECT_TRUE(fs::exists(tmp.path() / "done" / "okloose" / "00000001.SEC"));
  EXPECT_TRUE(fs::is_empty(in));
}

/// Blocks until asked to stop, then stops at a "safe point".
SetOutcome WaitForStop(const ClaimedSet&, const std::atomic<bool>& stop) {
  while (!stop.load())
    std::this_thread::sleep_for(5ms);
  return SetOutcome::Interrupted("stopped after the last complete user");
}

TEST(DropService, SigtermDuringWorkStopsAtASafePointAndTheSetResumesLater) {
  TempDir tmp;
  DropSet(tmp.path(), "ok-long");
  {
    asio::io_context io;
    BlockingSetProcessor proc(WaitForStop, 1);
    DropService service(io, FastSettings(tmp.path()), proc);
    ASSERT_TRUE(service.Start().ok());
    asio::steady_timer kill(io);
    std::function<void()> check = [&] {
      if (In(tmp.path(), "active", "ok-long") && !service.status().in_flight.empty()) {
        ::raise(SIGTERM);
        return;
      }
      kill.expires_after(10ms);
      kill.async_wait([&](const boost::system::error_code& ec) {
        if (!ec)
          check();
      });
    };
    check();
    io.run();  // returns once the set reached its safe point
    EXPECT_EQ(service.Verdict(), RunVerdict::kClean);
    EXPECT_TRUE(In(tmp.path(), "active", "ok-long"));
  }
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  DropService service(io, FastSettings(tmp.path()), proc);
  ASSERT_TRUE(service.Start().ok());
  RunUntil(io, service, [&] { return In(tmp.path(), "done", "ok-long"); });
  ASSERT_EQ(proc.origins.size(), 1u);
  EXPECT_EQ(proc.origins[0], ClaimOrigin::kResumed);
}

TEST(DropService, SighupWithABadConfigurationKeepsRunningOnTheOldOne) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  int reloads = 0;
  DropServiceHooks hooks;
  hooks.reload = [&]() -> Result<DropSettings, std::string> {
    ++reloads;
    return Fail(std::string("ccmigrate.toml:3:1: [drop] quiet_seconds: must be >= 0"));
  };
  DropService service(io, FastSettings(tmp.path()), proc, hooks);
  ASSERT_TRUE(service.Start().ok());
  asio::steady_timer later(io, 50ms);
  later.async_wait([&](const boost::system::error_code&) {
    ::raise(SIGHUP);
    DropSet(tmp.path(), "ok-after-hup");
  });
  RunUntil(io, service, [&] { return In(tmp.path(), "done", "ok-after-hup"); });
  EXPECT_EQ(reloads, 1);
  EXPECT_EQ(service.settings().quiet_period, 300ms);
  EXPECT_NE(ReadFile(tmp.path() / "status.json").find("reload refused"), std::string::npos);
}

TEST(DropService, SighupWithAGoodConfigurationAppliesIt) {
  TempDir tmp;
  asio::io_context io;
  ScriptedProcessor proc(io, ByName);
  DropServiceHooks hooks;
  hooks.reload = [&]() -> Result<DropSettings, std::string> {
    auto s = FastSettings(tmp.path());
    s.quiet_period = 100ms;
    s.max_sets_in_flight = 3;
    return s;
  };
  DropService service(io, FastSettings(tmp.path()), proc, hooks);
  ASSERT_TRUE(service.Start().ok());
  asio::steady_timer later(io, 50ms);
  later.async_wait([&](const boost::system::error_code&) { ::raise(SIGHUP); });
  RunUntil(io, service, [&] { return service.settings().max_sets_in_flight == 3; });
  EXPECT_EQ(service.settings().quiet_period, 100ms);
}

RunVerdict RunOnce(const fs::path& spool, ScriptedProcessor::Script script) {
  asio::io_context io;
  ScriptedProcessor proc(io, std::move(script));
  DropService service(io, FastSettings(spool), proc);
  EXPECT_TRUE(service.Start(RunMode::kOnce).ok());
  asio::steady_timer guard(io, 10s);
  guard.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) {
      ADD_FAILURE() << "--once did not finish";
      service.Stop();
    }
  });
  // The guard keeps io busy; stop it when the service is done.
  std::function<void()> poll;
  asio::steady_timer poller(io);
  poll = [&] {
    if (service.status().state == "stopped") {
      guard.cancel();
      return;
    }
    poller.expires_after(10ms);
    poller.async_wait([&](const boost::system::error_code& ec) {
      if (!ec)
        poll();
    });
  };
  poll();
  io.run();
  return service.Verdict();
}

TEST(DropService, OnceProcessesWhatIsReadyAndReturnsTheWorstOutcome) {
  TempDir tmp;
  DropSet(tmp.path(), "ok1");
  DropSet(tmp.path(), "ok2");
  EXPECT_EQ(RunOnce(tmp.path(), ByName), RunVerdict::kClean);
  EXPECT_TRUE(In(tmp.path(), "done", "ok1") && In(tmp.path(), "done", "ok2"));

  DropSet(tmp.path(), "warn1");
  EXPECT_EQ(RunOnce(tmp.path(), ByName), RunVerdict::kWarnings);
  DropSet(tmp.path(), "bad1");
  EXPECT_EQ(RunOnce(tmp.path(), ByName), RunVerdict::kRejected);
}

TEST(DropService, OnceRetriesDeferredSetsAtOnceAndStaysDeferredWhileStillUnreachable) {
  TempDir tmp;
  DropSet(tmp.path(), "later1");
  auto unreachable = [](const ClaimedSet&, int) {
    return SetOutcome::Deferred("directory unreachable");
  };
  EXPECT_EQ(RunOnce(tmp.path(), unreachable), RunVerdict::kDeferred);
  EXPECT_TRUE(In(tmp.path(), "deferred", "later1"));
  // The retry time is in the future, but --once retries now; still unreachable: deferred again, and
  // the set stays in deferred/, never failed/.
  EXPECT_EQ(RunOnce(tmp.path(), unreachable), RunVerdict::kDeferred);
  EXPECT_TRUE(In(tmp.path(), "deferred", "later1"));
  EXPECT_TRUE(fs::is_empty(tmp.path() / "failed"));
  EXPECT_NE(ReadFile(tmp.path() / "deferred" / "later1" / "retry.json").find("\"attempts\": 2"),
            std::string::npos);
  // The directory is back.
  EXPECT_EQ(RunOnce(tmp.path(), [](const ClaimedSet&, int) { return SetOutcome::Done("{}"); }),
            RunVerdict::kClean);
  EXPECT_TRUE(In(tmp.path(), "done", "later1"));
}

// The first deferral is kept in retry.json; a retry.json whose first deferral is older than the
// limit sends the set to failed/ at its next persistent deferral.
TEST(DropService, TheFirstDeferralIsKeptInRetryJsonAndAnOldOneEndsTheSet) {
  TempDir tmp;
  DropSet(tmp.path(), "full");
  auto full = [](const ClaimedSet&, int) {
    return SetOutcome::Deferred("no space", "{}", SetOutcome::Cause::kPersistent);
  };
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_EQ(RunOnce(tmp.path(), full), RunVerdict::kDeferred);
  ASSERT_TRUE(In(tmp.path(), "deferred", "full"));
  const fs::path retry = tmp.path() / "deferred" / "full" / "retry.json";
  auto state = ParseRetryState(ReadFile(retry));
  ASSERT_TRUE(state && state->first_deferred);
  const auto first = std::chrono::duration_cast<std::chrono::milliseconds>(
                         state->first_deferred->time_since_epoch())
                         .count();
  EXPECT_GE(first, before);
  // A second deferral keeps it.
  EXPECT_EQ(RunOnce(tmp.path(), full), RunVerdict::kDeferred);
  state = ParseRetryState(ReadFile(retry));
  ASSERT_TRUE(state && state->first_deferred);
  EXPECT_EQ(state->attempts, 2);
  EXPECT_EQ(*state->first_deferred,
            std::chrono::system_clock::time_point(std::chrono::milliseconds(first)));
  // Six days ago (the default limit is five).
  WriteFile(retry,
            "{\"attempts\": 2, \"next_attempt_unix_ms\": 0, \"last_reason\": \"no space\", "
            "\"first_deferred_unix_ms\": " +
                std::to_string(first - 6 * 86400 * 1000LL) + "}\n");
  EXPECT_EQ(RunOnce(tmp.path(), full), RunVerdict::kRejected);
  ASSERT_TRUE(In(tmp.path(), "failed", "full"));
  const std::string reason = ReadFile(tmp.path() / "failed" / "full" / "reason.txt");
  EXPECT_NE(reason.find("(3 attempt(s)) for: no space; [drop] max_deferral_age_seconds (432000) "
                        "reached"),
            std::string::npos)
      << reason;
}

TEST(DropService, OnceTakesEveryReadySetEvenWhenTheyQueueForOneSlot) {
  TempDir tmp;
  for (int i = 0; i < 3; ++i)
    DropSet(tmp.path(), "ok" + std::to_string(i));
  asio::io_context io;
  ScriptedProcessor proc(io, ByName, 400ms);  // longer than the settling deadline
  auto settings = FastSettings(tmp.path());
  settings.max_sets_in_flight = 1;
  DropService service(io, settings, proc);
  ASSERT_TRUE(service.Start(RunMode::kOnce).ok());
  io.run();
  EXPECT_EQ(service.Verdict(), RunVerdict::kClean);
  EXPECT_EQ(proc.seen.size(), 3u);
  EXPECT_TRUE(fs::is_empty(tmp.path() / "incoming"));
}

TEST(DropService, OnceWaitsOneQuietPeriodForASetStillSettling) {
  TempDir tmp;
  DropSet(tmp.path(), "ok-fresh", /*old=*/false);  // mtimes now: needs one quiet period
  EXPECT_EQ(RunOnce(tmp.path(), ByName), RunVerdict::kClean);
  EXPECT_TRUE(In(tmp.path(), "done", "ok-fresh"));
}

}  // namespace
}  // namespace ccm::daemon
