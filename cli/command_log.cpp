// command_log.cpp — the commands' stderr logger and level; see command_log.h.
#include "cli/command_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <string_view>

#include "daemon/service_log.h"

namespace ccm::cli {
namespace {

// Most verbose first, as [log] level names them.
constexpr std::array<std::string_view, 7> kLevels = {"trace", "debug",    "info", "warn",
                                                     "error", "critical", "off"};

std::atomic<int> g_verbosity{0};

}  // namespace

int TakeVerbosityOptions(std::vector<std::string>& args) {
  int verbosity = 0;
  std::vector<std::string> rest;
  bool options_ended = false;
  for (std::string& arg : args) {
    if (!options_ended && (arg == "-v" || arg == "--verbose")) {
      ++verbosity;
    } else if (!options_ended && (arg == "-q" || arg == "--quiet")) {
      --verbosity;
    } else {
      options_ended = options_ended || arg == "--";
      rest.push_back(std::move(arg));
    }
  }
  args = std::move(rest);
  return verbosity;
}

std::string EffectiveLogLevel(const std::string& configured) {
  auto it = std::find(kLevels.begin(), kLevels.end(), configured);
  if (it == kLevels.end())
    return configured;
  const int index = static_cast<int>(it - kLevels.begin()) - g_verbosity.load();
  return std::string(kLevels[static_cast<std::size_t>(
      std::clamp(index, 0, static_cast<int>(kLevels.size()) - 1))]);
}

void StartCommandLog(int verbosity) {
  g_verbosity.store(verbosity);
  auto logger = std::make_shared<spdlog::logger>("ccmigrate",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("ccmigrate: %l: %v");
  spdlog::set_default_logger(std::move(logger));
  (void)ApplyLogLevel("info");
}

Result<void, std::string> ApplyLogLevel(const std::string& configured) {
  return daemon::SetLogLevel(EffectiveLogLevel(configured));
}

}  // namespace ccm::cli
