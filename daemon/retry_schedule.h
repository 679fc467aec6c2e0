// retry_schedule.h — capped exponential back-off for deferred sets, and its persistence.
//
// A deferred set carries a small state file, `retry.json`, in its folder in deferred/:
//   {"attempts": N, "next_attempt_unix_ms": T, "last_reason": "...",
//    "first_deferred_unix_ms": F}
// so that a restarted daemon resumes each set's own schedule instead of retrying everything at
// once. Delay after the n-th deferral: min(initial * 2^(n-1), max), plus optional jitter.
//
// Age limit: F is when the set was first deferred (kept across deferrals of any cause). A set
// deferred again for a persistent cause (the mail store full or refusing: ccm/io_failure.h)
// after it has been deferred for longer than [drop] max_deferral_age_seconds is refused
// instead (DeferralExpired), like Postfix's maximal_queue_lifetime. A transient cause waits as
// long as it takes.
//
// Inputs: the file is read bounded (4 KiB), through a directory fd, without following links, and
// parsed as JSON (state_json.h): attempts must be 0..1,000,000 and the times before the year
// 2200. A missing, unreadable or out-of-range file means "due now, attempts 0" (the safe
// default: a rerun is idempotent); a file without F means "first deferred now".
// Diagnostics: none; callers log.
//
// Thread safety: pure functions; FormatRetryState/ParseRetryState are reentrant.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/drop_settings.h"

namespace ccm::daemon {

/// When a deferred set is next due, and how often it has been deferred so far.
struct RetryState {
  int attempts = 0;
  std::chrono::system_clock::time_point next_attempt{};
  std::string last_reason;
  /// When the set was first deferred; nullopt when unknown (never deferred, or an older
  /// retry.json), which counts as "now".
  std::optional<std::chrono::system_clock::time_point> first_deferred;
};

/// The delay after the `attempts`-th deferral (attempts >= 1), before jitter.
std::chrono::milliseconds BackoffDelay(int attempts, const RetryPolicy& policy);

/// The state after one more deferral at `now`. `unit_random` returns a value in [0, 1) for the
/// jitter; pass nullptr for none.
RetryState NextRetry(const RetryState& previous, std::chrono::system_clock::time_point now,
                     const RetryPolicy& policy, std::string reason,
                     const std::function<double()>& unit_random = nullptr);

/// True when a set first deferred at `first_deferred` (nullopt: now) has been deferred for
/// longer than `max_age` at `now`: deferred again for a persistent cause, it is refused.
bool DeferralExpired(std::optional<std::chrono::system_clock::time_point> first_deferred,
                     std::chrono::system_clock::time_point now, std::chrono::milliseconds max_age);

/// The refusal of a set whose deferral expired: "deferred since <first> (<n> attempts) for:
/// <reason>; [drop] max_deferral_age_seconds (<s>) reached".
std::string ExpiredDeferralReason(std::chrono::system_clock::time_point first_deferred,
                                  int attempts, std::chrono::milliseconds max_age,
                                  std::string_view reason);

/// The retry.json text.
std::string FormatRetryState(const RetryState& state);
/// Reads retry.json text; nullopt when it is not in the expected shape.
std::optional<RetryState> ParseRetryState(std::string_view text);

/// The name of the state file inside a deferred set's folder.
inline constexpr const char* kRetryFileName = "retry.json";

}  // namespace ccm::daemon
