// crash_e2e_test.cpp — the daemon killed mid-import and stopped mid-import. A
// generated set of 200 users (180 with 4 messages each, custom recipients preloaded)
// is dropped; the daemon is SIGKILLed at several points of its work (just claimed, while the
// directory changes are journaled, while mail is delivered: early, middle, late), restarted each
// time, and finally left to finish. Whatever happened, the set ends in done/ with every user
// converted exactly once and every message present exactly once. A set resumed with a report
// half written ends "done" without warnings. SIGTERM during delivery exits 0 and leaves the set
// finished or resumable.
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>

#include "tests/e2e/generated_set.h"

namespace ccm::test {
namespace {

class CrashE2eTest : public DaemonE2eTest {
 protected:
  // Waits (bounded) until `reached` holds or the set has left active/ for good.
  bool WaitFor(const std::function<bool()>& reached, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (reached())
        return true;
      if (fs::exists(spool_ / "done/GEN"))
        return false;
      std::this_thread::sleep_for(15ms);
    }
    return false;
  }
  std::size_t Delivered() { return MessageFiles(mail_).size(); }
};

TEST_F(CrashE2eTest, SigkillAtSeveralPointsThenRestartFinishesExactlyOnce) {
  LoadBaseEntries();
  const auto set = GenerateSet(*this, work_, "GEN", 200, 4, 10);
  ASSERT_GT(set.messages, 0u);
  // Small durable batches, so that delivery progress is visible (and killable) in steps.
  WriteConfig("max_changes = 0", "", "sync_batch = 64");
  DropFolder(set.dir, "GEN");

  const auto journal_of = [&] { return JournalDir("GEN") / "journal.ldif"; };
  const std::size_t total = set.messages + set.pab_sections;  // files: messages and books
  struct KillPoint {
    const char* name;
    std::function<bool()> reached;
  };
  const std::vector<KillPoint> points = {
      {"just claimed", [&] { return fs::exists(spool_ / "active/GEN"); }},
      {"directory changes journaled",
       [&] {
         const fs::path journal = journal_of();
         return fs::exists(journal) && fs::file_size(journal) > 0;
       }},
      {"first messages delivered", [&] { return Delivered() > 0; }},
      {"a third delivered", [&] { return Delivered() > total / 3; }},
      {"two thirds delivered", [&] { return Delivered() > 2 * total / 3; }},
  };
  int killed_mid_work = 0, killed_mid_delivery = 0;
  std::string history;
  for (const auto& point : points) {
    auto& daemon = StartDaemon();
    const bool reached = WaitFor(point.reached, 60s);
    daemon.Signal(SIGKILL);
    ASSERT_EQ(daemon.WaitExit(10s), std::optional<int>(128 + SIGKILL)) << Diagnostics();
    const std::size_t delivered = Delivered();
    const bool in_active = WhereIs("GEN") == std::vector<std::string>{"active"};
    history += std::string(point.name) + ": reached " + (reached ? "yes" : "no") + ", delivered " +
               std::to_string(delivered) + "/" + std::to_string(total) +
               (in_active ? ", in active/" : ", not in active/") + "\n";
    if (reached && in_active) {
      ++killed_mid_work;
      if (delivered > 0 && delivered < total)
        ++killed_mid_delivery;
    }
  }
  // The kills must really have hit the import, or this test proves nothing.
  EXPECT_GE(killed_mid_work, 3) << history << Diagnostics();
  EXPECT_GE(killed_mid_delivery, 1) << history << Diagnostics();

  auto& last = StartDaemon();
  ASSERT_TRUE(WaitForSet("done", "GEN", 90s)) << history;
  ExpectGeneratedSetImported(*this, set, "GEN");
  last.Signal(SIGTERM);
  EXPECT_EQ(last.WaitExit(30s), std::optional<int>(0)) << Diagnostics();
  std::cerr << history;
}

// A daemon killed between writing a report's temporary file and renaming it into place leaves
// the set in active/ with that file beside the set's own. The resumed import must know it for
// the spool's own and finish "done", not "done with warnings" about an unlisted file.
TEST_F(CrashE2eTest, KilledWhileWritingTheReportTheResumedSetEndsDoneWithoutWarnings) {
  LoadSampleDirectory();
  WriteConfig();
  const fs::path active = spool_ / "active/HQPO.001";
  fs::create_directories(active.parent_path());
  fs::copy(SourceFile("conf/examples/HQPO.001"), active, fs::copy_options::recursive);
  WriteFile(active / ".report.json.tmp", "{\"ccmigrate_report\":1,\"outc");
  WriteFile(active / ".reason.txt.tmp", "");
  WriteFile(active / ".retry.json.tmp", "{");

  auto& daemon = StartDaemon(/*once=*/true);
  ASSERT_EQ(daemon.WaitExit(60s), std::optional<int>(0)) << Diagnostics();
  ASSERT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"done"}) << Diagnostics();
  const std::string report = ReadFile(spool_ / "done/HQPO.001/report.json");
  EXPECT_NE(report.find("\"outcome\":\"done\""), std::string::npos) << report;
  EXPECT_EQ(report.find("not listed"), std::string::npos) << report;
  ExpectSampleImported();
}

TEST_F(CrashE2eTest, SigtermDuringDeliveryExitsZeroAndTheSetFinishes) {
  LoadBaseEntries();
  const auto set = GenerateSet(*this, work_, "GEN", 100, 4, 10);
  ASSERT_GT(set.messages, 0u);
  WriteConfig("max_changes = 0", "", "sync_batch = 64");
  auto& daemon = StartDaemon();
  ASSERT_TRUE(WaitRunning(daemon));
  DropFolder(set.dir, "GEN");
  ASSERT_TRUE(WaitFor([&] { return Delivered() > 0; }, 60s)) << "delivery never seen in progress\n"
                                                             << Diagnostics();
  const std::size_t at_signal = Delivered();
  const auto signalled = std::chrono::steady_clock::now();
  daemon.Signal(SIGTERM);
  const auto code = daemon.WaitExit(90s);
  ASSERT_TRUE(code.has_value()) << "no exit after SIGTERM\n" << Diagnostics();
  EXPECT_EQ(*code, 0) << Diagnostics();

  const auto where = WhereIs("GEN");
  ASSERT_EQ(where.size(), 1u) << Diagnostics();
  ASSERT_TRUE(where[0] == "done" || where[0] == "active") << where[0] << Diagnostics();
  std::cerr << "SIGTERM at " << at_signal << "/" << set.messages << " messages: exit after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - signalled)
                   .count()
            << " ms, set in " << where[0] << "/\n";
  EXPECT_TRUE(TmpFiles(mail_).empty() || where[0] == "active");
  if (where[0] == "active") {
    auto& again = StartDaemon();
    ASSERT_TRUE(WaitForSet("done", "GEN", 60s));
    again.Signal(SIGTERM);
    EXPECT_EQ(again.WaitExit(30s), std::optional<int>(0)) << Diagnostics();
  }
  ExpectGeneratedSetImported(*this, set, "GEN");
}

}  // namespace
}  // namespace ccm::test
