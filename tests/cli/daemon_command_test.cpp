// daemon_command_test.cpp — `ccmigrate daemon` and `ccmigrate status` bodies: configuration in,
// drop service out. A processor of our own is plugged in where the importer will be; the
// sample set goes through --once to done/ (packing list read by the parser's reader), the
// status command prints the result, and configuration and usage errors give 78 and 64.
#include "cli/daemon_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/exit_codes.h"
#include "spool_fixture.h"

namespace ccm::cli {
namespace {

using namespace ccm::daemon;  // the service the commands run

using namespace ccm::daemon::testing;

/// Finishes every set at once; records the packing lists it saw in `seen` (which outlives it:
/// RunDaemon owns and destroys the processor).
class InstantProcessor : public SetProcessor {
 public:
  explicit InstantProcessor(std::vector<std::string>& seen) : seen_(seen) {}
  void Process(const ClaimedSet& set, std::function<void(SetOutcome)> done) override {
    seen_.push_back(set.pkl_path().filename().string());
    done(SetOutcome::Done("{\"set\": \"" + set.id() + "\"}\n"));
  }

 private:
  std::vector<std::string>& seen_;
};

std::string ConfigText(const fs::path& spool, const std::string& extra = "") {
  return "[ldap]\nuri = \"ldap://127.0.0.1:3890/\"\nbase_dn = \"dc=example,dc=test\"\n"
         "[import]\ndefault_home = \"mail1.example.test\"\n"
         "[mailstore]\nroot = \"" +
         (spool.parent_path() / "mail").string() + "\"\n[drop]\ndir = \"" + spool.string() +
         "\"\nquiet_seconds = 1\n" + extra + "[log]\nlevel = \"warn\"\n";
}

DaemonPlugs PlugsWith(int& made, std::vector<std::string>& seen) {
  DaemonPlugs plugs;
  plugs.make_processor =
      [&made, &seen](const Config& config) -> Result<std::unique_ptr<SetProcessor>, std::string> {
    EXPECT_TRUE(config.drop.has_value());
    ++made;
    return std::unique_ptr<SetProcessor>(std::make_unique<InstantProcessor>(seen));
  };
  return plugs;
}

TEST(DaemonCommand, OnceTakesTheAppendixASetToDoneAndStatusShowsIt) {
  TempDir tmp;
  const auto spool = tmp.path() / "spool";
  const auto config = tmp.path() / "ccmigrate.toml";
  WriteFile(config, ConfigText(spool));
  fs::create_directories(spool / "incoming");
  fs::copy(fs::path(CCM_SOURCE_DIR) / "conf/examples/HQPO.001", tmp.path() / "HQPO.001");
  for (const auto& e : fs::directory_iterator(tmp.path() / "HQPO.001"))
    MakeOld(e.path());
  fs::rename(tmp.path() / "HQPO.001", spool / "incoming" / "HQPO.001");

  int made = 0;
  std::vector<std::string> seen;
  std::ostringstream out, err;
  EXPECT_EQ(RunDaemonCommandLine({"--config", config.string(), "--once"}, out, err,
                                 PlugsWith(made, seen)),
            kExitOk)
      << err.str();
  EXPECT_EQ(made, 1);
  EXPECT_EQ(seen, std::vector<std::string>{"HQPO.PKL"});
  EXPECT_EQ(ReadFile(spool / "done" / "HQPO.001" / "report.json"), "{\"set\": \"HQPO.001\"}\n");

  std::ostringstream status, status_err;
  EXPECT_EQ(RunStatusCommandLine({"--config", config.string()}, status, status_err), kExitOk);
  EXPECT_NE(status.str().find("\"done\": 1, \"deferred\": 0, \"failed\": 0"), std::string::npos)
      << status.str();
  EXPECT_NE(status.str().find("\"state\": \"stopped\""), std::string::npos);
}

TEST(DaemonCommand, ConfigurationAndUsageErrors) {
  TempDir tmp;
  int made = 0;
  std::vector<std::string> seen;
  std::ostringstream out, err;
  const auto no_drop = tmp.path() / "nodrop.toml";
  WriteFile(no_drop,
            "[ldap]\nuri = \"ldap://127.0.0.1:3890/\"\nbase_dn = \"dc=example,dc=test\"\n"
            "[import]\ndefault_home = \"h\"\n[mailstore]\nroot = \"/tmp/m\"\n");
  EXPECT_EQ(RunDaemonCommandLine({"--config", no_drop.string()}, out, err, PlugsWith(made, seen)),
            kExitConfig);
  EXPECT_NE(err.str().find("[drop]"), std::string::npos) << err.str();
  EXPECT_EQ(RunDaemonCommandLine({"--config", (tmp.path() / "missing.toml").string()}, out, err,
                                 PlugsWith(made, seen)),
            kExitConfig);
  EXPECT_EQ(made, 0);  // no processor is built for a bad configuration

  EXPECT_EQ(RunDaemonCommandLine({"stray"}, out, err, PlugsWith(made, seen)), kExitUsage);
  EXPECT_EQ(RunDaemonCommandLine({"--config", "x", "--bogus"}, out, err, PlugsWith(made, seen)),
            kExitUsage);
  std::ostringstream help;
  EXPECT_EQ(RunDaemonCommandLine({"--help"}, help, err, PlugsWith(made, seen)), kExitOk);
  EXPECT_NE(help.str().find("--once"), std::string::npos);

  const auto config = tmp.path() / "ok.toml";
  WriteFile(config, ConfigText(tmp.path() / "spool"));
  DaemonPlugs refusing;
  refusing.make_processor =
      [](const Config&) -> Result<std::unique_ptr<SetProcessor>, std::string> {
    return Fail(std::string("importer: [ldap] uri unreachable scheme"));
  };
  std::ostringstream err2;
  EXPECT_EQ(RunDaemonCommandLine({"--config", config.string(), "--once"}, out, err2, refusing),
            kExitConfig);
  EXPECT_NE(err2.str().find("unreachable scheme"), std::string::npos);

  std::ostringstream status, status_err;
  EXPECT_EQ(RunStatusCommandLine({"--config", config.string()}, status, status_err), 1);
}

}  // namespace
}  // namespace ccm::cli
