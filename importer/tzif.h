// tzif.h — the rules of one time zone, read from a TZif file (RFC 8536, versions 1–4) as found
// under /usr/share/zoneinfo. GCC 12's libstdc++ has no chrono time-zone database, so ccmigrate
// reads the system's tzdata itself; this is the pure part (bytes in, rules out).
//
// Input: the file's bytes, untrusted in principle: every count is checked against the length
// before use, so a truncated or hostile file yields an error, never a read out of bounds.
// Leap-second records are skipped (POSIX time, like every other consumer of "right-less" zones).
// Times after the last transition follow the footer's POSIX TZ rule (RFC 8536 section 3.3),
// which matters for "slim" files that stop listing transitions once a rule takes over.
//
// Thread safety: ZoneRules is an immutable value after parsing; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ccm/result.h"

namespace ccm::importer {

/// A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"), offsets east of UTC in seconds.
struct PosixTzRule {
  /// When a change happens within a year: Mm.w.d, Jn or n, plus a local time of day.
  struct Change {
    enum class Kind { kMonthWeekDay, kJulianNoLeap, kZeroBasedDay } kind = Kind::kMonthWeekDay;
    int month = 0, week = 0, weekday = 0;  ///< kMonthWeekDay
    int day = 0;                           ///< kJulianNoLeap (1..365) or kZeroBasedDay (0..365)
    std::int64_t time_of_day = 7200;       ///< seconds after local midnight; may be <0 or >24h
  };
  std::int64_t std_offset = 0;
  std::optional<std::int64_t> dst_offset;  ///< no value: no daylight-saving time
  Change dst_start, dst_end;
};

/// Parses a POSIX TZ string as written in a TZif footer.
Result<PosixTzRule, std::string> ParsePosixTz(std::string_view text);

/// Everything needed to answer "what is the UTC offset at instant t".
struct ZoneRules {
  std::vector<std::int64_t> transitions;       ///< ascending UTC seconds
  std::vector<std::uint8_t> transition_types;  ///< index into offsets, per transition
  std::vector<std::int64_t> offsets;           ///< per local-time type, seconds east of UTC
  std::optional<PosixTzRule> footer;           ///< rule after the last transition
};

/// Parses a TZif file's bytes.
Result<ZoneRules, std::string> ParseTzif(std::string_view bytes);

/// The UTC offset (seconds east) in force at UTC instant `t`.
std::int64_t OffsetAt(const ZoneRules& zone, std::int64_t t);

/// The UTC offset a POSIX rule gives at UTC instant `t`.
std::int64_t OffsetAt(const PosixTzRule& rule, std::int64_t t);

}  // namespace ccm::importer
