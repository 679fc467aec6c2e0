// outage_e2e_test.cpp — the directory server going away and coming back:
// a set waiting while slapd is down goes to deferred/ and the daemon keeps running; once slapd
// is back the set is retried on its own and ends in done/. `--once` with slapd down exits 75 and
// leaves the set in deferred/, never failed/.
#include <optional>
#include <thread>

#include "tests/e2e/e2e_world.h"

namespace ccm::test {
namespace {

class OutageE2eTest : public DaemonE2eTest {
 protected:
  // The sample directory and configuration, slapd stopped, and the sample set dropped and left
  // longer than the quiet period, so that a `--once` run takes it at once.
  void DropSampleWithSlapdDown() {
    LoadSampleDirectory();
    WriteConfig();
    auto stopped = slapd_->Stop();
    ASSERT_TRUE(stopped) << stopped.error();
    fs::create_directories(spool_ / "incoming");
    DropFolder(SourceFile("conf/examples/HQPO.001"), "HQPO.001");
    std::this_thread::sleep_for(1500ms);
  }
};

TEST_F(OutageE2eTest, SetIsDeferredWhileSlapdIsDownAndDoneWhenItIsBack) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  auto stopped = slapd_->Stop();
  ASSERT_TRUE(stopped) << stopped.error();

  DropFolder(SourceFile("conf/examples/HQPO.001"), "HQPO.001");
  ASSERT_TRUE(WaitForSet("deferred", "HQPO.001"));
  EXPECT_TRUE(fs::is_regular_file(spool_ / "deferred/HQPO.001/HQPO.PKL"));
  EXPECT_TRUE(fs::is_regular_file(spool_ / "deferred/HQPO.001/retry.json"));
  EXPECT_TRUE(fs::is_regular_file(spool_ / "deferred/HQPO.001/report.json"));
  // Still down through at least one more retry: never failed/.
  std::this_thread::sleep_for(2500ms);
  EXPECT_TRUE(daemon.Running()) << Diagnostics();
  EXPECT_FALSE(fs::exists(spool_ / "failed/HQPO.001"));
  EXPECT_TRUE(MessageFiles(mail_).empty());

  auto restarted = slapd_->Restart();
  ASSERT_TRUE(restarted) << restarted.error();
  ASSERT_TRUE(WaitForSet("done", "HQPO.001"));
  EXPECT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"done"});
  ExpectSampleImported();
  EXPECT_TRUE(daemon.Running());
}

TEST_F(OutageE2eTest, OnceWithSlapdDownExits75AndKeepsTheSetDeferred) {
  ASSERT_NO_FATAL_FAILURE(DropSampleWithSlapdDown());

  auto& first = StartDaemon(/*once=*/true);
  const auto code = first.WaitExit(60s);
  ASSERT_TRUE(code.has_value()) << "--once did not end\n" << Diagnostics();
  EXPECT_EQ(*code, 75) << Diagnostics();
  EXPECT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"deferred"}) << Diagnostics();

  // Still down: a second --once retries the deferred set at once and still says 75.
  auto& second = StartDaemon(/*once=*/true);
  const auto again = second.WaitExit(60s);
  ASSERT_TRUE(again.has_value()) << Diagnostics();
  EXPECT_EQ(*again, 75) << Diagnostics();
  EXPECT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"deferred"}) << Diagnostics();

  // Back: --once retries now (not at the back-off's time) and finishes it.
  auto restarted = slapd_->Restart();
  ASSERT_TRUE(restarted) << restarted.error();
  auto& third = StartDaemon(/*once=*/true);
  const auto done = third.WaitExit(60s);
  ASSERT_TRUE(done.has_value()) << Diagnostics();
  EXPECT_EQ(*done, 0) << Diagnostics();
  EXPECT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"done"}) << Diagnostics();
  ExpectSampleImported();
}

// A set that was deferred once holds the spool's retry.json and report.json when it is retried;
// they are the spool's own files, not unlisted input, so the sample (which imports without
// warnings) must still end "done" and --once must exit 0.
TEST_F(OutageE2eTest, RetriedSetHasNoSpuriousWarnings) {
  ASSERT_NO_FATAL_FAILURE(DropSampleWithSlapdDown());
  auto& down = StartDaemon(/*once=*/true);
  ASSERT_EQ(down.WaitExit(60s), std::optional<int>(75)) << Diagnostics();
  auto restarted = slapd_->Restart();
  ASSERT_TRUE(restarted) << restarted.error();
  auto& up = StartDaemon(/*once=*/true);
  const auto code = up.WaitExit(60s);
  ASSERT_TRUE(code.has_value()) << Diagnostics();
  const std::string report = ReadFile(spool_ / "done/HQPO.001/report.json");
  EXPECT_NE(report.find("\"outcome\":\"done\""), std::string::npos) << report;
  EXPECT_EQ(report.find("retry.json"), std::string::npos) << report;
  EXPECT_EQ(*code, 0) << Diagnostics();
}

}  // namespace
}  // namespace ccm::test
