// state_json.h — reading back the daemon's own small JSON state files (status.json's pid,
// retry.json) with a real JSON parser (nlohmann::json), never by searching for a key in text.
//
// Security stance: these files live in the spool, so their bytes are treated as hostile: the
// text must be one JSON object, every value is type- and range-checked, and anything else gives
// nullopt (the caller's safe default). Parsing never throws.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ccm::daemon {

/// The largest retry.json `next_attempt_unix_ms` accepted: 2200-01-01T00:00:00Z. The service's
/// clock counts nanoseconds in 64 bits, which end in 2262; a larger value would overflow it.
inline constexpr std::int64_t kMaxUnixMs = 7258118400000;
/// The most deferrals a retry.json may count.
inline constexpr std::int64_t kMaxRetryAttempts = 1'000'000;

/// retry.json's fields, range-checked.
struct RetryFields {
  std::int64_t attempts = 0;              ///< 0..kMaxRetryAttempts
  std::int64_t next_attempt_unix_ms = 0;  ///< 0..kMaxUnixMs
  std::string last_reason;                ///< "" when absent
  /// 0..kMaxUnixMs; nullopt when absent (the caller counts that as "first deferred now")
  std::optional<std::int64_t> first_deferred_unix_ms;
};

/// Reads retry.json text; nullopt unless it is an object with integer `attempts` and
/// `next_attempt_unix_ms` in range (and `last_reason`, when present, a string;
/// `first_deferred_unix_ms`, when present, an integer in range).
std::optional<RetryFields> ParseRetryFields(std::string_view text);

/// status.json's `pid`: nullopt unless the text is an object whose `pid` is an integer in
/// 1..2^31-1.
std::optional<std::int64_t> ParseStatusPid(std::string_view text);

}  // namespace ccm::daemon
