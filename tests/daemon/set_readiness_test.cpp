// set_readiness_test.cpp — the readiness rules with a fake clock: ready only after
// the quiet period without change, waiting while files are missing or growing, refused when
// hostile, oversize, stably unparseable or incomplete for too long.
#include "daemon/set_readiness.h"

#include <gtest/gtest.h>

namespace ccm::daemon {
namespace {

using namespace std::chrono_literals;

class FakeClock {
 public:
  SteadyTime steady() const { return SteadyTime(elapsed_); }
  WallTime wall() const { return WallTime(std::chrono::hours(24 * 365 * 50)) + elapsed_; }
  void Advance(std::chrono::milliseconds d) { elapsed_ += d; }

 private:
  std::chrono::milliseconds elapsed_{1000};
};

SetObservation Complete(const FakeClock& clock, std::string fingerprint = "a:1") {
  SetObservation obs;
  obs.pkl_name = "HQPO.PKL";
  obs.listing_ok = true;
  obs.listed = {"00000001.PRI"};
  obs.total_bytes = 100;
  obs.fingerprint = std::move(fingerprint);
  obs.newest_mtime = clock.wall();  // just written
  return obs;
}

ReadinessPolicy Policy() {
  return {5s, 60s, 1000};
}

TEST(SetReadiness, ReadyOnlyAfterQuietPeriodWithoutChange) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  auto obs = Complete(clock);
  auto v = tracker.Observe("dir:HQPO", obs, clock.steady(), clock.wall());
  EXPECT_EQ(v.state, Readiness::kWaiting);
  EXPECT_EQ(v.recheck_at, clock.steady() + 5s);
  clock.Advance(4999ms);
  EXPECT_EQ(tracker.Observe("dir:HQPO", obs, clock.steady(), clock.wall()).state,
            Readiness::kWaiting);
  clock.Advance(1ms);
  EXPECT_EQ(tracker.Observe("dir:HQPO", obs, clock.steady(), clock.wall()).state,
            Readiness::kReady);
}

TEST(SetReadiness, GrowingFileRestartsTheQuietPeriod) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  for (int i = 0; i < 10; ++i) {
    auto obs = Complete(clock, "a:" + std::to_string(i));  // size changes every 3 s
    EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state,
              Readiness::kWaiting)
        << i;
    clock.Advance(3s);
  }
  auto last = Complete(clock, "a:9");
  last.newest_mtime = clock.wall() - 3s;
  EXPECT_EQ(tracker.Observe("dir:X", last, clock.steady(), clock.wall()).state,
            Readiness::kWaiting);
  clock.Advance(2s);
  EXPECT_EQ(tracker.Observe("dir:X", last, clock.steady(), clock.wall()).state, Readiness::kReady);
}

TEST(SetReadiness, OldMtimesMakeASetRenamedIntoPlaceReadyAtOnce) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  auto obs = Complete(clock);
  obs.newest_mtime = clock.wall() - 6s;
  EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state, Readiness::kReady);
  // An mtime in the future (clock skew) does not count as old.
  FakeClock other;
  ReadinessTracker fresh(Policy());
  auto future = Complete(other);
  future.newest_mtime = other.wall() + 1h;
  EXPECT_EQ(fresh.Observe("dir:Y", future, other.steady(), other.wall()).state,
            Readiness::kWaiting);
}

TEST(SetReadiness, MissingFilesWaitThenAreRefusedAfterTheIncompleteTimeout) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  auto obs = Complete(clock);
  obs.missing = {"00000001.SEC"};
  obs.newest_mtime = clock.wall() - 1h;
  auto v = tracker.Observe("dir:X", obs, clock.steady(), clock.wall());
  EXPECT_EQ(v.state, Readiness::kWaiting);
  EXPECT_NE(v.reason.find("00000001.SEC"), std::string::npos);
  EXPECT_EQ(v.recheck_at, clock.steady() + 5s);  // looks again after a quiet period
  clock.Advance(59s);
  EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state, Readiness::kWaiting);
  clock.Advance(1s);
  v = tracker.Observe("dir:X", obs, clock.steady(), clock.wall());
  EXPECT_EQ(v.state, Readiness::kRefused);
  EXPECT_NE(v.reason.find("incomplete"), std::string::npos);
}

TEST(SetReadiness, NoPackingListYetWaits) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  SetObservation obs;
  obs.fingerprint = "";
  EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state, Readiness::kWaiting);
}

TEST(SetReadiness, UnparseablePackingListWaitsForQuietThenIsRefused) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  SetObservation obs;
  obs.pkl_name = "HQPO.PKL";
  obs.listing_error = "HQPO.PKL:3: line longer than 1048576 bytes";
  obs.fingerprint = "HQPO.PKL:99";
  obs.newest_mtime = clock.wall();
  EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state, Readiness::kWaiting);
  clock.Advance(5s);
  auto v = tracker.Observe("dir:X", obs, clock.steady(), clock.wall());
  EXPECT_EQ(v.state, Readiness::kRefused);
  EXPECT_NE(v.reason.find("line longer"), std::string::npos);
}

TEST(SetReadiness, HostileAndOversizeAreRefusedAtOnce) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  auto obs = Complete(clock);
  obs.hostile = "listed file X is a symbolic link";
  auto v = tracker.Observe("dir:A", obs, clock.steady(), clock.wall());
  EXPECT_EQ(v.state, Readiness::kRefused);
  EXPECT_EQ(v.reason, "listed file X is a symbolic link");

  auto big = Complete(clock);
  big.total_bytes = 1001;
  v = tracker.Observe("dir:B", big, clock.steady(), clock.wall());
  EXPECT_EQ(v.state, Readiness::kRefused);
  EXPECT_NE(v.reason.find("max_set_bytes"), std::string::npos);
}

TEST(SetReadiness, ForgottenCandidatesStartOver) {
  FakeClock clock;
  ReadinessTracker tracker(Policy());
  auto obs = Complete(clock);
  (void)tracker.Observe("dir:X", obs, clock.steady(), clock.wall());
  clock.Advance(5s);
  obs.newest_mtime = clock.wall();  // touched again: only the observed stability can count
  tracker.Retain({"dir:Y"});
  EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state, Readiness::kWaiting);
  clock.Advance(5s);
  obs.newest_mtime = clock.wall();
  EXPECT_EQ(tracker.Observe("dir:X", obs, clock.steady(), clock.wall()).state, Readiness::kReady);
}

}  // namespace
}  // namespace ccm::daemon
