// store_failure_e2e_test.cpp — a mail store that cannot be written for a reason a wait does not
// cure (its root is a file: ENOTDIR, which the tests can cause even as root) defers the set with
// its first deferral on record in retry.json; once the set has been deferred longer than
// [drop] max_deferral_age_seconds, the next attempt refuses it to failed/ with the reason.
#include <chrono>
#include <optional>
#include <thread>

#include "tests/e2e/e2e_world.h"

namespace ccm::test {
namespace {

class StoreFailureE2eTest : public DaemonE2eTest {};

TEST_F(StoreFailureE2eTest, AnUnwritableStoreDefersTheSetUntilTheMaximumAgeThenRefusesIt) {
  LoadSampleDirectory();
  WriteConfig();
  WriteFile(mail_, "not a directory\n");
  fs::create_directories(spool_ / "incoming");
  DropFolder(SourceFile("conf/examples/HQPO.001"), "HQPO.001");
  std::this_thread::sleep_for(1500ms);

  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto& first = StartDaemon(/*once=*/true);
  ASSERT_EQ(first.WaitExit(60s), std::optional<int>(75)) << Diagnostics();
  ASSERT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"deferred"}) << Diagnostics();
  const fs::path retry = spool_ / "deferred/HQPO.001/retry.json";
  const std::string state = ReadFile(retry);
  const auto at = state.find("\"first_deferred_unix_ms\": ");
  ASSERT_NE(at, std::string::npos) << state;
  const long long first_deferred = std::stoll(state.substr(at + 26));
  EXPECT_GE(first_deferred, before) << state;
  const std::string report = ReadFile(spool_ / "deferred/HQPO.001/report.json");
  EXPECT_NE(report.find("\"error_kind\":\"permanent\""), std::string::npos) << report;
  EXPECT_NE(report.find("Not a directory"), std::string::npos) << report;

  // Six days later (the default limit is five), the store is still a file.
  WriteFile(retry,
            "{\"attempts\": 1, \"next_attempt_unix_ms\": 0, \"last_reason\": \"x\", "
            "\"first_deferred_unix_ms\": " +
                std::to_string(first_deferred - 6LL * 86400 * 1000) + "}\n");
  auto& second = StartDaemon(/*once=*/true);
  ASSERT_EQ(second.WaitExit(60s), std::optional<int>(2)) << Diagnostics();
  ASSERT_EQ(WhereIs("HQPO.001"), std::vector<std::string>{"failed"}) << Diagnostics();
  const std::string reason = ReadFile(spool_ / "failed/HQPO.001/reason.txt");
  EXPECT_EQ(reason.rfind("deferred since ", 0), 0u) << reason;
  EXPECT_NE(reason.find("(2 attempt(s)) for: "), std::string::npos) << reason;
  EXPECT_NE(reason.find("Not a directory"), std::string::npos) << reason;
  EXPECT_NE(reason.find("[drop] max_deferral_age_seconds (432000) reached"), std::string::npos)
      << reason;
}

}  // namespace
}  // namespace ccm::test
