// source_time.h — cc:Mail date-times are 14-digit local times of the source system
// (YYYYMMDDHHMMSS), not UTC. This turns them into UTC instants using the IANA zone
// configured per set ([import] source_timezone; default: the daemon's own zone) and the
// zone's rules in force on that date, not at import time (KB Q281734: the Migration Wizard
// applied the wrong daylight-saving offset).
//
// Zone data: TZif files under /usr/share/zoneinfo (Debian package tzdata), read and applied by
// cctz (Debian libcctz-dev), which follows a zone's rule footer past its last listed transition.
// Security: a zone name is checked (letters, digits, `/ _ + - .`, no `.`/`..` component, not
// absolute) before it becomes a path; a zone file must be a regular file of at most 1 MiB before
// cctz reads it.
//
// DST rule, for local times that a transition makes ambiguous or impossible (documented in
// docs/mail-delivery.md): an ambiguous time (the repeated hour when clocks go back) takes the
// EARLIER instant, i.e. the offset in force before the change; a non-existent time (skipped
// when clocks go forward) is shifted forward by the length of the gap, i.e. read with the
// offset in force before the change (02:30 on a Berlin spring-forward day becomes 03:30 CEST).
// The result says which case applied so the caller can warn.
//
// Thread safety: TimeZone is an immutable value (shared rules); safe to use from many threads.
#pragma once

#include <cctz/time_zone.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "ccm/result.h"

namespace ccm::importer {

/// Why a date-time or a zone could not be used.
struct TimeError {
  std::string message;
};

/// A calendar-valid wall-clock date-time without a zone.
struct LocalDateTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

/// Parses and calendar-checks `YYYYMMDDHHMMSS` (exactly 14 ASCII digits; 31 Feb is an error).
Result<LocalDateTime, TimeError> ParseSourceDateTime(std::string_view digits);

/// How a local time related to the zone's transitions.
enum class LocalTimeKind {
  kUnique,       ///< exactly one instant has this wall-clock time
  kAmbiguous,    ///< two instants (clocks went back); the earlier was taken
  kNonexistent,  ///< no instant (clocks went forward); shifted forward by the gap
};

/// A converted time.
struct UtcConversion {
  std::chrono::sys_seconds utc;
  LocalTimeKind kind = LocalTimeKind::kUnique;
};

/// An IANA time zone with its full history of rules.
class TimeZone {
 public:
  /// Loads `name` (e.g. "Europe/Berlin") from `zoneinfo_dir`.
  static Result<TimeZone, TimeError> Load(
      std::string_view name, const std::filesystem::path& zoneinfo_dir = "/usr/share/zoneinfo");
  /// The daemon's own zone: $TZ when set (a name or an absolute TZif path), else
  /// /etc/localtime, else UTC.
  static Result<TimeZone, TimeError> LoadLocal();
  /// UTC itself.
  static TimeZone Utc();

  /// The zone's name as given (or the local zone's best-known name).
  const std::string& name() const { return name_; }
  /// Offset from UTC (east positive) at `instant`.
  std::chrono::seconds OffsetAt(std::chrono::sys_seconds instant) const;
  /// The UTC instant of a wall-clock time in this zone, by the rule above.
  UtcConversion ToUtc(const LocalDateTime& local) const;

 private:
  TimeZone(std::string name, cctz::time_zone zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  cctz::time_zone zone_;  ///< a handle to cctz's immutable, process-wide loaded zone
};

}  // namespace ccm::importer
