// retry_schedule.cpp — back-off arithmetic and retry.json. See retry_schedule.h.
#include "daemon/retry_schedule.h"

#include <algorithm>
#include <cstdint>

#include "ccm/json_writer.h"
#include "daemon/drop_status.h"
#include "daemon/state_json.h"

namespace ccm::daemon {

std::chrono::milliseconds BackoffDelay(int attempts, const RetryPolicy& policy) {
  if (attempts < 1)
    attempts = 1;
  auto delay = policy.initial;
  for (int i = 1; i < attempts && delay < policy.max; ++i)
    delay *= 2;
  return std::min(delay, policy.max);
}

RetryState NextRetry(const RetryState& previous, std::chrono::system_clock::time_point now,
                     const RetryPolicy& policy, std::string reason,
                     const std::function<double()>& unit_random) {
  RetryState next;
  next.attempts = previous.attempts + 1;
  auto delay = BackoffDelay(next.attempts, policy);
  if (unit_random && policy.jitter > 0) {
    const double extra = static_cast<double>(delay.count()) * policy.jitter * unit_random();
    delay += std::chrono::milliseconds(static_cast<std::int64_t>(extra));
  }
  next.next_attempt = now + delay;
  next.last_reason = std::move(reason);
  next.first_deferred = previous.first_deferred.value_or(now);
  return next;
}

bool DeferralExpired(std::optional<std::chrono::system_clock::time_point> first_deferred,
                     std::chrono::system_clock::time_point now, std::chrono::milliseconds max_age) {
  return now - first_deferred.value_or(now) > max_age;
}

std::string ExpiredDeferralReason(std::chrono::system_clock::time_point first_deferred,
                                  int attempts, std::chrono::milliseconds max_age,
                                  std::string_view reason) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(max_age).count();
  return "deferred since " + Rfc3339(first_deferred) + " (" + std::to_string(attempts) +
         " attempt(s)) for: " + std::string(reason) + "; [drop] max_deferral_age_seconds (" +
         std::to_string(seconds) + ") reached";
}

std::string FormatRetryState(const RetryState& state) {
  const auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(state.next_attempt.time_since_epoch())
          .count();
  JsonWriter json(JsonLayout::kSpaced);
  json.BeginObject();
  json.Key("attempts");
  json.Int(state.attempts);
  json.Key("next_attempt_unix_ms");
  json.Int(unix_ms);
  json.Member("last_reason", state.last_reason);
  if (state.first_deferred) {
    json.Key("first_deferred_unix_ms");
    json.Int(std::chrono::duration_cast<std::chrono::milliseconds>(
                 state.first_deferred->time_since_epoch())
                 .count());
  }
  json.EndObject();
  return json.str() + "\n";
}

std::optional<RetryState> ParseRetryState(std::string_view text) {
  const auto fields = ParseRetryFields(text);
  if (!fields)
    return std::nullopt;
  RetryState state;
  state.attempts = static_cast<int>(fields->attempts);
  state.next_attempt = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(fields->next_attempt_unix_ms));
  state.last_reason = fields->last_reason;
  if (fields->first_deferred_unix_ms) {
    state.first_deferred = std::chrono::system_clock::time_point(
        std::chrono::milliseconds(*fields->first_deferred_unix_ms));
  }
  return state;
}

}  // namespace ccm::daemon
