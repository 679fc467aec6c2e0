// set_readiness.cpp — the readiness rules as a pure function plus a small memory of
// fingerprints. See set_readiness.h for the rules.
#include "daemon/set_readiness.h"

#include <algorithm>

namespace ccm::daemon {
namespace {

// The first few names and how many more: a reason is logged, written to reason.txt and kept in
// status.json, so it stays short however many files a packing list names.
std::string JoinNames(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 10;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) {
    if (!out.empty())
      out += ", ";
    out += names[i].size() > 64 ? names[i].substr(0, 64) + "..." : names[i];
  }
  if (names.size() > kShown)
    out += " and " + std::to_string(names.size() - kShown) + " more";
  return out;
}

}  // namespace

ReadinessVerdict JudgeObservation(const SetObservation& obs, const ReadinessPolicy& policy,
                                  SteadyTime stable_since, SteadyTime now, WallTime now_wall) {
  if (obs.hostile)
    return {Readiness::kRefused, {}, *obs.hostile};
  if (policy.max_set_bytes > 0 && obs.total_bytes > policy.max_set_bytes) {
    return {Readiness::kRefused,
            {},
            "set holds " + std::to_string(obs.total_bytes) + " bytes, more than max_set_bytes " +
                std::to_string(policy.max_set_bytes)};
  }

  const auto stable_for = now - stable_since;
  // Old mtimes count as quiet too: a set renamed into place keeps its files' mtimes.
  bool quiet = stable_for >= policy.quiet_period;
  if (!quiet && obs.newest_mtime && *obs.newest_mtime <= now_wall &&
      now_wall - *obs.newest_mtime >= policy.quiet_period) {
    quiet = true;
  }
  const SteadyTime quiet_at = stable_since + policy.quiet_period;

  if (obs.pkl_name.empty() || !obs.missing.empty()) {
    std::string waits = obs.pkl_name.empty() ? std::string("no packing list yet")
                                             : "listed files missing: " + JoinNames(obs.missing);
    if (stable_for >= policy.incomplete_timeout) {
      return {Readiness::kRefused, {}, "incomplete and unchanged for too long: " + waits};
    }
    // Files arriving inside a set folder raise no inotify event on incoming/: look again after
    // a quiet period rather than only at the incomplete deadline.
    return {Readiness::kWaiting,
            std::min(stable_since + policy.incomplete_timeout, now + policy.quiet_period), waits};
  }
  if (!obs.listing_ok) {
    // A packing list still being written may not parse yet; one that stays put and still does
    // not parse is broken.
    if (quiet)
      return {Readiness::kRefused, {}, "packing list " + obs.pkl_name + ": " + obs.listing_error};
    return {Readiness::kWaiting, quiet_at, "packing list does not parse yet"};
  }
  if (!quiet)
    return {Readiness::kWaiting, quiet_at, "files changed within the quiet period"};
  return {Readiness::kReady, {}, {}};
}

ReadinessVerdict ReadinessTracker::Observe(const std::string& key, const SetObservation& obs,
                                           SteadyTime now, WallTime now_wall) {
  auto it = seen_.find(key);
  if (it == seen_.end() || it->second.fingerprint != obs.fingerprint) {
    it = seen_.insert_or_assign(key, Seen{obs.fingerprint, now}).first;
  }
  return JudgeObservation(obs, policy_, it->second.since, now, now_wall);
}

void ReadinessTracker::Retain(const std::set<std::string>& present) {
  std::erase_if(seen_, [&](const auto& kv) { return !present.contains(kv.first); });
}

}  // namespace ccm::daemon
