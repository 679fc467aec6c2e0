// service_log.cpp — spdlog set-up for the daemon. See service_log.h.
#include "daemon/service_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
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

thread_local std::string t_current_set;

int SyslogPriority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return LOG_DEBUG;
    case spdlog::level::info:
      return LOG_INFO;
    case spdlog::level::warn:
      return LOG_WARNING;
    case spdlog::level::err:
      return LOG_ERR;
    case spdlog::level::critical:
      return LOG_CRIT;
    default:
      return LOG_INFO;
  }
}

// The journal sink: one sd_journal_sendv per line, with the fields of JournalFields (spdlog's
// own systemd sink cannot add fields of the caller's).
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto fields = JournalFields(msg.level, std::string_view(msg.payload.data(), msg.payload.size()),
                                CurrentLogSet());
    std::vector<iovec> iov;
    iov.reserve(fields.size());
    for (std::string& field : fields)
      iov.push_back({field.data(), field.size()});
    ::sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));  // nowhere to report a failure
  }
  void flush_() override {}
};

}  // namespace

SetLogScope::SetLogScope(std::string id) : previous_(std::exchange(t_current_set, std::move(id))) {}

SetLogScope::~SetLogScope() {
  t_current_set = std::move(previous_);
}

const std::string& CurrentLogSet() {
  return t_current_set;
}

std::vector<std::string> JournalFields(spdlog::level::level_enum level, std::string_view message,
                                       std::string_view set) {
  std::vector<std::string> fields;
  fields.push_back("MESSAGE=" + std::string(message));
  fields.push_back("PRIORITY=" + std::to_string(SyslogPriority(level)));
  fields.push_back("SYSLOG_IDENTIFIER=ccmigrate");
  if (!set.empty())
    fields.push_back("CCM_SET=" + std::string(set));
  return fields;
}

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
    logger = std::make_shared<spdlog::logger>("ccmigrate", std::make_shared<JournalSink>());
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
