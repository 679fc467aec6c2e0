// retry_schedule.cpp — back-off arithmetic and retry.json. See retry_schedule.h.
#include "daemon/retry_schedule.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "daemon/json_text.h"

namespace ccm::daemon {
namespace {

// Finds `"key":` and parses the integer after it.
std::optional<std::int64_t> IntAfterKey(std::string_view text, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\"";
  auto pos = text.find(needle);
  if (pos == std::string_view::npos)
    return std::nullopt;
  pos = text.find(':', pos + needle.size());
  if (pos == std::string_view::npos)
    return std::nullopt;
  ++pos;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
    ++pos;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data() + pos)
    return std::nullopt;
  return value;
}

}  // namespace

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
  return next;
}

std::string FormatRetryState(const RetryState& state) {
  const auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(state.next_attempt.time_since_epoch())
          .count();
  return "{\"attempts\": " + std::to_string(state.attempts) +
         ", \"next_attempt_unix_ms\": " + std::to_string(unix_ms) +
         ", \"last_reason\": " + JsonQuote(state.last_reason) + "}\n";
}

std::optional<RetryState> ParseRetryState(std::string_view text) {
  auto attempts = IntAfterKey(text, "attempts");
  auto next_ms = IntAfterKey(text, "next_attempt_unix_ms");
  if (!attempts || !next_ms || *attempts < 0 || *attempts > 1'000'000)
    return std::nullopt;
  RetryState state;
  state.attempts = static_cast<int>(*attempts);
  state.next_attempt = std::chrono::system_clock::time_point(std::chrono::milliseconds(*next_ms));
  return state;
}

}  // namespace ccm::daemon
