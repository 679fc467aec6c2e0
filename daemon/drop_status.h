// drop_status.h — what the running service tells operators about itself: a state file,
// `<[drop] dir>/status.json`, replaced atomically (temp file + rename) after every change of
// state (claim, outcome, error, start, stop) and every rescan. `ccmigrate status` prints it
// (status_command.h).
//
// Content: pid, state (starting/running/stopping/stopped), timestamps (UTC, RFC 3339), sets
// per spool folder, the ids in flight, counters since start, the last outcome and the last ten
// errors (set id + message). No secrets: messages are the service's own log texts.
//
// Thread safety: a plain value type; the service owns one and updates it on its thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <set>
#include <string>

#include "daemon/drop_directory.h"

namespace ccm::daemon {

/// The name of the state file in the spool root.
inline constexpr const char* kStatusFileName = "status.json";

struct DropStatus {
  struct Event {
    std::chrono::system_clock::time_point at;
    std::string set;      ///< set id; empty for service-level events
    std::string outcome;  ///< for last_outcome: done/deferred/rejected/interrupted
    std::string message;
  };
  std::string state = "starting";
  std::chrono::system_clock::time_point started_at = std::chrono::system_clock::now();
  SpoolCounts sets;
  std::set<std::string> in_flight;
  std::uint64_t claimed = 0, done = 0, done_with_warnings = 0, deferred = 0, rejected = 0,
                interrupted = 0, errors = 0;
  std::optional<Event> last_outcome;
  std::deque<Event> last_errors;  ///< newest last, at most kMaxErrors

  static constexpr std::size_t kMaxErrors = 10;
  /// Records an error (bumping the counter when `count`), keeping the last kMaxErrors.
  void AddError(std::string set, std::string message, bool count = true);
};

/// status.json's text.
std::string FormatStatus(const DropStatus& status, std::chrono::system_clock::time_point now);
/// An RFC 3339 UTC timestamp with milliseconds.
std::string Rfc3339(std::chrono::system_clock::time_point t);

}  // namespace ccm::daemon
