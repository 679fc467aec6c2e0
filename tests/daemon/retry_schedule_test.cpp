// retry_schedule_test.cpp — capped exponential back-off, jitter bounds, and retry.json round
// trips (a restart keeps each set's own schedule).
#include "daemon/retry_schedule.h"

#include <gtest/gtest.h>

#include "daemon/state_json.h"

namespace ccm::daemon {
namespace {

using namespace std::chrono_literals;

RetryPolicy Policy() {
  RetryPolicy p;
  p.initial = 30s;
  p.max = 3600s;
  p.jitter = 0.1;
  return p;
}

TEST(RetrySchedule, DoublesFromInitialUpToTheCap) {
  const auto p = Policy();
  EXPECT_EQ(BackoffDelay(1, p), 30s);
  EXPECT_EQ(BackoffDelay(2, p), 60s);
  EXPECT_EQ(BackoffDelay(3, p), 120s);
  EXPECT_EQ(BackoffDelay(7, p), 1920s);
  EXPECT_EQ(BackoffDelay(8, p), 3600s);
  EXPECT_EQ(BackoffDelay(1000, p), 3600s);
}

TEST(RetrySchedule, NextRetryCountsAttemptsAndAppliesJitterWithinBounds) {
  const auto p = Policy();
  const std::chrono::system_clock::time_point now(1'000'000s);
  RetryState s;
  s = NextRetry(s, now, p, "ldap down");
  EXPECT_EQ(s.attempts, 1);
  EXPECT_EQ(s.next_attempt, now + 30s);
  s = NextRetry(s, now, p, "ldap down", [] { return 0.999; });
  EXPECT_EQ(s.attempts, 2);
  EXPECT_GT(s.next_attempt, now + 60s);
  EXPECT_LE(s.next_attempt, now + 66s);
  EXPECT_EQ(s.last_reason, "ldap down");
}

TEST(RetrySchedule, StateFileRoundTrips) {
  RetryState s;
  s.attempts = 4;
  s.next_attempt = std::chrono::system_clock::time_point(1'700'000'000'123ms);
  s.last_reason = "server \"busy\"\n";
  const auto text = FormatRetryState(s);
  EXPECT_EQ(text,
            "{\"attempts\": 4, \"next_attempt_unix_ms\": 1700000000123, "
            "\"last_reason\": \"server \\\"busy\\\"\\n\"}\n");
  auto back = ParseRetryState(text);
  ASSERT_TRUE(back.has_value()) << text;
  EXPECT_EQ(back->attempts, 4);
  EXPECT_EQ(back->next_attempt, s.next_attempt);
  EXPECT_EQ(back->last_reason, s.last_reason);
}

TEST(RetrySchedule, MalformedStateIsRejected) {
  EXPECT_FALSE(ParseRetryState("").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": -1, \"next_attempt_unix_ms\": 5}").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1}").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": x, \"next_attempt_unix_ms\": 5}").has_value());
}

// A hand-written retry.json: values that would overflow the clock or the counter, wrong types,
// and keys hidden inside strings are refused (the set is then simply due now).
TEST(RetrySchedule, ForgedStateIsRangeChecked) {
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 9223372036854775807}")
                   .has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": -1}").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 18446744073709551615}")
                   .has_value());
  EXPECT_FALSE(
      ParseRetryState("{\"attempts\": 4294967297, \"next_attempt_unix_ms\": 5}").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1.5, \"next_attempt_unix_ms\": 5}").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": \"1\", \"next_attempt_unix_ms\": 5}").has_value());
  EXPECT_FALSE(
      ParseRetryState("{\"last_reason\": \"\\\"attempts\\\": 1, \\\"next_attempt_unix_ms\\\": 5\"}")
          .has_value());
  EXPECT_FALSE(ParseRetryState("[1, 2]").has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 5, \"last_reason\": 7}")
                   .has_value());
  // Found by state_json_fuzzer: a year-9999 value overflowed the nanosecond clock.
  EXPECT_FALSE(
      ParseRetryState("{\"attempts\": 3, \"next_attempt_unix_ms\": 17000000080123}").has_value());
  auto latest = ParseRetryState("{\"attempts\": 1000000, \"next_attempt_unix_ms\": 7258118400000}");
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->attempts, 1000000);
}

TEST(RetrySchedule, TheFirstDeferralIsKeptAcrossDeferrals) {
  const auto p = Policy();
  const std::chrono::system_clock::time_point now(1'000'000s);
  RetryState s = NextRetry(RetryState{}, now, p, "store full");
  ASSERT_TRUE(s.first_deferred.has_value());
  EXPECT_EQ(*s.first_deferred, now);
  s = NextRetry(s, now + 2h, p, "store full");
  EXPECT_EQ(*s.first_deferred, now);
}

TEST(RetrySchedule, FirstDeferralRoundTripsAndIsRangeChecked) {
  RetryState s;
  s.attempts = 2;
  s.next_attempt = std::chrono::system_clock::time_point(1'700'000'000'123ms);
  s.first_deferred = std::chrono::system_clock::time_point(1'699'000'000'000ms);
  const auto text = FormatRetryState(s);
  EXPECT_NE(text.find("\"first_deferred_unix_ms\": 1699000000000"), std::string::npos) << text;
  auto back = ParseRetryState(text);
  ASSERT_TRUE(back.has_value()) << text;
  EXPECT_EQ(back->first_deferred, s.first_deferred);
  // An older retry.json without it: "first deferred now" (nullopt).
  auto old = ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 5}");
  ASSERT_TRUE(old.has_value());
  EXPECT_FALSE(old->first_deferred.has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 5, "
                               "\"first_deferred_unix_ms\": 17000000080123}")
                   .has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 5, "
                               "\"first_deferred_unix_ms\": -1}")
                   .has_value());
  EXPECT_FALSE(ParseRetryState("{\"attempts\": 1, \"next_attempt_unix_ms\": 5, "
                               "\"first_deferred_unix_ms\": \"5\"}")
                   .has_value());
}

TEST(RetrySchedule, ADeferralExpiresOnlyAfterMoreThanTheMaximumAge) {
  const std::chrono::system_clock::time_point first(1'000'000s);
  EXPECT_FALSE(DeferralExpired(first, first, 5s));
  EXPECT_FALSE(DeferralExpired(first, first + 5s, 5s));
  EXPECT_TRUE(DeferralExpired(first, first + 5001ms, 5s));
  // Never deferred (or an older retry.json): first deferred now, so not expired.
  EXPECT_FALSE(DeferralExpired(std::nullopt, first + 100h, 5s));
}

TEST(RetrySchedule, AnExpiredDeferralNamesSinceWhenWhyAndTheLimit) {
  const std::chrono::system_clock::time_point first(1'700'000'000s);
  EXPECT_EQ(
      ExpiredDeferralReason(first, 7, 432000s, "alice: cannot create /m/a: Permission denied"),
      "deferred since 2023-11-14T22:13:20.000Z (7 attempt(s)) for: alice: cannot create "
      "/m/a: Permission denied; [drop] max_deferral_age_seconds (432000) reached");
}

TEST(StateJson, StatusPidIsAnIntegerInRange) {
  EXPECT_EQ(ParseStatusPid("{\"pid\": 42, \"sets\": []}"), 42);
  EXPECT_FALSE(ParseStatusPid("{\"note\": \"\\\"pid\\\": 42\"}").has_value());
  EXPECT_FALSE(ParseStatusPid("{\"pid\": -1}").has_value());
  EXPECT_FALSE(ParseStatusPid("{\"pid\": 0}").has_value());
  EXPECT_FALSE(ParseStatusPid("{\"pid\": 99999999999}").has_value());
  EXPECT_FALSE(ParseStatusPid("{\"pid\": \"1\"}").has_value());
  EXPECT_FALSE(ParseStatusPid("{\"pid\": 1").has_value());
}

}  // namespace
}  // namespace ccm::daemon
