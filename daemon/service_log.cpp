// service_log.cpp — spdlog set-up for the daemon. See service_log.h.
#include "daemon/service_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace ccm::daemon {
namespace {

std::optional<spdlog::level::level_enum> ParseLevel(const std::string& name) {
  for (int l = spdlog::level::trace; l < spdlog::level::n_levels; ++l) {
    const auto level = static_cast<spdlog::level::level_enum>(l);
    const auto sv = spdlog::level::to_string_view(level);
    if (name == std::string(sv.data(), sv.size()))
      return level;
  }
  if (name == "warn")
    return spdlog::level::warn;
  return std::nullopt;
}

}  // namespace

bool StartedBySystemd() {
  // JOURNAL_STREAM is "DEV:INODE" of the journal stream systemd connected to stdout/stderr;
  // it only counts when it is still our stderr (a child of a shell under systemd inherits it).
  if (const char* js = std::getenv("JOURNAL_STREAM")) {
    unsigned long long dev = 0, ino = 0;
    struct stat st {};
    if (std::sscanf(js, "%llu:%llu", &dev, &ino) == 2 && ::fstat(2, &st) == 0 &&
        static_cast<unsigned long long>(st.st_dev) == dev &&
        static_cast<unsigned long long>(st.st_ino) == ino) {
      return true;
    }
  }
  return false;
}

Result<void, std::string> ConfigureServiceLog(const std::string& level) {
  auto parsed = ParseLevel(level);
  if (!parsed)
    return Fail("[log] level: unknown level \"" + level + "\"");
  std::shared_ptr<spdlog::logger> logger;
  if (StartedBySystemd()) {
    logger = std::make_shared<spdlog::logger>(
        "ccmigrate", std::make_shared<spdlog::sinks::systemd_sink_mt>("ccmigrate"));
  } else {
    logger = std::make_shared<spdlog::logger>("ccmigrate",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  }
  logger->set_level(*parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  return {};
}

Result<void, std::string> SetLogLevel(const std::string& level) {
  auto parsed = ParseLevel(level);
  if (!parsed)
    return Fail("[log] level: unknown level \"" + level + "\"");
  spdlog::set_level(*parsed);
  return {};
}

}  // namespace ccm::daemon
