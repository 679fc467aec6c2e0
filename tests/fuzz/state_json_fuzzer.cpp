// state_json_fuzzer.cpp — libFuzzer target for the readers of the daemon's state files
// (daemon/state_json: retry.json and status.json's pid). Contract: any bytes give a value in
// range or nullopt; a value read back re-formats and re-reads to itself. Run: scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/retry_schedule.h"
#include "daemon/state_json.h"

namespace {

void Require(bool condition) {
  if (!condition)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ccm::daemon;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto fields = ParseRetryFields(text)) {
    Require(fields->attempts >= 0 && fields->attempts <= kMaxRetryAttempts);
    Require(fields->next_attempt_unix_ms >= 0 && fields->next_attempt_unix_ms <= kMaxUnixMs);
    auto state = ParseRetryState(text);
    Require(state.has_value());
    const std::string formatted = FormatRetryState(*state);
    auto again = ParseRetryState(formatted);
    Require(again.has_value() && again->attempts == state->attempts &&
            again->next_attempt == state->next_attempt && again->last_reason == state->last_reason);
    Require(FormatRetryState(*again) == formatted);
  }
  if (auto pid = ParseStatusPid(text))
    Require(*pid >= 1 && *pid <= 2147483647);
  return 0;
}
