// service_e2e_test.cpp — the running service: SIGHUP with a broken
// configuration keeps the daemon running on the old one, and it still processes a later drop;
// two daemons on one spool process each of several sets exactly once.
#include <csignal>
#include <regex>
#include <thread>

#include "tests/e2e/generated_set.h"

namespace ccm::test {
namespace {

using ServiceE2eTest = DaemonE2eTest;

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST_F(ServiceE2eTest, SighupWithBadConfigKeepsRunningAndStillProcessesDrops) {
  LoadSampleDirectory();
  WriteConfig();
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));

  WriteFile(config_, "[ldap\nuri = = \"garbage\n\x01\x02 not toml at all\n");
  daemon.Signal(SIGHUP);
  std::this_thread::sleep_for(1000ms);
  ASSERT_TRUE(daemon.Running()) << Diagnostics();
  // A second reload of the same garbage: still running.
  daemon.Signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(daemon.Running()) << Diagnostics();
  EXPECT_NE(Diagnostics().find("SIGHUP: new configuration refused"), std::string::npos)
      << Diagnostics();
  EXPECT_NE(ReadFile(spool_ / "status.json").find("reload refused"), std::string::npos);

  DropFolder(SourceFile("conf/examples/HQPO.001"), "HQPO.001");
  ASSERT_TRUE(WaitForSet("done", "HQPO.001"));
  ExpectSampleImported();
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.WaitExit(30s), std::optional<int>(0)) << Diagnostics();
}

// Two services on one spool, three sets dropped at once (the sample, a generated set of 60
// users on another post office, and an invalid set): each set is claimed once in total, ends
// in one final folder, under its own name (no "-2" copy), and the directory and mail are exact.
TEST_F(ServiceE2eTest, TwoDaemonsOnOneSpoolProcessEachSetExactlyOnce) {
  LoadSampleDirectory();
  const auto generated = GenerateSet(*this, work_, "GEN", 60, 3, 10, "GNPO");
  WriteConfig("max_changes = 0");
  const fs::path broken = work_ / "broken";
  fs::copy(SourceFile("conf/examples/HQPO.001"), broken);
  WriteFile(broken / "00000001.SEC", "truncated");

  auto& a = StartDaemon();
  auto& b = StartDaemon();
  ASSERT_TRUE(WaitRunning(a) || WaitRunning(b));
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(a.Running() && b.Running()) << Diagnostics();
  for (const auto& [source, id] : std::vector<std::pair<fs::path, std::string>>{
           {SourceFile("conf/examples/HQPO.001"), "SAMPLE"},
           {generated.dir, "GEN"},
           {broken, "BROKEN"}})
    DropFolder(source, id);

  ASSERT_TRUE(WaitForSet("done", "SAMPLE"));
  ASSERT_TRUE(WaitForSet("done", "GEN"));
  ASSERT_TRUE(WaitForSet("failed", "BROKEN"));
  std::this_thread::sleep_for(2500ms);  // two more rescans by each: nothing may move again
  EXPECT_TRUE(a.Running() && b.Running()) << Diagnostics();

  std::string logs;
  for (const auto& log : logs_)
    logs += ReadFile(log);
  for (const std::string id : {"SAMPLE", "GEN", "BROKEN"}) {
    EXPECT_EQ(WhereIs(id).size(), 1u) << id << Diagnostics();
    EXPECT_EQ(Occurrences(logs, "set " + id + ": claimed"), 1u) << id << "\n" << logs;
    for (const auto& state : kSpoolStates)
      EXPECT_FALSE(fs::exists(spool_ / state / (id + "-2"))) << state << "/" << id << "-2";
  }
  EXPECT_TRUE(fs::is_regular_file(spool_ / "failed/BROKEN/reason.txt"));
  ExpectSampleImported();
  ExpectGeneratedSetImported(*this, generated, "GEN");
  EXPECT_EQ(MessageFiles(mail_).size(), 3u + generated.messages);
}

}  // namespace
}  // namespace ccm::test
