// set_processor.h — the seam between the drop service and whatever works on a set (the
// importer, once it exists; test processors in tests/daemon). The service claims a set into
// active/, calls Process, and moves the set to the place its named outcome says when `done`
// is called:
//
//   done      -> done/      (report.json; warnings noted)
//   deferred  -> deferred/  (directory unreachable or busy, mail store not writable; retried
//                            with back-off; a persistent cause only until the set has been
//                            deferred longer than [drop] max_deferral_age_seconds, then failed/)
//   rejected  -> failed/    (invalid or refused, nothing changed; reason.txt + report.json)
//   interrupted -> stays in active/ (stopped at a safe point on shutdown; resumed at start)
//
// Contract: Process is called on the service's io_context thread and must not block it for
// long (a slow set must not stall the watcher): do asynchronous work on the same io_context,
// or use BlockingSetProcessor (blocking_set_processor.h) to run a blocking function on a worker
// thread. `done` must be called exactly once, from any thread (the service re-posts it onto its
// own). RequestStop asks all work in flight to reach a safe point soon (SIGTERM); it is a hint.
// The processor hands back the report text; the service writes report.json (a processor must
// not write report.json itself). Inputs in the set folder are opened read-only, without
// following links (O_NOFOLLOW via ClaimedSet::dir_fd()), and checked to be regular files.
//
// Thread safety: Process and RequestStop are called on the service thread only.
#pragma once

#include <functional>
#include <string>

#include "daemon/drop_directory.h"

namespace ccm::daemon {

/// A set's named outcome.
struct SetOutcome {
  enum class Kind { kDone, kDeferred, kRejected, kInterrupted };
  Kind kind = Kind::kDone;
  bool warnings = false;    ///< kDone only: done with warnings (exit code 1 in --once)
  std::string reason;       ///< one line for logs, status and reason.txt
  std::string report_json;  ///< report.json's content; empty = the service writes a minimal one
  /// kDeferred only: whether the cause passes by itself (kTransient: a busy directory, out of
  /// descriptors; retried as long as it takes) or needs a person (kPersistent: the mail store
  /// full, read-only or refusing permission; refused once the set has been deferred longer
  /// than DropSettings::max_deferral_age).
  enum class Cause { kTransient, kPersistent };
  Cause cause = Cause::kTransient;

  static SetOutcome Done(std::string report_json, bool warnings = false, std::string reason = {}) {
    return {Kind::kDone, warnings, std::move(reason), std::move(report_json)};
  }
  static SetOutcome Deferred(std::string reason, std::string report_json = {},
                             Cause cause = Cause::kTransient) {
    return {Kind::kDeferred, false, std::move(reason), std::move(report_json), cause};
  }
  static SetOutcome Rejected(std::string reason, std::string report_json = {}) {
    return {Kind::kRejected, false, std::move(reason), std::move(report_json)};
  }
  static SetOutcome Interrupted(std::string reason) {
    return {Kind::kInterrupted, false, std::move(reason), {}};
  }
};

/// "done", "deferred", "rejected" or "interrupted".
const char* OutcomeName(SetOutcome::Kind kind);

/// Works on one claimed set at a time per call; several calls may be in flight.
class SetProcessor {
 public:
  virtual ~SetProcessor() = default;
  /// Starts work on `set` (valid until `done` is called); calls `done` once when finished.
  virtual void Process(const ClaimedSet& set, std::function<void(SetOutcome)> done) = 0;
  /// Asks work in flight to reach a safe point and call `done` soon.
  virtual void RequestStop() {}
};

}  // namespace ccm::daemon
