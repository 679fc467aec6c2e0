// service_log_test.cpp — journald detection (JOURNAL_STREAM must name our own stderr, as
// systemd sets it), log level handling, and the journal fields of a line about a set
// (CCM_SET, for `journalctl CCM_SET=<id>`).
#include "daemon/service_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ccm::daemon {
namespace {

TEST(ServiceLog, JournalOnlyWhenJournalStreamIsOurStderr) {
  struct stat st {};
  ASSERT_EQ(::fstat(2, &st), 0);
  const std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  ::setenv("JOURNAL_STREAM", mine.c_str(), 1);
  EXPECT_TRUE(StartedBySystemd());
  ::setenv("JOURNAL_STREAM", (std::to_string(st.st_dev) + ":1").c_str(), 1);
  EXPECT_FALSE(StartedBySystemd());  // inherited from a parent, not our stderr
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(StartedBySystemd());
}

TEST(ServiceLog, LevelsAreCheckedAndApplied) {
  ::unsetenv("JOURNAL_STREAM");
  ASSERT_TRUE(ConfigureServiceLog("warn").ok());
  EXPECT_EQ(spdlog::get_level(), spdlog::level::warn);
  ASSERT_TRUE(SetLogLevel("debug").ok());
  EXPECT_EQ(spdlog::get_level(), spdlog::level::debug);
  auto bad = SetLogLevel("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("loud"), std::string::npos);
  EXPECT_EQ(spdlog::get_level(), spdlog::level::debug);
  EXPECT_FALSE(ConfigureServiceLog("verbose").ok());
  ASSERT_TRUE(SetLogLevel("info").ok());
}

TEST(ServiceLog, LinesAboutASetCarryItsIdAsAJournalField) {
  using spdlog::level::warn;
  EXPECT_EQ(JournalFields(warn, "set HQPO.001: deferred", "HQPO.001"),
            (std::vector<std::string>{"MESSAGE=set HQPO.001: deferred", "PRIORITY=4",
                                      "SYSLOG_IDENTIFIER=ccmigrate", "CCM_SET=HQPO.001"}));
  EXPECT_EQ(JournalFields(spdlog::level::err, "inotify gone", ""),
            (std::vector<std::string>{"MESSAGE=inotify gone", "PRIORITY=3",
                                      "SYSLOG_IDENTIFIER=ccmigrate"}));
}

// What a sink sees while LogSet logs: the set is current on the logging thread, and only then.
class SeenSetSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::pair<std::string, std::string>> lines;  // message, current set

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines.emplace_back(std::string(msg.payload.data(), msg.payload.size()), CurrentLogSet());
  }
  void flush_() override {}
};

TEST(ServiceLog, LogSetMakesTheSetCurrentForItsLineOnly) {
  auto sink = std::make_shared<SeenSetSink>();
  auto before = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  spdlog::set_level(spdlog::level::info);
  LogSet(spdlog::level::info, "set {}: done -> {}", std::string("HQPO.001"), "done/HQPO.001");
  {
    SetLogScope outer("A");
    LogSet(spdlog::level::warn, "set {}: refused", std::string("B"));
    spdlog::info("about A");
  }
  spdlog::info("about nothing");
  spdlog::set_default_logger(before);
  EXPECT_EQ(sink->lines, (std::vector<std::pair<std::string, std::string>>{
                             {"set HQPO.001: done -> done/HQPO.001", "HQPO.001"},
                             {"set B: refused", "B"},
                             {"about A", "A"},
                             {"about nothing", ""}}));
}

}  // namespace
}  // namespace ccm::daemon
