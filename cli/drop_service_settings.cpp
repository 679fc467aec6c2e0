// drop_service_settings.cpp — see drop_service_settings.h.
#include "cli/drop_service_settings.h"

#include <algorithm>

namespace ccm::cli {

daemon::DropSettings DropSettingsFromConfig(const DropConfig& drop) {
  daemon::DropSettings s;
  s.dir = drop.dir;
  s.quiet_period = std::chrono::seconds(drop.quiet_seconds);
  s.max_sets_in_flight = drop.max_sets_in_flight > 0
                             ? static_cast<std::size_t>(drop.max_sets_in_flight)
                             : std::size_t{1};
  s.rescan_interval = std::chrono::seconds(drop.rescan_seconds);
  s.retry.initial = std::chrono::seconds(drop.retry_initial_seconds);
  s.retry.max = std::chrono::seconds(drop.retry_max_seconds);
  s.max_deferral_age = std::chrono::seconds(drop.max_deferral_age_seconds);
  s.max_set_bytes = drop.max_set_bytes > 0 ? static_cast<std::uint64_t>(drop.max_set_bytes) : 0;
  s.max_listed_files = static_cast<std::size_t>(drop.max_listed_files);
  // Incomplete sets get the larger of ten minutes and 120 quiet periods before being refused.
  s.incomplete_timeout =
      std::max<std::chrono::milliseconds>(std::chrono::minutes(10), 120 * s.quiet_period);
  return s;
}

}  // namespace ccm::cli
