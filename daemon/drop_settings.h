// drop_settings.h — the drop-directory service's tunables as plain values, with sub-second
// precision so tests can run with short quiet periods.
//
// Inputs: built from the [drop] table of the configuration (cli/drop_service_settings.h) or
// directly by tests. Keys and defaults (seconds unless noted): dir (required), quiet_seconds (5),
// max_sets_in_flight (1), rescan_seconds (60), retry_initial_seconds (30),
// retry_max_seconds (3600), max_deferral_age_seconds (432000, 5 days), max_set_bytes (64 GiB).
//
// Thread safety: a plain value type.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace ccm::daemon {

/// Capped exponential back-off for deferred sets.
struct RetryPolicy {
  std::chrono::milliseconds initial{std::chrono::seconds(30)};  ///< delay after the 1st deferral
  std::chrono::milliseconds max{std::chrono::seconds(3600)};    ///< the cap
  double jitter = 0.1;  ///< up to this fraction of the delay is added at random (0 = none)
};

/// What the drop service needs to know; everything has a production default except `dir`.
struct DropSettings {
  std::filesystem::path dir;  ///< the spool: incoming/ active/ done/ deferred/ failed/
  std::chrono::milliseconds quiet_period{std::chrono::seconds(5)};
  std::size_t max_sets_in_flight = 1;
  std::chrono::milliseconds rescan_interval{std::chrono::seconds(60)};
  RetryPolicy retry;
  /// A set deferred again for a persistent cause (the mail store full or refusing) after it
  /// has been deferred for longer than this is refused (retry_schedule.h).
  std::chrono::milliseconds max_deferral_age{std::chrono::hours(24 * 5)};
  std::uint64_t max_set_bytes = 64ull << 30;
  /// A packing list listing more files than this is refused at once.
  std::size_t max_listed_files = 65536;
  /// A set that stays incomplete (listed files missing, no packing list) and unchanged this
  /// long is refused instead of waiting forever.
  std::chrono::milliseconds incomplete_timeout{std::chrono::minutes(10)};
  /// After SIGTERM, how long sets in flight get to reach a safe point before the service exits
  /// anyway (they stay in active/ and are resumed at the next start).
  std::chrono::milliseconds stop_grace{std::chrono::seconds(60)};
};

}  // namespace ccm::daemon
