// service_log_test.cpp — journald detection (JOURNAL_STREAM must name our own stderr, as
// systemd sets it) and log level handling.
#include "daemon/service_log.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

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

}  // namespace
}  // namespace ccm::daemon
