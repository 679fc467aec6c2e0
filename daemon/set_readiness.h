// set_readiness.h — decides, from what was seen of a candidate set in incoming/, whether it is
// ready to be claimed. Pure logic: no file system, no clock of its own; the caller
// passes the observation and the time, so tests drive it with a fake clock.
//
// A set is ready when its packing list parses, every listed file exists, and nothing listed
// (nor the packing list) has changed size or mtime for the quiet period. "Unchanged for the
// quiet period" holds when the same fingerprint has been observed for that long, or when the
// newest mtime is already older than the quiet period by the wall clock (so a set renamed into
// place, or found at start, need not wait again). A set is refused when the observation found
// something hostile (a link, FIFO, device or bad name), when it exceeds max_set_bytes, when its
// packing list is stable but does not parse, or when it stays incomplete for incomplete_timeout.
//
// Thread safety: ReadinessTracker is externally synchronized (the service uses one thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ccm::daemon {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

/// What DropDirectory saw of one candidate set at one moment.
struct SetObservation {
  std::string pkl_name;                  ///< the packing list's name; empty when none was found
  bool listing_ok = false;               ///< the packing list parsed and named its files
  std::string listing_error;             ///< why not, when !listing_ok and pkl_name is set
  std::vector<std::string> listed;       ///< names the packing list lists
  std::vector<std::string> missing;      ///< listed names not present
  std::vector<std::string> unlisted;     ///< regular files present but not listed (reported only)
  std::optional<std::string> hostile;    ///< a reason to refuse at once (link, FIFO, bad name, ...)
  std::uint64_t total_bytes = 0;         ///< packing list plus listed files present
  std::string fingerprint;               ///< names, sizes and mtimes of everything that counts
  std::optional<WallTime> newest_mtime;  ///< newest mtime among the counted files
};

/// The readiness rules' parameters.
struct ReadinessPolicy {
  std::chrono::milliseconds quiet_period{std::chrono::seconds(5)};
  std::chrono::milliseconds incomplete_timeout{std::chrono::minutes(10)};
  std::uint64_t max_set_bytes = 64ull << 30;
};

/// A candidate's state after one observation.
enum class Readiness { kReady, kWaiting, kRefused };

struct ReadinessVerdict {
  Readiness state = Readiness::kWaiting;
  SteadyTime recheck_at{};  ///< when kWaiting: the earliest time a new observation can change it
  std::string reason;       ///< when kRefused: why; when kWaiting: what it waits for
};

/// The pure rule for one observation given how long its fingerprint has been stable.
ReadinessVerdict JudgeObservation(const SetObservation& obs, const ReadinessPolicy& policy,
                                  SteadyTime stable_since, SteadyTime now, WallTime now_wall);

/// Remembers each candidate's fingerprint and since when it has been unchanged.
class ReadinessTracker {
 public:
  explicit ReadinessTracker(ReadinessPolicy policy) : policy_(policy) {}

  /// Records `obs` for candidate `key` and judges it.
  ReadinessVerdict Observe(const std::string& key, const SetObservation& obs, SteadyTime now,
                           WallTime now_wall);
  /// Drops what is known about `key` (claimed, gone, refused).
  void Forget(const std::string& key) { seen_.erase(key); }
  /// Drops every candidate not in `present` (they vanished from incoming/).
  void Retain(const std::set<std::string>& present);
  /// Replaces the policy (configuration reload); stability already observed is kept.
  void SetPolicy(const ReadinessPolicy& policy) { policy_ = policy; }

 private:
  struct Seen {
    std::string fingerprint;
    SteadyTime since;
  };
  ReadinessPolicy policy_;
  std::map<std::string, Seen> seen_;
};

}  // namespace ccm::daemon
